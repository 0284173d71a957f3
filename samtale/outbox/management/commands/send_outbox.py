from typing import Any

from django.core.management.base import BaseCommand

from samtale.outbox.delivery import outbox_deliver
from samtale.outbox.models import MessageStatus, OutboxMessage


class Command(BaseCommand):
    help = (
        "Send the e-mail in the outbox that is due now. The task worker does this by itself; this "
        "command is a safety net for cron and a tool for operators."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--status", action="store_true", help="Only show how many messages wait, and why.")

    def handle(self, *args: Any, status: bool, **options: Any) -> None:
        if not status:
            report = outbox_deliver()
            self.stdout.write(
                f"sent {report.sent}, waiting for the mail server {report.retrying}, "
                f"parked {report.failed}, cancelled {report.cancelled}"
            )
        # Parked messages (status "failed") wait for an administrator: "Try again" in the admin.
        for state, label in ((MessageStatus.PENDING, "pending"), (MessageStatus.FAILED, "parked")):
            messages = OutboxMessage.objects.filter(status=state)
            latest = messages.exclude(last_error="").order_by("-next_attempt_at").first()
            self.stdout.write(
                f"{label}: {messages.count()}" + (f" (last error: {latest.last_error})" if latest else "")
            )
