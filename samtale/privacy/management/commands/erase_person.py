from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from samtale.org.models import Person
from samtale.privacy.services import erasure_preview, person_erase


class Command(BaseCommand):
    help = (
        "Erase a person's MUS records before their time, on their request (GDPR Art. 17): their conversations "
        "with everything under them, their evaluation invitations and the e-mails sent to them. Refused under a "
        "legal hold; audited with the reason. --dry-run says what would go."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument("--reason", default="", help="Why (required unless --dry-run); kept in the audit trail.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be erased; erase nothing.")

    def handle(self, *args: Any, email: str, reason: str, dry_run: bool, **options: Any) -> None:
        person = Person.objects.select_related("unit").filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"no person has the e-mail address {email!r}")
        preview = erasure_preview(person)
        summary = (
            f"{preview.conversations} conversations (with preparations, minutes, plans, signatures, follow-ups), "
            f"{preview.survey_invitations} evaluation invitations, {preview.emails} e-mails"
        )
        if dry_run:
            self.stdout.write(f"{person.name}: would erase {summary}; nothing erased (dry run)")
            return
        try:
            person_erase(viewer=None, person=person, reason=reason)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{person.name}: erased {summary}")
