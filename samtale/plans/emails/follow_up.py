"""The plan's follow-up e-mails, registered with the outbox (imported by ``samtale.plans.emails``).
They carry no confidential text: a link to Samtale instead. The follow-up conversation's time and
place are the invitation itself, as for the MUS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.translation import gettext as _

from samtale.lib.meetings.calendar import Method, Participant, attach_ics, calendar_file
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.plans.models import FollowUp, Plan
from samtale.plans.services.follow_up import follow_up_ics_uid


def follow_up_link(plan: Plan) -> str:
    return settings.BASE_URL + reverse("plans:follow_up", args=[plan.uuid])


def follow_up_ics(
    follow_up: FollowUp, when: TimeAndPlace, *, method: Method, sequence: int, organizer: Person | None
) -> bytes:
    """The follow-up conversation at ``when`` as a calendar entry, in the current language: its own
    UID, the employee as attendee, the link; nothing of the plan's content."""
    plan = follow_up.plan
    employee = plan.employee
    leader = organizer or employee.personnel_leader
    link = follow_up_link(plan)
    return calendar_file(
        when,
        method=method,
        uid=follow_up_ics_uid(follow_up),
        sequence=sequence,
        summary=_("Follow-up conversation between %(employee)s and %(leader)s")
        % {"employee": employee.name, "leader": leader.name if leader else "–"},
        organizer=Participant(leader.email, leader.name) if leader else None,
        attendees=[Participant(employee.email, employee.name)],
        link=link,
        link_line=_("Open the plan's follow-up in Samtale: %(link)s") % {"link": link},
    )


def _attach_ics(email: EmailMultiAlternatives, content: bytes, method: Method) -> None:
    attach_ics(email, content, method, filename="follow-up.ics")


def _found(message: OutboxMessage) -> tuple[Plan, Person] | None:
    plan = (
        Plan.objects.select_related("employee", "employee__personnel_leader", "conversation", "conversation__round")
        .filter(pk=message.context.get("plan"))
        .first()
    )
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if plan is None or person is None or not person.is_employed():
        return None
    return plan, person


def _common(plan: Plan, person: Person, context: dict[str, Any]) -> dict[str, Any]:
    when = TimeAndPlace.from_snapshot(context)
    organizer_id = context.get("organizer")
    organizer = Person.objects.filter(pk=organizer_id).first() if organizer_id else None
    return {
        "plan": plan,
        "person": person,
        "employee": plan.employee,
        "leader": organizer or plan.employee.personnel_leader,
        "starts_at": when.starts_at if when else None,
        "ends_at": when.ends_at if when else None,
        "duration": context.get("duration"),
        "location": context.get("location", ""),
        "online_url": context.get("online_url", ""),
        "link": follow_up_link(plan),
    }


@register("plans.follow_up_invitation")
def follow_up_invitation(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The follow-up conversation's invitation, or its update, with the calendar file."""
    found = _found(message)
    follow_up = FollowUp.objects.filter(plan_id=message.context.get("plan")).first()
    when = TimeAndPlace.from_snapshot(message.context)
    if found is None or follow_up is None or when is None:
        return None
    plan, person = found
    context = _common(plan, person, message.context) | {"update": message.context.get("update", False)}
    email = render_email("emails/follow_up_invitation", context, to=message.to_email)
    _attach_ics(
        email,
        follow_up_ics(
            follow_up,
            when,
            method=Method.REQUEST,
            sequence=message.context["sequence"],
            organizer=context["leader"],
        ),
        Method.REQUEST,
    )
    return email


@register("plans.follow_up_cancel")
def follow_up_cancel(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The time is off; the calendar file removes the entry (METHOD:CANCEL, same UID)."""
    found = _found(message)
    follow_up = FollowUp.objects.filter(plan_id=message.context.get("plan")).first()
    when = TimeAndPlace.from_snapshot(message.context)
    if found is None or follow_up is None or when is None:
        return None
    plan, person = found
    context = _common(plan, person, message.context)
    email = render_email("emails/follow_up_cancel", context, to=message.to_email)
    _attach_ics(
        email,
        follow_up_ics(
            follow_up,
            when,
            method=Method.CANCEL,
            sequence=message.context["sequence"],
            organizer=context["leader"],
        ),
        Method.CANCEL,
    )
    return email


@register("plans.follow_up_held")
def follow_up_held(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the employee: the follow-up is recorded; what was reached is in Samtale."""
    found = _found(message)
    if found is None:
        return None
    plan, person = found
    return render_email("emails/follow_up_held", _common(plan, person, message.context), to=message.to_email)


@register("plans.departure")
def departure(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the other side: the plan must be departed from; why is in Samtale."""
    found = _found(message)
    if found is None:
        return None
    plan, person = found
    context = _common(plan, person, message.context) | {"side": message.context.get("side")}
    return render_email("emails/plan_departure", context, to=message.to_email)


@register("plans.leader_changed")
def leader_changed(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the employee and to the new leader after a change of personnel leader: the plan and its
    follow-up pass to the new leader; the minutes of earlier conversations only if the employee
    agrees. Dropped when the change has been undone meanwhile."""
    employee = Person.objects.select_related("personnel_leader").filter(pk=message.context.get("employee")).first()
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if employee is None or person is None or not person.is_employed():
        return None
    if employee.personnel_leader_id != message.context.get("leader"):
        return None
    is_employee = person.pk == employee.pk
    plan = Plan.objects.filter(employee=employee).order_by("-created_at", "-id").first()
    if is_employee:
        link = settings.BASE_URL + reverse("plans:minutes_consent")
    elif plan is not None:
        link = settings.BASE_URL + reverse("plans:detail", args=[plan.uuid])
    else:
        from samtale.conversations.models import Conversation
        from samtale.rounds.models import RoundStatus

        conversation = (
            Conversation.objects.filter(employee=employee, round__status=RoundStatus.LAUNCHED).order_by("-id").first()
        )
        if conversation is None:
            return None
        link = settings.BASE_URL + reverse("conversations:detail", args=[conversation.uuid])
    context = {
        "person": person,
        "employee": employee,
        "leader": employee.personnel_leader,
        "is_employee": is_employee,
        "has_plan": plan is not None,
        "link": link,
    }
    return render_email("emails/leader_changed", context, to=message.to_email)
