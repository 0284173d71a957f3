"""The evaluation of a round (docs/domain.md § Evaluation of a round) and the 360-degree evaluation
of leaders: a survey, its questions, who is asked, and the answers.

Anonymous by construction (docs/trust.md § Anonymity): who is asked and whether they have answered
(``Invitation``) is kept apart from what was answered (``Response`` and its ``Answer`` rows). A
response has no link to a person or an invitation, a random primary key (so the order of the rows
says nothing about who answered first) and no time at all. It only keeps the group it counts in: the
unit the respondent belonged to when asked, and, in a 360, the leader it is about and the side it
comes from. Writes go through ``samtale.surveys.services``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.lib.suppression import DEFAULT_THRESHOLD, MIN_THRESHOLD
from samtale.org.models import Person, Unit
from samtale.rounds.models import Round

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

# Results of a group are shown only from this many answers: 5 unless HR sets another threshold,
# never one below 3 (docs/trust.md § Anonymity).


class SurveyKind(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation of the round")
    LEADER_360 = "leader_360", _("360-degree evaluation of leaders")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class Survey(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices)
    closes_on = models.DateField(
        _("last day to answer"),
        help_text=_("Answers are taken until the end of this day; the results are shown after it."),
    )
    threshold = models.PositiveSmallIntegerField(
        _("fewest answers shown"),
        default=DEFAULT_THRESHOLD,
        help_text=_("A group's results are shown only when at least this many in it have answered (never below 3)."),
    )
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    if TYPE_CHECKING:
        round_id: int
        questions: RelatedManager[Question]
        invitations: RelatedManager[Invitation]

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="surveys_survey_one_of_each_kind_per_round"),
            models.CheckConstraint(condition=Q(threshold__gte=MIN_THRESHOLD), name="surveys_survey_threshold_min"),
        ]

    def __str__(self) -> str:
        return f"{self.round.name}: {self.get_kind_display()}"

    def state(self, today: date | None = None) -> str:
        """Draft, open or closed: an open survey closes by itself after its last day."""
        if self.status == SurveyStatus.OPEN and self.closes_on < (today or timezone.localdate()):
            return SurveyStatus.CLOSED
        return self.status

    def takes_answers(self, today: date | None = None) -> bool:
        return self.state(today) == SurveyStatus.OPEN

    def shows_results(self, today: date | None = None) -> bool:
        """Results only once nobody can answer any more: a figure that changes with each answer
        would give away the answer by the difference."""
        return self.state(today) == SurveyStatus.CLOSED

    @property
    def is_360(self) -> bool:
        return self.kind == SurveyKind.LEADER_360


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    # In the evaluation of a round, a question about the conversation itself is put only to those
    # who answer that their conversation has been held (``Response.conversation_held``).
    about_conversation = models.BooleanField(
        _("only if the conversation was held"),
        default=False,
        help_text=_("Asked only of those who answer that their conversation in the round has been held."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Side(models.TextChoices):
    """Whom an invitation asks, and so the group an answer counts in."""

    PARTICIPANT = "participant", _("Participant in the round")
    TEAM = "team", _("Employee of the leader")
    SELF = "self", _("The leader about themself")
    LEADER = "leader", _("The leader's own leader")


class Invitation(models.Model):
    """Who is asked, and whether they have answered: kept only to stop a second answer and to
    remind those who have not. It never points to the answer."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_invitations")
    # In a 360: the leader the answer is about.
    subject = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=12, choices=Side.choices)
    # The unit the person belonged to when asked: the group their answer counts in.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    answered = models.BooleanField(default=False)

    if TYPE_CHECKING:
        survey_id: int
        person_id: int
        subject_id: int | None
        unit_id: int

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"], condition=Q(subject__isnull=True), name="surveys_invitation_once"
            ),
            models.UniqueConstraint(
                fields=["survey", "person", "subject"],
                condition=Q(subject__isnull=False),
                name="surveys_invitation_once_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["person", "survey"], name="surveys_invitation_person")]

    def __str__(self) -> str:
        return str(self.uuid)


class Response(models.Model):
    """One answer to the whole questionnaire, with nothing that leads back to who gave it."""

    id = models.UUIDField(primary_key=True, default=uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=12, choices=Side.choices)
    # The evaluation of a round asks first whether the person's conversation has been held
    # (docs/domain.md § Evaluation of a round: it "also checks that every employee had a
    # conversation"); a 360 does not (None).
    conversation_held = models.BooleanField(null=True, editable=False)

    if TYPE_CHECKING:
        survey_id: int
        unit_id: int
        subject_id: int | None
        answers: RelatedManager[Answer]

    class Meta:
        indexes = [
            models.Index(fields=["survey", "unit"], name="surveys_response_unit"),
            models.Index(fields=["survey", "subject", "side"], name="surveys_response_subject"),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # 1-5 on a scale; 1 (yes) or 0 (no); empty for free text.
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    if TYPE_CHECKING:
        response_id: object
        question_id: int

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveys_answer_once_per_question"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=5), name="surveys_answer_value_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)
