"""The demo that `make run` loads, and the benchmarks' history, hold on every day of the year and
at every hour: each is built with the clock stopped on awkward days, a second before and a second
after midnight in Copenhagen, and in the hours the clocks change.

On Saturday 5 December 2026 `make run` stopped while loading the demo: it booked two conversations
7 and 9 days ahead and moved a weekend day to the Monday after, so both landed on Monday 10:00 and
the double-booking rule refused the second.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from samtale.conversations.models import Conversation, ConversationStatus
from samtale.demo.evaluations import demo_surveys_seed
from samtale.demo.organisation import PERSONAS, seed_demo
from samtale.demo.round import demo_round_name, demo_round_seed
from samtale.plans.models import Plan, PlanStatus
from samtale.rounds.models import RoundStatus
from samtale.surveys.models import Survey, SurveyStatus

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# Days on which dates go wrong: weekends, the first and last days of a year, 29 February, the days
# the clocks change, ISO week 53 (2026 has one; 31 December 2029 is in week 1 of 2030), a round
# whose deadline falls in the next year.
AWKWARD_DAYS = (
    date(2026, 12, 5),  # a Saturday: the day the demo broke
    date(2026, 12, 6),  # a Sunday
    date(2026, 12, 31),  # New Year's Eve, a Thursday in ISO week 53
    date(2027, 1, 1),  # New Year's Day, still in week 53 of 2026
    date(2027, 1, 3),  # the Sunday that ends week 53
    date(2027, 3, 27),  # the Saturday before the clocks go forward
    date(2027, 3, 28),  # the clocks go forward: 02:00 does not happen
    date(2027, 10, 31),  # the clocks go back: 02:00-03:00 happens twice
    date(2027, 12, 24),  # Christmas Eve, a Friday
    date(2028, 2, 29),  # a leap day
    date(2028, 12, 31),  # a Sunday, the last day of a leap year
    date(2029, 12, 31),  # a Monday in ISO week 1 of the next year
)


def _moments() -> list[pytest.param]:
    params = []
    for day in AWKWARD_DAYS:
        before = datetime.combine(day, time(23, 59, 59), tzinfo=COPENHAGEN)
        after = datetime.combine(day, time(0, 0, 1), tzinfo=COPENHAGEN)
        params += [pytest.param(after, id=f"{day}-00:00:01"), pytest.param(before, id=f"{day}-23:59:59")]
    # The hour before the clocks go forward, and both 02:30s of the night they go back.
    params += [
        pytest.param(datetime(2027, 3, 28, 1, 59, 59, tzinfo=COPENHAGEN), id="2027-03-28-01:59:59"),
        pytest.param(datetime(2027, 10, 31, 2, 30, tzinfo=COPENHAGEN), id="2027-10-31-02:30-summer"),
        pytest.param(datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=COPENHAGEN), id="2027-10-31-02:30-winter"),
    ]
    return params


def _demo_holds() -> None:
    """What `make run` promises each persona, whatever the day."""
    today = timezone.localdate()
    seed_demo(employees=60)
    round_ = demo_round_seed()
    assert (
        round_ is not None
        and round_.name == demo_round_name(today) == f"MUS-{round_.held_by.year}"
        and round_.status == RoundStatus.LAUNCHED
    )
    assert round_.opens_on < today < round_.held_by
    demo_surveys_seed(round_)

    # The persona leader's team: two booked on two different working days ahead, by the deadline.
    team = Conversation.objects.filter(round=round_, employee__personnel_leader__email=PERSONAS["leader"].email)
    scheduled = list(team.filter(status=ConversationStatus.SCHEDULED))
    assert len(scheduled) == 2
    days = sorted(timezone.localtime(c.starts_at).date() for c in scheduled)
    assert days[0] != days[1] and days[0] > today and days[1] <= round_.held_by
    assert all(day.weekday() < 5 for day in days), days
    # The bulk of the round: booked and held on working days, within the round.
    others = Conversation.objects.filter(round=round_).exclude(pk__in=team.values("pk"))
    booked = [timezone.localtime(c.starts_at).date() for c in others.exclude(starts_at=None)]
    assert booked and all(round_.opens_on <= day <= round_.held_by for day in booked)
    held_days = list(others.exclude(held_on=None).values_list("held_on", flat=True))
    assert held_days and all(day <= today for day in held_days)

    plan = Plan.objects.select_related("conversation").get(
        conversation__round=round_, employee__email=PERSONAS["union_rep"].email
    )
    assert plan.status == PlanStatus.SIGNED and plan.versions.count() == 2
    held_on = plan.conversation.held_on
    assert held_on is not None and round_.opens_on <= held_on < today
    assert plan.follow_up_by is not None and held_on < plan.follow_up_by <= held_on + timedelta(days=184)

    employee = Conversation.objects.get(round=round_, employee__email=PERSONAS["employee"].email)
    assert employee.status == ConversationStatus.INVITED  # the walk starts here
    statuses = dict(Survey.objects.filter(round=round_).values_list("kind", "status"))
    assert statuses == {"leader_360": SurveyStatus.CLOSED, "evaluation": SurveyStatus.OPEN}


@pytest.mark.parametrize("moment", _moments())
def test_the_demo_loads_on_every_awkward_day_and_hour(moment: datetime, settings) -> None:  # type: ignore[no-untyped-def]
    # As under `make run`: the worker is not running while the demo is seeded.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with time_machine.travel(moment, tick=False):
        assert timezone.localtime().date() == moment.date()
        _demo_holds()


def test_the_demo_loads_while_the_clock_crosses_midnight(settings) -> None:  # type: ignore[no-untyped-def]
    """Started a moment before midnight, the loading ends the next day: the organisation is built
    on New Year's Eve, the round on New Year's Day, the evaluations a second later."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, 59, tzinfo=COPENHAGEN), tick=False) as clock:
        seed_demo(employees=60)
        clock.move_to(datetime(2027, 1, 1, 0, 0, 0, tzinfo=COPENHAGEN))
        round_ = demo_round_seed()
        assert round_ is not None
        clock.shift(timedelta(seconds=1))
        demo_surveys_seed(round_)
        assert Conversation.objects.filter(round=round_, status=ConversationStatus.SCHEDULED).count() >= 2
        assert Survey.objects.filter(round=round_).count() == 2


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param(datetime(2026, 12, 5, 23, 59, 59, tzinfo=COPENHAGEN), id="saturday-night"),
        pytest.param(datetime(2027, 1, 1, 0, 0, 1, tzinfo=COPENHAGEN), id="new-year-week-53"),
        pytest.param(datetime(2027, 3, 28, 1, 59, 59, tzinfo=COPENHAGEN), id="clocks-forward"),
        pytest.param(datetime(2028, 2, 29, 0, 0, 1, tzinfo=COPENHAGEN), id="leap-day"),
    ],
)
def test_the_benchmarks_history_builds_on_awkward_days(moment: datetime, settings) -> None:  # type: ignore[no-untyped-def]
    from bench.history import organisation_build
    from samtale.completion.counters import completion_rebuild
    from samtale.completion.models import UnitCompletion

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with time_machine.travel(moment, tick=False):
        counts = organisation_build(60, finished=2)
        assert counts["rounds"] == 3 and counts["plans"] > 0 and counts["follow_ups"] > 0
        # The history was written in bulk: every conversation's dates are in its round's order.
        for conversation in Conversation.objects.filter(status=ConversationStatus.HELD).select_related("round"):
            assert conversation.held_on is not None
            assert conversation.round.opens_on <= conversation.held_on <= timezone.localdate()
        kept = sorted(UnitCompletion.objects.values_list("round_id", "unit_id", "held", "plan_signed"))
        completion_rebuild()
        assert sorted(UnitCompletion.objects.values_list("round_id", "unit_id", "held", "plan_signed")) == kept
