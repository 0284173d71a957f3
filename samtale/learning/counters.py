"""Keeping ``ActivityCount`` equal to the signed plans it counts: how many signed plans of each
unit's people hold an activity of each type, in the rounds not closed (docs/domain.md § Competences and
courses, the overview's "planned activities by type").

Every row is recounted from its unit's plans, never incremented: ``activity_counts_rebuild(units)``
after a plan is signed or amended (``learning.receivers``, in the signing's transaction) or people
move, and for every unit in the daily sweep (plans written in bulk by the demo and the benchmarks
too). The overview adds up a unit's subtree: a few rows per unit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction

from samtale.learning.models import ActivityCount
from samtale.lib.bulk import insert_rows
from samtale.plans.models import PlanVersion
from samtale.rounds.models import RoundStatus

PLANS = ""  # the type of the row that counts the plans


@transaction.atomic
def activity_counts_rebuild(units: Iterable[int] | None = None) -> int:
    """Recount the units (every unit when None); returns the rows written."""
    versions = PlanVersion.objects.filter(signed_at__isnull=False).exclude(
        plan__conversation__round__status=RoundStatus.CLOSED
    )
    rows = ActivityCount.objects.all()
    if units is not None:
        wanted = set(units)
        if not wanted:
            return 0
        versions = versions.filter(plan__employee__unit_id__in=wanted)
        rows = rows.filter(unit_id__in=wanted)
    counts: Counter[tuple[int, str]] = Counter()
    seen: set[int] = set()
    # The newest signed version of each plan: what is being followed up.
    for plan_id, unit_id, content in (
        versions.order_by("plan_id", "-number").values_list("plan_id", "plan__employee__unit_id", "content").iterator()
    ):
        if plan_id in seen:
            continue
        seen.add(plan_id)
        counts[(unit_id, PLANS)] += 1
        # Plans, not activities: a person with three courses in their plan counts once, so no
        # figure of the overview can be one person's.
        types = {
            str(activity["type"])[:40]
            for goal in (content or {}).get("goals", [])
            for activity in goal.get("activities", [])
            if activity.get("type")
        }
        for type_ref in types:
            counts[(unit_id, type_ref)] += 1
    rows.delete()
    insert_rows(ActivityCount, [{"unit_id": u, "activity_type": t, "activities": n} for (u, t), n in counts.items()])
    return len(counts)
