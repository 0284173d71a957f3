"""Conversation concepts (templates) and MUS rounds: from the management's goals, through each
unit's focus areas and the employees' proposed topics, to the launch that creates a
conversation for every participant.

Writes go through ``samtale.rounds.services`` (rounds, goals, the round in a unit, concepts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.org.models import Person, Unit

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class ConversationKind(models.TextChoices):
    MUS = "mus", _("MUS (employee development conversation)")
    GRUS = "grus", _("GRUS (group development conversation)")
    LUS = "lus", _("LUS (leader development conversation)")
    SENIOR = "senior", _("Senior conversation")


class Concept(models.Model):
    """How a kind of conversation is held: its phases, the questions of the two preparation
    forms, and its deadlines.

    A concept that a round uses is never changed underneath it: editing it makes a new version
    (same ``family``, ``version`` + 1) and the round keeps the version it was created with."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    family = models.UUIDField(default=uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of conversation"), max_length=10, choices=ConversationKind.choices)
    description = models.TextField(_("description"), blank=True)
    # The guidance HR has adapted, by topic ({key: {"title", "text"}}); samtale.rounds.guide has
    # the shipped texts for the rest.
    guide = models.JSONField(_("guidance"), default=dict, blank=True)
    plan_due_days = models.PositiveSmallIntegerField(
        _("days to hand in the plan"),
        default=14,
        help_text=_("The development plan is due this many days after the conversation."),
    )
    follow_up_within_months = models.PositiveSmallIntegerField(
        _("months to the follow-up"),
        default=6,
        help_text=_("The follow-up conversation is held at most this many months after the conversation."),
    )
    # The newest version of the family is the one HR edits and new rounds choose.
    is_current = models.BooleanField(default=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    if TYPE_CHECKING:
        phases: RelatedManager[ConceptPhase]
        questions: RelatedManager[PreparationQuestion]
        rounds: RelatedManager[Round]

    class Meta:
        verbose_name = _("conversation concept")
        verbose_name_plural = _("conversation concepts")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="rounds_concept_family_version"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(is_current=True), name="rounds_concept_one_current_version"
            ),
            models.CheckConstraint(condition=Q(plan_due_days__gte=1), name="rounds_concept_plan_due_days"),
            models.CheckConstraint(
                condition=Q(follow_up_within_months__gte=1, follow_up_within_months__lte=24),
                name="rounds_concept_follow_up_months",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class ConceptPhase(models.Model):
    """A phase of the conversation (docs/domain.md § The conversation — six phases), with its
    guidance and its inspiration questions, one per line."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40, help_text=_("Keeps the minutes of a phase together across versions."))
    heading = models.CharField(_("heading"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    questions = models.TextField(_("inspiration questions"), blank=True, help_text=_("One question per line."))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["concept", "order"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "order"], name="rounds_phase_order"),
            models.UniqueConstraint(fields=["concept", "key"], name="rounds_phase_key"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.heading}"

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class PreparationForm(models.TextChoices):
    EMPLOYEE = "employee", _("The employee's preparation")
    LEADER = "leader", _("The leader's preparation")


class PreparationQuestion(models.Model):
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="questions")
    form = models.CharField(max_length=10, choices=PreparationForm.choices)
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40, help_text=_("Keeps the answers to a question together across versions."))
    text = models.CharField(_("question"), max_length=500)
    help = models.TextField(_("help"), blank=True)

    class Meta:
        verbose_name = _("preparation question")
        verbose_name_plural = _("preparation questions")
        ordering = ["concept", "form", "order"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "form", "order"], name="rounds_question_order"),
            models.UniqueConstraint(fields=["concept", "form", "key"], name="rounds_question_key"),
        ]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    LAUNCHED = "launched", _("Launched")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    """One organisation-wide cycle of conversations with its own goals and deadlines, e.g.
    "MUS-2027" (docs/domain.md § Glossary)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    concept = models.ForeignKey(Concept, verbose_name=_("concept"), on_delete=models.PROTECT, related_name="rounds")
    opens_on = models.DateField(_("opens on"))
    held_by = models.DateField(_("conversations held by"))
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units taking part"),
        related_name="rounds",
        help_text=_("Each unit takes part with every unit below it."),
    )
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    launched_at = models.DateTimeField(null=True, blank=True)
    # When HR closed it: the retention clocks that count "after the round closes" start here
    # (docs/trust.md § Erasure and retention).
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    if TYPE_CHECKING:
        goals: RelatedManager[RoundGoal]

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="rounds_round_name"),
            models.CheckConstraint(condition=Q(held_by__gte=F("opens_on")), name="rounds_round_held_after_opening"),
        ]

    def __str__(self) -> str:
        return self.name


class RoundGoal(models.Model):
    """A strategic goal the management sets for the round (strategisk forankring)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("goal"), max_length=2000)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["round", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class UnitRound(models.Model):
    """The round in one unit: its leader's focus areas, and whether the leader has opened it
    for the unit's employees to propose topics."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="unit_rounds")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="unit_rounds")
    introduction = models.TextField(_("what the goals mean for the unit"), blank=True, max_length=5000)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    if TYPE_CHECKING:
        focus_areas: RelatedManager[FocusArea]
        proposals: RelatedManager[TopicProposal]

    class Meta:
        verbose_name = _("round in a unit")
        verbose_name_plural = _("rounds in units")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="rounds_unitround_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"


class FocusArea(models.Model):
    """A topic set for a unit's conversations (task development, working conditions, competence
    development, knowledge sharing …; docs/domain.md § Glossary)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    unit_round = models.ForeignKey(UnitRound, on_delete=models.CASCADE, related_name="focus_areas")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("focus area"), max_length=2000)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["unit_round", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class TopicProposal(models.Model):
    """A topic an employee proposes for the unit's conversations; the leader accepts or declines
    it with a word of why."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    unit_round = models.ForeignKey(UnitRound, on_delete=models.CASCADE, related_name="proposals")
    proposed_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("topic"), max_length=2000)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    answer = models.TextField(_("answer"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposed topic")
        verbose_name_plural = _("proposed topics")
        ordering = ["unit_round", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]
