"""Keeping the completion counters (``UnitCompletion`` and its dated ``CompletionDay`` rows)
equal to the conversations they count.

Every counter row is *recomputed* from its unit's conversations, never incremented, so a row is
right as soon as it is written, whichever service wrote it:

- ``completion_refresh`` — a service that moved conversations, their plans or follow-ups calls
  it in its transaction; the row is locked first (PostgreSQL; SQLite's write transactions
  are serial anyway), so two services on the same unit at once write in turn, each counting the
  other's change;
- ``completion_people_moved`` — the units people left and joined (import, HR's edit);
- ``completion_rebuild`` — a whole round in bulk SQL (the launch) or every started round (the
  daily sweep, and ``manage.py completion_rebuild``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from samtale.completion.models import COUNTED, CompletionDay, DayKind, UnitCompletion
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.org.models import PlacementChange, PlacementField
from samtale.plans.models import FollowUpStatus
from samtale.rounds.models import Round, RoundStatus

COLUMNS = (
    "round_id",
    "employee__unit_id",
    "status",
    "invitation_sent_at",
    "held_on",
    "plan__id",
    "plan__submitted_at",
    "plan__signed_at",
    "plan__due_on",
    "plan__follow_up_by",
    "plan__follow_up__status",
)
HELD = ConversationStatus.HELD
SCHEDULED = (ConversationStatus.SCHEDULED, ConversationStatus.HELD)
CHUNK = 500


class Tally:
    """The counts of one unit's conversations, from rows of ``COLUMNS``."""

    __slots__ = ("counts", "days")

    def __init__(self) -> None:
        self.counts = [0] * len(COUNTED)
        self.days: Counter[tuple[str, date]] = Counter()

    def add(self, row: tuple[Any, ...]) -> None:
        _round, _unit, status, invited_at, held_on, plan, submitted_at, signed_at, due_on, follow_up_by, fu_status = row
        counts = self.counts
        counts[0] += 1
        held = status == HELD
        if invited_at is not None or held:
            counts[1] += 1
        if status in SCHEDULED:
            counts[2] += 1
        if held:
            counts[3] += 1
            self.days[(DayKind.HELD, held_on)] += 1
        elif status == ConversationStatus.NOT_HELD:
            counts[4] += 1
        if plan is None:
            return
        if submitted_at is not None:
            counts[5] += 1
        if signed_at is not None:
            counts[6] += 1
            self.days[(DayKind.SIGNED, timezone.localtime(signed_at).date())] += 1
        elif due_on is not None:
            self.days[(DayKind.PLAN_DUE, due_on)] += 1
        if fu_status == FollowUpStatus.HELD:
            counts[7] += 1
        elif follow_up_by is not None:
            self.days[(DayKind.FOLLOW_UP_DUE, follow_up_by)] += 1

    def values(self, round_id: int, unit_id: int) -> dict[str, Any]:
        """The fields of the unit's counter row."""
        return {"round_id": round_id, "unit_id": unit_id, **dict(zip(COUNTED, self.counts, strict=True))}

    def day_values(self, round_id: int, unit_id: int) -> list[dict[str, Any]]:
        """The fields of the unit's dated rows."""
        return [
            {"round_id": round_id, "unit_id": unit_id, "kind": kind, "day": day, "count": count}
            for (kind, day), count in sorted(self.days.items())
        ]


def tally(rows: Iterable[tuple[Any, ...]]) -> dict[tuple[int, int], Tally]:
    tallies: dict[tuple[int, int], Tally] = defaultdict(Tally)
    for row in rows:
        tallies[(row[0], row[1])].add(row)
    return tallies


def _insert(tallies: dict[tuple[int, int], Tally]) -> None:
    UnitCompletion.objects.bulk_create(
        [UnitCompletion(**t.values(r, u)) for (r, u), t in tallies.items()],
        batch_size=CHUNK,
        update_conflicts=True,  # a service may recount a unit at the same moment as the sweep
        unique_fields=["round", "unit"],
        update_fields=list(COUNTED),
    )
    CompletionDay.objects.bulk_create(
        [CompletionDay(**values) for (r, u), t in tallies.items() for values in t.day_values(r, u)],
        batch_size=CHUNK,
    )


def completion_refresh_units(*, round_id: int, unit_ids: Iterable[int]) -> None:
    """Recount the given units of a round (locking their rows first)."""
    units = sorted(set(unit_ids))
    if not units:
        return
    with transaction.atomic():
        for start in range(0, len(units), CHUNK):
            chunk = units[start : start + CHUNK]
            list(
                UnitCompletion.objects.select_for_update()
                .filter(round_id=round_id, unit_id__in=chunk)
                .order_by("unit_id")
                .values_list("pk", flat=True)
            )
            rows = (
                Conversation.objects.filter(round_id=round_id, employee__unit_id__in=chunk)
                .order_by()
                .values_list(*COLUMNS)
            )
            counted = tally(rows)
            gone = set(chunk) - {unit for _round, unit in counted}
            if gone:
                UnitCompletion.objects.filter(round_id=round_id, unit_id__in=gone).delete()
            CompletionDay.objects.filter(round_id=round_id, unit_id__in=chunk).delete()
            _insert(counted)


def completion_refresh(*conversation_ids: int) -> None:
    """Recount the units of the conversations' employees, after a service moved the
    conversations, their plans or their follow-ups; the same few queries for one or a team."""
    units: dict[int, set[int]] = defaultdict(set)
    rows = Conversation.objects.filter(pk__in=conversation_ids).values_list("round_id", "employee__unit_id")
    for round_id, unit_id in rows:
        units[round_id].add(unit_id)
    for round_id, unit_ids in units.items():
        completion_refresh_units(round_id=round_id, unit_ids=unit_ids)


def completion_people_moved(changes: Iterable[PlacementChange]) -> None:
    """People have changed unit (by HR's hand or the import): recount, in every round they take
    part in, the units they left and the units they joined."""
    moves = {c.person_id: c.old_id for c in changes if c.field == PlacementField.UNIT and c.old_id is not None}
    if not moves:
        return
    people = list(moves)
    touched: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        # A closed round keeps its figures as they were when it closed (docs/domain.md § The round ends).
        open_conversations = Conversation.objects.exclude(round__status=RoundStatus.CLOSED)
        for round_id, person_id, unit_id in open_conversations.filter(employee_id__in=chunk).values_list(
            "round_id", "employee_id", "employee__unit_id"
        ):
            touched[round_id].update((moves[person_id], unit_id))
    for round_id, units in touched.items():
        completion_refresh_units(round_id=round_id, unit_ids=units)


def completion_rebuild(*, rounds: Iterable[Round] | None = None) -> int:
    """Recount whole rounds (every round under way, if none are given: a closed round keeps its
    figures as they were when it closed, also when retention has deleted its conversations), in
    bulk; returns the number of counter rows written."""
    if rounds is None:
        rounds = Round.objects.filter(status=RoundStatus.LAUNCHED).order_by("pk")
    written = 0
    for round_ in rounds:
        with transaction.atomic():
            rows = Conversation.objects.filter(round_id=round_.pk).order_by().values_list(*COLUMNS)
            tallies = tally(rows.iterator(chunk_size=5000))
            UnitCompletion.objects.filter(round_id=round_.pk).delete()
            CompletionDay.objects.filter(round_id=round_.pk).delete()
            _insert(tallies)
            written += len(tallies)
    return written
