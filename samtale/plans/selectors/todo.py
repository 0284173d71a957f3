"""What the development plan asks of a person now, for their start page (``samtale.dashboards.todo``):
the employee writes, hands in and signs the plan and notes how it goes before the follow-up; the
leader reads and signs, answers open items, and calls the follow-up; a plan past its date shows.

The querysets at the top are the rules; the daily reminders narrow them to their days
(``samtale.plans.services.reminders``), so every reminder has its line on the start page
(tested in ``plans/tests/test_todo.py``). Nothing of a closed round asks anything. Each
``todo_for_*`` is a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.conversations.models import OpenItem
from samtale.lib.formatting import long_date
from samtale.lib.todo import ToDo, due_state
from samtale.org.models import Person, employed_q
from samtale.plans.models import FollowUpStatus, Plan, PlanStatus, PlanVersion, Side, Signature
from samtale.rounds.models import RoundStatus

# Plans the employee still has to hand in.
NOT_HANDED_IN = (PlanStatus.DRAFT, PlanStatus.CHANGES_ASKED)
# The follow-up shows this many days before its date (and the leader is reminded to call it).
FOLLOW_UP_SOON_DAYS = 30


def _with_leader(prefix: str, today: date) -> Q:
    """The person and their personnel leader are both still employed."""
    return employed_q(prefix, on=today) & employed_q(f"{prefix}personnel_leader__", on=today)


def plans_to_hand_in(*, today: date) -> QuerySet[Plan]:
    """Plans the employee is writing (or changing as asked) and has not handed in."""
    return (
        Plan.objects.filter(status__in=NOT_HANDED_IN, signed_at__isnull=True)
        .filter(employed_q("employee__", on=today))
        .exclude(conversation__round__status=RoundStatus.CLOSED)
    )


def plans_past_due(*, today: date) -> QuerySet[Plan]:
    """Plans past their due date that are not signed by both, with a leader who is still here."""
    return (
        Plan.objects.filter(signed_at__isnull=True, due_on__lt=today)
        .exclude(conversation__round__status=RoundStatus.CLOSED)
        .filter(_with_leader("employee__", today))
        .exclude(employee__personnel_leader=None)
    )


def versions_waiting(*, today: date) -> QuerySet[PlanVersion]:
    """The current version of each plan that waits for a signature, with ``waiting_since`` (the
    last signature, else the hand-in) and the sides that have signed (``employee_signed``,
    ``leader_signed``). A version waits when it is handed in (the leader signs or asks for
    changes) or when one side has signed; one the leader asked to change waits for the
    employee's writing, not a signature."""
    signed = Signature.objects.filter(version=OuterRef("pk"))
    return (
        PlanVersion.objects.filter(signed_at__isnull=True)
        .exclude(status__in=[PlanStatus.CHANGES_ASKED, PlanStatus.SIGNED])
        .exclude(Exists(PlanVersion.objects.filter(plan=OuterRef("plan"), number__gt=OuterRef("number"))))
        .annotate(
            employee_signed=Exists(signed.filter(side=Side.EMPLOYEE)),
            leader_signed=Exists(signed.filter(side=Side.LEADER)),
            waiting_since=Coalesce(Max("signatures__signed_at"), F("submitted_at")),
        )
        .filter(Q(status=PlanStatus.SUBMITTED) | Q(employee_signed=True) | Q(leader_signed=True))
        .filter(employed_q("plan__employee__", on=today))
        .exclude(plan__conversation__round__status=RoundStatus.CLOSED)
    )


def open_items_unanswered(*, today: date) -> QuerySet[OpenItem]:
    """Open items of a conversation (a question to clarify by a date) nobody has answered yet."""
    return (
        OpenItem.objects.filter(answered_at__isnull=True)
        .exclude(conversation__round__status=RoundStatus.CLOSED)
        .filter(_with_leader("conversation__employee__", today))
        .exclude(conversation__employee__personnel_leader=None)
    )


def follow_ups_not_held(*, today: date) -> QuerySet[Plan]:
    """Signed plans whose follow-up conversation has not been held."""
    return (
        Plan.objects.filter(signed_at__isnull=False, follow_up_by__isnull=False)
        .exclude(follow_up__status=FollowUpStatus.HELD)
        .exclude(conversation__round__status=RoundStatus.CLOSED)
        .filter(_with_leader("employee__", today))
        .exclude(employee__personnel_leader=None)
    )


def follow_ups_to_call(*, today: date) -> QuerySet[Plan]:
    """Signed plans whose follow-up is due within ``FOLLOW_UP_SOON_DAYS`` days (or is past) and
    has no time yet."""
    return (
        follow_ups_not_held(today=today)
        .filter(follow_up_by__lte=today + timedelta(days=FOLLOW_UP_SOON_DAYS))
        .exclude(follow_up__status=FollowUpStatus.SCHEDULED)
    )


# The start page -----------------------------------------------------------------------------------


def todo_for_employee(*, person: Person, plans: Sequence[Plan], now: datetime) -> list[ToDo]:
    """The plan to write, the plan to sign, the follow-up coming. ``plans`` are the person's plans
    the start page has already read: a rule is asked of the database (one query each) only when
    one of them is in a state the rule could hold for, so most employees cost no query here."""
    today = timezone.localdate(now)
    soon = today + timedelta(days=FOLLOW_UP_SOON_DAYS)
    items = []
    if any(plan.status in NOT_HANDED_IN and plan.signed_at is None for plan in plans):
        for plan in plans_to_hand_in(today=today).filter(employee=person).order_by("due_on", "id"):
            text = (
                _("Change your development plan as your leader asked, and hand it in again")
                if plan.status == PlanStatus.CHANGES_ASKED
                else _("Write your development plan and hand it to your leader")
            )
            items.append(
                ToDo(
                    "plan.write",
                    text,
                    reverse("plans:edit", args=[plan.uuid]),
                    due=plan.due_on,
                    late=due_state(plan.due_on, today),
                    ref=plan.pk,
                    icon="edit",
                )
            )
    if any(plan.status == PlanStatus.SUBMITTED for plan in plans):
        to_sign = versions_waiting(today=today).filter(  # type: ignore[misc]  # the annotations
            plan__employee=person, employee_signed=False, leader_signed=True
        )
        for version in to_sign.select_related("plan"):
            items.append(
                ToDo(
                    "plan.sign",
                    _("Sign your development plan: your leader has signed it"),
                    reverse("plans:detail", args=[version.plan.uuid]),
                    ref=version.plan_id,
                    icon="how-to-reg",
                )
            )
    if any(plan.signed_at and plan.follow_up_by and plan.follow_up_by <= soon for plan in plans):
        for plan in follow_ups_not_held(today=today).filter(employee=person, follow_up_by__lte=soon):
            assert plan.follow_up_by is not None
            items.append(
                ToDo(
                    "plan.progress",
                    _("Note how your development plan is going, before the follow-up by %(date)s")
                    % {"date": long_date(plan.follow_up_by)},
                    reverse("plans:follow_up", args=[plan.uuid]),
                    due=plan.follow_up_by,
                    late=due_state(plan.follow_up_by, today),
                    ref=plan.pk,
                    icon="checklist",
                )
            )
    return items


def todo_for_leader(*, leader: Person, now: datetime) -> list[ToDo]:
    """Four queries: plans to sign, plans past their date, open items, follow-ups to call."""
    today = timezone.localdate(now)
    items = []
    waiting = versions_waiting(today=today).filter(  # type: ignore[misc]  # the annotations
        plan__employee__personnel_leader=leader, leader_signed=False
    )
    signing = set()
    for version in waiting.select_related("plan__employee").order_by("waiting_since"):  # type: ignore[misc]
        signing.add(version.plan_id)
        items.append(
            ToDo(
                "plan.sign",
                _("Read %(name)s's development plan, and sign it or ask for changes")
                % {"name": version.plan.employee.name},
                reverse("plans:detail", args=[version.plan.uuid]),
                due=version.plan.due_on,
                late=due_state(version.plan.due_on, today),
                ref=version.plan_id,
                icon="how-to-reg",
            )
        )
    late = plans_past_due(today=today).filter(employee__personnel_leader=leader).select_related("employee")
    for plan in late.order_by("due_on", "id"):
        if plan.pk in signing:
            continue  # already on the list, waiting for the leader
        items.append(
            ToDo(
                "plan.overdue",
                _("%(name)s's development plan is not signed by both") % {"name": plan.employee.name},
                reverse("plans:detail", args=[plan.uuid]),
                due=plan.due_on,
                late=True,
                ref=plan.pk,
                icon="error",
            )
        )
    items_open = open_items_unanswered(today=today).filter(conversation__employee__personnel_leader=leader)
    for item in items_open.select_related("conversation__employee").order_by("deadline", "id"):
        items.append(
            ToDo(
                "plan.open_item",
                _("Answer an open item from %(name)s's conversation") % {"name": item.conversation.employee.name},
                reverse("conversations:guide", args=[item.conversation.uuid]) + "?phase=last#open-items",
                due=item.deadline,
                late=due_state(item.deadline, today),
                ref=item.pk,
                icon="help",
            )
        )
    follow_ups = (
        follow_ups_not_held(today=today)
        .filter(employee__personnel_leader=leader, follow_up_by__lte=today + timedelta(days=FOLLOW_UP_SOON_DAYS))
        .exclude(follow_up__status=FollowUpStatus.SCHEDULED, follow_up_by__gte=today)  # booked, still to come
        .select_related("employee", "follow_up")
        .order_by("follow_up_by", "id")
    )
    for plan in follow_ups:
        assert plan.follow_up_by is not None
        booked = getattr(plan, "follow_up", None) is not None and plan.follow_up.status == FollowUpStatus.SCHEDULED
        text = (
            _("Record the follow-up conversation with %(name)s")
            if booked
            else _("Call the follow-up conversation with %(name)s")
        )
        items.append(
            ToDo(
                "plan.follow_up",
                text % {"name": plan.employee.name},
                reverse("plans:follow_up", args=[plan.uuid]),
                due=plan.follow_up_by,
                late=due_state(plan.follow_up_by, today),
                ref=plan.pk,
                icon="calendar-month",
            )
        )
    return items
