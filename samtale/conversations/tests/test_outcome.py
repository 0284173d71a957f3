"""The outcome: the leader marks the conversation held, which starts the plan's clock, or not held
with a reason; audited, and correctable until a plan exists (issue 3, §5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.conversations import meeting
from samtale.conversations.models import Conversation, ConversationStatus, NotHeldReason
from samtale.testing import Mus, Org


def _url(mus: Mus, name: str = "outcome") -> str:
    return reverse(f"conversations:{name}", args=[mus.conversation.uuid])


def _fresh(mus: Mus) -> Conversation:
    return Conversation.objects.get(pk=mus.conversation.pk)


def test_the_leader_marks_it_held_and_the_plans_clock_starts(org: Org, mus: Mus) -> None:
    today = timezone.localdate()
    response = org.client("leader").post(_url(mus), {"outcome": "held", "held_on": today.isoformat()})
    assert response.status_code == 302
    conversation = _fresh(mus)
    assert conversation.status == ConversationStatus.HELD
    assert conversation.held_on == today
    assert conversation.held_with_id == org.leader.pk
    assert conversation.plan_due_on() == today + timedelta(days=mus.concept.plan_due_days)
    event = AuditEvent.objects.get(action="conversations.outcome_recorded")
    assert event.actor_id == org.leader.user_id
    assert event.subject_person_id == org.employee.pk
    assert event.data == {"status": "held", "held_on": today.isoformat()}


def test_held_in_the_future_is_refused(org: Org, mus: Mus) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = org.client("leader").post(_url(mus), {"outcome": "held", "held_on": tomorrow.isoformat()})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert _fresh(mus).status == ConversationStatus.INVITED
    with pytest.raises(ValidationError):
        meeting.conversation_mark_held(
            viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=tomorrow
        )
    assert not AuditEvent.objects.filter(action__startswith="conversations.outcome").exists()


def test_held_before_the_round_opened_is_refused(org: Org, mus: Mus) -> None:
    before = mus.round.opens_on - timedelta(days=1)
    response = org.client("leader").post(_url(mus), {"outcome": "held", "held_on": before.isoformat()})
    assert response.status_code == 400
    assert _fresh(mus).status == ConversationStatus.INVITED
    with pytest.raises(ValidationError):
        meeting.conversation_mark_held(
            viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=before
        )


def test_held_needs_a_date(org: Org, mus: Mus) -> None:
    assert org.client("leader").post(_url(mus), {"outcome": "held", "held_on": ""}).status_code == 400
    assert _fresh(mus).status == ConversationStatus.INVITED


@pytest.mark.parametrize("reason", [NotHeldReason.LONG_LEAVE, NotHeldReason.LEFT, NotHeldReason.DECLINED])
def test_not_held_with_a_reason(org: Org, mus: Mus, reason: str) -> None:
    response = org.client("leader").post(_url(mus), {"outcome": "not_held", "reason": reason})
    assert response.status_code == 302
    conversation = _fresh(mus)
    assert (conversation.status, conversation.not_held_reason, conversation.held_on) == ("not_held", reason, None)
    assert conversation.plan_due_on() is None


def test_not_held_needs_a_reason_and_another_reason_needs_a_note(org: Org, mus: Mus) -> None:
    client = org.client("leader")
    assert client.post(_url(mus), {"outcome": "not_held", "reason": ""}).status_code == 400
    assert client.post(_url(mus), {"outcome": "not_held", "reason": "other", "note": " "}).status_code == 400
    assert client.post(_url(mus), {"outcome": "not_held", "reason": "bogus"}).status_code == 400
    assert client.post(_url(mus), {"outcome": "maybe"}).status_code == 400
    assert _fresh(mus).status == ConversationStatus.INVITED
    assert client.post(_url(mus), {"outcome": "not_held", "reason": "other", "note": "Barsel"}).status_code == 302
    assert (_fresh(mus).not_held_reason, _fresh(mus).not_held_note) == ("other", "Barsel")
    # The note may be personal: it is kept on the conversation, not in the audit trail.
    assert "Barsel" not in str(AuditEvent.objects.get(action="conversations.outcome_recorded").data)


def test_the_outcome_is_corrected_and_each_correction_is_audited(org: Org, mus: Mus) -> None:
    client = org.client("leader")
    today = timezone.localdate()
    client.post(_url(mus), {"outcome": "not_held", "reason": "declined"})
    client.post(_url(mus), {"outcome": "held", "held_on": today.isoformat()})
    conversation = _fresh(mus)
    assert (conversation.status, conversation.not_held_reason, conversation.held_on) == ("held", "", today)
    assert AuditEvent.objects.filter(action="conversations.outcome_corrected").count() == 1
    assert client.post(_url(mus, "outcome_clear")).status_code == 302
    conversation = _fresh(mus)
    assert (conversation.status, conversation.held_on, conversation.held_with_id) == ("invited", None, None)
    assert AuditEvent.objects.filter(action="conversations.outcome_cleared").count() == 1


def test_undoing_goes_back_to_scheduled_when_there_is_a_time(org: Org, mus: Mus) -> None:
    mus.conversation.starts_at = timezone.now() - timedelta(hours=2)
    mus.conversation.status = ConversationStatus.SCHEDULED
    mus.conversation.save(update_fields=["starts_at", "status"])
    leader = viewer_for(org.user("leader"))
    meeting.conversation_mark_held(viewer=leader, conversation=mus.conversation, held_on=timezone.localdate())
    meeting.conversation_outcome_clear(viewer=leader, conversation=mus.conversation)
    assert _fresh(mus).status == ConversationStatus.SCHEDULED


def test_the_form_suggests_the_day_of_a_past_meeting(org: Org, mus: Mus) -> None:
    when = timezone.now() - timedelta(days=3)
    mus.conversation.starts_at = when
    mus.conversation.status = ConversationStatus.SCHEDULED
    mus.conversation.save(update_fields=["starts_at", "status"])
    page = org.client("leader").get(_url(mus))
    assert page.context["form"].initial["held_on"] == timezone.localtime(when).date()


def test_no_correction_once_a_plan_exists(org: Org, mus: Mus, monkeypatch: pytest.MonkeyPatch) -> None:
    leader = viewer_for(org.user("leader"))
    meeting.conversation_mark_held(viewer=leader, conversation=mus.conversation, held_on=timezone.localdate())
    monkeypatch.setattr(meeting, "outcome_may_be_corrected", lambda conversation: False)
    with pytest.raises(ValidationError):
        meeting.conversation_mark_not_held(viewer=leader, conversation=mus.conversation, reason="declined")
    with pytest.raises(ValidationError):
        meeting.conversation_outcome_clear(viewer=leader, conversation=mus.conversation)
    assert _fresh(mus).status == ConversationStatus.HELD
    assert 'name="outcome"' not in org.client("leader").get(_url(mus)).content.decode()


@pytest.mark.parametrize("persona", ["employee", "head", "director"])
def test_those_who_see_the_conversation_may_not_record_its_outcome(org: Org, mus: Mus, persona: str) -> None:
    client = org.client(persona)
    assert client.get(_url(mus)).status_code == 403
    assert client.post(_url(mus), {"outcome": "held", "held_on": timezone.localdate()}).status_code == 403
    assert client.post(_url(mus, "outcome_clear")).status_code == 403
    with pytest.raises(PermissionDenied):
        meeting.conversation_mark_held(
            viewer=viewer_for(org.user(persona)), conversation=mus.conversation, held_on=timezone.localdate()
        )
    assert _fresh(mus).status == ConversationStatus.INVITED


@pytest.mark.parametrize("persona", ["former_leader", "daily_leader", "union_rep", "hr", "colleague", "outsider"])
def test_others_get_404(org: Org, mus: Mus, persona: str) -> None:
    assert org.client(persona).post(_url(mus), {"outcome": "held", "held_on": timezone.localdate()}).status_code == 404
    assert _fresh(mus).status == ConversationStatus.INVITED


def test_the_conversation_page_shows_the_outcome_and_the_plans_due_date(org: Org, mus: Mus) -> None:
    org.employee.user.language = "en"
    org.employee.user.save(update_fields=["language"])
    today = timezone.localdate()
    meeting.conversation_mark_held(viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=today)
    page = org.client("employee").get(_url(mus, "detail")).content.decode()
    assert "The development plan is due on" in page
