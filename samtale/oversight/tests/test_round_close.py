"""HR closes a round (docs/domain.md § The round ends): not before its held-by date has passed, not
over follow-ups still to hold unless HR says so; then its reminders and to-dos stop, its figures stay
as they were, its plans are read-only, and its close starts the retention clocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.completion.counters import completion_rebuild
from samtale.completion.models import UnitCompletion
from samtale.oversight.selectors.rounds import round_open_ends
from samtale.oversight.services import round_close
from samtale.plans.selectors.todo import follow_ups_not_held
from samtale.plans.services.follow_up import progress_record
from samtale.rounds.models import RoundStatus
from samtale.testing import Mus, Org
from samtale.testing.follow_up import signed_plan
from samtale.testing.oversight import deadline_passed


@translation.override("en")
def test_a_round_closes_after_its_date_over_follow_ups_only_when_hr_says_so(org: Org, mus: Mus) -> None:
    hr = viewer_for(org.user("hr"))
    today = timezone.localdate()
    plan = signed_plan(org, mus, held_on=today - timedelta(days=20), follow_up_by=today + timedelta(days=100))
    with pytest.raises(ValidationError, match="at the earliest"):
        round_close(viewer=hr, round_=mus.round)
    deadline_passed(mus.round)
    with pytest.raises(PermissionDenied):
        round_close(viewer=viewer_for(org.user("regional_hr")), round_=mus.round)
    ends = round_open_ends(round_=mus.round)
    assert ends.follow_ups == 1 and ends.not_held == ends.not_held and ends.any
    with pytest.raises(ValidationError, match="follow-up"):
        round_close(viewer=hr, round_=mus.round)
    assert follow_ups_not_held(today=today).filter(pk=plan.pk).exists()
    figures = list(UnitCompletion.objects.filter(round=mus.round).values_list("unit_id", "held", "plan_signed"))

    round_close(viewer=hr, round_=mus.round, despite_follow_ups=True)

    mus.round.refresh_from_db()
    assert mus.round.status == RoundStatus.CLOSED and mus.round.closed_at is not None
    assert AuditEvent.objects.filter(action="rounds.round_closed", target_id=str(mus.round.uuid)).exists()
    assert not follow_ups_not_held(today=today).filter(pk=plan.pk).exists()  # no reminder, no to-do
    with pytest.raises(ValidationError, match="closed"):
        progress_record(viewer=viewer_for(org.user("employee")), plan=plan, item="g1", status="done", note="", on=today)
    completion_rebuild()
    assert sorted(
        UnitCompletion.objects.filter(round=mus.round).values_list("unit_id", "held", "plan_signed")
    ) == sorted(figures)
    with pytest.raises(ValidationError, match="not under way"):
        round_close(viewer=hr, round_=mus.round)


def test_hr_closes_the_round_from_its_page(org: Org, mus: Mus) -> None:
    deadline_passed(mus.round)
    client = org.client("hr")
    detail = client.get(reverse("rounds:detail", args=[mus.round.uuid])).content.decode()
    url = reverse("oversight:round_close", args=[mus.round.uuid])
    assert url in detail
    page = client.get(url).content.decode()
    assert "Conversations not held" in page or "Samtaler, der ikke er holdt" in page
    asked = client.post(url)
    assert asked.status_code == 200 and b'name="confirmed"' in asked.content  # asked first
    mus.round.refresh_from_db()
    assert mus.round.status == RoundStatus.LAUNCHED
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    mus.round.refresh_from_db()
    assert mus.round.status == RoundStatus.CLOSED


@translation.override("en")
def test_a_closed_rounds_conversation_is_read_only(org: Org, mus: Mus) -> None:
    from samtale.conversations.services.meeting import minutes_save, preparation_is_open

    deadline_passed(mus.round)
    round_close(viewer=viewer_for(org.user("hr")), round_=mus.round)
    conversation = type(mus.conversation).objects.select_related("round__concept").get(pk=mus.conversation.pk)
    assert not preparation_is_open(conversation)
    with pytest.raises(ValidationError, match="closed"):
        minutes_save(viewer=viewer_for(org.user("leader")), conversation=conversation, notes={}, version=0)
