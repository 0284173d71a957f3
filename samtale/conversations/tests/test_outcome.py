"""The outcome: the leader marks the conversation held, which starts the plan's clock, or not held
with a reason; audited, and correctable until a plan exists
(docs/domain.md § The meeting and its outcome). Held on another day than booked, the booked time
moves to that day and everyone invited gets the calendar update; every page then shows the day it
was held. The form offers each answer with its own fields."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from samtale.access import lookups
from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation, ConversationStatus, DailyLeaderStatus, NotHeldReason
from samtale.conversations.services import meeting
from samtale.lib.formatting import long_date
from samtale.outbox.models import OutboxMessage
from samtale.rounds.models import Round
from samtale.testing import Mus, Org
from samtale.testing.pages import text_of
from samtale.testing.plans import held_plan, save_plan
from samtale.testing.scheduling import calendar_of, english, mails_to, schedule


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


def test_no_correction_once_the_employee_has_started_the_plan(org: Org, mus: Mus) -> None:
    """The rule itself (``outcome_may_be_corrected``), not a stand-in: marked held, the plan is
    there but empty, and the outcome may still be corrected (the form is offered); once the
    employee has saved the plan, it may not, by the services or the page."""
    leader = viewer_for(org.user("leader"))
    plan = held_plan(org, mus)
    assert meeting.outcome_may_be_corrected(mus.conversation)
    assert 'name="outcome"' in org.client("leader").get(_url(mus)).content.decode()
    save_plan(org, plan)
    assert not meeting.outcome_may_be_corrected(mus.conversation)
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


# Held on another day than booked ------------------------------------------------------------------------

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=COPENHAGEN)


def _invitations(conversation: Conversation) -> list[OutboxMessage]:
    return [
        m
        for m in OutboxMessage.objects.filter(kind="conversations.invitation")
        if m.context.get("conversation") == conversation.pk
        and m.context.get("sequence") == conversation.calendar_sequence
    ]


def test_held_on_another_day_than_booked_moves_the_time_there_and_tells_everyone_invited(org: Org, mus: Mus) -> None:
    english(org.employee, org.daily_leader)
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        daily_leader=org.daily_leader, daily_leader_status=DailyLeaderStatus.AGREED
    )
    schedule(org, mus.conversation, days=40, hour=13, minute=30, duration_minutes=45, location="Lokale 7")
    before = _fresh(mus)
    mail.outbox.clear()
    today = timezone.localdate()
    response = org.client("leader").post(_url(mus), {"outcome": "held", "held_on": today.isoformat()})
    assert response.status_code == 302
    conversation = _fresh(mus)
    assert (conversation.status, conversation.held_on) == (ConversationStatus.HELD, today)
    assert timezone.localtime(conversation.starts_at) == _at(today, 13, 30)
    assert (conversation.duration_minutes, conversation.location) == (45, "Lokale 7")
    assert conversation.calendar_sequence == before.calendar_sequence + 1
    # Through the reschedule's path: the outbox, an update to everyone invited, audited.
    updates = _invitations(conversation)
    assert sorted(m.to_email for m in updates) == sorted([org.employee.email, org.daily_leader.email])
    assert all(m.context["update"] and m.context["held_on"] == today.isoformat() for m in updates)
    assert AuditEvent.objects.filter(action="conversations.rescheduled", target_id=str(conversation.uuid)).exists()
    for person in (org.employee, org.daily_leader):
        (message,) = mails_to(person)
        assert "was held on" in message.body and "Questions to help you prepare" not in message.body
        (event,) = calendar_of(message).events
        assert event.start == _at(today, 13, 30)
        assert int(event["SEQUENCE"]) == conversation.calendar_sequence


def test_held_on_the_booked_day_keeps_the_time_and_sends_nothing(org: Org, mus: Mus) -> None:
    today = timezone.localdate()
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.SCHEDULED, starts_at=_at(today, 23, 30), invitation_sent_at=timezone.now()
    )
    meeting.conversation_mark_held(viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=today)
    conversation = _fresh(mus)
    assert conversation.status == ConversationStatus.HELD
    assert (conversation.starts_at, conversation.calendar_sequence) == (_at(today, 23, 30), 0)
    assert not OutboxMessage.objects.filter(kind="conversations.invitation").exists()


# (the clock, the booked time, the day it was held, the moved time) on the days that catch mistakes: the
# year's end, both nights the clocks change (an hour that happens twice, an hour that does not happen),
# a weekend.
CLOCK_CASES = [
    ("year end", _at(date(2027, 1, 1), 9), _at(date(2027, 1, 4), 13), date(2026, 12, 31), _at(date(2026, 12, 31), 13)),
    (
        "into summer time",
        _at(date(2027, 3, 29), 9),
        _at(date(2027, 3, 26), 10),
        date(2027, 3, 28),
        _at(date(2027, 3, 28), 10),
    ),
    (
        "an hour that happens twice",
        _at(date(2027, 11, 1), 9),
        _at(date(2027, 11, 3), 2, 30),
        date(2027, 10, 31),
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),  # the first 02:30 (summer time)
    ),
    (
        "an hour that does not happen",
        _at(date(2027, 3, 29), 9),
        _at(date(2027, 3, 30), 2, 30),
        date(2027, 3, 28),
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),  # 02:30 winter time, which the clocks call 03:30
    ),
    ("a Saturday", _at(date(2027, 6, 7), 8), _at(date(2027, 6, 7), 14), date(2027, 6, 5), _at(date(2027, 6, 5), 14)),
]


@pytest.mark.parametrize(
    ("now", "booked", "held_on", "moved"), [c[1:] for c in CLOCK_CASES], ids=[c[0] for c in CLOCK_CASES]
)
def test_the_time_moves_to_the_day_held_on_any_day_of_the_year(
    org: Org, mus: Mus, now: datetime, booked: datetime, held_on: date, moved: datetime
) -> None:
    with time_machine.travel(now, tick=False):
        Round.objects.filter(pk=mus.round.pk).update(
            opens_on=now.date() - timedelta(days=60), held_by=now.date() + timedelta(days=60)
        )
        Conversation.objects.filter(pk=mus.conversation.pk).update(
            status=ConversationStatus.SCHEDULED, starts_at=booked, duration_minutes=90, invitation_sent_at=now
        )
        leader = viewer_for(org.user("leader"))
        conversation = lookups.conversation_for_viewer(leader, mus.conversation.uuid)
        meeting.conversation_mark_held(viewer=leader, conversation=conversation, held_on=held_on)
        conversation = _fresh(mus)
        assert conversation.starts_at == moved
        assert timezone.localtime(conversation.starts_at).date() == held_on
        assert conversation.ends_at - conversation.starts_at == timedelta(minutes=90)
        assert conversation.calendar_sequence == 1
        (update,) = _invitations(conversation)
        assert update.to_email == org.employee.email
        assert datetime.fromisoformat(update.context["starts_at"]) == moved


@pytest.mark.parametrize(
    ("booked", "suggested"),
    [
        (None, "today"),
        (timedelta(days=-1, hours=23), "booked"),  # 23:30 yesterday, at 00:30 on New Year's Day
        (timedelta(hours=1), "booked"),  # later today: today is the booked day
        (timedelta(days=30), "today"),  # months ahead: not a day in the future
    ],
)
def test_the_form_suggests_the_booked_day_once_it_has_come_else_today(
    org: Org, mus: Mus, booked: timedelta | None, suggested: str
) -> None:
    now = _at(date(2027, 1, 1), 0, 30)
    with time_machine.travel(now, tick=False):
        starts_at = now + booked if booked is not None else None
        Conversation.objects.filter(pk=mus.conversation.pk).update(
            status=ConversationStatus.SCHEDULED if starts_at else ConversationStatus.INVITED, starts_at=starts_at
        )
        page = org.client("leader").get(_url(mus))
        expected = timezone.localtime(starts_at).date() if suggested == "booked" else now.date()
        assert page.context["form"].initial["held_on"] == expected


def test_the_start_page_and_the_conversation_page_show_the_day_it_was_held(org: Org, mus: Mus) -> None:
    english(org.employee, org.leader)
    schedule(org, mus.conversation, days=40, hour=13)
    booked = timezone.localtime(_fresh(mus).starts_at)
    today = timezone.localdate()
    org.client("leader").post(_url(mus), {"outcome": "held", "held_on": today.isoformat()})
    with translation.override("en"):
        stale = long_date(booked, weekday=True)
        held = f"Held {long_date(today)}"
    home = text_of(org.client("employee").get(reverse("dashboards:home")).content.decode())
    assert held in home and stale not in home
    for persona in ("employee", "leader"):
        page = text_of(org.client(persona).get(_url(mus, "detail")).content.decode())
        assert held in page and stale not in page


def test_a_conversation_held_without_a_booked_time_does_not_ask_for_one(org: Org, mus: Mus) -> None:
    english(org.employee, org.leader)
    meeting.conversation_mark_held(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=timezone.localdate()
    )
    for persona in ("employee", "leader"):
        page = org.client(persona).get(_url(mus, "detail")).content.decode()
        assert "No time was booked in Samtale." in page
        assert "No time is set yet" not in page


# The form: each answer with its own fields ---------------------------------------------------------------


def _forms(page: str) -> dict[str, str]:
    """The outcome page's forms, by the answer their button sends."""
    forms = re.findall(r"<form\b.*?</form>", page, re.DOTALL)
    return {
        answer: form for form in forms for answer in ("held", "not_held") if f'name="outcome" value="{answer}"' in form
    }


def test_each_answer_is_its_own_form_with_only_its_own_fields(org: Org, mus: Mus) -> None:
    english(org.leader)
    page = org.client("leader").get(_url(mus)).content.decode()
    forms = _forms(page)
    assert set(forms) == {"held", "not_held"}
    assert 'name="held_on"' in forms["held"]
    assert 'name="reason"' not in forms["held"] and 'name="note"' not in forms["held"]
    assert 'name="reason"' in forms["not_held"] and 'name="note"' in forms["not_held"]
    assert 'name="held_on"' not in forms["not_held"]
    # "Not held" is folded away (a native <details>) until it is the answer recorded or sent.
    assert re.search(r'<details class="panel">\s*<summary>No, it will not be held</summary>', page)
    meeting.conversation_mark_not_held(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, reason=NotHeldReason.DECLINED
    )
    unfolded = re.compile(r'<details class="panel" open>\s*<summary>No, it will not be held</summary>')
    assert unfolded.search(org.client("leader").get(_url(mus)).content.decode())
    response = org.client("leader").post(_url(mus), {"outcome": "not_held", "reason": ""})
    assert unfolded.search(response.content.decode())


@pytest.mark.parametrize("extra", [{"reason": "declined"}, {"note": "Syg"}, {"reason": "other", "note": "Syg"}])
def test_a_reason_sent_with_the_answer_held_is_refused(org: Org, mus: Mus, extra: dict[str, str]) -> None:
    english(org.leader)
    data = {"outcome": "held", "held_on": timezone.localdate().isoformat(), **extra}
    response = org.client("leader").post(_url(mus), data)
    assert response.status_code == 400
    assert "has no reason why not" in response.content.decode()
    assert _fresh(mus).status == ConversationStatus.INVITED


def test_a_date_sent_with_the_answer_not_held_is_refused(org: Org, mus: Mus) -> None:
    data = {"outcome": "not_held", "reason": "declined", "held_on": timezone.localdate().isoformat()}
    response = org.client("leader").post(_url(mus), data)
    assert response.status_code == 400
    assert _fresh(mus).status == ConversationStatus.INVITED


def test_marked_not_held_before_its_time_it_leaves_everyones_calendar(org: Org, mus: Mus) -> None:
    english(org.employee, org.daily_leader)
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        daily_leader=org.daily_leader, daily_leader_status=DailyLeaderStatus.AGREED
    )
    schedule(org, mus.conversation, days=40, hour=10, minute=0)
    before = _fresh(mus)
    mail.outbox.clear()
    meeting.conversation_mark_not_held(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, reason=NotHeldReason.LONG_LEAVE
    )
    conversation = _fresh(mus)
    assert conversation.calendar_sequence == before.calendar_sequence + 1
    assert conversation.starts_at == before.starts_at  # the booked time stays on record
    for person in (org.employee, org.daily_leader):
        (message,) = mails_to(person)
        assert "will not be held" in message.body and "new invitation" not in message.body
        calendar = calendar_of(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        (event,) = calendar.events
        assert int(event["SEQUENCE"]) == conversation.calendar_sequence


def test_marked_not_held_after_its_time_sends_no_cancellation(org: Org, mus: Mus) -> None:
    yesterday = timezone.now() - timedelta(days=1)
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.SCHEDULED, starts_at=yesterday, invitation_sent_at=yesterday - timedelta(days=9)
    )
    mail.outbox.clear()
    meeting.conversation_mark_not_held(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, reason=NotHeldReason.DECLINED
    )
    assert not OutboxMessage.objects.filter(kind="conversations.invitation_cancel").exists()
