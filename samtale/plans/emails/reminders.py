"""The plan's reminder e-mails, registered with the outbox (imported by ``samtale.plans.emails``).
They carry no confidential text: a name, a date and a link to Samtale, never a word of the plan
or of an open item.

Each builder asks again, when the e-mail leaves, whether the reminder is still true, with the
sweep's own queryset (``samtale.plans.services.reminders``) narrowed to the one object and recipient:
a plan handed in, signed, a follow-up called or an item answered since the sweep, a new leader,
or someone who has left, and the reminder is dropped (the outbox cancels it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation
from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.plans.emails.writing import plan_link
from samtale.plans.models import Side
from samtale.plans.services import reminders

_RELATED = ("conversation", "employee", "employee__personnel_leader")


def conversation_link(conversation: Conversation) -> str:
    return settings.BASE_URL + reverse("conversations:detail", args=[conversation.uuid])


def _render(kind: str, message: OutboxMessage, person: Person, context: dict[str, Any]) -> EmailMultiAlternatives:
    return render_email(f"emails/{kind}", {"person": person, **context}, to=message.to_email)


@register(reminders.DUE)
def due_reminder(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The employee's plan is due in a few days, or today."""
    today = timezone.localdate()
    plan = reminders.plans_due(today=today).select_related(*_RELATED).filter(pk=message.context.get("plan")).first()
    if plan is None:
        return None
    context = {
        "plan": plan,
        "held_on": plan.conversation.held_on,
        "due_on": plan.due_on,
        "due_today": plan.due_on == today,
        "leader": plan.employee.personnel_leader,
        "link": plan_link(plan),
    }
    return _render("plan_due_reminder", message, plan.employee, context)


@register(reminders.OVERDUE)
def overdue_reminder(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The plan is past its due date and not signed by both: to the leader."""
    plan = (
        reminders.plans_overdue(today=timezone.localdate())
        .select_related(*_RELATED)
        .filter(pk=message.context.get("plan"), employee__personnel_leader=message.context.get("person"))
        .first()
    )
    if plan is None:
        return None
    leader = plan.employee.personnel_leader
    assert leader is not None  # the queryset requires one
    context = {
        "plan": plan,
        "employee": plan.employee,
        "held_on": plan.conversation.held_on,
        "due_on": plan.due_on,
        "link": plan_link(plan),
    }
    return _render("plan_overdue_reminder", message, leader, context)


@register(reminders.SIGNATURE)
def signature_reminder(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The current version waits for this side's signature (or, from the leader, for changes
    asked): to that side, while it still waits, since the same moment."""
    context = message.context
    version = (
        reminders.versions_awaiting_signature(now=timezone.now())
        .select_related(*(f"plan__{name}" for name in _RELATED), "plan")
        .filter(pk=context.get("version"))
        .first()
    )
    if version is None or version.waiting_since != datetime.fromisoformat(context["since"]):  # type: ignore[attr-defined]
        return None
    plan = version.plan
    if context.get("side") == Side.EMPLOYEE:
        if version.employee_signed:  # type: ignore[attr-defined]
            return None
        person = plan.employee
    else:
        if version.leader_signed or plan.employee.personnel_leader_id != context.get("person"):  # type: ignore[attr-defined]
            return None
        person = plan.employee.personnel_leader  # type: ignore[assignment]
    values = {
        "plan": plan,
        "employee": plan.employee,
        "is_employee": person.pk == plan.employee_id,
        "other_signed": version.employee_signed or version.leader_signed,  # type: ignore[attr-defined]
        "since": version.waiting_since,  # type: ignore[attr-defined]
        "link": plan_link(plan),
    }
    return _render("plan_signature_reminder", message, person, values)


@register(reminders.OPEN_ITEM)
def open_item_reminder(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """An open item is past its deadline and unanswered: to the employee's personnel leader.
    The item's text stays in Samtale."""
    item = (
        reminders.open_items_overdue(today=timezone.localdate())
        .select_related("conversation", "conversation__employee", "conversation__employee__personnel_leader")
        .filter(pk=message.context.get("item"), conversation__employee__personnel_leader=message.context.get("person"))
        .first()
    )
    if item is None:
        return None
    employee = item.conversation.employee
    leader = employee.personnel_leader
    assert leader is not None  # the queryset requires one
    context = {"employee": employee, "deadline": item.deadline, "link": conversation_link(item.conversation)}
    return _render("open_item_reminder", message, leader, context)


@register(reminders.FOLLOW_UP)
def follow_up_reminder(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The follow-up conversation is due soon and has no time, or its date has passed and it was
    not held: to the leader."""
    today = timezone.localdate()
    overdue = message.context.get("stage") == "overdue"
    plans = reminders.follow_ups_overdue(today=today) if overdue else reminders.follow_ups_soon(today=today)
    plan = (
        plans.select_related(*_RELATED)
        .filter(pk=message.context.get("plan"), employee__personnel_leader=message.context.get("person"))
        .first()
    )
    if plan is None:
        return None
    leader = plan.employee.personnel_leader
    assert leader is not None  # the queryset requires one
    context = {
        "plan": plan,
        "employee": plan.employee,
        "follow_up_by": plan.follow_up_by,
        "overdue": overdue,
        "link": plan_link(plan),
    }
    return _render("follow_up_reminder", message, leader, context)
