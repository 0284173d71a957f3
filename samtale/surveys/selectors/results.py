"""A question's result: the answers counted per value, with their mean, spread and chart."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from samtale.lib.charts import scale_x
from samtale.surveys.models import Question, QuestionKind


@dataclass
class QuestionResult:
    question: Question
    # A scale: how many answered 1, 2, 3, 4, 5; yes or no: how many answered no and yes.
    distribution: list[int]
    texts: list[str] = field(default_factory=list)
    # A question about the conversation, in a group where too few whose conversation was held
    # answered: nothing of it is shown (the distribution is left empty).
    hidden: bool = False

    @property
    def count(self) -> int:
        return sum(self.distribution)

    @property
    def values(self) -> list[int]:
        return [1, 2, 3, 4, 5] if self.question.kind == QuestionKind.SCALE else [0, 1]

    @property
    def mean(self) -> float | None:
        if not self.count:
            return None
        return sum(v * n for v, n in zip(self.values, self.distribution, strict=True)) / self.count

    @property
    def spread(self) -> float | None:
        """The standard deviation of the answers."""
        mean = self.mean
        if mean is None:
            return None
        return math.sqrt(
            sum(n * (v - mean) ** 2 for v, n in zip(self.values, self.distribution, strict=True)) / self.count
        )

    @property
    def lowest(self) -> int | None:
        return next((v for v, n in zip(self.values, self.distribution, strict=True) if n), None)

    @property
    def highest(self) -> int | None:
        return next((v for v, n in reversed(list(zip(self.values, self.distribution, strict=True))) if n), None)

    @property
    def yes_percent(self) -> int | None:
        return self.distribution[1] * 100 // self.count if self.count else None

    # Positions on the 1-5 scale of the report's picture (samtale.lib.charts, surveys/_scale.html).
    @property
    def mean_x(self) -> int:
        return scale_x(self.mean or 1)

    @property
    def band_x(self) -> int:
        return scale_x(self.lowest or 1)

    @property
    def band_width(self) -> int:
        return scale_x(self.highest or 1) - scale_x(self.lowest or 1)

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(value, count, share in percent) for a chart."""
        total = self.count or 1
        return [(v, n, n * 100 // total) for v, n in zip(self.values, self.distribution, strict=True)]


def empty_distribution(question: Question) -> list[int]:
    """No answers yet, one count per value the question can have."""
    return [0] * (5 if question.kind == QuestionKind.SCALE else 2)


def add_answers(distribution: list[int], question: Question, value: int | None, count: int) -> None:
    """Count ``count`` answers of ``value`` into the distribution."""
    if value is None:
        return
    index = value - 1 if question.kind == QuestionKind.SCALE else value
    if 0 <= index < len(distribution):
        distribution[index] += count
