from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from samtale.competences.importing import COMPETENCE_SPEC, LEVEL_SPEC, competences_import, levels_import
from samtale.competences.management.commands._importing import add_common_arguments, run_import


class Command(BaseCommand):
    help = (
        "Import the competence catalogue (CSV or XLSX; competences are created or changed by their code), or "
        "with --levels the registered levels (a line per employee number, competence code and side). All or "
        "nothing: one bad row and nothing is written."
    )

    def add_arguments(self, parser: Any) -> None:
        add_common_arguments(parser, [code for code, _name in settings.LANGUAGES], settings.LANGUAGE_CODE)
        parser.add_argument(
            "--levels", action="store_true", help="The file holds registered levels, not the catalogue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        levels = options["levels"]
        dry_run = options["dry_run"]
        with translation.override(options["language"]):
            result = run_import(
                self,
                options["file"],
                importer=levels_import if levels else competences_import,
                spec=LEVEL_SPEC if levels else COMPETENCE_SPEC,
                dry_run=dry_run,
            )
            if levels and dry_run:
                message = translation.gettext(
                    "%(rows)s rows. Registrations that would be created: %(created)s; changed: %(changed)s; "
                    "unchanged: %(unchanged)s. Nothing was written (--dry-run)."
                )
            elif levels:
                message = translation.gettext(
                    "%(rows)s rows. Registrations created: %(created)s; changed: %(changed)s; unchanged: %(unchanged)s."
                )
            elif dry_run:
                message = translation.gettext(
                    "%(rows)s rows. Competences that would be created: %(created)s; changed: %(changed)s; "
                    "unchanged: %(unchanged)s. Nothing was written (--dry-run)."
                )
            else:
                message = translation.gettext(
                    "%(rows)s rows. Competences created: %(created)s; changed: %(changed)s; unchanged: %(unchanged)s."
                )
            self.stdout.write(message % result.summary())
