"""Helpers for the surveys' tests: a survey opened by HR over the personas' round, answers given
through the service as each person would, and the survey closed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.org.models import Person
from samtale.surveys import services
from samtale.surveys.models import Invitation, QuestionKind, Survey, SurveyKind
from samtale.testing import Mus, Org


def open_survey(org: Org, mus: Mus, *, kind: str = SurveyKind.EVALUATION, threshold: int = 3) -> Survey:
    hr = viewer_for(org.user("hr"))
    survey = services.survey_create(
        viewer=hr,
        round_=mus.round,
        kind=kind,
        closes_on=timezone.localdate() + timedelta(days=14),
        threshold=threshold,
    )
    services.survey_open(viewer=hr, survey=survey)
    survey.refresh_from_db()
    return survey


def values_for(survey: Survey, rating: int = 4, text: str = "") -> dict[int, Any]:
    values: dict[int, Any] = {}
    for question in survey.questions.all():
        if question.kind == QuestionKind.SCALE:
            values[question.pk] = rating
        elif question.kind == QuestionKind.YES_NO:
            values[question.pk] = 1 if rating >= 3 else 0
        else:
            values[question.pk] = text
    return values


def answer(
    survey: Survey,
    person: Person,
    *,
    subject: Person | None = None,
    rating: int = 4,
    text: str = "",
    held: bool = True,
) -> None:
    """The person answers as the form would send it: in the evaluation of a round, whether their
    conversation has been held (``held``), and if not, nothing about the conversation."""
    invitation = Invitation.objects.get(survey=survey, person=person, subject=subject)
    assert person.user is not None
    about = set(survey.questions.filter(about_conversation=True).values_list("pk", flat=True))
    values = {pk: value for pk, value in values_for(survey, rating, text).items() if held or pk not in about}
    services.survey_answer(
        viewer=viewer_for(person.user),
        invitation=invitation,
        values=values,
        conversation_held=None if survey.is_360 else held,
    )


def close(org: Org, survey: Survey) -> None:
    services.survey_close(viewer=viewer_for(org.user("hr")), survey=survey)
    survey.refresh_from_db()
