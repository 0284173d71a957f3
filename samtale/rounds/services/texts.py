"""The texts written in a round (management's goals, a unit's focus areas, proposed topics and
their answers): each checked the same way, and those kept in a list moved and renumbered."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samtale.rounds.models import FocusArea, RoundGoal

MAX_TEXT = 2000


def clean_text(text: str, *, field: str = "text", limit: int = MAX_TEXT) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("Keep it to %(limit)s characters; this is %(length)s.") % {"limit": limit, "length": len(text)}}
        )
    return text


def renumber(model: type[RoundGoal] | type[FocusArea], ordered: list[Any]) -> None:
    """Give the rows the orders 0, 1, 2 … in the given sequence, writing only those that move."""
    for index, row in enumerate(ordered):
        if row.order != index:
            row.order = index
            model.objects.filter(pk=row.pk).update(order=index)


def moved(rows: list[Any], row: Any, direction: int) -> list[Any] | None:
    position = next(i for i, other in enumerate(rows) if other.pk == row.pk)
    target = position + direction
    if not 0 <= target < len(rows):
        return None
    rows[position], rows[target] = rows[target], rows[position]
    return rows
