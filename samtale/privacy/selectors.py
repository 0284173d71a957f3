"""The reads of privacy: the audit trail a page at a time, what retention deleted, the legal holds.
Bounded by what a page shows, whatever the size of the trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from samtale.audit.models import AuditEvent
from samtale.org.models import Person
from samtale.privacy.models import LegalHold
from samtale.privacy.retention import ACTION
from samtale.privacy.schedule import kind_label

PAGE = 50
# Actions that are someone reading or taking out what a record says.
READ_SUFFIXES = ("_read", "_downloaded", "exported", "export", "report_pdf")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def audit_events(
    *,
    person: Person | None = None,
    area: str = "",
    reads: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The trail filtered, newest first."""
    events = AuditEvent.objects.all()
    if person is not None:
        events = events.filter(subject_person_id=person.pk)
    if area:
        events = events.filter(action__startswith=f"{area}.")
    if reads:
        q = Q(pk__in=[])
        for suffix in READ_SUFFIXES:
            q |= Q(action__endswith=suffix)
        events = events.filter(q)
    if since:
        events = events.filter(at__gte=_midnight(since))
    if until:
        events = events.filter(at__lt=_midnight(until + timedelta(days=1)))
    return events.order_by("-at", "-id")


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    people: dict[int, str]  # the names of the people the events are about
    after: str | None  # the cursor of the next (older) page


def _cursor(event: AuditEvent) -> str:
    return f"{event.at.timestamp():.6f}_{event.pk}"


def audit_page(events: QuerySet[AuditEvent], *, after: str = "") -> AuditPage:
    """One page of ``audit_events``, after the cursor of the page before (keyset: the same cost on
    the thousandth page as on the first); two queries."""
    if after:
        try:
            stamp, pk = after.split("_")
            at = datetime.fromtimestamp(float(stamp), tz=UTC)
            events = events.filter(Q(at__lt=at) | Q(at=at, pk__lt=int(pk)))
        except ValueError:
            pass
    rows = list(events[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    ids = {e.subject_person_id for e in rows if e.subject_person_id is not None}
    people = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    for event in rows:
        event.subject_name = people.get(event.subject_person_id or 0, "")  # type: ignore[attr-defined]
    return AuditPage(rows, people, _cursor(rows[-1]) if more else None)


def audit_rows(events: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    """Every event filtered, for the export, in constant memory."""
    for event in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.actor_label,
            event.action,
            event.outcome,
            event.target_type,
            event.target_id,
            event.subject_person_id or "",
            event.data,
        ]


@dataclass(frozen=True)
class Deleted:
    day: date
    kind: str
    people: int
    records: int

    @property
    def label(self) -> str:
        return kind_label(self.kind)


def retention_history(*, days: int = 90, today: date | None = None) -> list[Deleted]:
    """What retention deleted per day and kind, the last ``days`` days (from its audit events)."""
    today = today or timezone.localdate()
    rows = (
        AuditEvent.objects.filter(action=ACTION, at__gte=_midnight(today - timedelta(days=days)))
        .annotate(day=TruncDate("at"))
        .values("day", "target_id")
        .annotate(
            people=Count("subject_person_id"),
            records=Sum(Cast(KT("data__count"), IntegerField())),
        )
        .order_by("-day", "target_id")
    )
    return [Deleted(r["day"], r["target_id"], r["people"], r["records"] or 0) for r in rows]


def holds_active() -> list[LegalHold]:
    return list(LegalHold.objects.active().select_related("person__unit", "placed_by").order_by("-placed_at"))
