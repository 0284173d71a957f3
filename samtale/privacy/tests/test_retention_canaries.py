"""Retention really deletes (docs/trust.md § Erasure and retention): canaries — unique strings — are
planted in every kind of record of the people of a closed round; the clock is moved to a random day
up to eight years on, some people have left, some are under a legal hold (and some of those holds
were lifted); the job runs; and then no canary of a record that was due is anywhere in the database —
not in any table, and on SQLite not in the raw bytes of the file, free pages included — while every
canary of a record still to be kept is still there."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samtale.conversations.models import Conversation
from samtale.privacy.models import LegalHold
from samtale.privacy.retention import retention_apply
from samtale.privacy.schedule import months_before
from samtale.rounds.models import RoundStatus
from samtale.testing import build_org, build_round
from samtale.testing.privacy import database_text, local, plant, plant_import

CLOSED_ON = date(2021, 3, 1)
HELD_ON = CLOSED_ON - timedelta(days=40)
SENT_ON = CLOSED_ON + timedelta(days=10)

people = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(min_value=-400, max_value=2400)),  # left this many days after the close
        st.sampled_from(["none", "held", "lifted"]),  # legal hold
    ),
    min_size=2,
    max_size=4,
)


def _due(kind: str, today: date, end: date | None) -> bool:
    """The schedule's defaults, written out again as the test's own model of them."""
    left = end is not None and end < months_before(today, 12)
    if kind == "preparations":
        return months_before(today, 12) > HELD_ON or left or months_before(today, 60) > CLOSED_ON
    if kind == "conversations":
        return months_before(today, 60) > CLOSED_ON or left
    if kind == "emails":
        return today - timedelta(days=90) > SENT_ON
    if kind == "audit":
        return months_before(today, 60) > SENT_ON
    raise AssertionError(kind)


class RetentionCanaryTest(TestCase):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(people=people, days_on=st.integers(min_value=0, max_value=8 * 366), imported_days_before=st.integers(0, 800))
    def test_what_is_due_is_gone_from_every_byte_and_the_rest_is_kept(
        self, people: list[tuple[int | None, str]], days_on: int, imported_days_before: int
    ) -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete") if connection.vendor == "sqlite" else cursor.execute("SELECT 1")
            assert cursor.fetchone()[0] == 1
        org = build_org()
        mus = build_round(org, name="MUS-2021")
        mus.round.status, mus.round.closed_at = RoundStatus.CLOSED, local(CLOSED_ON)
        mus.round.save()
        today = CLOSED_ON + timedelta(days=days_on)
        subjects = [org.employee, org.colleague, org.daily_leader, org.union_rep][: len(people)]
        planted = []
        for person, (left_after, hold) in zip(subjects, people, strict=False):
            end = CLOSED_ON + timedelta(days=left_after) if left_after is not None else None
            if end is not None:
                person.end_date = end
                person.start_date = None
                person.save(update_fields=["end_date", "start_date"])
            conversation = Conversation.objects.get(round=mus.round, employee=person)
            canaries = plant(conversation, leader=org.leader, held_on=HELD_ON, sent_on=SENT_ON)
            if hold != "none":
                legal_hold = LegalHold.objects.create(person=person, reason="a case")
                if hold == "lifted":
                    LegalHold.objects.filter(pk=legal_hold.pk).update(lifted_at=local(CLOSED_ON))
            planted.append((canaries, end, hold == "held"))
        import_canary = plant_import(today - timedelta(days=imported_days_before))

        retention_apply(today=today, batch=3)

        text = database_text()
        for canaries, end, held in planted:
            for kind, values in canaries.by_kind.items():
                due = not held and _due(kind, today, end)
                for value in values:
                    assert (value in text) is not due, (kind, value, "kept" if not due else "deleted", today, end)
        import_due = today - timedelta(days=imported_days_before) < months_before(today, 12)
        assert (import_canary in text) is not import_due
