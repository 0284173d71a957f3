from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from samtale.competences.importing import COURSE_SPEC, courses_import
from samtale.competences.management.commands._importing import add_common_arguments, run_import


class Command(BaseCommand):
    help = (
        "Import the course catalogue (CSV or XLSX): a line per session, the lines of one course sharing its "
        "code. Courses are created or changed by their code, sessions by their first day. All or nothing: one "
        "bad row and nothing is written."
    )

    def add_arguments(self, parser: Any) -> None:
        add_common_arguments(parser, [code for code, _name in settings.LANGUAGES], settings.LANGUAGE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        with translation.override(options["language"]):
            result = run_import(self, options["file"], importer=courses_import, spec=COURSE_SPEC, dry_run=dry_run)
            if dry_run:
                message = translation.gettext(
                    "%(rows)s rows. Courses that would be created: %(created)s; changed: %(changed)s; unchanged: "
                    "%(unchanged)s. Sessions that would be created: %(sessions_created)s; changed: "
                    "%(sessions_changed)s; unchanged: %(sessions_unchanged)s. Nothing was written (--dry-run)."
                )
            else:
                message = translation.gettext(
                    "%(rows)s rows. Courses created: %(created)s; changed: %(changed)s; unchanged: %(unchanged)s. "
                    "Sessions created: %(sessions_created)s; changed: %(sessions_changed)s; unchanged: "
                    "%(sessions_unchanged)s."
                )
            self.stdout.write(message % result.summary())
