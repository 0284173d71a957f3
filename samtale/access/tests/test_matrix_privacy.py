"""The access matrix for privacy (docs/trust.md § Erasure and retention, § The data protection
officer): every persona and the data protection officer × a person's own data, HR's and the officer's
pages of one person (export, hold, erasure), the officer's audit trail, retention and holds, and HR's
close of a round. Everyone downloads their own data; HR covering the person and the officer handle
their hold and export; only the officer erases; only the officer reads the trail; nobody else learns
any of these pages exist (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samtale.org.models import Person, RoleKind
from samtale.privacy.models import LegalHold
from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS, Case
from samtale.testing.built_once import built_once
from samtale.testing.personas import make_person, make_role

WITH_A_PERSON = {persona: 200 for persona in PERSONAS if persona != "admin"} | {"dpo": 200}
HANDLERS = {"hr": 200, "dpo": 200}  # of the employee (Løn): HR covering everyone, the officer
OFFICER = {"dpo": 200}


def _reason(_org: Org) -> dict[str, Any]:
    return {"hold-reason": "A case at the labour court", "lift-reason": "The case is over", "erase-reason": "Asked"}


def _confirmed_reason(org: Org) -> dict[str, Any]:
    return {**_reason(org), "confirmed": "1"}


CASES = [
    Case("my data", "get", lambda o: reverse("privacy:my_data"), None, WITH_A_PERSON),
    Case("downloading my data", "post", lambda o: reverse("privacy:my_data_download"), lambda o: {}, WITH_A_PERSON),
    Case(
        "the employee's privacy page",
        "get",
        lambda o: reverse("privacy:person", args=[o.employee.uuid]),
        None,
        HANDLERS,
    ),
    Case(
        "the employee's data for their request",
        "post",
        lambda o: reverse("privacy:person_export", args=[o.employee.uuid]),
        lambda o: {},
        HANDLERS,
    ),
    Case(
        "a legal hold on the employee",
        "post",
        lambda o: reverse("privacy:hold_place", args=[o.employee.uuid]),
        _reason,
        {"hr": 302, "dpo": 302},
    ),
    Case(
        "lifting the colleague's hold",
        "post",
        lambda o: reverse("privacy:hold_lift", args=[o.colleague.uuid]),
        _confirmed_reason,
        {"hr": 302, "dpo": 302},
    ),
    Case(
        "erasing the employee's records",
        "post",
        lambda o: reverse("privacy:erase", args=[o.employee.uuid]),
        _confirmed_reason,
        {"hr": 403, "dpo": 302},
    ),
    Case("the audit trail", "get", lambda o: reverse("privacy:audit"), None, OFFICER),
    Case("the audit trail as CSV", "get", lambda o: reverse("privacy:audit_export"), None, OFFICER),
    Case("the retention schedule", "get", lambda o: reverse("privacy:retention"), None, OFFICER),
    Case("the export setting", "post", lambda o: reverse("privacy:setting"), lambda o: {}, {"dpo": 302}),
    Case("the legal holds", "get", lambda o: reverse("privacy:holds"), None, OFFICER),
    Case(
        "closing the round",
        "get",
        lambda o: reverse("oversight:round_close", args=[o.mus.round.uuid]),
        None,
        {"hr": 200},
    ),
    Case(
        "closing the round before its date",
        "post",
        lambda o: reverse("oversight:round_close", args=[o.mus.round.uuid]),
        lambda o: {"confirmed": "1"},
        {"hr": 400},
    ),
]


@built_once(on="mus")
def officer(org: Org, mus: Mus) -> Person:
    """The data protection officer, in HR's unit, covering the whole organisation; and a hold on the
    colleague."""
    person = make_person("Dorte Databeskyttelse", unit=org.hr_unit, leader=org.director)
    make_role(person, RoleKind.DPO)
    LegalHold.objects.create(person=org.colleague, reason="A case")
    return person


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", (*PERSONAS, "dpo"))
def test_privacy_access_matrix(org: Org, mus: Mus, officer: Person, case: Case, persona: str) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    if persona == "dpo":
        client = Client()
        assert officer.user is not None
        client.force_login(officer.user)
    else:
        client = org.client(persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"


def test_the_officer_reads_no_content(org: Org, mus: Mus, officer: Person) -> None:
    """The officer sees who did what, never what a record says: the employee's conversation, both
    preparations, the minutes and the plan answer the officer 404, as they do a stranger."""
    from samtale.testing.follow_up import signed_plan

    plan = signed_plan(org, mus)
    client = Client()
    assert officer.user is not None
    client.force_login(officer.user)
    conversation = mus.conversation.uuid
    for url in (
        reverse("conversations:detail", args=[conversation]),
        reverse("conversations:preparation", args=[conversation]),
        reverse("conversations:leader_preparation", args=[conversation]),
        reverse("conversations:guide", args=[conversation]),
        reverse("plans:detail", args=[plan.uuid]),
        reverse("plans:plan_version_pdf", args=[plan.uuid, 1]),
    ):
        assert client.get(url).status_code == 404, url
