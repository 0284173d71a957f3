"""Real deletion, one batch at a time (docs/trust.md § Erasure and retention): rows gone, not
flagged; what a row said overwritten in the file on SQLite (``secure_delete``). Each batch is one
transaction that also writes its audit event — what kind, how many and whose, never the content —
so a crash leaves every batch either done and recorded or not begun, and the next run goes on from
there.

The guard that refuses deleting a signed plan version or a signature (plans migrations 0002 and
0005) lets a batch through while ``plans_retentionpass`` holds a row, which the batch writes first
and removes before it commits: this is the only path through it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from samtale.audit.models import AuditEvent
from samtale.audit.services import audit_event_build
from samtale.conversations.models import Conversation, EmployeePreparation, LeaderPreparation
from samtale.lib.bulk import delete_rows, delete_tree
from samtale.plans.models import RetentionPass


@contextmanager
def through_the_guard() -> Iterator[None]:
    """Inside a transaction: the signed versions and signatures may be deleted until it ends."""
    token = secrets.token_hex(16)
    RetentionPass.objects.create(token=token)
    try:
        yield
    finally:
        RetentionPass.objects.filter(token=token).delete()


def conversations_delete(ids: Sequence[int]) -> dict[str, int]:
    """The conversations with everything under them: preparations, minutes, open items, the notice,
    the plan with every version, signature, comment, progress, departure and follow-up."""
    with through_the_guard():
        return delete_tree(Conversation, ids)


def preparations_delete(conversation_ids: Sequence[int]) -> int:
    return delete_rows(EmployeePreparation, "conversation", conversation_ids) + delete_rows(
        LeaderPreparation, "conversation", conversation_ids
    )


def batch_record(*, actor: Any, action: str, kind: str, people: Iterable[int | None], data: dict[str, Any]) -> int:
    """The audit trail of one batch: one event per person whose records went (the tombstone their
    own history keeps), with the kind and how many of theirs, never what they said; one event
    without a person for the rows that name no one. Returns the events written."""
    counts: dict[int | None, int] = {}
    for person in people:
        counts[person] = counts.get(person, 0) + 1
    batch = secrets.token_hex(8)
    events = [
        audit_event_build(
            actor=actor,
            action=action,
            target=("retention", kind),
            subject_person_id=person,
            data={"kind": kind, "count": count, "batch": batch, **data},
        )
        for person, count in sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or 0))
    ]
    AuditEvent.objects.bulk_create(events, batch_size=500)
    return len(events)


def freed_pages_overwritten() -> None:
    """After a deletion has committed: on SQLite, the write-ahead log still holds the deleted rows'
    last pages until a checkpoint copies them (zeroed, by ``secure_delete``) into the file; check
    it in now and empty the log. PostgreSQL's dead rows are reclaimed by (auto)vacuum; its backups
    are the operator's (README § Privacy and retention)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
