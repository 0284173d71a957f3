"""The access matrix for the plan's follow-up: every persona × the follow-up page, recording
progress, registering a departure, calling, cancelling and holding the follow-up conversation, its
calendar file, and the employee's page to pass earlier minutes on to a new leader, through the real
URLs; and the same after the employee has changed leader.

docs/trust.md § Access matrix, "follow-up progress": employee R W, leader R W, chain R, former
leader —, daily leader and union representative — (even when the plan is shared with them), HR
status only (no page). 200 read, 302 done, 403 a refused write to something the persona may read,
404 not there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation, ConversationStatus
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.plans.models import Plan
from samtale.plans.services import follow_up
from samtale.testing import Mus, Org, working_day
from samtale.testing.access import PERSONAS, Case, confirmed
from samtale.testing.follow_up import GOAL, as_, move_employee_to, signed_plan

READERS = {"employee": 200, "leader": 200, "head": 200, "director": 200}
# The employee and the leader write; the chain reads and gets 403 for a write.
WRITERS = {"employee": 302, "leader": 302, "head": 403, "director": 403}
LEADER_WRITES = {"leader": 302, "employee": 403, "head": 403, "director": 403}
LEADER_FORM = {"leader": 200, "employee": 403, "head": 403, "director": 403}
BOTH_FORMS = {"employee": 200, "leader": 200, "head": 403, "director": 403}
# After the employee moved to Regnskab under Frode (the persona "former_leader"): Frode is the
# leader now, Lise (the persona "leader") is the former leader and sees nothing.
AFTER = {"employee": 200, "former_leader": 200, "head": 200, "director": 200}


def plan(o: Org) -> Plan:
    if not hasattr(o, "plan"):
        o.plan = signed_plan(o, o.mus)  # type: ignore[attr-defined]
    return o.plan  # type: ignore[attr-defined]


def url(name: str, *extra: Any) -> Any:
    return lambda o: reverse(name, args=[plan(o).uuid, *extra])


def shared(o: Org) -> str:
    p = plan(o)
    now = timezone.now()
    Plan.objects.filter(pk=p.pk).update(shared_with_daily_leader_at=now, shared_with_union_rep_at=now)
    return reverse("plans:follow_up", args=[p.uuid])


def called(name: str) -> Any:
    def make(o: Org) -> str:
        p = plan(o)
        follow_up.follow_up_call(viewer=as_(o, "leader"), plan=p, when=_time_and_place())
        return reverse(name, args=[p.uuid])

    return make


def after_change(name: str, *extra: Any) -> Any:
    def make(o: Org) -> str:
        p = plan(o)
        move_employee_to(o, o.former_leader)
        return reverse(name, args=[p.uuid, *extra])

    return make


def _time_and_place() -> TimeAndPlace:
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    return TimeAndPlace(starts_at=start, duration_minutes=60, location="Mødelokale 1")


def progress_data(o: Org) -> dict[str, Any]:
    return {"status": "under_way", "note": "I gang", "on": timezone.localdate().isoformat()}


def call_data(o: Org) -> dict[str, Any]:
    day = working_day(10)
    return {"date": day.isoformat(), "time": "10:00", "duration_minutes": "60", "location": "Mødelokale 1"}


def held_data(o: Org) -> dict[str, Any]:
    return {"held_on": timezone.localdate().isoformat(), "reached": "Lønnen kører", "carries_over": ""}


def consent_data(o: Org) -> dict[str, Any]:
    Conversation.objects.filter(pk=o.mus.conversation.pk).update(  # type: ignore[attr-defined]
        status=ConversationStatus.HELD, held_on=timezone.localdate(), held_with=o.leader
    )
    move_employee_to(o, o.former_leader)
    return {"conversation": str(o.mus.conversation.uuid), "action": "grant"}  # type: ignore[attr-defined]


EVERY_PERSON = {p: 200 for p in PERSONAS if p != "admin"}

CASES = [
    Case("the follow-up page", "get", url("plans:follow_up"), None, READERS),
    Case("the follow-up page, the plan shared with daily leader and union rep", "get", shared, None, READERS),
    Case("the progress form", "get", url("plans:progress", GOAL), None, BOTH_FORMS),
    Case("recording progress", "post", url("plans:progress", GOAL), progress_data, WRITERS),
    Case("the departure form", "get", url("plans:departure"), None, BOTH_FORMS),
    Case("registering a departure", "post", url("plans:departure"), lambda o: {"why": "Ny opgave"}, WRITERS),
    Case("the form to call the follow-up", "get", url("plans:follow_up_call"), None, LEADER_FORM),
    Case("calling the follow-up", "post", url("plans:follow_up_call"), call_data, LEADER_WRITES),
    Case("cancelling the follow-up", "post", called("plans:follow_up_cancel"), confirmed, LEADER_WRITES),
    Case("the follow-up's calendar file", "get", called("plans:follow_up_ics"), None, READERS),
    Case("the form to mark the follow-up held", "get", url("plans:follow_up_held"), None, LEADER_FORM),
    Case("marking the follow-up held", "post", url("plans:follow_up_held"), held_data, LEADER_WRITES),
    Case("the page about earlier minutes", "get", lambda o: reverse("plans:minutes_consent"), None, EVERY_PERSON),
    # Only the employee can pass on their own minutes; for anyone else the conversation is not there.
    Case(
        "passing earlier minutes on to the new leader",
        "post",
        lambda o: reverse("plans:minutes_consent"),
        consent_data,
        {"employee": 302},
    ),
    # After a leader change: the new leader has it all at once, the former leader nothing.
    Case("the follow-up page after a leader change", "get", after_change("plans:follow_up"), None, AFTER),
    Case(
        "recording progress after a leader change",
        "post",
        after_change("plans:progress", GOAL),
        progress_data,
        {"employee": 302, "former_leader": 302, "head": 403, "director": 403},
    ),
    Case(
        "calling the follow-up after a leader change",
        "post",
        after_change("plans:follow_up_call"),
        call_data,
        {"former_leader": 302, "employee": 403, "head": 403, "director": 403},
    ),
    Case(
        "the calendar file after a leader change",
        "get",
        lambda o: (called("plans:follow_up_ics")(o), after_change("plans:follow_up_ics")(o))[1],
        None,
        AFTER,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_follow_up_access_matrix(org: Org, mus: Mus, case: Case, persona: str) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    client = org.client(persona)
    target = case.url(org)
    response = client.get(target) if case.method == "get" else client.post(target, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"
