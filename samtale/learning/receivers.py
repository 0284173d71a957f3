"""The activity counts follow plans signed or amended, and people who move (the signals are sent
inside the services' transactions)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from samtale.conversations.models import Conversation
from samtale.conversations.signals import conversations_changed
from samtale.learning.counters import activity_counts_rebuild
from samtale.org.models import PlacementField
from samtale.org.signals import placements_changed
from samtale.plans.models import Plan


@receiver(conversations_changed, dispatch_uid="learning.conversations_changed")
def _conversations_changed(sender: Any, *, conversation_ids: list[int], **kwargs: Any) -> None:
    if sender is not Plan:
        return  # only the plan's steps change what a plan plans
    activity_counts_rebuild(
        Conversation.objects.filter(pk__in=conversation_ids).values_list("employee__unit_id", flat=True)
    )


@receiver(placements_changed, dispatch_uid="learning.placements_changed")
def _placements_changed(sender: Any, *, changes: Any, **kwargs: Any) -> None:
    units = {c.old_id for c in changes if c.field == PlacementField.UNIT} | {
        c.new_id for c in changes if c.field == PlacementField.UNIT
    }
    units.discard(None)
    if units:
        activity_counts_rebuild(units)
