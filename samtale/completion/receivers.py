"""The counters follow what the services below report (each signal is sent inside the service's
transaction, so a counter row is right as soon as the change is committed)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from samtale.completion.counters import completion_people_moved, completion_rebuild, completion_refresh
from samtale.conversations.signals import conversations_changed, round_launched
from samtale.org.signals import placements_changed


@receiver(conversations_changed, dispatch_uid="completion.conversations_changed")
def _conversations_changed(sender: Any, *, conversation_ids: list[int], **kwargs: Any) -> None:
    completion_refresh(*conversation_ids)


@receiver(round_launched, dispatch_uid="completion.round_launched")
def _round_launched(sender: Any, *, round_: Any, **kwargs: Any) -> None:
    completion_rebuild(rounds=[round_])


@receiver(placements_changed, dispatch_uid="completion.placements_changed")
def _placements_changed(sender: Any, *, changes: Any, **kwargs: Any) -> None:
    completion_people_moved(changes)
