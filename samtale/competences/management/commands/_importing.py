"""What the competence app's import commands share: the file read with the size checked first,
every bad line written as ``file:line: message`` and the outcome in one line (``import_org``'s
way)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from samtale.competences.importing import ImportResult
from samtale.org.importing.reader import Columns, ImportFileError, check_size

Importer = Callable[..., ImportResult]


def run_import(command: BaseCommand, path: Path, *, importer: Importer, spec: Columns, dry_run: bool) -> ImportResult:
    """Read ``path`` and hand it to ``importer``; raises ``CommandError`` when nothing was imported."""
    try:
        check_size(path.stat().st_size, spec)  # before the file is read into memory
        content = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None
    except ImportFileError as error:
        raise CommandError(error.message) from None
    try:
        result = importer(content=content, file_name=path.name, actor=None, dry_run=dry_run)
    except ImportFileError as error:
        raise CommandError(error.message) from None
    if not result.ok:
        for line, message in result.errors:
            command.stderr.write(f"{path.name}:{line}: {message}")
        raise CommandError(
            translation.ngettext(
                "%(count)s error; nothing was imported.",
                "%(count)s errors; nothing was imported.",
                len(result.errors),
            )
            % {"count": len(result.errors)}
        )
    return result


def add_common_arguments(parser: Any, languages: list[str], default_language: str) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="Check the file and show what would change.")
    parser.add_argument(
        "--language",
        default=default_language,
        choices=languages,
        help="Language of the messages (default: %(default)s).",
    )
