from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from samtale.org.models import Person
from samtale.privacy.services import active_hold, legal_hold_lift, legal_hold_place


class Command(BaseCommand):
    help = (
        "Place a legal hold on a person (nothing of theirs is deleted, by retention or erasure, until it is "
        "lifted), lift it with --lift, or say whether one is in force with --show. Audited with the reason."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument("--reason", default="", help="Why (required to place or lift); kept in the audit trail.")
        parser.add_argument("--lift", action="store_true", help="Lift the hold in force.")
        parser.add_argument("--show", action="store_true", help="Only say whether a hold is in force.")

    def handle(self, *args: Any, email: str, reason: str, lift: bool, show: bool, **options: Any) -> None:
        person = Person.objects.select_related("unit").filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"no person has the e-mail address {email!r}")
        hold = active_hold(person)
        if show:
            self.stdout.write(
                f"{person.name}: under a legal hold since {hold.placed_at:%Y-%m-%d} ({hold.reason})"
                if hold
                else f"{person.name}: no legal hold"
            )
            return
        try:
            if lift:
                if hold is None:
                    raise CommandError(f"{person.name} is under no legal hold")
                legal_hold_lift(viewer=None, hold=hold, reason=reason)
                self.stdout.write(f"{person.name}: the legal hold is lifted")
            else:
                legal_hold_place(viewer=None, person=person, reason=reason)
                self.stdout.write(f"{person.name}: under a legal hold; nothing of theirs is deleted until it is lifted")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
