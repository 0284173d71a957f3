"""The leader's overview of their team (docs/domain.md § The meeting and its outcome): who is
scheduled, prepared (only as far as shared), held, overdue; nothing about an unshared preparation; a
constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.selectors.conversation import team_conversations
from samtale.conversations.services import meeting
from samtale.rounds.models import Round, RoundStatus
from samtale.testing import Mus, Org, build_round, make_person
from samtale.testing.queries import Page, assert_same_queries


def _rows(org: Org, persona: str = "leader", today=None):  # type: ignore[no-untyped-def]
    person = getattr(org, persona)
    return {
        row.conversation.employee.name: row
        for team_round in team_conversations(leader=person, today=today)
        for row in team_round.conversations
    }


def test_the_leader_sees_each_direct_reports_conversation(org: Org, mus: Mus) -> None:
    rows = _rows(org)
    assert set(rows) == {org.employee.name, org.colleague.name, org.union_rep.name, org.daily_leader.name}
    page = org.client("leader").get(reverse("dashboards:team"))
    text = page.content.decode()
    assert mus.round.name in text
    assert reverse("conversations:detail", args=[mus.conversation.uuid]) in text
    # The lists of reports stay below the conversations.
    assert text.index(mus.round.name) < text.index('id="reports-heading"')


def test_the_former_leader_and_the_chain_see_none_of_them(org: Org, mus: Mus) -> None:
    assert _rows(org, "former_leader") == {}
    assert set(_rows(org, "head")) == {org.leader.name, org.former_leader.name}  # the head's own reports
    text = org.client("former_leader").get(reverse("dashboards:team")).content.decode()
    assert reverse("conversations:detail", args=[mus.conversation.uuid]) not in text


def test_an_unshared_preparation_shows_nothing_and_a_shared_one_shows(org: Org, mus: Mus) -> None:
    client = org.client("leader")
    before = client.get(reverse("dashboards:team")).content.decode()
    employee = viewer_for(org.user("employee"))
    meeting.employee_preparation_save(viewer=employee, conversation=mus.conversation, answers={"experience": "Noget"})
    unshared = client.get(reverse("dashboards:team")).content.decode()
    strip = __import__("re").compile(r"hx-headers='[^']*'|nonce=\"[^\"]*\"|value=\"[^\"]{40,}\"")
    assert strip.sub("", before) == strip.sub("", unshared)
    assert not _rows(org)[org.employee.name].preparation_shared
    meeting.employee_preparation_share(viewer=employee, conversation=mus.conversation, recipient="leader", share=True)
    assert _rows(org)[org.employee.name].preparation_shared
    shared = client.get(reverse("dashboards:team")).content.decode()
    assert reverse("conversations:preparation", args=[mus.conversation.uuid]) in shared


def test_not_scheduled_with_less_than_fourteen_days_left_is_flagged(org: Org, mus: Mus) -> None:
    held_by = mus.round.held_by
    assert not _rows(org, today=held_by - timedelta(days=14))[org.employee.name].needs_scheduling
    row = _rows(org, today=held_by - timedelta(days=13))[org.employee.name]
    assert row.needs_scheduling and not row.overdue
    mus.conversation.starts_at = timezone.now() + timedelta(days=5)
    mus.conversation.status = ConversationStatus.SCHEDULED
    mus.conversation.save(update_fields=["starts_at", "status"])
    assert not _rows(org, today=held_by - timedelta(days=13))[org.employee.name].needs_scheduling


def test_not_held_after_the_deadline_is_overdue_and_held_or_not_held_is_not(org: Org, mus: Mus) -> None:
    after = mus.round.held_by + timedelta(days=1)
    assert not _rows(org, today=mus.round.held_by)[org.employee.name].overdue
    row = _rows(org, today=after)[org.employee.name]
    assert row.overdue and not row.needs_scheduling
    leader = viewer_for(org.user("leader"))
    meeting.conversation_mark_held(viewer=leader, conversation=mus.conversation, held_on=timezone.localdate())
    meeting.conversation_mark_not_held(viewer=leader, conversation=mus.colleague_conversation, reason="left")
    rows = _rows(org, today=after)
    assert not rows[org.employee.name].overdue
    assert not rows[org.colleague.name].overdue
    assert rows[org.union_rep.name].overdue


def test_the_page_shows_status_time_held_on_and_flags(org: Org, mus: Mus) -> None:
    org.leader.user.language = "en"
    org.leader.user.save(update_fields=["language"])
    Round.objects.filter(pk=mus.round.pk).update(
        opens_on=timezone.localdate() - timedelta(days=60), held_by=timezone.localdate() - timedelta(days=1)
    )
    meeting.conversation_mark_held(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=timezone.localdate()
    )
    text = org.client("leader").get(reverse("dashboards:team")).content.decode()
    assert "Not held by the deadline" in text
    assert timezone.localdate().strftime("%Y") in text


def test_only_launched_rounds_and_current_reports_show(org: Org, mus: Mus) -> None:
    later = build_round(org, name="MUS-2028")
    Round.objects.filter(pk=later.round.pk).update(status=RoundStatus.CLOSED)
    org.colleague.end_date = timezone.localdate() - timedelta(days=1)
    org.colleague.save(update_fields=["end_date"])
    rounds = team_conversations(leader=org.leader)
    assert [r.round.pk for r in rounds] == [mus.round.pk]
    assert org.colleague.name not in {row.conversation.employee.name for row in rounds[0].conversations}


@pytest.mark.parametrize("rounds", [1, 2])
def test_the_team_page_makes_the_same_number_of_queries_for_a_bigger_team(org: Org, mus: Mus, rounds: int) -> None:
    if rounds == 2:
        build_round(org, name="MUS-2028")

    def grow() -> None:
        employee = viewer_for(org.user("employee"))
        meeting.employee_preparation_save(viewer=employee, conversation=mus.conversation, answers={"experience": "x"})
        meeting.employee_preparation_share(
            viewer=employee, conversation=mus.conversation, recipient="leader", share=True
        )
        new_people = [make_person(f"Ny {index}", unit=org.payroll, leader=org.leader) for index in range(20)]
        for round_ in Round.objects.all():
            for person in new_people:
                Conversation.objects.create(round=round_, employee=person)

    team = Page(org.client("leader"), reverse("dashboards:team"), name="the team page")
    assert_same_queries(grow, team, sizes=("a small team", "a larger one"))
