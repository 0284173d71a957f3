"""The plan's date rules hold on every date: random days over decades, the year's ends, 29 February
and the days the clocks change in Copenhagen.

- "The employee … hands it to the leader within 14 days of the conversation" (the concept's days).
- "The follow-up conversation: a date or a week, at most 6 months after the MUS": the same day six
  months on, or that month's last day when it has no such day.
- The reminders of the plan: the employee on the 3rd day before it is due and on the due date, while
  it is not handed in; the leader the day after it is overdue and weekly after, at most 4 times —
  each once, whichever day of the week or year it falls on.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samtale.conversations.models import Conversation, ConversationStatus
from samtale.plans.models import Plan, PlanStatus
from samtale.plans.services.reminders import OVERDUE_TIMES, due_reminders, overdue_reminders, overdue_stage
from samtale.plans.services.writing import add_months, follow_up_last_day
from samtale.testing import FAST_PASSWORD_HASHERS, build_org, build_round

# Days people hold conversations on, and the awkward ones hypothesis is told to try first.
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
AWKWARD = (
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2028, 2, 29),
    date(2027, 8, 31),
    date(2027, 3, 28),
    date(2027, 10, 31),
    date(2026, 12, 28),
    date(2029, 12, 31),
)


def _example_days(test):  # type: ignore[no-untyped-def]
    from hypothesis import example

    for day in AWKWARD:
        test = example(day)(test)
    return test


@given(day=DAYS, months=st.integers(min_value=1, max_value=24))
def test_months_later_is_the_same_day_or_the_last_of_a_shorter_month(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    last_of_month = calendar.monthrange(later.year, later.month)[1]
    assert later.day == min(day.day, last_of_month)
    assert later > day


@given(day=DAYS)
@_example_days
def test_six_months_after_is_between_181_and_184_days_later(day: date) -> None:
    assert 181 <= (add_months(day, 6) - day).days <= 184


def test_no_overdue_reminder_before_the_day_after_or_after_the_last_week() -> None:
    stages = {days: overdue_stage(days_late=days) for days in range(-400, 400)}
    sent = {days: stage for days, stage in stages.items() if stage is not None}
    assert sent == {1 + 7 * week + d: week for week in range(OVERDUE_TIMES) for d in range(7)}


# The class's users are made before pytest's function fixtures apply the suite's fast hasher: name
# it here (Django's default hasher took most of a second for each of the personas).
@override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS)
class PlanDatesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_org()
        cls.mus = build_round(cls.org)

    def _plan_held_on(self, held_on: date) -> Plan:
        conversation = Conversation.objects.select_related("round__concept").get(pk=self.mus.conversation.pk)
        conversation.status, conversation.held_on = ConversationStatus.HELD, held_on
        conversation.save(update_fields=["status", "held_on"])
        due_on = conversation.plan_due_on()
        assert due_on is not None
        return Plan.objects.create(
            conversation=conversation, employee=conversation.employee, due_on=due_on, status=PlanStatus.DRAFT
        )

    @given(held_on=DAYS)
    @_example_days
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_the_plan_is_due_14_days_after_and_the_follow_up_is_at_most_6_months_after(self, held_on: date) -> None:
        plan = self._plan_held_on(held_on)
        assert plan.due_on == held_on + timedelta(days=14)
        last = follow_up_last_day(plan.conversation)
        assert last == add_months(held_on, 6) and last.day <= held_on.day

    @given(held_on=DAYS)
    @_example_days
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_each_reminder_of_a_plan_left_alone_goes_once_on_its_day(self, held_on: date) -> None:
        """The daily sweep, run every day from the conversation until long after: the employee is
        reminded 3 days before and on the due date, the leader 1, 8, 15 and 22 days after."""
        plan = self._plan_held_on(held_on)
        sent: dict[str, date] = {}
        for offset in range(14 + 7 * OVERDUE_TIMES + 10):
            today = held_on + timedelta(days=offset)
            for draft in due_reminders(today=today) + overdue_reminders(today=today):
                sent.setdefault(f"{draft.kind}:{draft.dedupe_key}", today)  # the outbox keeps one per key
        due = plan.due_on
        to_employee = sorted(day for key, day in sent.items() if key.startswith("plans.due_reminder"))
        to_leader = sorted(day for key, day in sent.items() if key.startswith("plans.overdue_reminder"))
        assert to_employee == [due - timedelta(days=3), due]
        assert to_leader == [due + timedelta(days=1 + 7 * week) for week in range(OVERDUE_TIMES)]
