"""The access matrix (docs/trust.md § Access matrix) as a table: every persona against every
confidential object and action of the organisation, through the real URLs.

200 read, 302 done (a write that redirects), 403 seen but not changeable, 404 not there for
you (exactly as for a missing object). Every later feature adds its rows here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from samtale.access import policies
from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import viewer_for
from samtale.testing import Org
from samtale.testing.access import PERSONAS, Case


def _placement(org: Org) -> dict[str, Any]:
    return {"unit_code": "LON", "personnel_leader_number": org.leader.employee_number, "daily_leader_number": ""}


CASES = [
    Case(
        "the employee's page",
        "get",
        lambda o: reverse("org:person", args=[o.employee.uuid]),
        None,
        {"employee": 200, "leader": 200, "head": 200, "director": 200, "daily_leader": 200, "hr": 200},
    ),
    Case(
        "changing the employee's unit and leaders",
        "post",
        lambda o: reverse("org:person_placement", args=[o.employee.uuid]),
        _placement,
        {"hr": 302, "employee": 403, "leader": 403, "head": 403, "director": 403, "daily_leader": 403},
    ),
    Case(
        "overriding the employee's MUS participation",
        "post",
        lambda o: reverse("org:person_eligibility", args=[o.employee.uuid]),
        lambda o: {"choice": "exclude", "reason": "Orlov"},
        {"hr": 302, "employee": 403, "leader": 403, "head": 403, "director": 403, "daily_leader": 403},
    ),
    Case(
        "sending the employee an invitation",
        "post",
        lambda o: reverse("org:person_invite", args=[o.employee.uuid]),
        lambda o: {},
        {"hr": 302, "employee": 403, "leader": 403, "head": 403, "director": 403, "daily_leader": 403},
    ),
    Case(
        "a page in another part of the organisation",
        "get",
        lambda o: reverse("org:person", args=[o.outsider.uuid]),
        None,
        {"outsider": 200, "director": 200, "hr": 200, "regional_hr": 200},
    ),
    Case(
        "the organisation tree",
        "get",
        lambda o: reverse("org:tree"),
        None,
        {p: 200 for p in PERSONAS if p != "admin"},
    ),
    Case(
        "a unit's page",
        "get",
        lambda o: reverse("org:unit", args=[o.payroll.uuid]),
        None,
        {p: 200 for p in PERSONAS if p != "admin"},
    ),
    Case(
        "setting a unit's leader",
        "post",
        lambda o: reverse("org:unit_leader", args=[o.payroll.uuid]),
        lambda o: {"leader_number": o.leader.employee_number},
        # Everyone may read the unit, so a refused write is 403; the administrator is no person
        # of the organisation and does not see it at all.
        {"hr": 302, "admin": 404},
        default=403,
    ),
    Case(
        "setting the leader of a unit outside one's coverage",
        "post",
        lambda o: reverse("org:unit_leader", args=[o.payroll.uuid]),
        lambda o: {"leader_number": o.outsider.employee_number},
        {"hr": 302, "regional_hr": 403, "admin": 404},
        default=403,
    ),
    Case(
        "searching for people",
        "get",
        lambda o: reverse("org:people"),
        None,
        {"hr": 200, "regional_hr": 200},
    ),
    Case(
        "my team",
        "get",
        lambda o: reverse("dashboards:team"),
        None,
        {"leader": 200, "former_leader": 200, "head": 200, "director": 200, "daily_leader": 200},
    ),
    Case("the import", "get", lambda o: reverse("org:import"), None, {"hr": 200}),
    Case("the organisation as a file", "get", lambda o: reverse("org:export"), None, {"hr": 200}),
    Case("the roles beside the line", "get", lambda o: reverse("org:roles"), None, {"hr": 200}),
    Case(
        "giving someone a role",
        "post",
        lambda o: reverse("org:roles"),
        lambda o: {"employee_number": o.colleague.employee_number, "kind": "union_rep", "unit_codes": "LON"},
        {"hr": 302},
    ),
    Case(
        "the administration",
        "get",
        lambda o: reverse("admin:index"),
        None,
        {"admin": 200},
        default=302,  # to the administration's sign-in page, which no other persona can pass
    ),
    Case(
        "the audit trail",
        "get",
        lambda o: reverse("admin:audit_auditevent_changelist"),
        None,
        {"admin": 200},
        default=302,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(org: Org, case: Case, persona: str) -> None:
    client = org.client(persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"


def test_a_missing_object_and_a_forbidden_one_look_the_same(org: Org) -> None:
    import uuid

    client = org.client("outsider")
    forbidden_url = reverse("org:person", args=[org.employee.uuid])
    missing_url = reverse("org:person", args=[uuid.uuid4()])
    forbidden, missing = client.get(forbidden_url), client.get(missing_url)
    assert forbidden.status_code == missing.status_code == 404

    def normalised(content: bytes, url: str) -> str:
        # Only the per-response tokens and the address typed may differ.
        text = content.decode().replace(url, "URL")
        return re.sub(r'(nonce="|value="|X-CSRFToken": ")[^"]+', r"\1…", text)

    assert normalised(forbidden.content, forbidden_url) == normalised(missing.content, missing_url)


# The relations behind the table ---------------------------------------------------------------

EXPECTED_RELATIONS = {
    "employee": {Relation.SELF},
    "leader": {Relation.PERSONNEL_LEADER, Relation.CHAIN},  # also leads the employee's unit
    "former_leader": set(),
    "head": {Relation.CHAIN},
    "director": {Relation.CHAIN},
    "daily_leader": {Relation.DAILY_LEADER},
    "union_rep": {Relation.UNION_REP},
    "hr": {Relation.HR},
    "regional_hr": set(),
    "colleague": set(),
    "outsider": set(),
    "admin": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_relations_to_the_employee_follow_the_organisation(org: Org, persona: str) -> None:
    viewer = viewer_for(org.user(persona))
    assert set(relations_to(viewer, org.employee)) == EXPECTED_RELATIONS[persona]


EMPLOYMENT_VISIBLE = {"employee", "leader", "head", "director", "hr"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_employment_details_are_for_the_person_their_leaders_and_hr(org: Org, persona: str) -> None:
    viewer = viewer_for(org.user(persona))
    assert policies.may_view_employment(viewer, org.employee) is (persona in EMPLOYMENT_VISIBLE)


UNIT_MEMBERS_VISIBLE = {"leader", "head", "director", "hr"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_works_in_a_unit_is_for_its_leaders_and_hr(org: Org, persona: str) -> None:
    viewer = viewer_for(org.user(persona))
    assert policies.may_view_unit_members(viewer, org.payroll) is (persona in UNIT_MEMBERS_VISIBLE)


def test_the_chain_also_follows_the_personnel_leader_line_outside_the_tree(org: Org) -> None:
    """A leader in another branch who leads someone's personnel leader is in their chain too."""
    from samtale.testing import make_person

    cross = make_person("Karl Krydsleder", unit=org.children, leader=org.other_head)
    # The leader now reports to someone outside Økonomi: that person is in the employee's chain.
    org.leader.personnel_leader = cross
    org.leader.save(update_fields=["personnel_leader"])
    viewer = viewer_for(cross.user)
    assert Relation.CHAIN in relations_to(viewer, org.employee)
    assert policies.may_view_person(viewer, org.employee)


def test_a_person_who_has_left_has_no_access_at_all(org: Org) -> None:
    from datetime import timedelta

    from django.utils import timezone

    org.leader.end_date = timezone.localdate() - timedelta(days=1)
    org.leader.save(update_fields=["end_date"])
    response = org.client("leader").get(reverse("org:person", args=[org.employee.uuid]))
    # The session no longer belongs to anyone: back to sign-in.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
