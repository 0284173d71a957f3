"""One rule for every form that books a conversation (the MUS's time and place, the team's slots,
the follow-up conversation): a Saturday or a Sunday is booked only once the leader confirms it,
and nothing is sent before; a weekday needs nothing more. The rule is written once
(``samtale.lib.meetings.forms.WeekendConfirmation``), tested on every date in
samtale/lib/tests/test_meetings_forms.py and here on each form's page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation
from samtale.outbox.models import OutboxMessage
from samtale.plans.models import FollowUp
from samtale.testing import Mus, Org, weekend_day, working_day
from samtale.testing.follow_up import signed_plan
from samtale.testing.scheduling import english

PLACE = {"duration_minutes": "60", "location": "Mødelokale 2", "online_url": ""}


@dataclass(frozen=True)
class Booking:
    """A form that books a conversation: where it posts, what it sends for a day, what got booked."""

    url: Callable[[Org, Mus], str]
    data: Callable[[Org, Mus, date], dict[str, Any]]
    booked: Callable[[Mus], Any]


def _plan_url(org: Org, mus: Mus) -> str:
    return reverse("plans:follow_up_call", args=[signed_plan(org, mus).uuid])


BOOKINGS = {
    "the conversation's time": Booking(
        url=lambda o, m: reverse("conversations:schedule", args=[m.conversation.uuid]),
        data=lambda o, m, day: {"date": day.isoformat(), "time": "10:00", **PLACE},
        booked=lambda m: Conversation.objects.get(pk=m.conversation.pk).starts_at,
    ),
    "the team's slots": Booking(
        url=lambda o, m: reverse("conversations:slots", args=[m.round.uuid]),
        data=lambda o, m, day: {
            "date": day.isoformat(),
            "first_start": "09:00",
            "count": "2",
            "break_minutes": "15",
            f"slot-{m.conversation.uuid}": "0",
            **PLACE,
        },
        booked=lambda m: Conversation.objects.get(pk=m.conversation.pk).starts_at,
    ),
    "the follow-up conversation": Booking(
        url=_plan_url,
        data=lambda o, m, day: {"date": day.isoformat(), "time": "10:00", **PLACE},
        booked=lambda m: FollowUp.objects.filter(plan__conversation=m.conversation).values_list("starts_at").first(),
    ),
}


def _booked_on(booking: Booking, mus: Mus) -> date | None:
    value = booking.booked(mus)
    value = value[0] if isinstance(value, tuple) else value
    return timezone.localtime(value).date() if value else None


@pytest.mark.parametrize("kind", BOOKINGS)
def test_a_weekend_day_is_booked_only_once_the_leader_confirms_it(org: Org, mus: Mus, kind: str) -> None:
    english(org.leader)
    booking = BOOKINGS[kind]
    url, client, day = booking.url(org, mus), org.client("leader"), weekend_day(7)
    assert 'name="weekend_confirmed"' not in client.get(url).content.decode()
    sent = OutboxMessage.objects.count()
    response = client.post(url, booking.data(org, mus, day))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date is a weekend day" in page
    assert 'name="weekend_confirmed"' in page
    assert _booked_on(booking, mus) is None
    assert OutboxMessage.objects.count() == sent  # nothing went out
    response = client.post(url, booking.data(org, mus, day) | {"weekend_confirmed": "on"})
    assert response.status_code == 302
    assert _booked_on(booking, mus) == day


@pytest.mark.parametrize("kind", BOOKINGS)
def test_a_weekday_is_booked_without_a_question(org: Org, mus: Mus, kind: str) -> None:
    booking = BOOKINGS[kind]
    day = working_day(7)
    response = org.client("leader").post(booking.url(org, mus), booking.data(org, mus, day))
    assert response.status_code == 302
    assert _booked_on(booking, mus) == day


def test_a_weekend_date_that_is_wrong_anyway_says_only_what_is_wrong(org: Org, mus: Mus) -> None:
    english(org.leader)
    late = weekend_day(91)  # after the round's last day
    url = reverse("conversations:schedule", args=[mus.conversation.uuid])
    response = org.client("leader").post(url, {"date": late.isoformat(), "time": "10:00", **PLACE})
    assert response.status_code == 400
    page = response.content.decode()
    assert "must be held by" in page
    assert "The date is a weekend day" not in page


def test_changing_a_confirmed_weekend_booking_shows_the_box_again(org: Org, mus: Mus) -> None:
    url = reverse("conversations:schedule", args=[mus.conversation.uuid])
    data = {"date": weekend_day(7).isoformat(), "time": "10:00", "weekend_confirmed": "on", **PLACE}
    assert org.client("leader").post(url, data).status_code == 302
    assert 'name="weekend_confirmed"' in org.client("leader").get(url).content.decode()
