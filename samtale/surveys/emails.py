"""The surveys' e-mail kinds, registered with the outbox when the app is ready. Each is built when
it leaves: a person who has answered everything by then, or a survey that has closed, gets none."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.surveys.models import Invitation, Survey


def _build(message: OutboxMessage, template: str) -> EmailMultiAlternatives | None:
    survey = Survey.objects.select_related("round").filter(pk=message.context.get("survey")).first()
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if survey is None or person is None or not person.is_employed() or not survey.takes_answers():
        return None
    invitations = list(
        Invitation.objects.filter(survey=survey, person=person, answered=False)
        .select_related("subject")
        .order_by("side", "subject__name")
    )
    if not invitations:
        return None
    links = [
        (invitation, settings.BASE_URL + reverse("surveys:answer", kwargs={"invitation_uuid": invitation.uuid}))
        for invitation in invitations
    ]
    context = {"survey": survey, "person": person, "links": links}
    return render_email(template, context, to=message.to_email)


@register("surveys.invitation")
def invitation(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The one e-mail with the person's link (a link per leader to answer about, in a 360)."""
    return _build(message, "emails/survey_invitation")


@register("surveys.reminder")
def reminder(message: OutboxMessage) -> EmailMultiAlternatives | None:
    return _build(message, "emails/survey_reminder")
