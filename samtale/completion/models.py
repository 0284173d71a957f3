"""The completion counters of a round: per unit, how many of its members' conversations have reached
each step. They keep the overview at the same number of queries whatever the size of the
organisation (docs/domain.md § Completion overview): they let the overview of a 50,000-person
organisation add up a few thousand unit rows instead of joining every conversation to its plan and
follow-up.

A row counts the conversations of the people whose unit it is *now* (as the live drill-down
does). It is written only by ``samtale.completion.counters``: recomputed from the conversations
of its unit by the services that move a conversation, a plan or a follow-up (inside their
transaction, the row locked first), rebuilt for a whole round by the bulk writers (launch,
import) and every morning by the daily sweep, so a missed path heals by the next day.

No content here: counts and dates only ("HR sees dates and states, never text",
docs/trust.md § HR sees dates and states).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from samtale.org.models import Unit
from samtale.rounds.models import Round

# The counted steps, in the order of the columns (and of ``selectors.Counts``).
COUNTED = (
    "participants",
    "invited",
    "scheduled",
    "held",
    "not_held",
    "plan_submitted",
    "plan_signed",
    "follow_up_held",
)


class UnitCompletion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    participants = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    scheduled = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    not_held = models.PositiveIntegerField(default=0)
    plan_submitted = models.PositiveIntegerField(default=0)
    plan_signed = models.PositiveIntegerField(default=0)
    follow_up_held = models.PositiveIntegerField(default=0)

    if TYPE_CHECKING:
        round_id: int
        unit_id: int

    class Meta:
        verbose_name = _("completion of a unit")
        verbose_name_plural = _("completion of units")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="oversight_completion_once")]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.unit_id}"


class DayKind(models.TextChoices):
    PLAN_DUE = "plan_due", _("Plans not signed, by the day they are due")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-ups not held, by their last day")
    HELD = "held", _("Conversations held, by the day held")
    SIGNED = "signed", _("Plans signed, by the day signed")


class CompletionDay(models.Model):
    """The dated part of a unit's counters: how many of its conversations have a date of a kind
    on a day. What is late is then a sum over the days before today, in SQL, and the round over
    time a sum per day."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=14, choices=DayKind.choices)
    day = models.DateField()
    count = models.PositiveIntegerField()

    if TYPE_CHECKING:
        round_id: int
        unit_id: int

    class Meta:
        verbose_name = _("dated completion of a unit")
        verbose_name_plural = _("dated completion of units")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "kind", "day"], name="oversight_completion_day_once")
        ]
        indexes = [
            # Covering: the round over time and what is late add up a kind's days from the index
            # alone (at 200,000 people, 208,000 rows: the chart's sum 73 → 18 ms on SQLite).
            models.Index(fields=["round", "kind", "day", "unit", "count"], name="completion_day_sums"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.unit_id} · {self.kind} {self.day}: {self.count}"
