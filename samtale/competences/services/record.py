"""The writes of the education record: an entry for a course completed or a plan's development
activity done. The apps above call it (the learning app, the plan's progress) inside their own
transaction, after their own policy check; an entry is written once per source."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from samtale.competences.models import Competence, Course, EducationEntry, EntryKind
from samtale.org.models import Person


@transaction.atomic
def education_entry_record(
    *,
    person: Person,
    kind: str,
    title: str,
    completed_on: date,
    source: str,
    started_on: date | None = None,
    course: Course | None = None,
    provider: str = "",
    competences: Iterable[Competence] = (),
) -> EducationEntry:
    """The entry for ``source`` (made, or brought up to date)."""
    entry, _created = EducationEntry.objects.update_or_create(
        source=source,
        defaults={
            "person": person,
            "kind": kind,
            "title": title[:1000],
            "provider": provider,
            "course": course,
            "started_on": started_on,
            "completed_on": completed_on,
        },
    )
    entry.competences.set(list(competences))
    return entry


def education_entry_withdraw(*, source: str) -> None:
    """The course or activity was after all not completed (its progress set back)."""
    EducationEntry.objects.filter(source=source).delete()


__all__ = ["EntryKind", "education_entry_record", "education_entry_withdraw"]
