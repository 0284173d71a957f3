"""The round's e-mails. They carry no confidential text: a link to Samtale instead."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.rounds.models import Round


def _round_and_person(message: OutboxMessage) -> tuple[Round, Person] | None:
    round_ = Round.objects.select_related("concept").filter(pk=message.context.get("round")).first()
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if round_ is None or person is None or not person.is_employed():
        return None
    return round_, person


@register("rounds.opened")
def round_opened(message: OutboxMessage) -> EmailMultiAlternatives | None:
    found = _round_and_person(message)
    if found is None:
        return None
    round_, person = found
    context = {"round": round_, "person": person, "link": settings.BASE_URL + reverse("dashboards:home")}
    return render_email("emails/round_opened", context, to=message.to_email)


@register("rounds.opened_for_team")
def round_opened_for_team(message: OutboxMessage) -> EmailMultiAlternatives | None:
    found = _round_and_person(message)
    if found is None:
        return None
    round_, person = found
    context = {"round": round_, "person": person, "link": settings.BASE_URL + reverse("dashboards:team")}
    return render_email("emails/round_opened_for_team", context, to=message.to_email)
