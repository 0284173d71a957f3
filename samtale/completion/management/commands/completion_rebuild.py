from typing import Any

from django.core.management.base import BaseCommand

from samtale.completion.counters import completion_rebuild


class Command(BaseCommand):
    help = (
        "Recount the completion counters of every started round from its conversations (the daily "
        "sweep does this too; the services keep them current in between)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = completion_rebuild()
        self.stdout.write(f"Completion counted: {rows} unit rows.")
