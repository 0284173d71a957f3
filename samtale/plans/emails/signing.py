"""The plan's signing e-mails, registered with the outbox (imported by ``samtale.plans.emails``).
They carry no confidential text: what happened and a link to Samtale, never what the plan says
or what the leader asked to change."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.plans.models import Plan, PlanVersion

EVENTS = ("submitted", "changes_asked", "signed", "signed_both", "amendment_started")


@register("plans.signing")
def signing(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the other side: the plan was handed in, changes were asked for, one side signed, both
    signed, or an amendment was started. Dropped if the plan or the person is gone."""
    from samtale.plans.views.signing import plan_page_url

    context = message.context
    plan = (
        Plan.objects.select_related("employee", "conversation", "conversation__round")
        .filter(pk=context.get("plan"))
        .first()
    )
    version = PlanVersion.objects.filter(pk=context.get("version")).first()
    person = Person.objects.filter(pk=context.get("person")).first()
    event = context.get("event")
    if plan is None or version is None or person is None or not person.is_employed() or event not in EVENTS:
        return None
    return render_email(
        "emails/plan_signing",
        {
            "event": event,
            "plan": plan,
            "version": version,
            "person": person,
            "employee": plan.employee,
            "is_employee": person.pk == plan.employee_id,
            "link": settings.BASE_URL + plan_page_url(plan),
        },
        to=message.to_email,
    )
