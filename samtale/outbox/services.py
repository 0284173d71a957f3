"""Putting e-mail in the outbox (delivered by the worker: ``samtale.outbox.delivery``), and an
administrator's "Try again" for parked messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samtale.audit.services import audit_event_build, audit_record_many
from samtale.lib.bulk import insert_rows
from samtale.lib.tasks import enqueue_once
from samtale.outbox.kinds import builder_for
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.outbox.tasks import deliver_outbox


@dataclass(slots=True)
class Draft:
    """A message about to go into the outbox (cheaper than a model instance when there are
    tens of thousands, as when an import invites a whole organisation)."""

    kind: str
    to_email: str
    language: str
    context: dict[str, Any] = field(default_factory=dict)
    dedupe_key: str | None = None


def outbox_message_build(
    *,
    kind: str,
    to_email: str,
    language: str | None,
    context: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> Draft:
    """A message to put in the outbox, in the recipient's language (the site's language when they
    have chosen none, or have no account)."""
    builder_for(kind)  # fail at once on a typo, not when the worker gets to it
    language = language or settings.LANGUAGE_CODE
    return Draft(kind=kind, to_email=to_email, language=language, context=context or {}, dedupe_key=dedupe_key)


# Keys looked up per query: well within both databases' limits on parameters, so that even a
# sweep with tens of thousands of candidates (every plan of a large round overdue) is a few queries.
KEYS_PER_QUERY = 5000


def drafts_not_yet_sent(drafts: list[Draft]) -> list[Draft]:
    """The drafts whose dedupe key no message in the outbox carries yet: a reminder found again
    by a sweep run twice on a day is sent once."""
    keys = [draft.dedupe_key for draft in drafts]
    sent: set[str | None] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        batch = keys[start : start + KEYS_PER_QUERY]
        sent.update(OutboxMessage.objects.filter(dedupe_key__in=batch).values_list("dedupe_key", flat=True))
    return [draft for draft in drafts if draft.dedupe_key not in sent]


def outbox_enqueue(
    *,
    kind: str,
    to_email: str,
    language: str | None,
    context: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> None:
    outbox_enqueue_many(
        messages=[
            outbox_message_build(
                kind=kind, to_email=to_email, language=language, context=context, dedupe_key=dedupe_key
            )
        ]
    )


def outbox_enqueue_many(*, messages: list[Draft]) -> int:
    """Store the messages (those whose dedupe key is already stored are left out) and make sure a
    delivery task will run. Both happen in the caller's transaction."""
    if not messages:
        return 0
    for kind in {message.kind for message in messages}:
        builder_for(kind)
    now = timezone.now()
    insert_rows(
        OutboxMessage,
        [
            {
                "kind": m.kind,
                "to_email": m.to_email,
                "language": m.language,
                "context": m.context,
                "dedupe_key": m.dedupe_key,
                "created_at": now,
                "next_attempt_at": now,
            }
            for m in messages
        ],
        skip_conflicts=True,
    )
    _schedule_delivery()
    return len(messages)


def _schedule_delivery() -> None:
    enqueue_once(deliver_outbox)


@transaction.atomic
def outbox_retry(*, actor: Any, messages: Iterable[OutboxMessage]) -> int:
    """An administrator asks for parked (or waiting) messages to be sent now. Their count of
    failures starts again, so a message refused once more for now is retried with back-off before
    it is parked again. Each message tried again is an audit event. Returns how many."""
    ids = [message.pk for message in messages]
    retried = list(
        OutboxMessage.objects.select_for_update()
        .filter(pk__in=ids, status__in=[MessageStatus.FAILED, MessageStatus.PENDING])
        .values_list("pk", "uuid", "kind", "status")
    )
    if not retried:
        return 0
    OutboxMessage.objects.filter(pk__in=[pk for pk, *_rest in retried]).update(
        status=MessageStatus.PENDING, next_attempt_at=timezone.now(), failures=0
    )
    audit_record_many(
        audit_event_build(
            actor=actor,
            action="outbox.message_retried",
            target=("outboxmessage", uuid),
            data={"kind": kind, "status_was": status},
        )
        for _pk, uuid, kind, status in retried
    )
    transaction.on_commit(_schedule_delivery)
    return len(retried)
