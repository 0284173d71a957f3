"""A run of the daily sweep booked before it moved to ``samtale.jobs`` is found under its new name."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samtale.jobs.tasks import daily_sweep

moved = importlib.import_module("samtale.jobs.migrations.0001_sweep_moved")


def _booked(path: str, status: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=path,
        status=status,
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        args_kwargs={"args": [], "kwargs": {}},
    )


def test_a_waiting_run_under_the_old_name_is_renamed_and_a_finished_one_kept(db) -> None:  # type: ignore[no-untyped-def]
    waiting = _booked(moved.OLD, "READY")
    finished = _booked(moved.OLD, "SUCCESSFUL")
    moved.forwards(apps, None)
    waiting.refresh_from_db()
    finished.refresh_from_db()
    assert waiting.task_path == daily_sweep.module_path == moved.NEW
    assert finished.task_path == moved.OLD
