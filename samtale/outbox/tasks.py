"""The outbox's delivery, run by the task worker."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from samtale.lib.tasks import enqueue_once
from samtale.outbox.delivery import outbox_deliver, outbox_next_attempt


@task
def deliver_outbox() -> dict[str, int]:
    """Deliver what is due; if some messages wait for a mail server to come back, come back
    when the first of them is due."""
    report = outbox_deliver()
    next_attempt = outbox_next_attempt()
    if next_attempt is not None:
        enqueue_once(deliver_outbox, run_after=max(next_attempt, timezone.now()))
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}
