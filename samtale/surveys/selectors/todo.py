"""What the evaluations ask of a person now, for their start page (``samtale.dashboards.todo``): the
evaluations waiting for their answer; for HR, evaluations to open and those past their closing
date to close. One query each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from samtale.lib.todo import ToDo, due_state
from samtale.surveys.models import Invitation, Survey, SurveyStatus


def todo_for_respondent(*, waiting: Sequence[Invitation]) -> list[ToDo]:
    """From what the start page already read (``invitations_waiting``)."""
    return [
        ToDo(
            "survey.answer",
            _("Answer the evaluation: %(survey)s") % {"survey": invitation.survey},
            reverse("surveys:answer", args=[invitation.uuid]),
            due=invitation.survey.closes_on,
            ref=invitation.pk,
            icon="feedback",
        )
        for invitation in waiting
    ]


def todo_for_hr(*, today: date) -> list[ToDo]:
    items = []
    surveys = Survey.objects.exclude(status=SurveyStatus.CLOSED).select_related("round").order_by("closes_on", "id")
    for survey in surveys:
        if survey.status == SurveyStatus.DRAFT:
            items.append(
                ToDo(
                    "survey.open",
                    _("Open the evaluation: %(survey)s") % {"survey": survey},
                    reverse("surveys:detail", args=[survey.uuid]),
                    due=survey.closes_on,
                    late=due_state(survey.closes_on, today),
                    ref=survey.pk,
                    icon="send",
                )
            )
        elif survey.closes_on < today:
            items.append(
                ToDo(
                    "survey.close",
                    _("Close the evaluation: %(survey)s") % {"survey": survey},
                    reverse("surveys:detail", args=[survey.uuid]),
                    due=survey.closes_on,
                    late=True,
                    ref=survey.pk,
                    icon="analytics",
                )
            )
    return items
