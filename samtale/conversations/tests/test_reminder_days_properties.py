"""The conversation's reminder days hold at every moment: random moments over decades, and the
nights the clocks change in Copenhagen (the hour that does not exist in March, the hour that
happens twice in October).

- The daily sweep runs at 06:30 Copenhagen time: the next one is always the first 06:30 after now.
- "The worker reminds the employee to prepare 3 days before the conversation": a conversation is in
  the sweep's window from now until the end of the third day ahead, and never before or after.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.services.reminders import PREPARE_DAYS_BEFORE, prepare_reminders
from samtale.jobs.tasks import SWEEP_AT, next_sweep
from samtale.testing import FAST_PASSWORD_HASHERS, build_org, build_round

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MOMENTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(COPENHAGEN)
).map(lambda moment: moment.astimezone(UTC))  # a real instant, whatever wall time it was drawn as
# Instants around the changes of 2027: 01:59:59 winter time the night the clocks go forward, and
# both 02:30s of the night they go back.
SPRING = datetime(2027, 3, 28, 1, 59, 59, tzinfo=COPENHAGEN)
AUTUMN_FIRST = datetime(2027, 10, 31, 2, 30, tzinfo=COPENHAGEN)
AUTUMN_SECOND = datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=COPENHAGEN)
NEW_YEAR = datetime(2026, 12, 31, 23, 59, 59, tzinfo=COPENHAGEN)


@given(after=MOMENTS)
@example(after=SPRING)
@example(after=AUTUMN_FIRST)
@example(after=AUTUMN_SECOND)
@example(after=NEW_YEAR)
@example(after=datetime(2027, 3, 28, 6, 30, tzinfo=COPENHAGEN))
def test_the_next_sweep_is_the_first_0630_after_now(after: datetime) -> None:
    with timezone.override(COPENHAGEN):
        run = next_sweep(after)
    local = run.astimezone(COPENHAGEN)
    assert local.time() == SWEEP_AT
    assert run > after
    # No 06:30 lies between: the one before is not after now.
    day_before = datetime.combine(local.date() - timedelta(days=1), SWEEP_AT, tzinfo=COPENHAGEN)
    assert day_before <= after
    assert run - after <= timedelta(hours=25)  # a day, and the hour the clocks may give back


# The class's users are made before pytest's function fixtures apply the suite's fast hasher: name
# it here (Django's default hasher took most of a second for each of the personas).
@override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS)
class PrepareReminderTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_org()
        cls.mus = build_round(cls.org)

    @given(now=MOMENTS, ahead=st.integers(min_value=-2 * 24 * 60, max_value=7 * 24 * 60))
    @example(now=SPRING.astimezone(UTC), ahead=3 * 24 * 60)
    @example(now=AUTUMN_SECOND.astimezone(UTC), ahead=4 * 24 * 60 - 151)
    @example(now=NEW_YEAR.astimezone(UTC), ahead=1)
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_the_employee_is_reminded_to_prepare_from_the_third_day_before(self, now: datetime, ahead: int) -> None:
        starts_at = now + timedelta(minutes=ahead)
        Conversation.objects.filter(pk=self.mus.conversation.pk).update(
            status=ConversationStatus.SCHEDULED, starts_at=starts_at, invitation_sent_at=None
        )
        with timezone.override(COPENHAGEN):
            today = timezone.localdate(now)
            reminded = any(
                draft.context["conversation"] == self.mus.conversation.pk
                for draft in prepare_reminders(today=today, now=now)
            )
        last_day: date = today + timedelta(days=PREPARE_DAYS_BEFORE)
        in_window = now <= starts_at and starts_at.astimezone(COPENHAGEN).date() <= last_day
        assert reminded == in_window, (now.astimezone(COPENHAGEN), starts_at.astimezone(COPENHAGEN))
        # And the window's far edge is a local midnight, not a fixed number of hours.
        edge = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=COPENHAGEN)
        assert (starts_at < edge) == (starts_at.astimezone(COPENHAGEN).date() <= last_day)
