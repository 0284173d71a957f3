"""Helpers for the privacy tests: canaries — unique strings planted in every kind of record of a
person — and the whole database as text, to find them in (the raw bytes of the SQLite file, free
pages included; every table's rows on PostgreSQL)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from samtale.audit.models import AuditEvent
from samtale.conversations.models import (
    Conversation,
    ConversationStatus,
    EmployeePreparation,
    ImprovementNotice,
    LeaderPreparation,
    Minutes,
    OpenItem,
    SpecialTopic,
)
from samtale.org.models import ImportRun, ImportStatus, Person
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.plans.models import (
    Departure,
    FollowUp,
    FollowUpStatus,
    Plan,
    PlanComment,
    PlanStatus,
    PlanVersion,
    Progress,
    ProgressStatus,
    Side,
    Signature,
)
from samtale.testing.follow_up import complete_content


def local(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@dataclass
class Canaries:
    """The canaries of one person, by the kind of record whose rule keeps them."""

    person: Person
    by_kind: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str) -> str:
        value = f"CANARY{secrets.token_hex(6).upper()}"
        self.by_kind.setdefault(kind, []).append(value)
        return value

    @property
    def all(self) -> list[str]:
        return [c for values in self.by_kind.values() for c in values]


def plant(conversation: Conversation, *, leader: Person, held_on: date, sent_on: date) -> Canaries:
    """A canary in every kind of record of the conversation's employee: both preparations, a topic,
    the minutes, an open item, the notice, a signed plan with a comment, progress, a departure and a
    follow-up, an e-mail sent on ``sent_on`` and an audit event that day."""
    person = conversation.employee
    canaries = Canaries(person)
    Conversation.objects.filter(pk=conversation.pk).update(
        status=ConversationStatus.HELD, held_on=held_on, held_with=leader, location=canaries.add("conversations")
    )
    EmployeePreparation.objects.create(conversation=conversation, answers={"q1": canaries.add("preparations")})
    LeaderPreparation.objects.create(
        conversation=conversation,
        answers={"q1": canaries.add("preparations")},
        must_improve=canaries.add("preparations"),
    )
    SpecialTopic.objects.create(
        conversation=conversation, side=Side.EMPLOYEE, raised_by=person, text=canaries.add("conversations")
    )
    Minutes.objects.create(conversation=conversation, notes={"phase1": canaries.add("conversations")})
    OpenItem.objects.create(
        conversation=conversation,
        text=canaries.add("conversations"),
        deadline=held_on + timedelta(days=7),
        answer=canaries.add("conversations"),
    )
    ImprovementNotice.objects.create(conversation=conversation, text=canaries.add("conversations"), given_by=leader)
    content = complete_content()
    content["goals"][0]["text"] = canaries.add("conversations")
    signed_at = local(held_on + timedelta(days=3))
    plan = Plan.objects.create(
        conversation=conversation,
        employee=person,
        due_on=held_on + timedelta(days=14),
        status=PlanStatus.SIGNED,
        submitted_at=signed_at,
        signed_at=signed_at,
    )
    version = PlanVersion.objects.create(
        plan=plan, number=1, content=content, status=PlanStatus.SIGNED, submitted_at=signed_at
    )
    PlanComment.objects.create(version=version, author=leader, text=canaries.add("conversations"))
    PlanVersion.objects.filter(pk=version.pk).update(content_hash=secrets.token_hex(32), signed_at=signed_at)
    for side, signer in ((Side.EMPLOYEE, person), (Side.LEADER, leader)):
        Signature.objects.create(version=version, person=signer, side=side, signed_at=signed_at, content_hash="x" * 64)
    Progress.objects.create(
        plan=plan,
        item="g1",
        status=ProgressStatus.UNDER_WAY,
        note=canaries.add("conversations"),
        on=held_on,
        recorded_by=person,
    )
    Departure.objects.create(plan=plan, raised_by=person, side=Side.EMPLOYEE, why=canaries.add("conversations"))
    FollowUp.objects.create(
        plan=plan,
        status=FollowUpStatus.HELD,
        held_on=held_on + timedelta(days=150),
        reached=canaries.add("conversations"),
        carries_over=canaries.add("conversations"),
    )
    OutboxMessage.objects.create(
        kind="plans.signed",
        to_email=person.email,
        language="da",
        context={"note": canaries.add("emails")},
        status=MessageStatus.SENT,
        created_at=local(sent_on, 9),
        sent_at=local(sent_on, 10),
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_label="test",
                action="plans.plan_read",
                subject_person_id=person.pk,
                data={"note": canaries.add("audit")},
                at=local(sent_on),
            )
        ]
    )
    return canaries


def plant_import(created_on: date) -> str:
    canary = f"CANARY{secrets.token_hex(6).upper()}"
    ImportRun.objects.create(
        file_name="organisation.csv",
        file_sha256="0" * 64,
        status=ImportStatus.APPLIED,
        preview={"note": canary},
        created_at=local(created_on),
    )
    return canary


def database_text() -> str:
    """Everything the database holds, as text: on SQLite the raw bytes of the database (free pages
    and deleted cells included, which ``secure_delete`` must have overwritten); on PostgreSQL
    every row of every table."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection.serialize()  # type: ignore[union-attr]
        return raw.decode("latin-1")
    parts = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"SELECT coalesce(string_agg(t::text, chr(10)), '') FROM \"{table}\" t")  # noqa: S608
            parts.append(cursor.fetchone()[0])
    return "\n".join(parts)


# The day the privacy tests' round closed: fixed, so that every period is counted from it.
CLOSED_ON = date(2021, 3, 1)


def round_closed(round_: Any) -> None:
    """The round closed on ``CLOSED_ON`` (straight through the model: the tests move the clock)."""
    from samtale.rounds.models import RoundStatus

    round_.status, round_.closed_at = RoundStatus.CLOSED, local(CLOSED_ON)
    round_.save()
