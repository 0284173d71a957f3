"""Writing to the audit trail. Services call these inside their own transaction, so an
event is stored exactly when the change it describes is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from django.utils import timezone

from samtale.audit.models import AuditEvent, Outcome


class _Actor(Protocol):
    pk: Any
    email: str


class _Target(Protocol):
    uuid: Any


def _actor_fields(actor: _Actor | None) -> dict[str, Any]:
    if actor is None or getattr(actor, "pk", None) is None:
        return {"actor_id": None, "actor_label": "system"}
    return {"actor_id": actor.pk, "actor_label": actor.email}


def _target_fields(target: Any) -> dict[str, Any]:
    """A model instance, or ``(type, id)`` when only the id is at hand (bulk changes)."""
    if target is None:
        return {"target_type": "", "target_id": ""}
    if isinstance(target, tuple):
        return {"target_type": target[0], "target_id": str(target[1])}
    return {
        "target_type": target._meta.model_name,
        "target_id": str(getattr(target, "uuid", None) or target.pk),
    }


def audit_event_build(
    *,
    actor: _Actor | None,
    action: str,
    target: Any = None,
    subject_person_id: int | None = None,
    outcome: str = Outcome.OK,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    return AuditEvent(
        **_actor_fields(actor),
        **_target_fields(target),
        action=action,
        outcome=outcome,
        subject_person_id=subject_person_id,
        data=data or {},
        at=at or timezone.now(),
    )


def audit_record(
    *,
    actor: _Actor | None,
    action: str,
    target: Any = None,
    subject_person_id: int | None = None,
    outcome: str = Outcome.OK,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    event = audit_event_build(
        actor=actor,
        action=action,
        target=target,
        subject_person_id=subject_person_id,
        outcome=outcome,
        data=data,
    )
    event.save(force_insert=True)
    return event


def audit_record_many(events: Iterable[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(events, batch_size=2000)
