from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samtale.audit.services import audit_record
from samtale.org.models import Person
from samtale.privacy.exporting import person_export


class Command(BaseCommand):
    help = (
        "Write everything Samtale holds about a person to a ZIP (GDPR Art. 15 and 20): a page to read and the "
        "same as JSON. The export is recorded in the audit trail."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument("out", help="The ZIP file to write.")

    def handle(self, *args: Any, email: str, out: str, **options: Any) -> None:
        person = Person.objects.select_related("unit").filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"no person has the e-mail address {email!r}")
        data = person_export(person)
        Path(out).write_bytes(data)
        audit_record(
            actor=None,
            action="privacy.data_exported",
            target=person,
            subject_person_id=person.pk,
            data={"by": "command"},
        )
        self.stdout.write(f"{person.name}: {len(data)} bytes written to {out}")
