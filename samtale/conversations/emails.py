"""The invitation's e-mails: the invitation with its calendar file (and its updates and
cancellations), and the notices about special topics, the "must improve" notice and attendees.

They carry no confidential text: not a topic, not the notice, nothing of a preparation. Time, place
and agenda are the invitation itself (docs/trust.md § Access matrix: the employee, the leader and
invited attendees read it); everything else is behind the link.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.competences.selectors.register import settle_count
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.services.scheduling import ics_uid
from samtale.lib.meetings.calendar import Method, Participant, attach_ics, calendar_file
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.rounds.models import ConceptPhase, PreparationForm, Round, RoundStatus
from samtale.rounds.selectors.unit_round import focus_areas_for


def conversation_link(conversation: Conversation) -> str:
    return settings.BASE_URL + reverse("conversations:detail", args=[conversation.uuid])


def invitation_ics(
    conversation: Conversation,
    when: TimeAndPlace,
    *,
    method: Method,
    sequence: int,
    organizer: Person | None,
    attendees: list[Person],
    phases: list[ConceptPhase],
) -> bytes:
    """The conversation at ``when`` as a calendar entry, in the current language. The description
    holds the agenda and the link, nothing else."""
    leader = organizer or conversation.employee.personnel_leader
    link = conversation_link(conversation)
    return calendar_file(
        when,
        method=method,
        uid=ics_uid(conversation),
        sequence=sequence,
        summary=_("%(round)s: conversation between %(employee)s and %(leader)s")
        % {
            "round": conversation.round.name,
            "employee": conversation.employee.name,
            "leader": leader.name if leader else "–",
        },
        organizer=Participant(leader.email, leader.name) if leader else None,
        attendees=[Participant(person.email, person.name) for person in attendees],
        agenda=[_("Agenda:"), *(f"{phase.order}. {phase.heading}" for phase in phases)],
        link=link,
        link_line=_("Open the conversation in Samtale: %(link)s") % {"link": link},
    )


def _attach_ics(email: EmailMultiAlternatives, content: bytes, method: Method) -> None:
    attach_ics(email, content, method, filename="invitation.ics")


def _found(message: OutboxMessage) -> tuple[Conversation, Person] | None:
    conversation = (
        Conversation.objects.select_related(
            "round", "round__concept", "employee", "employee__unit", "employee__personnel_leader"
        )
        .filter(pk=message.context.get("conversation"))
        .first()
    )
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if conversation is None or person is None or not person.is_employed():
        return None
    return conversation, person


def _people(ids: list[int]) -> list[Person]:
    """The people in the order given (the employee first)."""
    by_id = Person.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _common(conversation: Conversation, person: Person, context: dict[str, Any]) -> dict[str, Any]:
    when = TimeAndPlace.from_snapshot(context)
    organizer = _people([context["organizer"]]) if context.get("organizer") else []
    return {
        "conversation": conversation,
        "person": person,
        "employee": conversation.employee,
        "leader": organizer[0] if organizer else conversation.employee.personnel_leader,
        "is_employee": person.pk == conversation.employee_id,
        "starts_at": when.starts_at if when else None,
        "ends_at": when.ends_at if when else None,
        "duration": context.get("duration"),
        "location": context.get("location", ""),
        "online_url": context.get("online_url", ""),
        "link": conversation_link(conversation),
    }


@register("conversations.invitation")
def invitation(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The invitation, or its update: time, place, the agenda, the unit's focus areas, the
    inspiration questions (for the employee), the link; and the calendar file. Sent to an
    attendee before the time is set, it says the time will follow and has no calendar file."""
    found = _found(message)
    if found is None:
        return None
    conversation, person = found
    context = _common(conversation, person, message.context)
    concept = conversation.round.concept
    phases = list(concept.phases.all())
    held_on = message.context.get("held_on")
    context |= {
        "update": message.context.get("update", False),
        # The time moved to the day the conversation was held: a calendar update, not a call to prepare.
        "held_on": date.fromisoformat(held_on) if held_on else None,
        "phases": phases,
        "focus_areas": focus_areas_for(round_=conversation.round, unit=conversation.employee.unit),
        "questions": list(concept.questions.filter(form=PreparationForm.EMPLOYEE))
        if context["is_employee"] and not held_on
        else [],
        # A reminder to settle differing competence levels before the conversation (to the employee).
        "levels_to_settle": settle_count(conversation.employee) if context["is_employee"] and not held_on else 0,
    }
    email = render_email("emails/invitation_request", context, to=message.to_email)
    when = TimeAndPlace.from_snapshot(message.context)
    if when is not None:
        content = invitation_ics(
            conversation,
            when,
            method=Method.REQUEST,
            sequence=message.context["sequence"],
            organizer=context["leader"],
            attendees=_people(message.context.get("attendees", [])),
            phases=phases,
        )
        _attach_ics(email, content, Method.REQUEST)
    return email


@register("conversations.invitation_cancel")
def invitation_cancel(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The time is off: the conversation is cancelled (a new time follows), or this person is no
    longer invited. The calendar file removes the entry (METHOD:CANCEL, same UID)."""
    found = _found(message)
    if found is None:
        return None
    conversation, person = found
    context = _common(conversation, person, message.context) | {
        "whole": message.context.get("whole", True),
        "not_held": message.context.get("not_held", False),
    }
    when = TimeAndPlace.from_snapshot(message.context)
    if when is None:
        return None
    email = render_email("emails/invitation_cancel", context, to=message.to_email)
    content = invitation_ics(
        conversation,
        when,
        method=Method.CANCEL,
        sequence=message.context["sequence"],
        organizer=context["leader"],
        attendees=[person],
        phases=list(conversation.round.concept.phases.all()),
    )
    _attach_ics(email, content, Method.CANCEL)
    return email


@register("conversations.topic_raised")
def topic_raised(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The other side has announced a special topic: only that there is one, and the link."""
    found = _found(message)
    if found is None:
        return None
    conversation, person = found
    context = _common(conversation, person, message.context) | {"side": message.context.get("side")}
    return render_email("emails/invitation_topic", context, to=message.to_email)


@register("conversations.improvement_notice")
def improvement_notice(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The leader has written a "must improve" notice: the employee reads it in Samtale."""
    found = _found(message)
    if found is None:
        return None
    conversation, person = found
    context = _common(conversation, person, message.context) | {"changed": message.context.get("changed", False)}
    return render_email("emails/invitation_notice", context, to=message.to_email)


@register("conversations.attendee_asked")
def attendee_asked(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the leader: the employee asks for their daily leader, or brings their union
    representative; the leader answers or summons in Samtale."""
    found = _found(message)
    if found is None:
        return None
    conversation, person = found
    context = _common(conversation, person, message.context) | {
        "what": message.context.get("what"),
        "attendee": _people([message.context["attendee"]])[0] if message.context.get("attendee") else None,
    }
    return render_email("emails/invitation_attendee_asked", context, to=message.to_email)


@register("conversations.attendee_answered")
def attendee_answered(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the employee: the leader agreed to, or declined, the daily leader taking part."""
    found = _found(message)
    if found is None:
        return None
    conversation, person = found
    context = _common(conversation, person, message.context) | {
        "agreed": message.context.get("agreed", False),
        "attendee": _people([message.context["attendee"]])[0] if message.context.get("attendee") else None,
    }
    return render_email("emails/invitation_attendee_answered", context, to=message.to_email)


# Reminders (samtale/conversations/reminders.py) -----------------------------------------------------


@register("conversations.prepare_reminder")
def prepare_reminder(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The conversation is in a few days: a word to prepare, with the time and the link. Dropped
    when the conversation has moved, been cancelled or held since the sweep."""
    conversation = (
        Conversation.objects.select_related("round", "employee", "employee__personnel_leader")
        .filter(pk=message.context.get("conversation"), status=ConversationStatus.SCHEDULED)
        .first()
    )
    if conversation is None or conversation.starts_at is None or not conversation.employee.is_employed():
        return None
    if conversation.starts_at != datetime.fromisoformat(message.context["starts_at"]):
        return None
    context = {
        "conversation": conversation,
        "person": conversation.employee,
        "leader": conversation.employee.personnel_leader,
        "starts_at": conversation.starts_at,
        "link": settings.BASE_URL + reverse("conversations:preparation", args=[conversation.uuid]),
    }
    return render_email("emails/prepare_reminder", context, to=message.to_email)


@register("conversations.schedule_reminder")
def schedule_reminder(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The round's deadline nears and some of the leader's conversations have no time yet: how
    many, counted when the e-mail leaves (none left: nothing is sent)."""
    from samtale.conversations.services.reminders import unscheduled_for

    round_ = Round.objects.filter(pk=message.context.get("round"), status=RoundStatus.LAUNCHED).first()
    leader = Person.objects.filter(pk=message.context.get("person")).first()
    if round_ is None or leader is None or not leader.is_employed():
        return None
    today = timezone.localdate()
    count = unscheduled_for(round_=round_, leader=leader, today=today)
    if count == 0:
        return None
    context = {
        "round": round_,
        "person": leader,
        "count": count,
        "days_left": (round_.held_by - today).days,
        "link": settings.BASE_URL + reverse("dashboards:team"),
    }
    return render_email("emails/schedule_reminder", context, to=message.to_email)


@register("conversations.open_item_answered")
def open_item_answered(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """An open item of the employee's conversation has its answer: a link to the plan (or the
    conversation, where there is no plan), never the answer itself."""
    found = _found(message)
    if found is None:
        return None
    conversation, person = found
    context = _common(conversation, person, message.context)
    # The plan, read through the relation it declares (plans sit above conversations).
    plan_uuid = Conversation.objects.filter(pk=conversation.pk).values_list("plan__uuid", flat=True).first()
    if plan_uuid is not None:
        context["link"] = settings.BASE_URL + reverse("plans:detail", args=[plan_uuid])
    return render_email("emails/open_item_answered", context, to=message.to_email)
