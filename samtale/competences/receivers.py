"""The counters follow people who move between units (the signal is sent inside the
organisation service's transaction, so the counters commit with the move)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from samtale.competences.counters import counters_people_moved
from samtale.org.models import PlacementField, Unit
from samtale.org.signals import placements_changed


@receiver(placements_changed, dispatch_uid="competences.placements_changed")
def _placements_changed(sender: Any, *, changes: Any, **kwargs: Any) -> None:
    moved = [change for change in changes if change.field == PlacementField.UNIT and change.old_id != change.new_id]
    if not moved:
        return
    unit_ids = {change.old_id for change in moved} | {change.new_id for change in moved}
    paths = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    counters_people_moved(
        [
            (change.person_id, paths[change.old_id], paths[change.new_id])
            for change in moved
            if change.old_id in paths and change.new_id in paths
        ]
    )
