"""Background tasks run by the worker (``django.tasks`` with the database backend): enqueue a
task unless a run of it is already waiting, so that a burst of requests or a sweep run twice
books one run, not many.

Only the database backend keeps runs that wait; the tests' immediate backend runs a task at
once and keeps nothing, so there every enqueue runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max


def keeps_waiting_runs(task: Task[Any, Any]) -> bool:
    """Whether the task's backend keeps runs that wait (and can book one for later)."""
    return isinstance(task.get_backend(), DatabaseBackend)


def waiting_runs(task: Task[Any, Any]) -> QuerySet[DBTaskResult]:
    """The task's runs that have not started yet. A run that has started may have looked for its
    work before ours was committed, so it does not count as waiting."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)


def enqueue_once(task: Task[Any, Any], *, run_after: datetime | None = None) -> bool:
    """Enqueue ``task`` (to run at ``run_after``, or now) unless a run of it already waits that
    starts no later than that. Returns whether a run was enqueued."""
    if keeps_waiting_runs(task):
        due_by = run_after or timezone.now()
        if waiting_runs(task).filter(Q(run_after=get_date_max()) | Q(run_after__lte=due_by)).exists():
            return False
    (task.using(run_after=run_after) if run_after is not None else task).enqueue()
    return True
