"""The access matrix for competences and learning (docs/trust.md § Access matrix, § Competences and
courses): every persona and the education consultant × the employee's register, one registration,
the education record and its downloads, the catalogues and their editing, the plan's courses, a seat
request and its answer, the leader's team, the enrolment, a session's participants, the imports and
the overview. The register is read as a plan is (the employee, the personnel leader, the chain);
HR and the education consultant never read it; nobody else learns it exists (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samtale.competences.models import Registration
from samtale.learning import services
from samtale.learning.models import SeatRequest
from samtale.org.models import Person
from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS, Case
from samtale.testing.built_once import built_once
from samtale.testing.learning import Catalogue, as_, make_catalogue, make_educator, plan_with_course

READERS = {"employee": 200, "leader": 200, "head": 200, "director": 200}
WITH_A_PERSON = {persona: 200 for persona in PERSONAS if persona != "admin"} | {"educator": 200}
LEADERS = {"leader": 200, "former_leader": 200, "head": 200, "director": 200}
CATALOGUE_KEEPERS = {"hr": 200, "educator": 200}


@built_once(on="mus")
def world(org: Org, mus: Mus) -> dict[str, Any]:
    """The catalogue, the education consultant, the employee's registration, a signed plan with a
    course activity and a seat on it approved by the leader."""
    catalogue = make_catalogue()
    educator = make_educator(org)
    Registration.objects.create(
        person=org.employee, competence=catalogue.payroll_law, employee_level=4, leader_level=3, level=4
    )
    plan, activity = plan_with_course(org, mus)
    seat = services.seat_request(
        viewer=as_(org, "employee"), plan=plan, activity_id=activity, session=catalogue.session, reason="Ny lov"
    )
    services.seat_request_decide(viewer=as_(org, "leader"), seat_request=seat, approve=True, note="")
    return {"catalogue": catalogue, "educator": educator, "plan": plan, "activity": activity, "seat": seat}


def _c(org: Org) -> Catalogue:
    return org.world["catalogue"]  # type: ignore[attr-defined,no-any-return]


def _seat(org: Org) -> SeatRequest:
    return org.world["seat"]  # type: ignore[attr-defined,no-any-return]


CASES = [
    Case("my competences", "get", lambda o: reverse("competences:mine"), None, {}, default=302),
    Case(
        "the employee's register",
        "get",
        lambda o: reverse("competences:register", args=[o.employee.uuid]),
        None,
        READERS,
    ),
    Case(
        "one registration of the employee",
        "get",
        lambda o: reverse("competences:registration", args=[o.employee.uuid, _c(o).payroll_law.uuid]),
        None,
        READERS,
    ),
    Case(
        "registering the employee's own level",
        "post",
        lambda o: reverse("competences:registration", args=[o.employee.uuid, _c(o).cooperation.uuid]),
        lambda o: {"action": "own", "own-level": "3"},
        {"employee": 302, "leader": 403, "head": 403, "director": 403},
    ),
    Case(
        "assessing the employee's level",
        "post",
        lambda o: reverse("competences:registration", args=[o.employee.uuid, _c(o).resilience.uuid]),
        lambda o: {"action": "assess", "assess-level": "3"},
        {"employee": 403, "leader": 302, "head": 403, "director": 403},
    ),
    Case("the education record", "get", lambda o: reverse("competences:record", args=[o.employee.uuid]), None, READERS),
    Case(
        "the education record as CSV",
        "get",
        lambda o: reverse("competences:record_csv", args=[o.employee.uuid]),
        None,
        {"employee": 200},
    ),
    Case("the competence catalogue", "get", lambda o: reverse("competences:catalogue"), None, WITH_A_PERSON),
    Case("a new competence", "get", lambda o: reverse("competences:competence_new"), None, {"hr": 200}),
    Case("a new level scale", "get", lambda o: reverse("competences:scale_new"), None, {"hr": 200}),
    Case("a new job profile", "get", lambda o: reverse("competences:profile_new"), None, {"hr": 200}),
    Case("the course catalogue", "get", lambda o: reverse("competences:courses"), None, WITH_A_PERSON),
    Case("a course", "get", lambda o: reverse("competences:course", args=[_c(o).course.uuid]), None, WITH_A_PERSON),
    Case("a new course", "get", lambda o: reverse("competences:course_new"), None, CATALOGUE_KEEPERS),
    Case(
        "a new session",
        "get",
        lambda o: reverse("competences:session_new", args=[_c(o).course.uuid]),
        None,
        CATALOGUE_KEEPERS,
    ),
    Case(
        "a session's participants",
        "get",
        lambda o: reverse("learning:session", args=[_c(o).session.uuid]),
        None,
        CATALOGUE_KEEPERS,
    ),
    Case("the catalogues' import", "get", lambda o: reverse("competences:import"), None, CATALOGUE_KEEPERS),
    Case(
        "the competence catalogue's export",
        "get",
        lambda o: reverse("competences:export", args=["competences", "csv"]),
        None,
        {"hr": 200},
    ),
    Case(
        "the plan's courses",
        "get",
        lambda o: reverse("learning:plan_courses", args=[o.world["plan"].uuid]),  # type: ignore[attr-defined]
        None,
        READERS,
    ),
    Case(
        "asking for a seat",
        "get",
        lambda o: reverse("learning:request_seat", args=[o.world["plan"].uuid, o.world["activity"]]),  # type: ignore[attr-defined]
        None,
        {"employee": 200, "leader": 403, "head": 403, "director": 403},
    ),
    Case(
        "the seat request",
        "get",
        lambda o: reverse("learning:request", args=[_seat(o).uuid]),
        None,
        {**READERS, "educator": 200},
    ),
    Case(
        "answering the seat request",
        "post",
        lambda o: reverse("learning:decide", args=[_seat(o).uuid]),
        lambda o: {"decision": "approve"},
        {"employee": 403, "leader": 302, "head": 403, "director": 403, "educator": 403},
    ),
    Case("the leader's team", "get", lambda o: reverse("learning:team"), None, LEADERS),
    Case("the enrolment", "get", lambda o: reverse("learning:enrolment"), None, {"educator": 200}),
    Case(
        "the overview",
        "get",
        lambda o: reverse("learning:overview"),
        None,
        {**LEADERS, "hr": 200, "regional_hr": 200},
    ),
    Case(
        "the overview as CSV",
        "get",
        lambda o: reverse("learning:overview_export"),
        None,
        {**LEADERS, "hr": 200, "regional_hr": 200},
    ),
]


def _client(org: Org, persona: str) -> Client:
    if persona != "educator":
        return org.client(persona)
    client = Client()
    educator: Person = org.world["educator"]  # type: ignore[attr-defined]
    assert educator.user is not None
    client.force_login(educator.user)
    return client


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", (*PERSONAS, "educator"))
def test_learning_access_matrix(org: Org, mus: Mus, world: dict[str, Any], case: Case, persona: str) -> None:
    org.world = world  # type: ignore[attr-defined]
    client = _client(org, persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"


def test_hr_and_the_education_consultant_never_read_a_register_or_a_reason(
    org: Org, mus: Mus, world: dict[str, Any]
) -> None:
    """HR sees aggregates; the education consultant enrols without the reasons."""
    org.world = world  # type: ignore[attr-defined]
    for persona in ("hr", "educator"):
        client = _client(org, persona)
        assert client.get(reverse("competences:register", args=[org.employee.uuid])).status_code == 404
        page = client.get(reverse("learning:request", args=[_seat(org).uuid]))
        assert "Ny lov" not in page.content.decode()
