"""The surveys, their invitations and questions, and how many have answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from samtale.lib.queries import fetch
from samtale.org.models import Person
from samtale.rounds.models import Round, RoundStatus
from samtale.surveys.models import Invitation, Question, Survey, SurveyStatus


def survey_by_uuid(*, survey_uuid: UUID | str) -> Survey | None:
    return Survey.objects.select_related("round").filter(uuid=survey_uuid).first()


def surveys_all() -> QuerySet[Survey]:
    return Survey.objects.select_related("round").order_by("-created_at")


def surveys_with_results() -> QuerySet[Survey]:
    """Closed surveys (by status, or past their last day): the ones whose results can be read."""
    today = timezone.localdate()
    return surveys_all().filter(Q(status=SurveyStatus.CLOSED) | Q(status=SurveyStatus.OPEN, closes_on__lt=today))


def rounds_for_surveys() -> QuerySet[Round]:
    return Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-opens_on")


def invitation_by_uuid(*, invitation_uuid: UUID | str) -> Invitation | None:
    return Invitation.objects.select_related("survey__round", "subject").filter(uuid=invitation_uuid).first()


def invitations_waiting(*, person: Person, today: date | None = None) -> list[Invitation]:
    """What the person has still to answer, in surveys open today."""
    today = today or timezone.localdate()
    return fetch(
        Invitation.objects.filter(
            person=person, answered=False, survey__status=SurveyStatus.OPEN, survey__closes_on__gte=today
        )
        .select_related("survey__round", "subject")
        .order_by("survey__closes_on", "side", "subject__name"),
        "surveys.invitations_waiting",
    )


def question_list(*, survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "pk"))


@dataclass(frozen=True)
class Participation:
    """How many have answered: shown as a number only once it meets the threshold (a smaller
    count is itself a group under the threshold)."""

    asked: int
    answered: int
    threshold: int

    @property
    def shown(self) -> bool:
        return self.answered >= self.threshold

    @property
    def percent(self) -> int:
        return self.answered * 100 // self.asked if self.asked else 0


def participation(*, survey: Survey) -> Participation:
    figures = survey.invitations.aggregate(asked=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
    return Participation(asked=figures["asked"], answered=figures["answered"], threshold=survey.threshold)
