"""Writing the development plan (docs/domain.md § After the conversation and § The plan): the plan
is started when the conversation is marked held, the employee writes it in their own words, the
leader comments and suggests, the employee shares it further if they wish.

Each service checks the policy, changes inside one transaction, writes the audit event and puts
any e-mail in the outbox in the same transaction. Views look the plan up first
(``samtale.access.lookups.plan_for_viewer``), so that a stranger gets 404 before a service is
asked.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import plan_policies, round_policies
from samtale.access.lookups import require_write
from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation, OpenItem
from samtale.lib import isoweek
from samtale.lib.queries import one_or_none
from samtale.outbox.services import outbox_enqueue
from samtale.plans import content as plan_content
from samtale.plans.content import PlanContent, follow_up_point, plan_completeness_errors, version_content
from samtale.plans.links import link_choices
from samtale.plans.models import (
    ActivityType,
    Plan,
    PlanComment,
    PlanStatus,
    PlanVersion,
)
from samtale.plans.services._shared import check_round_open

__all__ = [
    "PlanConflict",
    "activity_type_add",
    "activity_type_change",
    "add_months",
    "follow_up_last_day",
    "follow_up_text",
    "is_editable",
    "open_items_blocking",
    "open_items_of",
    "plan_comment_add",
    "plan_completeness_errors",
    "plan_for_conversation_held",
    "plan_for_conversation_undone",
    "plan_quality_hints",
    "plan_read_record",
    "plan_save",
    "plan_share",
    "plan_started",
    "version_completeness_errors",
]

EDITABLE = (PlanStatus.DRAFT, PlanStatus.CHANGES_ASKED)


# Starting the plan with the outcome -------------------------------------------------------------


def plan_started(conversation: Conversation) -> bool:
    """The employee has started the plan: saved it once, or it has moved on from the first draft.
    From then on the conversation's outcome can no longer be corrected."""
    plan = one_or_none(Plan.objects.filter(conversation=conversation), key="plans.services.writing.plan_started")
    if plan is None:
        return False
    return plan.status != PlanStatus.DRAFT or plan.versions.filter(revision__gt=0).exists() or plan.versions.count() > 1


def plan_signed_by_anyone(conversation: Conversation) -> bool:
    """Whether some version of the conversation's plan has a signature (is frozen)."""
    return PlanVersion.objects.filter(plan__conversation=conversation).exclude(content_hash="").exists()


def plan_for_conversation_held(conversation: Conversation) -> Plan:
    """Called by the outcome service inside its transaction when the conversation is marked held
    (or its date corrected): the plan exists from then on, due the concept's number of days
    after the conversation, with version 1 an empty draft."""
    due_on = conversation.plan_due_on()
    assert due_on is not None
    plan = one_or_none(
        Plan.objects.filter(conversation=conversation), key="plans.services.writing.plan_for_conversation_held"
    )
    if plan is not None:
        if plan.due_on != due_on:
            plan.due_on = due_on
            plan.save(update_fields=["due_on"])
        return plan
    plan = Plan.objects.create(
        conversation=conversation, employee_id=conversation.employee_id, due_on=due_on, status=PlanStatus.DRAFT
    )
    PlanVersion.objects.create(plan=plan, number=1, status=PlanStatus.DRAFT, content=plan_content.empty_content())
    return plan


def plan_for_conversation_undone(conversation: Conversation) -> None:
    """The outcome was corrected to "not held" or undone before the plan was started: the empty
    plan goes with it (the outcome service has checked ``plan_started``)."""
    plan = one_or_none(
        Plan.objects.filter(conversation=conversation), key="plans.services.writing.plan_for_conversation_undone"
    )
    if plan is None:
        return
    PlanVersion.objects.filter(plan=plan).delete()
    plan.delete()


# The follow-up date ---------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day (31 August
    + 6 months is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_last_day(conversation: Conversation) -> date:
    """ "At the latest 6 months after the MUS" (the concept's number)."""
    assert conversation.held_on is not None
    return add_months(conversation.held_on, conversation.round.concept.follow_up_within_months)


def _follow_up(text: str, conversation: Conversation) -> tuple[date | None, str]:
    """The follow-up conversation as a date or a week; refused when after the last allowed day
    (a week counts when it has ended by then) or before the conversation."""
    held_on = conversation.held_on
    assert held_on is not None
    try:
        point = plan_content.parse_point(text, reference=held_on)
    except (ValueError, isoweek.WeekError):
        raise ValidationError(
            {"follow_up": _("Write a date (such as 1 March 2027) or a week (such as week 10).")}
        ) from None
    if not point:
        return None, ""
    last_day = follow_up_last_day(conversation)
    if plan_content.point_end(point) > last_day:
        last_week = isoweek.last_whole_week_by(last_day)
        raise ValidationError(
            {
                "follow_up": _(
                    "The follow-up conversation must be held at most %(months)d months after the conversation: "
                    "on %(date)s at the latest, or in %(week)s at the latest."
                )
                % {
                    "months": conversation.round.concept.follow_up_within_months,
                    "date": last_day.strftime("%d.%m.%Y"),
                    "week": isoweek.format_week(last_week),
                }
            }
        )
    if plan_content.point_start(point) < held_on:
        raise ValidationError({"follow_up": _("The follow-up conversation cannot be before the conversation.")})
    if isoweek.is_week(point):
        return None, point
    return date.fromisoformat(point), ""


def follow_up_text(version: PlanVersion, *, typed: bool = False) -> str:
    """The follow-up as people read it ("uge 18", "3. maj 2027"), or with ``typed`` as the form
    shows it ("uge 18", "3.5.2027")."""
    reference = plan_content.reference_date(version.plan)
    return plan_content.point_text(follow_up_point(version), reference=reference, typed=typed)


# Saving the plan ------------------------------------------------------------------------------


class PlanConflict(Exception):
    """Someone saved the version after the writer loaded it: nothing was saved, and ``stored`` is
    the version as it is now, for the writer to merge with their own text."""

    def __init__(self, stored: PlanVersion) -> None:
        super().__init__("the plan changed meanwhile")
        self.stored = stored


def is_editable(version: PlanVersion) -> bool:
    """The employee may change the version: a draft, or changes asked for; never once signed."""
    return not version.is_frozen and version.status in EDITABLE


def _check_editable(version: PlanVersion) -> None:
    if not is_editable(version):
        if version.is_frozen or version.status == PlanStatus.SIGNED:
            raise ValidationError(
                _("This version of the plan is signed and can no longer be changed. A change is an amendment.")
            )
        raise ValidationError(
            _("The plan has been handed to your leader and cannot be changed unless your leader asks for changes.")
        )


def _active_type_refs() -> set[str]:
    return {plan_content.activity_type_ref(t) for t in ActivityType.objects.filter(active=True)}


def _types_in(content: PlanContent) -> set[str]:
    return {a.get("type", "") for g in content.get("goals", []) for a in g.get("activities", [])} - {""}


@transaction.atomic
def plan_save(
    *, viewer: Viewer, version: PlanVersion, content: Mapping[str, Any], follow_up: str, revision: int
) -> PlanVersion:
    """Save the employee's text, if nobody has saved since ``revision``: ``content`` as the form
    posted it (``forms.writing.RawContent``), read by ``content.normalise_content``.

    Only the employee writes the plan, and only while the version is a draft or changes were asked
    for. One conditional UPDATE … WHERE revision = ``revision``: of two saves from the same revision
    exactly one matches a row, whatever the database; the other raises ``PlanConflict`` and loses
    nothing silently (docs/trust.md § No lost update)."""
    plan = version.plan
    require_write(plan_policies.may_write_plan(viewer, plan))
    check_round_open(plan)
    _check_editable(version)
    conversation = plan.conversation
    assert conversation.held_on is not None
    # Every message at once: the content's and the follow-up's.
    errors: dict[str, list[str]] = {}
    try:
        normalised = plan_content.normalise_content(
            content,
            reference=conversation.held_on,
            active_types=_active_type_refs(),
            kept_types=_types_in(version_content(version)),
            links=link_choices(plan, version_content(version)),
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        follow_up_on, follow_up_week = _follow_up(follow_up, conversation)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise plan_content.ContentError(errors)
    now = timezone.now()
    updated = PlanVersion.objects.filter(pk=version.pk, revision=revision, content_hash="", status__in=EDITABLE).update(
        content=normalised,
        follow_up_on=follow_up_on,
        follow_up_week=follow_up_week,
        revision=F("revision") + 1,
        updated_at=now,
        updated_by=viewer.person,
    )
    if not updated:
        stored = PlanVersion.objects.select_related("updated_by", "plan").get(pk=version.pk)
        _check_editable(stored)
        raise PlanConflict(stored)
    audit_record(
        actor=viewer.user,
        action="plans.plan_saved",
        target=version,
        subject_person_id=plan.employee_id,
        data={"plan": str(plan.uuid), "version": version.number, "revision": revision + 1},
    )
    version.refresh_from_db()
    return version


def version_completeness_errors(version: PlanVersion) -> list[str]:
    """``plan_completeness_errors`` and the follow-up conversation's date or week, which the plan
    must also give (docs/domain.md § After the conversation: "three parts and a date")."""
    errors = plan_completeness_errors(version_content(version))
    if not (version.follow_up_on or version.follow_up_week):
        errors.append(_("Give the date or week of the follow-up conversation."))
    return errors


def plan_quality_hints(content: PlanContent, *, types: Iterable[ActivityType] | None = None) -> list[str]:
    """The hints on a plan's quality; ``types``: the activity catalogue, read already."""
    courses = ActivityType.objects.filter(is_course=True) if types is None else (t for t in types if t.is_course)
    course_types = {plan_content.activity_type_ref(t) for t in courses}
    return plan_content.plan_quality_hints(content, course_types=course_types)


# Open items -----------------------------------------------------------------------------------


def open_items_of(plan: Plan) -> QuerySet[OpenItem]:
    return OpenItem.objects.filter(conversation_id=plan.conversation_id).order_by("deadline", "id")


def open_items_blocking(plan: Plan) -> list[OpenItem]:
    """The open items not yet answered: the plan "cannot be signed while an open item is unanswered"
    (docs/domain.md § The plan)."""
    return list(open_items_of(plan).filter(answered_at__isnull=True))


# Comments -------------------------------------------------------------------------------------


@transaction.atomic
def plan_comment_add(*, viewer: Viewer, version: PlanVersion, text: str) -> PlanComment:
    """ "The leader can comment and suggest" while the version is not signed; the employee is
    told by e-mail (a link, never the comment)."""
    plan = version.plan
    require_write(plan_policies.may_comment_on_plan(viewer, plan))
    check_round_open(plan)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    if len(text) > 5000:
        raise ValidationError({"text": _("Write at most %(max)d characters.") % {"max": 5000}})
    if version.is_frozen:
        raise ValidationError(_("This version of the plan is signed: comments belong to a new version."))
    comment = PlanComment.objects.create(version=version, author=viewer.person, text=text)
    audit_record(
        actor=viewer.user,
        action="plans.comment_added",
        target=comment,
        subject_person_id=plan.employee_id,
        data={"plan": str(plan.uuid), "version": version.number},
    )
    employee = plan.employee
    outbox_enqueue(
        kind="plans.comment_added",
        to_email=employee.email,
        language=employee.account_language,
        context={"plan": plan.pk, "person": employee.pk, "author": viewer.person_id},
        dedupe_key=f"plans.comment:{comment.uuid}",
    )
    return comment


# Sharing --------------------------------------------------------------------------------------

Recipient = Literal["daily_leader", "union_rep"]


@transaction.atomic
def plan_share(*, viewer: Viewer, plan: Plan, recipient: Recipient, share: bool) -> Plan:
    """ "The employee need not hand the plan to anyone but the leader holding the conversation":
    the employee lets the daily leader or the union representative read it, or takes it back.
    Sharing again keeps the first time; posted twice, nothing is recorded twice."""
    require_write(plan_policies.may_share_plan(viewer, plan))
    if recipient not in ("daily_leader", "union_rep"):
        raise ValidationError(_("Choose whom to share the plan with."))
    if recipient == "daily_leader" and share and plan.employee.daily_leader_id is None:
        raise ValidationError(_("You have no daily leader to share the plan with."))
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    field = "shared_with_daily_leader_at" if recipient == "daily_leader" else "shared_with_union_rep_at"
    if share == (getattr(locked, field) is not None):
        return locked
    setattr(locked, field, timezone.now() if share else None)
    locked.save(update_fields=[field])
    setattr(plan, field, getattr(locked, field))
    audit_record(
        actor=viewer.user,
        action="plans.plan_shared" if share else "plans.plan_unshared",
        target=plan,
        subject_person_id=plan.employee_id,
        data={"with": recipient},
    )
    return locked


# Reading --------------------------------------------------------------------------------------


def plan_read_record(*, viewer: Viewer, plan: Plan) -> None:
    """ "Every read of confidential content by someone other than its author … writes an audit
    event" (docs/trust.md § Audit trail): everyone but the employee reading the plan."""
    if Relation.SELF in relations_to(viewer, plan.employee):
        return
    audit_record(actor=viewer.user, action="plans.plan_read", target=plan, subject_person_id=plan.employee_id)


# The activity catalogue -----------------------------------------------------------------------


def _require_hr(viewer: Viewer) -> None:
    require_write(round_policies.may_manage_concepts(viewer))


@transaction.atomic
def activity_type_add(*, viewer: Viewer, name: str, is_course: bool) -> ActivityType:
    """HR extends the catalogue of development activities (docs/domain.md § The plan)."""
    _require_hr(viewer)
    name = _type_name(name)
    last = ActivityType.objects.order_by("-order").values_list("order", flat=True).first() or 0
    activity_type = ActivityType.objects.create(name=name, is_course=is_course, order=last + 1)
    audit_record(actor=viewer.user, action="plans.activity_type_added", target=activity_type, data={"name": name})
    return activity_type


def _type_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Write the name of the activity type.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Write at most %(max)d characters.") % {"max": 100}})
    labels = {t.label.casefold() for t in ActivityType.objects.all()}
    if name.casefold() in labels:
        raise ValidationError({"name": _("There is already an activity type with this name.")})
    return name


@transaction.atomic
def activity_type_change(
    *, viewer: Viewer, activity_type: ActivityType, name: str | None = None, active: bool | None = None
) -> ActivityType:
    """Rename one of HR's own types, or take any type out of new plans (and back). A built-in
    type keeps its translated name: it can be withdrawn, not renamed. Plans that use a withdrawn
    type keep it."""
    _require_hr(viewer)
    fields = []
    if name is not None and name.strip() != activity_type.name:
        if activity_type.key:
            raise ValidationError({"name": _("A built-in activity type cannot be renamed; you can withdraw it.")})
        activity_type.name = _type_name(name)
        fields.append("name")
    if active is not None and active != activity_type.active:
        activity_type.active = active
        fields.append("active")
    if not fields:
        return activity_type
    activity_type.save(update_fields=fields)
    audit_record(
        actor=viewer.user,
        action="plans.activity_type_changed",
        target=activity_type,
        data={"name": activity_type.label, "active": activity_type.active},
    )
    return activity_type
