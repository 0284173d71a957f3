"""The education record (uddannelseskort) as a PDF, in the reader's language: every course
completed and development activity done, with dates, provider and the competences each built."""

from __future__ import annotations

from django.utils import timezone

from samtale.competences.models import EducationEntry
from samtale.lib.documents import pdf_from_template
from samtale.org.models import Person


def record_pdf(person: Person, entries: list[EducationEntry]) -> bytes:
    return pdf_from_template(
        "competences/record_pdf.html", {"subject": person, "entries": entries, "made_at": timezone.now()}
    )
