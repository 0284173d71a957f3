"""Reads of the completion counters for the start page: the chain of leaders sees the units below
theirs that are behind (``samtale.dashboards.todo``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils.translation import ngettext

from samtale.completion.models import UnitCompletion
from samtale.lib.todo import ToDo, due_state
from samtale.org.models import Unit
from samtale.rounds.models import RoundStatus

# The chain is told of the units below once the round's held-by date is this near (or past).
BEHIND_DAYS = 30


def todo_for_chain(*, led_units: Sequence[Unit], today: date) -> list[ToDo]:
    """For each unit the viewer leads, the conversations below it (in the units under it, not its
    own) not held yet, per running round whose held-by date is within ``BEHIND_DAYS`` days or
    past. One query, whatever the size of the tree below."""
    if not led_units:
        return []
    not_yet = F("participants") - F("held") - F("not_held")
    sums = {
        f"below_{unit.pk}": Sum(not_yet, filter=Q(unit__path__startswith=unit.path) & ~Q(unit=unit))
        for unit in led_units
    }
    below = Q()
    for unit in led_units:
        below |= Q(unit__path__startswith=unit.path)
    rows = (
        UnitCompletion.objects.filter(
            below, round__status=RoundStatus.LAUNCHED, round__held_by__lte=today + timedelta(days=BEHIND_DAYS)
        )
        .values("round_id", "round__uuid", "round__name", "round__held_by")
        .annotate(**sums)
        .order_by("round__held_by", "round_id")
    )
    items = []
    for row in rows:
        sums_of: dict[str, Any] = dict(row)
        for unit in led_units:
            count = sums_of[f"below_{unit.pk}"] or 0
            if count <= 0:
                continue
            held_by = row["round__held_by"]
            items.append(
                ToDo(
                    "completion.behind",
                    ngettext(
                        "%(count)s conversation in the units below %(unit)s is not held yet (%(round)s)",
                        "%(count)s conversations in the units below %(unit)s are not held yet (%(round)s)",
                        count,
                    )
                    % {"count": count, "unit": unit.name, "round": row["round__name"]},
                    reverse("oversight:unit", args=[row["round__uuid"], unit.uuid]),
                    due=held_by,
                    late=due_state(held_by, today),
                    ref=unit.pk,
                    icon="analytics",
                )
            )
    return items
