"""The access matrix for writing the plan (docs/trust.md § Access matrix): every persona × the plan
page, the form, saving, commenting, sharing and HR's activity catalogue, through the real URLs, with
the plan not shared and shared with the daily leader and the union representative.

200 read, 302 done, 403 a refused write to a plan the persona may read, 404 not there for them.
"Leader" is the current personnel leader; the former leader has lost every access."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.services import meeting
from samtale.plans.models import ActivityType, Plan
from samtale.plans.services import writing
from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS, Case
from samtale.testing.plans import post_data, raw

# Those who always read the plan: the employee, the leader and the leader chain.
READERS = ("employee", "leader", "head", "director")


def _plan(o: Org) -> Plan:
    if not hasattr(o, "plan"):
        mus: Mus = o.mus  # type: ignore[attr-defined]
        meeting.conversation_mark_held(
            viewer=viewer_for(o.user("leader")), conversation=mus.conversation, held_on=timezone.localdate()
        )
        o.plan = Plan.objects.get(conversation=mus.conversation)  # type: ignore[attr-defined]
    return o.plan  # type: ignore[attr-defined,no-any-return]


def _shared(o: Org) -> Plan:
    plan = _plan(o)
    employee = viewer_for(o.user("employee"))
    writing.plan_share(viewer=employee, plan=plan, recipient="daily_leader", share=True)
    writing.plan_share(viewer=employee, plan=plan, recipient="union_rep", share=True)
    return plan


def _url(name: str, *, shared: bool = False) -> Any:
    def url(o: Org) -> str:
        plan = _shared(o) if shared else _plan(o)
        return reverse(name, args=[plan.uuid])

    return url


def _readers(shared: bool, **overrides: int) -> dict[str, int]:
    """Readers get 403 for a write unless given here; when shared, the daily leader and the union
    representative read too."""
    readers = READERS + (("daily_leader", "union_rep") if shared else ())
    return {**dict.fromkeys(readers, 403), **overrides}


def _share_data(shared: bool) -> Any:
    """Share when not shared, take back when shared."""

    def data(o: Org) -> dict[str, str]:
        return {"recipient": "daily_leader", "share": "0" if shared else "1"}

    return data


def _type_url(o: Org) -> str:
    return reverse("plans:activity_type_change", args=[ActivityType.objects.get(key="coaching").uuid])


CASES: list[Case] = []
for shared in (False, True):
    suffix = " (shared)" if shared else " (not shared)"
    CASES += [
        Case(
            "the plan page" + suffix,
            "get",
            _url("plans:detail", shared=shared),
            None,
            dict.fromkeys(READERS + (("daily_leader", "union_rep") if shared else ()), 200),
        ),
        Case(
            "the plan's form" + suffix, "get", _url("plans:edit", shared=shared), None, _readers(shared, employee=200)
        ),
        Case(
            "saving the plan" + suffix,
            "post",
            _url("plans:edit", shared=shared),
            lambda o: post_data(raw()),
            _readers(shared, employee=302),
        ),
        Case(
            "commenting on the plan" + suffix,
            "post",
            _url("plans:comment_add", shared=shared),
            lambda o: {"text": "Et forslag"},
            _readers(shared, leader=302),
        ),
        Case(
            "sharing the plan" + suffix,
            "post",
            _url("plans:share", shared=shared),
            _share_data(shared),
            _readers(shared, employee=302),
        ),
    ]
CASES += [
    Case("the activity catalogue", "get", lambda o: reverse("plans:activity_types"), None, {"hr": 200}),
    Case(
        "adding an activity type",
        "post",
        lambda o: reverse("plans:activity_types"),
        lambda o: {"name": "Jobrotation"},
        {"hr": 302},
    ),
    Case("withdrawing an activity type", "post", _type_url, lambda o: {"action": "withdraw"}, {"hr": 302}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_plan_writing_access_matrix(org: Org, mus: Mus, case: Case, persona: str) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    client = org.client(persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"
