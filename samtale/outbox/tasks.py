from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from samtale.outbox.services import _schedule_delivery, outbox_deliver, outbox_next_attempt


@task
def deliver_outbox() -> dict[str, int]:
    """Deliver what is due; if some messages wait for a mail server to come back, come back
    when the first of them is due."""
    report = outbox_deliver()
    next_attempt = outbox_next_attempt()
    if next_attempt is not None:
        _schedule_delivery(run_after=max(next_attempt, timezone.now()))
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}


def delivery_is_scheduled(*, due_by: datetime) -> bool:
    """Whether a delivery task is already waiting to run no later than ``due_by``.

    Only the database backend keeps waiting tasks; with any other backend (tests) enqueue."""
    if not isinstance(deliver_outbox.get_backend(), DatabaseBackend):
        return False

    # A task that is already running may have looked for work before our message was committed,
    # so only a task that has not started yet counts.
    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=deliver_outbox.module_path)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=due_by))
        .exists()
    )
