"""The plans follow what the services below report, inside their transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from samtale.org.signals import placements_changed
from samtale.plans.leader_change import leaders_changed


@receiver(placements_changed, dispatch_uid="plans.placements_changed")
def _placements_changed(sender: Any, *, changes: Any, **kwargs: Any) -> None:
    """A plan follows the employee's new personnel leader: both are told."""
    leaders_changed(changes)
