"""What the retention schedule says is due, and its deletion (docs/trust.md § Erasure and retention).

Each kind of record has a query of what is due on a day: its clock (the conversation, the round's
close, the end of employment, the delivery …) started before the kind's cutoff, and its person is
under no legal hold. ``retention_apply`` takes the first ``batch`` rows of that query, deletes them
in one transaction with their audit events, and asks again until nothing is due: constant memory
whatever the size, and a run that stops half-way (a crash, ``max_batches``) is simply resumed by
the next, which finds only what is still due. The daily sweep (``samtale.jobs.tasks``) and
``manage.py apply_retention`` call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation, EmployeePreparation, LeaderPreparation
from samtale.lib.bulk import delete_rows
from samtale.org.models import ImportRun, Person
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.plans.models import Plan, Signature
from samtale.privacy.deletion import (
    batch_record,
    conversations_delete,
    freed_pages_overwritten,
    preparations_delete,
)
from samtale.privacy.models import LegalHold
from samtale.privacy.schedule import cutoff, cutoff_moment
from samtale.rounds.models import Round
from samtale.surveys.models import Invitation, Survey

BATCH = 500
ACTION = "privacy.retention_deleted"


def held_people() -> QuerySet[Any]:
    return LegalHold.objects.active().values("person_id")


def _left_before(today: date, prefix: str) -> Q:
    """The person at ``prefix`` left longer ago than the schedule keeps anything after employment."""
    return Q(**{f"{prefix}end_date__lt": cutoff("after_employment", today)})


def preparations_due(today: date) -> QuerySet[Any]:
    """The conversations with a preparation (either side's) that is due."""
    cut = cutoff("preparations", today)
    prepared = Q(Exists(EmployeePreparation.objects.filter(conversation=OuterRef("pk")))) | Q(
        Exists(LeaderPreparation.objects.filter(conversation=OuterRef("pk")))
    )
    return (
        Conversation.objects.exclude(employee_id__in=held_people())
        .filter(prepared)
        .filter(
            Q(held_on__lt=cut)
            | Q(
                held_on__isnull=True,
                round_id__in=Round.objects.filter(closed_at__lt=cutoff_moment("preparations", today)).values("pk"),
            )
            | Q(employee_id__in=Person.objects.filter(_left_before(today, "")).values("pk"))
        )
        .order_by("pk")
        .values_list("pk", "employee_id")
    )


def conversations_due(today: date) -> QuerySet[Any]:
    return (
        Conversation.objects.exclude(employee_id__in=held_people())
        .filter(
            # Two key lookups rather than an OR across joins: each uses its index, so counting what
            # is due costs what is due, not the size of the history.
            Q(round_id__in=Round.objects.filter(closed_at__lt=cutoff_moment("conversations", today)).values("pk"))
            | Q(employee_id__in=Person.objects.filter(_left_before(today, "")).values("pk"))
        )
        .order_by("pk")
        .values_list("pk", "employee_id")
    )


def survey_invitations_due(today: date) -> QuerySet[Any]:
    return (
        Invitation.objects.exclude(person_id__in=held_people())
        .filter(
            Q(
                survey_id__in=Survey.objects.filter(
                    round__closed_at__lt=cutoff_moment("survey_invitations", today)
                ).values("pk")
            )
            | Q(person_id__in=Person.objects.filter(_left_before(today, "")).values("pk"))
        )
        .order_by("pk")
        .values_list("pk", "person_id")
    )


def emails_due(today: date) -> QuerySet[Any]:
    held_addresses = Person.objects.filter(pk__in=held_people()).values("email")
    cut = cutoff_moment("emails", today)
    return (
        # A message is sent after it is made: its time of making narrows first (its index), and a
        # message still waiting or being sent is never due.
        OutboxMessage.objects.filter(created_at__lt=cut)
        .exclude(status__in=[MessageStatus.PENDING, MessageStatus.SENDING])
        .alias(done=Coalesce("sent_at", "created_at"))
        .filter(done__lt=cut)
        .exclude(to_email__in=held_addresses)
        .order_by("pk")
        .annotate(person=Person.objects.filter(email=OuterRef("to_email")).values("pk")[:1])
        .values_list("pk", "person")
    )


def imports_due(today: date) -> QuerySet[Any]:
    return (
        ImportRun.objects.filter(created_at__lt=cutoff_moment("imports", today))
        .order_by("pk")
        .values_list("pk", "created_by__person__pk")
    )


def audit_due(today: date) -> QuerySet[Any]:
    return (
        AuditEvent.objects.filter(at__lt=cutoff_moment("audit", today))
        .exclude(subject_person_id__in=held_people())
        .order_by("pk")
        .values_list("pk", "subject_person_id")
    )


def people_due(today: date) -> QuerySet[Any]:
    """People who left longer ago than the schedule keeps anything, once nothing kept names them in
    a way that must stay (their conversations and plans, a signature on someone's kept plan)."""
    return (
        Person.objects.filter(_left_before(today, ""))
        .exclude(pk__in=held_people())
        .exclude(Exists(Conversation.objects.filter(employee=OuterRef("pk"))))
        .exclude(Exists(Plan.objects.filter(employee=OuterRef("pk"))))
        .exclude(Exists(Signature.objects.filter(person=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "pk")
    )


def _delete_people(ids: list[int]) -> int:
    """The person records with their roles, placement history and account (Django's collector:
    the few keys that point at a person from others' records are cleared)."""
    from samtale.accounts.models import User

    user_ids = list(Person.objects.filter(pk__in=ids, user__isnull=False).values_list("user_id", flat=True))
    LegalHold.objects.filter(person_id__in=ids, lifted_at__isnull=False).delete()
    deleted, _per_model = Person.objects.filter(pk__in=ids).delete()
    User.objects.filter(pk__in=user_ids).delete()
    return deleted


@dataclass(frozen=True)
class Kind:
    key: str
    due: Callable[[date], QuerySet[Any]]
    delete: Callable[[list[int]], Any]


# In this order: a conversation's preparation goes before the conversation, a person after their
# records, the audit trail last.
KINDS = (
    Kind("preparations", preparations_due, preparations_delete),
    Kind("conversations", conversations_due, conversations_delete),
    Kind("survey_invitations", survey_invitations_due, lambda ids: delete_rows(Invitation, "pk", ids)),
    Kind("emails", emails_due, lambda ids: delete_rows(OutboxMessage, "pk", ids)),
    Kind("imports", imports_due, lambda ids: delete_rows(ImportRun, "pk", ids)),
    Kind("people", people_due, _delete_people),
    Kind("audit", audit_due, lambda ids: delete_rows(AuditEvent, "pk", ids)),
)


def retention_due(today: date, *, cap: int | None = None) -> dict[str, int]:
    """How many records of each kind are due today (one COUNT per kind); with ``cap``, counted up to
    ``cap + 1`` only ("more than"), so that a page showing them costs the same however much is due."""
    if cap is None:
        return {kind.key: kind.due(today).count() for kind in KINDS}
    return {kind.key: kind.due(today).order_by()[: cap + 1].count() for kind in KINDS}


@dataclass
class RetentionReport:
    deleted: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    finished: bool = True

    def as_dict(self) -> dict[str, int]:
        return {f"deleted_{key}": count for key, count in self.deleted.items()}


def retention_apply(*, today: date, batch: int = BATCH, max_batches: int | None = None) -> RetentionReport:
    """Delete everything due today, kind by kind, ``batch`` rows per transaction. ``max_batches``
    stops early (the rest waits for the next run)."""
    report = RetentionReport(deleted={kind.key: 0 for kind in KINDS})
    for kind in KINDS:
        while True:
            if max_batches is not None and report.batches >= max_batches:
                report.finished = False
                freed_pages_overwritten()
                return report
            with transaction.atomic():
                rows = list(kind.due(today)[:batch])
                if not rows:
                    break
                kind.delete([pk for pk, _person in rows])
                batch_record(actor=None, action=ACTION, kind=kind.key, people=[p for _pk, p in rows], data={})
            report.deleted[kind.key] += len(rows)
            report.batches += 1
    if report.batches:
        freed_pages_overwritten()
    return report
