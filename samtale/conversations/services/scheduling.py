"""The invitation and everything around it (docs/domain.md § Before the conversation, steps 3 and 5;
§ Who takes part; § Invitation and reminders): the leader sets time and place, one conversation at a
time or by laying out slots for the team; special topics either side announces; the "must improve"
notice; and who attends beside the two. The rules every booking keeps, the MUS's and the
follow-up's alike, are in ``samtale.lib.meetings``; the round's held-by date and a clash with the
leader's other conversations are added here.

Every service checks the policy (``samtale.access.round_policies``), locks the conversation,
checks the transition, changes with ``update_fields``, writes the audit event and puts the
e-mail in the outbox, all in one transaction. Doing the same thing twice (a form posted twice)
changes nothing and sends nothing the second time; the outbox's dedupe keys make sure of it.

Calendar: the invitation keeps one UID for the conversation's life. ``calendar_sequence`` grows
with every change that calendars must learn of (a new time or place, a cancellation, an
attendee taken off), so each update replaces the entry the recipient already has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.models import AuditEvent
from samtale.audit.services import audit_record
from samtale.conversations.models import (
    Conversation,
    ConversationStatus,
    DailyLeaderStatus,
    ImprovementNotice,
    SpecialTopic,
    UnionRepStatus,
)
from samtale.conversations.signals import conversations_changed
from samtale.lib.meetings.time_and_place import (
    MAX_DURATION,
    LastDay,
    TimeAndPlace,
    booking_snapshot,
    time_and_place_errors,
)
from samtale.org.models import Person, RoleKind
from samtale.org.selectors import contact_roles_for
from samtale.outbox.services import Draft, outbox_enqueue_many, outbox_message_build
from samtale.rounds.models import Round, RoundStatus

TOPIC_MAX_LENGTH = 2000
NOTICE_MAX_LENGTH = 5000
# The leader is warned when a conversation this close has a "must improve" point drafted and no
# notice given, so that the employee is told before the conversation
# (docs/domain.md § Invitation and reminders).
NOTICE_WARNING_DAYS = 5

# The fields a scheduling change reads and writes; reloaded under the row lock.
_SCHEDULE_FIELDS = [
    "status",
    "starts_at",
    "duration_minutes",
    "location",
    "online_url",
    "calendar_sequence",
    "invitation_sent_at",
    "daily_leader",
    "daily_leader_status",
    "union_rep",
    "union_rep_status",
]


def _lock(conversation: Conversation) -> None:
    """Lock the conversation's row and reload what a change here depends on, so that two
    requests at once (a double click) see each other's result instead of both acting."""
    Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk").first()
    conversation.refresh_from_db(fields=_SCHEDULE_FIELDS)


def _before_the_conversation(conversation: Conversation) -> None:
    """Time, topics, the notice and attendees are settled before the conversation, not after."""
    if conversation.status in (ConversationStatus.HELD, ConversationStatus.NOT_HELD):
        raise ValidationError(_("The conversation is over: this can no longer be changed."))
    if conversation.round.status != RoundStatus.LAUNCHED:
        raise ValidationError(_("The round is closed: this can no longer be changed."))


def _not_started(conversation: Conversation, *, now: datetime) -> None:
    if conversation.starts_at is not None and conversation.starts_at <= now:
        raise ValidationError(_("The conversation has begun: this must be done before it."))


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
        _invitation_draft(conversation, person, organizer=viewer.person, update=rescheduled, held_on=held_on)
        for person in conversation_attendees(conversation)
    ]


@transaction.atomic
def conversation_schedule(*, viewer: Viewer, conversation: Conversation, when: TimeAndPlace) -> bool:
    """Set or change the conversation's time and place, and send the invitation (or its update)
    to everyone invited. Returns False when nothing changed (nothing is sent then)."""
    require_write(round_policies.may_schedule(viewer, conversation))
    now = timezone.now()
    _lock(conversation)
    _before_the_conversation(conversation)
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
        _lock(conversation)
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
                _before_the_conversation(conversation)
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
            _cancel_draft(conversation, person, snapshot=snapshot, organizer=viewer.person, not_held=True)
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
    _lock(conversation)
    _before_the_conversation(conversation)
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
            _cancel_draft(conversation, person, snapshot=snapshot, organizer=viewer.person)
            for person in conversation_attendees(conversation)
        ]
    )
    return True


# Special topics -----------------------------------------------------------------------------------


@transaction.atomic
def special_topic_raise(*, viewer: Viewer, conversation: Conversation, text: str) -> SpecialTopic:
    """ "Special topics that either side wants to raise must be announced to the other in good time"
    (docs/domain.md § Before the conversation, step 3): before the conversation; the other side is
    told by e-mail, with a link and without the topic."""
    side = round_policies.special_topic_side(viewer, conversation)
    if side is None:
        raise PermissionDenied
    now = timezone.now()
    _lock(conversation)
    _before_the_conversation(conversation)
    _not_started(conversation, now=now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the topic you want to raise.")})
    if len(text) > TOPIC_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("A topic is at most %(max)s characters (this is %(length)s).")
                % {"max": TOPIC_MAX_LENGTH, "length": len(text)}
            }
        )
    existing = SpecialTopic.objects.filter(conversation=conversation, side=side, text=text).first()
    if existing is not None:
        return existing
    topic = SpecialTopic.objects.create(conversation=conversation, side=side, raised_by=viewer.person, text=text)
    audit_record(
        actor=viewer.user,
        action="conversations.topic_raised",
        target=topic,
        subject_person_id=conversation.employee_id,
        data={"conversation": str(conversation.uuid), "side": side},
    )
    other = conversation.employee.personnel_leader if side == "employee" else conversation.employee
    if other is not None:
        outbox_enqueue_many(
            messages=[
                _draft(
                    "conversations.topic_raised",
                    other,
                    {"conversation": conversation.pk, "person": other.pk, "side": side},
                    dedupe_key=f"conversations.topic:{topic.uuid}",
                )
            ]
        )
    return topic


@transaction.atomic
def special_topic_withdraw(*, viewer: Viewer, topic: SpecialTopic) -> None:
    """The side that announced a topic may take it back before the conversation."""
    conversation = topic.conversation
    require_write(round_policies.special_topic_side(viewer, conversation) == topic.side)
    now = timezone.now()
    _lock(conversation)
    _before_the_conversation(conversation)
    _not_started(conversation, now=now)
    audit_record(
        actor=viewer.user,
        action="conversations.topic_withdrawn",
        target=topic,
        subject_person_id=conversation.employee_id,
        data={"conversation": str(conversation.uuid), "side": topic.side},
    )
    topic.delete()


# The "must improve" notice -------------------------------------------------------------------------


@transaction.atomic
def improvement_notice_give(*, viewer: Viewer, conversation: Conversation, text: str) -> ImprovementNotice:
    """ "If the leader judges that performance or behaviour is not acceptable and must improve, the
    employee must be told before the conversation" (docs/domain.md § Before the conversation,
    step 5). The employee is told by e-mail that there is a notice, with a link; the text is only in
    Samtale. The leader may correct it before the conversation, and the employee is told again."""
    require_write(round_policies.may_give_improvement_notice(viewer, conversation))
    now = timezone.now()
    _lock(conversation)
    _before_the_conversation(conversation)
    _not_started(conversation, now=now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what must improve.")})
    if len(text) > NOTICE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("The notice is at most %(max)s characters (this is %(length)s).")
                % {"max": NOTICE_MAX_LENGTH, "length": len(text)}
            }
        )
    notice = ImprovementNotice.objects.filter(conversation=conversation).first()
    if notice is not None and notice.text == text:
        return notice
    changed = notice is not None
    if notice is None:
        notice = ImprovementNotice.objects.create(
            conversation=conversation, text=text, given_by=viewer.person, given_at=now
        )
    else:
        notice.text, notice.given_by, notice.given_at = text, viewer.person, now
        notice.save(update_fields=["text", "given_by", "given_at"])
    audit_record(
        actor=viewer.user,
        action="conversations.improvement_notice_changed" if changed else "conversations.improvement_notice_given",
        target=conversation,
        subject_person_id=conversation.employee_id,
    )
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    employee = conversation.employee
    outbox_enqueue_many(
        messages=[
            _draft(
                "conversations.improvement_notice",
                employee,
                {"conversation": conversation.pk, "person": employee.pk, "changed": changed},
                dedupe_key=f"conversations.improvement_notice:{conversation.uuid}:{digest}",
            )
        ]
    )
    return notice


# Attendees -------------------------------------------------------------------------------------------


def _times_asked(conversation: Conversation, action: str) -> int:
    """How often the employee has asked before: part of the e-mail's dedupe key, so that asking
    again after taking it back tells the leader again, and a form posted twice does not."""
    return AuditEvent.objects.filter(action=action, target_id=str(conversation.uuid)).count()


def _tell_leader(conversation: Conversation, what: str, action: str, attendee: Person) -> list[Draft]:
    leader = conversation.employee.personnel_leader
    if leader is None:
        return []
    count = _times_asked(conversation, action)
    return [
        _draft(
            "conversations.attendee_asked",
            leader,
            {"conversation": conversation.pk, "person": leader.pk, "what": what, "attendee": attendee.pk},
            dedupe_key=f"conversations.attendee_asked:{conversation.uuid}:{what}:{count}",
        )
    ]


@transaction.atomic
def daily_leader_ask(*, viewer: Viewer, conversation: Conversation) -> bool:
    """ "The employee may invite their daily leader (by agreement with the personnel leader)"."""
    require_write(round_policies.may_ask_for_daily_leader(viewer, conversation))
    now = timezone.now()
    _lock(conversation)
    _before_the_conversation(conversation)
    _not_started(conversation, now=now)
    daily = conversation.employee.daily_leader
    if daily is None or not daily.is_employed():
        raise ValidationError(_("You have no daily leader registered. Ask HR if that is wrong."))
    if daily.pk == conversation.employee.personnel_leader_id:
        raise ValidationError(_("Your daily leader is your personnel leader, who holds the conversation anyway."))
    if conversation.daily_leader_id == daily.pk and conversation.daily_leader_status in (
        DailyLeaderStatus.REQUESTED,
        DailyLeaderStatus.AGREED,
    ):
        return False
    conversation.daily_leader = daily
    conversation.daily_leader_status = DailyLeaderStatus.REQUESTED
    conversation.save(update_fields=["daily_leader", "daily_leader_status"])
    drafts = _tell_leader(conversation, "daily_leader", "conversations.daily_leader_asked", daily)
    audit_record(
        actor=viewer.user,
        action="conversations.daily_leader_asked",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"daily_leader": daily.pk},
    )
    outbox_enqueue_many(messages=drafts)
    return True


@transaction.atomic
def daily_leader_decide(*, viewer: Viewer, conversation: Conversation, agree: bool) -> bool:
    """The personnel leader agrees (the daily leader is invited and may open the conversation's
    page) or declines; the employee is told either way."""
    require_write(round_policies.may_decide_on_daily_leader(viewer, conversation))
    now = timezone.now()
    _lock(conversation)
    _before_the_conversation(conversation)
    wanted = DailyLeaderStatus.AGREED if agree else DailyLeaderStatus.DECLINED
    if conversation.daily_leader_status == wanted:
        return False
    if conversation.daily_leader_status != DailyLeaderStatus.REQUESTED or conversation.daily_leader is None:
        raise ValidationError(_("There is no request about the daily leader to answer."))
    if agree:
        _not_started(conversation, now=now)
        if not conversation.daily_leader.is_employed():
            raise ValidationError(_("The daily leader has left the organisation."))
    conversation.daily_leader_status = wanted
    conversation.save(update_fields=["daily_leader_status"])
    audit_record(
        actor=viewer.user,
        action="conversations.daily_leader_agreed" if agree else "conversations.daily_leader_declined",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"daily_leader": conversation.daily_leader_id},
    )
    employee = conversation.employee
    drafts = [
        _draft(
            "conversations.attendee_answered",
            employee,
            {
                "conversation": conversation.pk,
                "person": employee.pk,
                "agreed": agree,
                "attendee": conversation.daily_leader_id,
            },
            dedupe_key=f"conversations.attendee_answered:{conversation.uuid}:{conversation.daily_leader_id}:"
            f"{wanted}:{_times_asked(conversation, 'conversations.daily_leader_asked')}",
        )
    ]
    if agree:
        drafts.append(_invitation_draft(conversation, conversation.daily_leader, organizer=viewer.person, update=False))
    outbox_enqueue_many(messages=drafts)
    return True


@transaction.atomic
def daily_leader_withdraw(*, viewer: Viewer, conversation: Conversation) -> bool:
    """The employee takes the wish back; a daily leader already invited gets a cancellation."""
    require_write(round_policies.may_ask_for_daily_leader(viewer, conversation))
    _lock(conversation)
    _before_the_conversation(conversation)
    if conversation.daily_leader_status not in (DailyLeaderStatus.REQUESTED, DailyLeaderStatus.AGREED):
        return False
    drafts = (
        _uninvite(viewer, conversation, conversation.daily_leader)
        if conversation.daily_leader_status == DailyLeaderStatus.AGREED
        else []
    )
    previous = conversation.daily_leader_id
    conversation.daily_leader = None
    conversation.daily_leader_status = DailyLeaderStatus.NONE
    conversation.save(update_fields=["daily_leader", "daily_leader_status", "calendar_sequence"])
    audit_record(
        actor=viewer.user,
        action="conversations.daily_leader_withdrawn",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"daily_leader": previous},
    )
    outbox_enqueue_many(messages=drafts)
    return True


def union_rep_choices(*, employee: Person) -> list[Person]:
    """The union representatives whose coverage includes the employee (never the employee)."""
    return [
        role.person
        for role in contact_roles_for(person=employee, kind=RoleKind.UNION_REP)
        if role.person.pk != employee.pk
    ]


@transaction.atomic
def union_rep_bring(*, viewer: Viewer, conversation: Conversation, representative: Person) -> bool:
    """ "The employee may bring their union representative: it is the employee's decision; they
    must tell the leader in good time" — the leader is told by e-mail."""
    require_write(round_policies.may_bring_union_rep(viewer, conversation))
    now = timezone.now()
    _lock(conversation)
    _before_the_conversation(conversation)
    _not_started(conversation, now=now)
    if representative.pk not in {p.pk for p in union_rep_choices(employee=conversation.employee)}:
        raise ValidationError({"representative": _("Choose one of the union representatives who cover you.")})
    if conversation.union_rep_id == representative.pk and conversation.union_rep_status != UnionRepStatus.NONE:
        return False
    drafts: list[Draft] = []
    if conversation.union_rep_status == UnionRepStatus.SUMMONED:
        drafts += _uninvite(viewer, conversation, conversation.union_rep)
    conversation.union_rep = representative
    conversation.union_rep_status = UnionRepStatus.CHOSEN
    conversation.save(update_fields=["union_rep", "union_rep_status", "calendar_sequence"])
    drafts += _tell_leader(conversation, "union_rep", "conversations.union_rep_chosen", representative)
    audit_record(
        actor=viewer.user,
        action="conversations.union_rep_chosen",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"union_rep": representative.pk},
    )
    outbox_enqueue_many(messages=drafts)
    return True


@transaction.atomic
def union_rep_withdraw(*, viewer: Viewer, conversation: Conversation) -> bool:
    """The employee decides not to bring the representative after all; one already summoned gets
    a cancellation, and the leader sees the change on the page."""
    require_write(round_policies.may_bring_union_rep(viewer, conversation))
    _lock(conversation)
    _before_the_conversation(conversation)
    if conversation.union_rep_status == UnionRepStatus.NONE:
        return False
    drafts = (
        _uninvite(viewer, conversation, conversation.union_rep)
        if conversation.union_rep_status == UnionRepStatus.SUMMONED
        else []
    )
    previous = conversation.union_rep_id
    conversation.union_rep = None
    conversation.union_rep_status = UnionRepStatus.NONE
    conversation.save(update_fields=["union_rep", "union_rep_status", "calendar_sequence"])
    audit_record(
        actor=viewer.user,
        action="conversations.union_rep_withdrawn",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"union_rep": previous},
    )
    outbox_enqueue_many(messages=drafts)
    return True


@transaction.atomic
def union_rep_summon(*, viewer: Viewer, conversation: Conversation) -> bool:
    """ "… and the leader summons the representative", who then gets the invitation and may open the
    conversation's page (the invitation only: docs/trust.md § Access matrix)."""
    require_write(round_policies.may_summon_union_rep(viewer, conversation))
    now = timezone.now()
    _lock(conversation)
    _before_the_conversation(conversation)
    if conversation.union_rep_status == UnionRepStatus.SUMMONED:
        return False
    if conversation.union_rep_status != UnionRepStatus.CHOSEN or conversation.union_rep is None:
        raise ValidationError(_("The employee has not chosen to bring a union representative."))
    _not_started(conversation, now=now)
    if not conversation.union_rep.is_employed():
        raise ValidationError(_("The union representative has left the organisation."))
    conversation.union_rep_status = UnionRepStatus.SUMMONED
    conversation.save(update_fields=["union_rep_status"])
    audit_record(
        actor=viewer.user,
        action="conversations.union_rep_summoned",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"union_rep": conversation.union_rep_id},
    )
    outbox_enqueue_many(
        messages=[_invitation_draft(conversation, conversation.union_rep, organizer=viewer.person, update=False)]
    )
    return True


def _uninvite(viewer: Viewer, conversation: Conversation, person: Person | None) -> list[Draft]:
    """An attendee taken off: the calendar sequence grows (the change is a new version of the
    meeting) and, if they had the time in their calendar, they get a cancellation."""
    conversation.calendar_sequence += 1
    if person is None or conversation.starts_at is None:
        return []
    return [
        _cancel_draft(
            conversation, person, snapshot=booking_snapshot(conversation), organizer=viewer.person, whole=False
        )
    ]


# E-mail drafts -------------------------------------------------------------------------------------------


def _draft(kind: str, person: Person, context: dict[str, Any], *, dedupe_key: str) -> Draft:
    return outbox_message_build(
        kind=kind, to_email=person.email, language=person.account_language, context=context, dedupe_key=dedupe_key
    )


def _invitation_draft(
    conversation: Conversation, person: Person, *, organizer: Person | None, update: bool, held_on: date | None = None
) -> Draft:
    snapshot = booking_snapshot(conversation)
    timed = "timed" if snapshot["starts_at"] else "untimed"
    return _draft(
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


def _cancel_draft(
    conversation: Conversation,
    person: Person,
    *,
    snapshot: dict[str, Any],
    organizer: Person | None,
    whole: bool = True,
    not_held: bool = False,
) -> Draft:
    return _draft(
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
