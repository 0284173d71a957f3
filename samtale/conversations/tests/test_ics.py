"""The conversation's calendar file (docs/domain.md § Invitation and reminders): METHOD:REQUEST with
one UID per conversation, a SEQUENCE that grows with every change, METHOD:CANCEL for a
cancellation, the leader as organizer, everyone invited as attendees; downloadable by everyone who
may see the conversation while it has a booked time to come or held (the page links it exactly
then), and parsed back here with the icalendar library. How any calendar file is written
(Europe/Copenhagen with its VTIMEZONE, CRLF, folding) is tested with it, in
samtale/lib/tests/test_meetings_calendar.py."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from samtale.conversations.models import Conversation, DailyLeaderStatus, NotHeldReason, UnionRepStatus
from samtale.conversations.services import meeting, scheduling, topics
from samtale.conversations.services.notice import improvement_notice_give
from samtale.testing import Mus, Org
from samtale.testing.scheduling import fetch, local, schedule, viewer

# The conversation's file -------------------------------------------------------------------------------


def download(org: Org, persona: str, conversation: Conversation):  # type: ignore[no-untyped-def]
    return org.client(persona).get(reverse("conversations:ics", args=[conversation.uuid]))


def test_the_download_is_the_invitation_with_a_stable_uid_and_a_growing_sequence(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, hour=10)
    first = download(org, "employee", mus.conversation)
    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/calendar")
    assert "attachment" in first["Content-Disposition"] and ".ics" in first["Content-Disposition"]
    one = Calendar.from_ical(first.content)
    schedule(org, mus.conversation, hour=13)
    two = Calendar.from_ical(download(org, "employee", mus.conversation).content)
    assert one["METHOD"] == two["METHOD"] == "REQUEST"
    assert one.events[0]["UID"] == two.events[0]["UID"] == f"{mus.conversation.uuid}@samtale"
    assert int(two.events[0]["SEQUENCE"]) == int(one.events[0]["SEQUENCE"]) + 1
    assert two.events[0].start == local(hour=13)
    assert str(two.events[0]["ORGANIZER"]) == f"mailto:{org.leader.email}"
    assert str(two.events[0]["ATTENDEE"]) == f"mailto:{org.employee.email}"
    assert two.events[0]["URL"].endswith(reverse("conversations:detail", args=[mus.conversation.uuid]))


def test_the_download_names_the_invited_attendees(org: Org, mus: Mus) -> None:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        daily_leader=org.daily_leader,
        daily_leader_status=DailyLeaderStatus.AGREED,
        union_rep=org.union_rep,
        union_rep_status=UnionRepStatus.SUMMONED,
    )
    schedule(org, mus.conversation)
    calendar = Calendar.from_ical(download(org, "union_rep", mus.conversation).content)
    attendees = sorted(str(a) for a in calendar.events[0]["ATTENDEE"])
    assert attendees == sorted(f"mailto:{p.email}" for p in (org.employee, org.daily_leader, org.union_rep))


@pytest.mark.parametrize("persona", ["employee", "leader", "head", "director"])
def test_everyone_who_may_see_the_conversation_downloads_it(org: Org, mus: Mus, persona: str) -> None:
    schedule(org, mus.conversation)
    assert download(org, persona, mus.conversation).status_code == 200


@pytest.mark.parametrize(
    "persona", ["daily_leader", "union_rep", "former_leader", "hr", "colleague", "outsider", "admin"]
)
def test_nobody_else_can(org: Org, mus: Mus, persona: str) -> None:
    schedule(org, mus.conversation)
    assert download(org, persona, mus.conversation).status_code == 404


def test_there_is_no_file_before_a_time_is_set_or_after_a_cancellation(org: Org, mus: Mus) -> None:
    assert download(org, "employee", mus.conversation).status_code == 404
    conversation = schedule(org, mus.conversation)
    scheduling.conversation_cancel(viewer=viewer(org, "leader"), conversation=fetch(org, "leader", conversation))
    assert download(org, "employee", mus.conversation).status_code == 404


def test_the_file_carries_the_agenda_and_no_confidential_text(org: Org, mus: Mus) -> None:
    conversation = schedule(org, mus.conversation)
    topics.special_topic_raise(
        viewer=viewer(org, "employee"), conversation=fetch(org, "employee", conversation), text="Hemmeligt emne om løn"
    )
    improvement_notice_give(
        viewer=viewer(org, "leader"), conversation=fetch(org, "leader", conversation), text="Fortrolig besked"
    )
    text = Calendar.from_ical(download(org, "employee", mus.conversation).content).events[0]["DESCRIPTION"]
    assert mus.concept.phases.first().heading in text
    assert "Hemmeligt" not in text and "Fortrolig" not in text


# The link and the file agree ---------------------------------------------------------------------------


def _page(org: Org, persona: str, conversation: Conversation) -> str:
    return org.client(persona).get(reverse("conversations:detail", args=[conversation.uuid])).content.decode()


def _bring_to(org: Org, conversation: Conversation, state: str) -> None:
    leader = viewer(org, "leader")
    if state in ("scheduled", "held", "not held", "cancelled"):
        schedule(org, conversation, hour=13)
    if state == "cancelled":
        scheduling.conversation_cancel(viewer=leader, conversation=fetch(org, "leader", conversation))
    if state in ("held", "held without a time"):
        meeting.conversation_mark_held(
            viewer=leader, conversation=fetch(org, "leader", conversation), held_on=timezone.localdate()
        )
    if state == "not held":
        meeting.conversation_mark_not_held(
            viewer=leader, conversation=fetch(org, "leader", conversation), reason=NotHeldReason.DECLINED
        )


@pytest.mark.parametrize("persona", ["employee", "leader"])
@pytest.mark.parametrize(
    ("state", "offered"),
    [
        ("to be scheduled", False),
        ("scheduled", True),
        ("held", True),
        ("held without a time", False),
        ("not held", False),
        ("cancelled", False),
    ],
)
def test_the_page_links_the_calendar_file_exactly_when_it_downloads(
    org: Org, mus: Mus, persona: str, state: str, offered: bool
) -> None:
    _bring_to(org, mus.conversation, state)
    link = reverse("conversations:ics", args=[mus.conversation.uuid])
    assert (link in _page(org, persona, mus.conversation)) is offered
    assert download(org, persona, mus.conversation).status_code == (200 if offered else 404)


@pytest.mark.parametrize("persona", ["employee", "leader"])
def test_a_held_conversations_file_shows_the_day_it_was_held(org: Org, mus: Mus, persona: str) -> None:
    schedule(org, mus.conversation, days=30, hour=13)
    leader = viewer(org, "leader")
    today = timezone.localdate()
    meeting.conversation_mark_held(viewer=leader, conversation=fetch(org, "leader", mus.conversation), held_on=today)
    (event,) = Calendar.from_ical(download(org, persona, mus.conversation).content).events
    assert event.start == local(days=0, hour=13)
    assert event.start.date() == today
    assert int(event["SEQUENCE"]) == 1
