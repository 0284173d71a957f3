"""The oversight's e-mail kinds, registered with the outbox when the app is ready."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.oversight.selectors.nudges import late_conversations_led_by
from samtale.rounds.models import Round, RoundStatus


@register("oversight.nudge")
def nudge(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """HR's reminder to a leader: how many of their conversations are not held by the deadline,
    counted when the e-mail leaves (none left, or the leader gone: nothing is sent), and a link."""
    round_ = Round.objects.filter(pk=message.context.get("round"), status=RoundStatus.LAUNCHED).first()
    leader = Person.objects.filter(pk=message.context.get("person")).first()
    if round_ is None or leader is None or not leader.is_employed():
        return None
    count = late_conversations_led_by(round_=round_, leader_id=leader.pk)
    if count == 0:
        return None
    context = {
        "round": round_,
        "person": leader,
        "count": count,
        "link": settings.BASE_URL + reverse("dashboards:team"),
    }
    return render_email("emails/oversight_nudge", context, to=message.to_email)
