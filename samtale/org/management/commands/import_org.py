from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from samtale.org.importing.apply import organisation_import
from samtale.org.importing.reader import ImportFileError, check_size


class Command(BaseCommand):
    help = (
        "Import the organisation from an HR system export (CSV or XLSX). The file is the whole "
        "organisation: people not in it get an end date. All or nothing: one bad row and nothing is written."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show what would change.")
        parser.add_argument(
            "--confirm-endings",
            action="store_true",
            help="Apply the file even when it ends the employment of many people at once.",
        )
        parser.add_argument(
            "--no-invitations", action="store_true", help="Do not e-mail invitations to the people the import creates."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[c for c, _ in settings.LANGUAGES],
            help="Language of the messages (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with translation.override(options["language"]):
            try:
                check_size(path.stat().st_size)  # before the file is read into memory
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            except ImportFileError as error:
                raise CommandError(error.message) from None
            try:
                outcome = organisation_import(
                    content=content,
                    file_name=path.name,
                    actor=None,
                    dry_run=options["dry_run"],
                    send_invitations=not options["no_invitations"],
                    confirm_endings=options["confirm_endings"],
                )
            except ImportFileError as error:
                raise CommandError(error.message) from None
            plan = outcome.plan
            if not plan.ok:
                for line, message in plan.errors:
                    self.stderr.write(f"{path.name}:{line}: {message}")
                raise CommandError(
                    translation.ngettext(
                        "%(count)s error; nothing was imported.",
                        "%(count)s errors; nothing was imported.",
                        len(plan.errors),
                    )
                    % {"count": len(plan.errors)}
                )
            summary = plan.summary()
            if outcome.needs_confirmation:
                raise CommandError(
                    translation.gettext(
                        "%(ended)s of %(employed)s people are not in the file and would get an end date. If they "
                        "have left, run the command again with --confirm-endings. Nothing was imported."
                    )
                    % {"ended": summary["ended"], "employed": plan.employed_before}
                )
            if options["dry_run"]:
                message = translation.gettext(
                    "%(rows)s rows. Would be created: %(created)s people and %(units_created)s units; changed: "
                    "%(changed)s people and %(units_changed)s units; ended: %(ended)s; unchanged: %(unchanged)s. "
                    "Nothing was written (--dry-run)."
                )
            else:
                message = translation.gettext(
                    "%(rows)s rows. Created: %(created)s people and %(units_created)s units; changed: "
                    "%(changed)s people and %(units_changed)s units; ended: %(ended)s; unchanged: %(unchanged)s."
                )
            self.stdout.write(message % summary)
            if outcome.applied and outcome.invitations:
                self.stdout.write(
                    translation.ngettext(
                        "%(count)s invitation is in the outbox.",
                        "%(count)s invitations are in the outbox.",
                        outcome.invitations,
                    )
                    % {"count": outcome.invitations}
                )
