"""The plan's writing e-mails, registered with the outbox (imported by ``samtale.plans.emails``).
They carry no confidential text: a link to Samtale instead."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.plans.models import Plan


def plan_link(plan: Plan) -> str:
    return settings.BASE_URL + reverse("plans:detail", args=[plan.uuid])


@register("plans.comment_added")
def comment_added(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The leader commented on the plan: the employee gets a link, never the comment."""
    plan = Plan.objects.select_related("conversation__round").filter(pk=message.context.get("plan")).first()
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if plan is None or person is None or not person.is_employed():
        return None
    author = Person.objects.filter(pk=message.context.get("author")).first()
    context = {"plan": plan, "person": person, "author": author, "link": plan_link(plan)}
    return render_email("emails/plan_comment", context, to=message.to_email)
