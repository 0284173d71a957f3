"""Laying out slots for the team (docs/domain.md § Invitation and reminders: "one at a time or by
laying out slots for the team"): a day, the first start, how many, how long, the break and the
place; then a select per person assigns the team's unscheduled conversations in one go, all
validated as one conversation is, every assignment with its invitation. Plain forms: it works
without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation, ConversationStatus
from samtale.outbox.models import OutboxMessage
from samtale.testing import Mus, Org
from samtale.testing.scheduling import calendar_of, english, layout, local, mails_to, schedule


@pytest.fixture(autouse=True)
def _quiet(mus: Mus) -> None:
    mail.outbox.clear()


def url(mus: Mus) -> str:
    return reverse("conversations:slots", args=[mus.round.uuid])


def field(conversation: Conversation) -> str:
    return f"slot-{conversation.uuid}"


def test_the_leader_sees_the_team_to_schedule_and_the_slots_of_the_day(org: Org, mus: Mus) -> None:
    client = org.client("leader")
    page = client.get(url(mus))
    assert page.status_code == 200
    names = [c.employee.name for c in page.context["unscheduled"]]
    assert names == sorted([org.employee.name, org.colleague.name, org.union_rep.name, org.daily_leader.name])
    assert page.context["assign"] is None
    page = client.get(url(mus), layout())
    assert page.status_code == 200
    slots = page.context["assign"].slots
    assert [s.label for s in slots] == ["09:00–10:00", "10:15–11:15", "11:30–12:30"]
    assert all(s.free for s in slots)
    content = page.content.decode()
    # A select per person, labelled with their name.
    assert content.count("<select") == 4
    assert f'name="{field(mus.conversation)}"' in content


def test_two_people_get_their_slots_and_invitations_in_one_go(org: Org, mus: Mus) -> None:
    response = org.client("leader").post(
        url(mus), layout() | {field(mus.conversation): "0", field(mus.colleague_conversation): "2"}
    )
    assert response.status_code == 302
    employee = Conversation.objects.get(pk=mus.conversation.pk)
    colleague = Conversation.objects.get(pk=mus.colleague_conversation.pk)
    assert employee.status == colleague.status == ConversationStatus.SCHEDULED
    assert employee.starts_at == local(hour=9)
    assert colleague.starts_at == local(hour=11, minute=30)
    assert employee.location == colleague.location == "Mødelokale 3"
    assert employee.duration_minutes == 60
    assert calendar_of(mails_to(org.employee)[0]).events[0].start == local(hour=9)
    assert calendar_of(mails_to(org.colleague)[0]).events[0].start == local(hour=11, minute=30)
    assert mails_to(org.union_rep) == [] and mails_to(org.daily_leader) == []
    # The others are still to be scheduled, the two are listed as scheduled.
    page = org.client("leader").get(url(mus))
    assert len(page.context["unscheduled"]) == 2 and len(page.context["scheduled"]) == 2


def test_the_form_posted_twice_sends_once_and_says_so(org: Org, mus: Mus) -> None:
    english(org.leader)
    client = org.client("leader")
    data = layout() | {field(mus.conversation): "0", field(mus.colleague_conversation): "1"}
    assert client.post(url(mus), data).status_code == 302
    again = client.post(url(mus), data)
    assert again.status_code == 400
    assert "already been scheduled" in again.content.decode()
    assert OutboxMessage.objects.filter(kind="conversations.invitation").count() == 2


def test_one_slot_for_two_people_is_refused_and_nothing_is_scheduled(org: Org, mus: Mus) -> None:
    english(org.leader)
    response = org.client("leader").post(
        url(mus), layout() | {field(mus.conversation): "1", field(mus.colleague_conversation): "1"}
    )
    assert response.status_code == 400
    assert "already chosen for" in response.content.decode()
    assert not Conversation.objects.filter(status=ConversationStatus.SCHEDULED).exists()
    assert mail.outbox == []


def test_nobody_chosen_is_a_clear_message(org: Org, mus: Mus) -> None:
    english(org.leader)
    response = org.client("leader").post(url(mus), layout())
    assert response.status_code == 400
    assert "Choose a time for at least one person" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field_name"),
    [
        ({"date": -1}, "date"),  # days from today, worked out when the test runs (not when collected)
        ({"date": 91}, "date"),
        ({"duration_minutes": "10"}, "duration_minutes"),
        ({"duration_minutes": "300"}, "duration_minutes"),
        ({"count": "0"}, "count"),
        ({"count": "31"}, "count"),
        ({"first_start": "22:00", "count": "3"}, "count"),
        ({"break_minutes": "-5"}, "break_minutes"),
        ({"location": "", "online_url": ""}, "location"),
        ({"online_url": "ftp://files.example/x"}, "online_url"),
    ],
)
def test_a_bad_layout_is_refused_at_its_field(org: Org, mus: Mus, change: dict[str, Any], field_name: str) -> None:
    if "date" in change:
        change = {"date": (timezone.localdate() + timedelta(days=change["date"])).isoformat()}
    response = org.client("leader").get(url(mus), layout(**change))
    assert response.status_code == 400
    assert field_name in response.context["layout"].errors
    response = org.client("leader").post(url(mus), layout(**change) | {field(mus.conversation): "0"})
    assert response.status_code == 400
    assert not Conversation.objects.filter(status=ConversationStatus.SCHEDULED).exists()


def test_a_slot_that_clashes_or_has_passed_is_not_offered_and_cannot_be_forced(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, hour=10)  # 10:00–11:00 clashes with the second slot
    colleague = mus.colleague_conversation
    page = org.client("leader").get(url(mus), layout())
    free = [s.free for s in page.context["assign"].slots]
    assert free == [True, False, True]
    assert org.employee.name in " ".join(page.context["assign"].slots[1].problems)
    response = org.client("leader").post(url(mus), layout() | {field(colleague): "1"})
    assert response.status_code == 400
    assert Conversation.objects.get(pk=colleague.pk).status == ConversationStatus.INVITED


def test_todays_slots_that_have_passed_are_not_offered(org: Org, mus: Mus) -> None:
    today = timezone.localdate().isoformat()
    # Today may be a Saturday or a Sunday: confirmed, as a leader booking a weekend day would.
    page = org.client("leader").get(
        url(mus), layout(date=today, first_start="00:00", count="1", weekend_confirmed="on")
    )
    assert page.status_code == 200
    assert page.context["assign"].slots[0].free is False


def test_another_leader_sees_only_their_own_team_and_cannot_schedule_ours(org: Org, mus: Mus) -> None:
    page = org.client("head").get(url(mus))
    assert page.status_code == 200
    assert {c.employee.name for c in page.context["unscheduled"]} == {org.leader.name, org.former_leader.name}
    response = org.client("head").post(url(mus), layout() | {field(mus.conversation): "0"})
    assert response.status_code == 400
    assert Conversation.objects.get(pk=mus.conversation.pk).status == ConversationStatus.INVITED


@pytest.mark.parametrize("persona", ["employee", "colleague", "union_rep", "daily_leader", "hr", "outsider", "admin"])
def test_people_without_a_team_in_the_round_get_404(org: Org, mus: Mus, persona: str) -> None:
    assert org.client(persona).get(url(mus)).status_code == 404
    assert org.client(persona).post(url(mus), layout() | {field(mus.conversation): "0"}).status_code == 404


def test_the_team_page_link_goes_to_the_newest_round(org: Org, mus: Mus) -> None:
    response = org.client("leader").get(reverse("conversations:slots_latest"))
    assert response.status_code == 302 and response["Location"] == url(mus)
    assert org.client("employee").get(reverse("conversations:slots_latest")).status_code == 404


def test_a_round_that_does_not_exist_is_404(org: Org, mus: Mus) -> None:
    missing = reverse("conversations:slots", args=["00000000-0000-0000-0000-000000000000"])
    assert org.client("leader").get(missing).status_code == 404
