"""The conversation's time and place, and the invitation that carries it (docs/domain.md § Before
the conversation, step 3; § Invitation and reminders): the leader sets time and place, one
conversation at a time or by laying out slots for the team; the invitation, its updates and its
cancellation go to everyone invited. Special topics (``topics``), the "must improve" notice
(``notice``) and who attends beside the two (``attendees``) have modules of their own; what they
all share is in ``_shared``. The rules every booking keeps, the MUS's and the follow-up's alike,
are in ``samtale.lib.meetings``; the round's held-by date and a clash with the leader's other
conversations are added here.

Calendar: the invitation keeps one UID for the conversation's life. ``calendar_sequence`` grows
with every change that calendars must learn of (a new time or place, a cancellation, an
attendee taken off), so each update replaces the entry the recipient already has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation, ConversationStatus, DailyLeaderStatus, UnionRepStatus
from samtale.conversations.services._shared import before_the_conversation, draft, lock
from samtale.conversations.signals import conversations_changed
from samtale.lib.meetings.time_and_place import (
    MAX_DURATION,
    LastDay,
    TimeAndPlace,
    booking_snapshot,
    time_and_place_errors,
)
from samtale.org.models import Person
from samtale.outbox.services import Draft, outbox_enqueue_many
from samtale.rounds.models import Round


def ics_uid(conversation: Conversation) -> str:
    """One calendar UID for the conversation's whole life: updates replace, never add."""
    return f"{conversation.uuid}@samtale"


def conversation_attendees(conversation: Conversation) -> list[Person]:
    """Who is invited: the employee, and the daily leader and union representative once they are
    (agreed to / summoned). ``employee``, ``daily_leader`` and ``union_rep`` should be loaded."""
    people = [conversation.employee]
    if conversation.daily_leader_status == DailyLeaderStatus.AGREED and conversation.daily_leader is not None:
        people.append(conversation.daily_leader)
    if conversation.union_rep_status == UnionRepStatus.SUMMONED and conversation.union_rep is not None:
        people.append(conversation.union_rep)
    return people


# Time and place -----------------------------------------------------------------------------------


def round_last_day(round_: Round) -> LastDay:
    """ "Not after the round's held-by date" (docs/domain.md § Invitation and reminders)."""
    return LastDay(
        round_.held_by,
        _("The round's conversations must be held by %(date)s.")
        % {"date": formats.date_format(round_.held_by, "DATE_FORMAT")},
    )


def _time_errors(
    round_: Round, conversation_id: int | None, when: TimeAndPlace, *, now: datetime, others: Iterable[Conversation]
) -> dict[str, list[str]]:
    """What is wrong with holding the conversation ``when``, by form field: the rules of every
    booking, the round's held-by date, and a clash with ``others``, the leader's other scheduled
    conversations."""
    errors = time_and_place_errors(when, now=now, last_day=round_last_day(round_))
    for other in others:
        if other.pk == conversation_id or other.starts_at is None or other.ends_at is None:
            continue
        if other.starts_at < when.ends_at and when.starts_at < other.ends_at:
            errors.setdefault("time", []).append(
                _("You already have a conversation with %(name)s from %(start)s to %(end)s.")
                % {
                    "name": other.employee.name,
                    "start": formats.time_format(timezone.localtime(other.starts_at), "H:i"),
                    "end": formats.time_format(timezone.localtime(other.ends_at), "H:i"),
                },
            )
    return errors


def _leaders_other_conversations(leader_id: int | None, first: datetime, last_end: datetime) -> list[Conversation]:
    """The leader's scheduled conversations that could overlap [first, last_end)."""
    if leader_id is None:
        return []
    return list(
        Conversation.objects.filter(
            employee__personnel_leader_id=leader_id,
            status=ConversationStatus.SCHEDULED,
            starts_at__lt=last_end,
            starts_at__gt=first - timedelta(minutes=MAX_DURATION),
        ).select_related("employee")
    )


def schedule_errors(
    conversation: Conversation, when: TimeAndPlace, *, now: datetime | None = None
) -> dict[str, list[str]]:
    """The validation of one time and place, for forms that want to show it before saving."""
    now = now or timezone.now()
    when = when.normalised()
    others = _leaders_other_conversations(conversation.employee.personnel_leader_id, when.starts_at, when.ends_at)
    return _time_errors(conversation.round, conversation.pk, when, now=now, others=others)


def slot_errors(*, round_: Round, leader_id: int | None, slots: list[TimeAndPlace]) -> list[list[str]]:
    """For each slot the leader lays out, what keeps it from being used (passed, after the
    round's deadline, a clash with a conversation already scheduled), in one query."""
    if not slots:
        return []
    now = timezone.now()
    slots = [slot.normalised() for slot in slots]
    others = _leaders_other_conversations(leader_id, slots[0].starts_at, max(slot.ends_at for slot in slots))
    return [
        [
            message
            for messages in _time_errors(round_, None, slot, now=now, others=others).values()
            for message in messages
        ]
        for slot in slots
    ]


def _apply(
    viewer: Viewer, conversation: Conversation, when: TimeAndPlace, *, now: datetime, held_on: date | None = None
) -> list[Draft]:
    """Write the new time and place and return the invitations (or updates) to send; ``held_on``
    when the time moves to the day the conversation was held (the e-mail says so)."""
    rescheduled = when.write_to(conversation, now=now, scheduled=ConversationStatus.SCHEDULED)
    audit_record(
        actor=viewer.user,
        action="conversations.rescheduled" if rescheduled else "conversations.scheduled",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"starts_at": when.starts_at.isoformat(), "sequence": conversation.calendar_sequence},
    )
    return [
        invitation_draft(conversation, person, organizer=viewer.person, update=rescheduled, held_on=held_on)
        for person in conversation_attendees(conversation)
    ]


@transaction.atomic
def conversation_schedule(*, viewer: Viewer, conversation: Conversation, when: TimeAndPlace) -> bool:
    """Set or change the conversation's time and place, and send the invitation (or its update)
    to everyone invited. Returns False when nothing changed (nothing is sent then)."""
    require_write(round_policies.may_schedule(viewer, conversation))
    now = timezone.now()
    lock(conversation)
    before_the_conversation(conversation)
    when = when.normalised()
    if when.same_as(conversation, scheduled=ConversationStatus.SCHEDULED):
        return False
    errors = schedule_errors(conversation, when, now=now)
    if errors:
        raise ValidationError(errors)
    outbox_enqueue_many(messages=_apply(viewer, conversation, when, now=now))
    conversations_changed.send(sender=Conversation, conversation_ids=[conversation.pk])
    return True


@dataclass
class SlotsResult:
    scheduled: list[Conversation]
    already: list[Conversation]


@transaction.atomic
def conversations_schedule_slots(
    *,
    viewer: Viewer,
    assignments: list[tuple[Conversation, datetime]],
    duration_minutes: int,
    location: str,
    online_url: str,
) -> SlotsResult:
    """Schedule several of the leader's conversations in one go, all or nothing: each gets the
    time of its slot and the same length and place, and its invitation. A conversation already
    scheduled at exactly that time (the form posted twice) is left alone.

    Errors are keyed by the conversation's UUID."""
    for conversation, _start in assignments:
        require_write(round_policies.may_schedule(viewer, conversation))
    if not assignments:
        raise ValidationError({NON_FIELD_ERRORS: [_("Choose a time for at least one person.")]})
    now = timezone.now()
    plans = []
    for conversation, start in sorted(assignments, key=lambda a: a[0].pk):
        lock(conversation)
        plans.append((conversation, TimeAndPlace(start, duration_minutes, location, online_url).normalised()))
    starts = [when.starts_at for _c, when in plans]
    others = _leaders_other_conversations(viewer.person_id, min(starts), max(when.ends_at for _c, when in plans))
    errors: dict[str, list[str]] = {}
    result = SlotsResult(scheduled=[], already=[])
    todo = []
    for conversation, when in plans:
        if when.same_as(conversation, scheduled=ConversationStatus.SCHEDULED):
            result.already.append(conversation)
            continue
        problems: list[str] = []
        if conversation.status != ConversationStatus.INVITED:
            problems.append(
                _("%(name)s's conversation has already been scheduled.") % {"name": conversation.employee.name}
            )
        else:
            try:
                before_the_conversation(conversation)
            except ValidationError as error:
                problems.extend(error.messages)
            batch = [c for c, w in plans if c.pk != conversation.pk and w.overlaps(when)]
            for other in batch:
                problems.append(_("The same time is chosen for %(name)s.") % {"name": other.employee.name})
            for messages in _time_errors(conversation.round, conversation.pk, when, now=now, others=others).values():
                problems.extend(messages)
        if problems:
            errors[str(conversation.uuid)] = problems
        else:
            todo.append((conversation, when))
    if errors:
        raise ValidationError(errors)
    drafts: list[Draft] = []
    for conversation, when in todo:
        drafts += _apply(viewer, conversation, when, now=now)
        result.scheduled.append(conversation)
    outbox_enqueue_many(messages=drafts)
    conversations_changed.send(sender=Conversation, conversation_ids=[c.pk for c in result.scheduled])
    return result


def held_day_time(conversation: Conversation, held_on: date) -> TimeAndPlace | None:
    """The booked time moved to the day the conversation was held: the same hour of the day, the
    same length and place. None when no time was booked or it was held on the booked day."""
    booked = TimeAndPlace.of(conversation)
    if booked is None or timezone.localtime(booked.starts_at).date() == held_on:
        return None
    return booked.on_day(held_on)


@transaction.atomic
def conversation_withdraw_from_calendars(*, viewer: Viewer, conversation: Conversation) -> bool:
    """A conversation marked not held before its booked time: it is taken off the calendar of
    everyone invited (METHOD:CANCEL) and they are told it will not be held. The booked time stays
    on record. Called by the outcome, under its row lock; returns whether anything was sent."""
    require_write(round_policies.may_record_outcome(viewer, conversation))
    if (
        conversation.status != ConversationStatus.SCHEDULED
        or conversation.starts_at is None
        or conversation.starts_at < timezone.now()
    ):
        return False
    snapshot = booking_snapshot(conversation)
    conversation.calendar_sequence += 1
    conversation.save(update_fields=["calendar_sequence"])
    outbox_enqueue_many(
        messages=[
            cancel_draft(conversation, person, snapshot=snapshot, organizer=viewer.person, not_held=True)
            for person in conversation_attendees(conversation)
        ]
    )
    return True


def conversation_move_to_held_day(*, viewer: Viewer, conversation: Conversation, held_on: date) -> bool:
    """A conversation held on another day than booked: its time moves to that day, so that every
    page and every calendar shows when it took place. Everyone invited gets the calendar update,
    exactly as for a new time (the outbox, the SEQUENCE raised). Called by the outcome, under its
    row lock, before the conversation is marked held. Returns whether the time moved."""
    require_write(round_policies.may_record_outcome(viewer, conversation))
    moved = held_day_time(conversation, held_on)
    if moved is None:
        return False
    outbox_enqueue_many(messages=_apply(viewer, conversation, moved, now=timezone.now(), held_on=held_on))
    return True


@transaction.atomic
def conversation_cancel(*, viewer: Viewer, conversation: Conversation) -> bool:
    """Take the time off the calendar: everyone invited gets a cancellation (METHOD:CANCEL) and
    the conversation is to be scheduled again. Place and length stay as the next proposal."""
    require_write(round_policies.may_schedule(viewer, conversation))
    lock(conversation)
    before_the_conversation(conversation)
    if conversation.status != ConversationStatus.SCHEDULED or conversation.starts_at is None:
        return False
    snapshot = booking_snapshot(conversation)
    conversation.calendar_sequence += 1
    conversation.starts_at = None
    conversation.status = ConversationStatus.INVITED
    conversation.save(update_fields=["starts_at", "status", "calendar_sequence"])
    conversations_changed.send(sender=Conversation, conversation_ids=[conversation.pk])
    audit_record(
        actor=viewer.user,
        action="conversations.cancelled",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"was": snapshot["starts_at"], "sequence": conversation.calendar_sequence},
    )
    outbox_enqueue_many(
        messages=[
            cancel_draft(conversation, person, snapshot=snapshot, organizer=viewer.person)
            for person in conversation_attendees(conversation)
        ]
    )
    return True


# The invitation's e-mails -----------------------------------------------------------------------


def invitation_draft(
    conversation: Conversation, person: Person, *, organizer: Person | None, update: bool, held_on: date | None = None
) -> Draft:
    snapshot = booking_snapshot(conversation)
    timed = "timed" if snapshot["starts_at"] else "untimed"
    return draft(
        "conversations.invitation",
        person,
        {
            "conversation": conversation.pk,
            "person": person.pk,
            "organizer": organizer.pk if organizer else None,
            "attendees": [p.pk for p in conversation_attendees(conversation)],
            "update": update,
            **snapshot,
            **({"held_on": held_on.isoformat()} if held_on else {}),
        },
        dedupe_key=f"conversations.invitation:{conversation.uuid}:{snapshot['sequence']}:{person.pk}:{timed}",
    )


def cancel_draft(
    conversation: Conversation,
    person: Person,
    *,
    snapshot: dict[str, Any],
    organizer: Person | None,
    whole: bool = True,
    not_held: bool = False,
) -> Draft:
    return draft(
        "conversations.invitation_cancel",
        person,
        {
            "conversation": conversation.pk,
            "person": person.pk,
            "organizer": organizer.pk if organizer else None,
            **snapshot,
            "sequence": conversation.calendar_sequence,
            # The whole conversation is cancelled, or only this person is no longer invited.
            "whole": whole,
            # Cancelled because it will not be held at all (no new time follows).
            "not_held": not_held,
        },
        dedupe_key=f"conversations.invitation_cancel:{conversation.uuid}:{conversation.calendar_sequence}:{person.pk}",
    )
