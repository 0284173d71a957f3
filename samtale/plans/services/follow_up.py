"""Following the plan up (docs/domain.md § After the conversation and § Follow-up): progress per
goal and activity, departures from the plan, and the follow-up conversation that closes the loop.

- Between conversations both the employee and the leader record progress per goal and activity
  of the signed plan (not started, under way, done, dropped, with a note and a date). Progress is
  append-only: the latest note of an item is its state, and every earlier one stays readable.
- "Either side tells the other when the plan must be departed from": a departure with why; the
  other side gets an e-mail with a link, never the text.
- "The leader … calls and holds the follow-up conversation at the latest 6 months after the MUS":
  a calendar invitation as for the MUS (one UID for its life, a growing SEQUENCE, CANCEL),
  refused after the agreed date (``Plan.follow_up_by``); marked held with what was reached and
  what carries over to the next round.

Every service checks the policy (``samtale.access.plan_policies``), locks the plan's row, checks
the state, changes with ``update_fields``, writes the audit event (never the text) and puts the
e-mail in the outbox, in one transaction. A form posted twice changes and sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samtale.access import plan_policies
from samtale.access.lookups import require_write
from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.competences.models import Competence, EntryKind
from samtale.competences.services.record import education_entry_record, education_entry_withdraw
from samtale.conversations.signals import conversations_changed
from samtale.lib.meetings.time_and_place import LastDay, TimeAndPlace, booking_snapshot, time_and_place_errors
from samtale.lib.queries import fetch, one_or_none
from samtale.org.models import Person
from samtale.outbox.services import Draft, outbox_enqueue_many, outbox_message_build
from samtale.plans.content import point_start
from samtale.plans.models import (
    Departure,
    FollowUp,
    FollowUpStatus,
    Plan,
    PlanVersion,
    Progress,
    ProgressStatus,
    Side,
)
from samtale.plans.services._shared import check_round_open
from samtale.plans.services.writing import follow_up_last_day

NOTE_MAX_LENGTH = 2000
WHY_MAX_LENGTH = 2000
OUTCOME_MAX_LENGTH = 5000


def _lock(plan: Plan) -> None:
    """Two requests at once (a double click) see each other's result instead of both acting."""
    Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").first()
    plan.refresh_from_db(fields=["signed_at", "follow_up_by", "status"])
    check_round_open(plan)


def _draft(kind: str, person: Person, context: dict[str, Any], *, dedupe_key: str) -> Draft:
    return outbox_message_build(
        kind=kind, to_email=person.email, language=person.account_language, context=context, dedupe_key=dedupe_key
    )


def _text(value: str, *, field: str, limit: int, required: str | None = None) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError(
            {field: _("This is at most %(max)s characters (it is %(length)s).") % {"max": limit, "length": len(value)}}
        )
    return value


# The signed plan and its items ---------------------------------------------------------------------


def signed_version(plan: Plan) -> PlanVersion | None:
    """The newest version both have signed: what is being followed up (an amendment, once
    signed, replaces the one before)."""
    return plan.versions.filter(signed_at__isnull=False).order_by("-number").first()


def is_signed(plan: Plan) -> bool:
    """ "Between conversations": follow-up starts once the first version is signed by both."""
    return plan.signed_at is not None


def _require_signed(plan: Plan) -> None:
    if not is_signed(plan):
        raise ValidationError(_("The plan is not signed by both of you yet. Its follow-up begins when it is."))


@dataclass(frozen=True)
class Item:
    """A goal or one of its activities, as the signed plan says it."""

    id: str
    kind: str  # "goal" or "activity"
    text: str
    goal_id: str


def plan_items(version: PlanVersion | None) -> list[Item]:
    """Every goal followed by its activities, in the plan's order."""
    if version is None:
        return []
    items: list[Item] = []
    for goal in version.content.get("goals", []):
        items.append(Item(id=goal["id"], kind="goal", text=goal.get("text", ""), goal_id=goal["id"]))
        for activity in goal.get("activities", []):
            items.append(Item(id=activity["id"], kind="activity", text=activity.get("text", ""), goal_id=goal["id"]))
    return items


def progress_history(plan: Plan) -> dict[str, list[Progress]]:
    """Every note of progress per item, newest first."""
    history: dict[str, list[Progress]] = {}
    rows = Progress.objects.filter(plan=plan).select_related("recorded_by").order_by("-recorded_at", "-id")
    for row in fetch(rows, "plans.progress_history"):
        history.setdefault(row.item, []).append(row)
    return history


def _side(viewer: Viewer, plan: Plan) -> str:
    return Side.EMPLOYEE if Relation.SELF in relations_to(viewer, plan.employee) else Side.LEADER


# Progress ---------------------------------------------------------------------------------------------


@transaction.atomic
def progress_record(*, viewer: Viewer, plan: Plan, item: str, status: str, note: str, on: date) -> Progress:
    """ "Between conversations the employee and the leader record progress per goal and activity of
    the signed plan: not started, under way, done or dropped, with a note and a date"
    (docs/domain.md § Follow-up)."""
    require_write(plan_policies.may_record_progress(viewer, plan))
    _lock(plan)
    _require_signed(plan)
    if item not in {i.id for i in plan_items(signed_version(plan))}:
        raise ValidationError({"item": _("This goal or activity is not in the signed plan.")})
    if status not in ProgressStatus.values:
        raise ValidationError({"status": _("Choose how far it has come.")})
    note = _text(note, field="note", limit=NOTE_MAX_LENGTH)
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date is in the future. Progress is recorded as of today or earlier.")})
    held_on = plan.conversation.held_on
    if held_on is not None and on < held_on:
        raise ValidationError(
            {
                "on": _("The date is before the conversation on %(date)s.")
                % {"date": formats.date_format(held_on, "DATE_FORMAT")}
            }
        )
    latest = Progress.objects.filter(plan=plan, item=item).order_by("-recorded_at", "-id").first()
    if latest is not None and (latest.status, latest.note, latest.on, latest.recorded_by_id) == (
        status,
        note,
        on,
        viewer.person_id,
    ):
        return latest  # the form posted twice
    progress = Progress.objects.create(plan=plan, item=item, status=status, note=note, on=on, recorded_by=viewer.person)
    _education_record_follow(plan, item, status=status, on=on)
    audit_record(
        actor=viewer.user,
        action="plans.progress_recorded",
        target=plan,
        subject_person_id=plan.employee_id,
        data={"item": item, "status": status, "on": on.isoformat()},
    )
    return progress


def activity_source(plan: Plan, item: str) -> str:
    """How the education record names a plan's activity (one entry per activity)."""
    return f"activity:{plan.uuid.hex}:{item}"


def _education_record_follow(plan: Plan, item: str, *, status: str, on: date) -> None:
    """An activity of the plan recorded done enters the person's education record, with the
    competences its goal builds; set back, it leaves it (docs/domain.md § Competences and courses,
    the education record)."""
    version = signed_version(plan)
    for goal in (version.content if version else {}).get("goals", []):
        for activity in goal.get("activities", []):
            if activity.get("id") != item:
                continue
            source = activity_source(plan, item)
            if status != ProgressStatus.DONE:
                education_entry_withdraw(source=source)
                return
            start = activity.get("from", "")
            education_entry_record(
                person=plan.employee,
                kind=EntryKind.ACTIVITY,
                title=activity.get("text", "") or goal.get("text", ""),
                started_on=point_start(start) if start else None,
                completed_on=on,
                source=source,
                competences=Competence.objects.filter(uuid__in=goal.get("competences", [])),
            )
            return


# Departures ---------------------------------------------------------------------------------------------


@transaction.atomic
def departure_register(*, viewer: Viewer, plan: Plan, why: str) -> Departure:
    """ "Either side tells the other when the plan must be departed from"
    (docs/domain.md § After the conversation), with why. The other side is told by e-mail, with a
    link and without the reason."""
    require_write(plan_policies.may_record_progress(viewer, plan))
    _lock(plan)
    _require_signed(plan)
    why = _text(why, field="why", limit=WHY_MAX_LENGTH, required=_("Write why the plan must be departed from."))
    side = _side(viewer, plan)
    existing = Departure.objects.filter(plan=plan, side=side, why=why).first()
    if existing is not None:
        return existing
    departure = Departure.objects.create(plan=plan, raised_by=viewer.person, side=side, why=why)
    audit_record(
        actor=viewer.user,
        action="plans.departure_registered",
        target=plan,
        subject_person_id=plan.employee_id,
        data={"side": side, "departure": str(departure.uuid)},
    )
    other = plan.employee.personnel_leader if side == Side.EMPLOYEE else plan.employee
    if other is not None and other.is_employed():
        outbox_enqueue_many(
            messages=[
                _draft(
                    "plans.departure",
                    other,
                    {"plan": plan.pk, "person": other.pk, "side": side},
                    dedupe_key=f"plans.departure:{departure.uuid}:{other.pk}",
                )
            ]
        )
    return departure


# The follow-up conversation ------------------------------------------------------------------------------


def follow_up_deadline(plan: Plan) -> date | None:
    """The last day the follow-up may be held: the date agreed in the signed plan
    (``Plan.follow_up_by``), else the concept's months after the conversation
    (docs/domain.md § After the conversation: "at the latest 6 months after the MUS")."""
    if plan.follow_up_by is not None:
        return plan.follow_up_by
    if plan.conversation.held_on is None:
        return None
    return follow_up_last_day(plan.conversation)


def follow_up_of(plan: Plan) -> FollowUp | None:
    return one_or_none(
        FollowUp.objects.filter(plan=plan).select_related("held_with"), key="plans.services.follow_up.follow_up_of"
    )


def follow_up_time_errors(plan: Plan, when: TimeAndPlace, *, now: datetime | None = None) -> dict[str, list[str]]:
    """What is wrong with holding the follow-up ``when``, by form field: the rules of every booking
    (``samtale.lib.meetings``), and "no later than the agreed date" (docs/domain.md § Follow-up)."""
    deadline = follow_up_deadline(plan)
    last_day = (
        LastDay(
            deadline,
            _("The follow-up conversation must be held by %(date)s, as agreed in the plan. Choose that day or earlier.")
            % {"date": formats.date_format(deadline, "DATE_FORMAT")},
        )
        if deadline is not None
        else None
    )
    return time_and_place_errors(when, now=now or timezone.now(), last_day=last_day)


def _locked_follow_up(plan: Plan) -> FollowUp:
    check_round_open(plan)
    follow_up, _created = FollowUp.objects.get_or_create(plan=plan)
    return FollowUp.objects.select_for_update().get(pk=follow_up.pk)


def follow_up_ics_uid(follow_up: FollowUp) -> str:
    """The follow-up's own calendar UID, never the MUS's (``<conversation uuid>@samtale``)."""
    return f"follow-up-{follow_up.uuid}@samtale"


def _not_held(follow_up: FollowUp) -> None:
    if follow_up.status == FollowUpStatus.HELD:
        raise ValidationError(_("The follow-up conversation has been held: its time can no longer be changed."))


@transaction.atomic
def follow_up_call(*, viewer: Viewer, plan: Plan, when: TimeAndPlace) -> bool:
    """ "The leader calls the follow-up conversation (an iCalendar invitation as for the MUS)":
    set or change its time and place; the employee gets the invitation or its update. Returns
    False when nothing changed (nothing is sent then)."""
    require_write(plan_policies.may_call_follow_up(viewer, plan))
    _lock(plan)
    _require_signed(plan)
    follow_up = _locked_follow_up(plan)
    _not_held(follow_up)
    when = when.normalised()
    if when.same_as(follow_up, scheduled=FollowUpStatus.SCHEDULED):
        return False
    errors = follow_up_time_errors(plan, when)
    if errors:
        raise ValidationError(errors)
    rescheduled = when.write_to(follow_up, now=timezone.now(), scheduled=FollowUpStatus.SCHEDULED)
    audit_record(
        actor=viewer.user,
        action="plans.follow_up_rescheduled" if rescheduled else "plans.follow_up_called",
        target=follow_up,
        subject_person_id=plan.employee_id,
        data={"starts_at": when.starts_at.isoformat(), "sequence": follow_up.calendar_sequence},
    )
    employee = plan.employee
    snapshot = booking_snapshot(follow_up)
    outbox_enqueue_many(
        messages=[
            _draft(
                "plans.follow_up_invitation",
                employee,
                {"plan": plan.pk, "person": employee.pk, "organizer": viewer.person_id, "update": rescheduled}
                | snapshot,
                dedupe_key=f"plans.follow_up_invitation:{follow_up.uuid}:{snapshot['sequence']}:{employee.pk}",
            )
        ]
    )
    return True


@transaction.atomic
def follow_up_cancel(*, viewer: Viewer, plan: Plan) -> bool:
    """Take the time off the calendar: the employee gets a cancellation (METHOD:CANCEL, same UID)
    and the follow-up is to be called again."""
    require_write(plan_policies.may_call_follow_up(viewer, plan))
    _lock(plan)
    follow_up = _locked_follow_up(plan)
    _not_held(follow_up)
    if follow_up.status != FollowUpStatus.SCHEDULED or follow_up.starts_at is None:
        return False
    snapshot = booking_snapshot(follow_up)
    follow_up.calendar_sequence += 1
    follow_up.starts_at = None
    follow_up.status = FollowUpStatus.TO_BE_CALLED
    follow_up.save(update_fields=["starts_at", "status", "calendar_sequence"])
    audit_record(
        actor=viewer.user,
        action="plans.follow_up_cancelled",
        target=follow_up,
        subject_person_id=plan.employee_id,
        data={"was": snapshot["starts_at"], "sequence": follow_up.calendar_sequence},
    )
    employee = plan.employee
    outbox_enqueue_many(
        messages=[
            _draft(
                "plans.follow_up_cancel",
                employee,
                {"plan": plan.pk, "person": employee.pk, "organizer": viewer.person_id}
                | snapshot
                | {"sequence": follow_up.calendar_sequence},
                dedupe_key=f"plans.follow_up_cancel:{follow_up.uuid}:{follow_up.calendar_sequence}:{employee.pk}",
            )
        ]
    )
    return True


@transaction.atomic
def follow_up_mark_held(*, viewer: Viewer, plan: Plan, held_on: date, reached: str, carries_over: str) -> FollowUp:
    """The leader records the follow-up conversation held "with what was reached and what carries
    over to the next round" (docs/domain.md § Follow-up), and may correct it; the employee reads it
    and is told by e-mail that it is there."""
    require_write(plan_policies.may_call_follow_up(viewer, plan))
    _lock(plan)
    _require_signed(plan)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date is in the future. The follow-up is marked held after it.")})
    conversation_held_on = plan.conversation.held_on
    if conversation_held_on is not None and held_on < conversation_held_on:
        raise ValidationError(
            {
                "held_on": _("The date is before the conversation on %(date)s.")
                % {"date": formats.date_format(conversation_held_on, "DATE_FORMAT")}
            }
        )
    reached = _text(reached, field="reached", limit=OUTCOME_MAX_LENGTH, required=_("Write what was reached."))
    carries_over = _text(carries_over, field="carries_over", limit=OUTCOME_MAX_LENGTH)
    follow_up = _locked_follow_up(plan)
    unchanged = follow_up.status == FollowUpStatus.HELD and (
        follow_up.held_on,
        follow_up.reached,
        follow_up.carries_over,
    ) == (held_on, reached, carries_over)
    if unchanged:
        return follow_up
    correction = follow_up.status == FollowUpStatus.HELD
    follow_up.status = FollowUpStatus.HELD
    follow_up.held_on = held_on
    follow_up.held_with = viewer.person
    follow_up.reached = reached
    follow_up.carries_over = carries_over
    follow_up.save(update_fields=["status", "held_on", "held_with", "reached", "carries_over"])
    conversations_changed.send(sender=Plan, conversation_ids=[plan.conversation_id])
    audit_record(
        actor=viewer.user,
        action="plans.follow_up_corrected" if correction else "plans.follow_up_held",
        target=follow_up,
        subject_person_id=plan.employee_id,
        data={"held_on": held_on.isoformat()},
    )
    employee = plan.employee
    if employee.is_employed() and not correction:
        outbox_enqueue_many(
            messages=[
                _draft(
                    "plans.follow_up_held",
                    employee,
                    {"plan": plan.pk, "person": employee.pk},
                    dedupe_key=f"plans.follow_up_held:{follow_up.uuid}:{employee.pk}",
                )
            ]
        )
    return follow_up
