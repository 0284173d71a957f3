"""The access matrix for signing the development plan: every persona × handing in, asking for
changes, signing, amending, the versions, a version's page and the PDF, through the real URLs.

docs/trust.md § Access matrix, "development plan, all versions": the employee and the leader read,
write and sign; the chain (head, director) reads; the daily leader and the union representative read
only if the employee shares; HR, the former leader, colleagues, outsiders and the administrator see
nothing (404). 200 read, 302 done, 403 a refused write to a plan the persona may read."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.plans.models import Plan
from samtale.testing import PASSWORD, Mus, Org
from samtale.testing.access import PERSONAS, Case
from samtale.testing.signing import make_plan, signed_plan, submitted_plan

CHAIN = ("head", "director")


def _readers(**allowed: int) -> dict[str, int]:
    """Those who may read the plan get 403 for what they may not do, unless given here."""
    return {"employee": 403, "leader": 403, **dict.fromkeys(CHAIN, 403), **allowed}


def _reading(**extra: int) -> dict[str, int]:
    return {"employee": 200, "leader": 200, **dict.fromkeys(CHAIN, 200), **extra}


def _mus(o: Org) -> Mus:
    return o.mus  # type: ignore[attr-defined,no-any-return]


def _url(name: str, plan: Plan, *args: Any) -> str:
    return reverse(f"plans:{name}", args=[plan.uuid, *args])


def _draft(o: Org) -> Plan:
    return make_plan(_mus(o))


def _submitted(o: Org) -> Plan:
    return submitted_plan(o, _mus(o))


def _signed(o: Org) -> Plan:
    return signed_plan(o, _mus(o))


def _shared(plan: Plan) -> Plan:
    """The employee shares the plan with the daily leader and the union representative."""
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(shared_with_daily_leader_at=now, shared_with_union_rep_at=now)
    return plan


def _password(o: Org) -> dict[str, str]:
    return {"password": PASSWORD}


CASES = [
    Case("handing in the plan", "post", lambda o: _url("plan_submit", _draft(o)), None, _readers(employee=302)),
    Case(
        "handing in a plan shared with the daily leader and the union representative",
        "post",
        lambda o: _url("plan_submit", _shared(_draft(o))),
        None,
        _readers(employee=302, daily_leader=403, union_rep=403),
    ),
    Case(
        "the page to ask for changes",
        "get",
        lambda o: _url("plan_ask_changes", _submitted(o)),
        None,
        _readers(leader=200),
    ),
    Case(
        "asking for changes",
        "post",
        lambda o: _url("plan_ask_changes", _submitted(o)),
        lambda o: {"comment": "Mere konkret"},
        _readers(leader=302),
    ),
    Case(
        "the signing page",
        "get",
        lambda o: _url("plan_sign", _submitted(o)),
        None,
        _readers(employee=200, leader=200),
    ),
    Case(
        "signing with the password",
        "post",
        lambda o: _url("plan_sign", _submitted(o)),
        _password,
        _readers(employee=302, leader=302),
    ),
    Case(
        "signing a shared plan",
        "post",
        lambda o: _url("plan_sign", _shared(_submitted(o))),
        _password,
        _readers(employee=302, leader=302, daily_leader=403, union_rep=403),
    ),
    Case(
        "the amendment page",
        "get",
        lambda o: _url("plan_amend", _signed(o)),
        None,
        _readers(employee=200, leader=200),
    ),
    Case(
        "starting an amendment",
        "post",
        lambda o: _url("plan_amend", _signed(o)),
        lambda o: {"reason": "Kurset er aflyst"},
        _readers(employee=302, leader=302),
    ),
    Case("the versions", "get", lambda o: _url("plan_versions", _signed(o)), None, _reading()),
    Case(
        "the versions of a shared plan",
        "get",
        lambda o: _url("plan_versions", _shared(_signed(o))),
        None,
        _reading(daily_leader=200, union_rep=200),
    ),
    Case("a version's page", "get", lambda o: _url("plan_version", _signed(o), 1), None, _reading()),
    Case("the signed plan as PDF", "get", lambda o: _url("plan_version_pdf", _signed(o), 1), None, _reading()),
    Case(
        "the PDF of a plan signed by one side only",
        "get",
        lambda o: (_s := _submitted(o), _sign_leader(o, _s), _url("plan_version_pdf", _s, 1))[2],
        None,
        {},
    ),
]


def _sign_leader(o: Org, plan: Plan) -> None:
    from samtale.testing.signing import sign_as

    sign_as(o, plan, "leader")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_plan_signing_access_matrix(org: Org, mus: Mus, case: Case, persona: str) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    client = org.client(persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"
