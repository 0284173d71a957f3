from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from samtale.privacy.retention import KINDS, retention_apply, retention_due
from samtale.privacy.schedule import RULE, cutoff, described


class Command(BaseCommand):
    help = (
        "Delete for good what the retention schedule says is due, as the daily run does: preparations, "
        "conversations with their plans, evaluation invitations, e-mails, import records, people who left "
        "long ago and old audit events; nothing of a person under a legal hold. In batches, each audited; "
        "a run that stops is resumed by the next. --dry-run lists what is due and deletes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what is due; delete nothing.")
        parser.add_argument(
            "--on", metavar="YYYY-MM-DD", help="As if today were this day (to see what a later day will delete)."
        )
        parser.add_argument("--batch", type=int, default=500, help="Rows per transaction (default 500).")

    def handle(self, *args: Any, dry_run: bool, on: str | None, batch: int, **options: Any) -> None:
        try:
            today = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on: {on!r} is not a date (YYYY-MM-DD)") from None
        if dry_run:
            due = retention_due(today)
            for kind in KINDS:
                rule = RULE.get(kind.key)
                kept = (
                    f"kept {described(kind.key)} {rule.counts_from}, before {cutoff(kind.key, today)}"
                    if rule
                    else f"left more than {described('after_employment')} before {today}, nothing else names them"
                )
                self.stdout.write(f"{kind.key}: {due[kind.key]} due ({kept})")
            self.stdout.write(f"due on {today}: {sum(due.values())} records; nothing deleted (dry run)")
            return
        report = retention_apply(today=today, batch=batch)
        for key, count in report.deleted.items():
            self.stdout.write(f"{key}: {count} deleted")
        self.stdout.write(f"{sum(report.deleted.values())} records deleted in {report.batches} batches")
