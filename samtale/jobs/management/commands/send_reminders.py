from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from samtale.jobs.reminders import reminders_send
from samtale.jobs.tasks import daily_sweep_schedule


class Command(BaseCommand):
    help = (
        "Put today's reminders in the outbox: to prepare, a few days before a conversation; to "
        "leaders whose conversations have no time as the round's deadline nears; of plans due and "
        "overdue, signatures missing, open items past their deadline and follow-ups to call or "
        "overdue. Each reminder is sent once, however often this runs. The task worker runs it "
        "every morning by itself."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Only make sure the worker's daily run is booked (it books the next one after each run).",
        )

    def handle(self, *args: Any, schedule: bool, **options: Any) -> None:
        if schedule:
            booked = daily_sweep_schedule()
            if booked is None:
                self.stdout.write("the daily reminders are already booked")
            else:
                self.stdout.write(f"the daily reminders are booked for {timezone.localtime(booked):%Y-%m-%d %H:%M}")
            return
        report = reminders_send()
        self.stdout.write(
            f"reminders to prepare: {report.prepare}, reminders to schedule: {report.schedule}, "
            f"plans due: {report.plan_due}, plans overdue: {report.plan_overdue}, "
            f"signatures: {report.signature}, open items: {report.open_item}, follow-ups: {report.follow_up}"
        )
