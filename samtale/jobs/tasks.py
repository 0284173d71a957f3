"""The daily sweep, run by the task worker.

Each run puts the day's reminders in the outbox, heals the completion counters, deletes what the
retention schedule says is due (``samtale.privacy.retention``), and books the
next run for the next morning, so one booking keeps it going for as long as a worker runs;
``send_reminders --schedule`` (called by ``make run``, and in production at each deploy or from
cron) makes the first one, and books nothing when a run is already waiting.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.tasks import task
from django.utils import timezone

from samtale.competences.counters import counters_rebuild
from samtale.completion.counters import completion_rebuild
from samtale.jobs.reminders import reminders_send
from samtale.learning.counters import activity_counts_rebuild
from samtale.lib.bulk import statistics_refresh
from samtale.lib.tasks import keeps_waiting_runs, waiting_runs
from samtale.privacy.retention import retention_apply

# The sweep runs at this time of day (Europe/Copenhagen), before most people's working day.
SWEEP_AT = time(6, 30)


@task
def daily_sweep() -> dict[str, int]:
    report = reminders_send()
    # The completion counters are kept by the services; recounting them every morning heals any
    # row a path outside the services (a fix in the database by hand) left behind.
    counted = completion_rebuild()
    # The competence counters likewise, and they follow job titles, profiles and people who left.
    levels = counters_rebuild()
    activities = activity_counts_rebuild()
    # Records kept as long as allowed are deleted for good (docs/trust.md § Erasure and retention).
    retention = retention_apply(today=timezone.localdate())
    statistics_refresh()  # after the day's changes: SQLite plans by them (lib.bulk)
    daily_sweep_schedule(after=timezone.now())
    return {
        **report.as_dict(),
        "completion_rows": counted,
        "level_rows": levels,
        "activity_rows": activities,
        **retention.as_dict(),
    }


def next_sweep(after: datetime) -> datetime:
    local = timezone.localtime(after)
    day = local.date() if local.time() < SWEEP_AT else local.date() + timedelta(days=1)
    return datetime.combine(day, SWEEP_AT, tzinfo=timezone.get_current_timezone())


def daily_sweep_schedule(*, after: datetime | None = None) -> datetime | None:
    """Book the next sweep unless one is already waiting, whenever it is due. Returns its time, or
    None when one was already booked (or the task backend keeps no waiting runs: the tests' runs
    at once, and a sweep that books itself at once would never end)."""
    if not keeps_waiting_runs(daily_sweep) or waiting_runs(daily_sweep).exists():
        return None
    run_after = next_sweep(after or timezone.now())
    daily_sweep.using(run_after=run_after).enqueue()
    return run_after
