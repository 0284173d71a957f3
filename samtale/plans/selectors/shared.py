"""Plans employees have shared with others: their daily leader, a union representative."""

from __future__ import annotations

from django.db.models import Q

from samtale.access.viewer import Viewer
from samtale.lib.queries import fetch
from samtale.plans.models import Plan


def plans_shared_with(*, viewer: Viewer, limit: int = 50) -> list[Plan]:
    """The plans employees have shared with the viewer as their daily leader or as a union
    representative covering them, newest first. The views still ask the policy for each."""
    if viewer.person is None:
        return []
    shared = Q(shared_with_daily_leader_at__isnull=False, employee__daily_leader=viewer.person)
    if viewer.union_rep is not None:
        shared |= Q(shared_with_union_rep_at__isnull=False) & viewer.union_rep.people_q("employee__")
    return fetch(
        Plan.objects.filter(shared)
        .exclude(employee=viewer.person)
        .select_related("employee__unit", "conversation__round")
        .order_by("-conversation__round__opens_on", "employee__name", "id")[:limit],
        "plans.plans_shared_with",
    )
