"""The access matrix for the evaluations: every persona × HR's pages, a person's link, the results
of the round's evaluation, and the 360 reports, through the real URLs.

docs/trust.md § Access matrix: "evaluation and 360 answers: submit own"; results "only aggregates of
at least the survey's threshold of answers, for the scope the role covers". HR prepares and follows;
a link answers only for the person it was sent to (for anyone else, 404, exactly as a link that does
not exist); the results per unit are for HR and the leaders of the unit and above it; a 360 report
is for the leader and the leaders above them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samtale.access.viewer import viewer_for
from samtale.surveys import services
from samtale.surveys.models import Invitation, SurveyKind
from samtale.testing import Mus, Org, build_round
from samtale.testing.access import PERSONAS, Case, confirmed
from samtale.testing.built_once import built_once
from samtale.testing.surveys import answer, close, open_survey

HR = {"hr": 200}
RESULT_READERS = dict.fromkeys(("leader", "former_leader", "head", "director", "hr", "regional_hr"), 200)
REPORT_READERS = dict.fromkeys(("leader", "head", "director"), 200)


def _s(o: Org, name: str) -> Any:
    return o.surveys[name]  # type: ignore[attr-defined]


def _employees_link(o: Org) -> str:
    invitation = Invitation.objects.get(survey=_s(o, "open"), person=o.employee)
    return reverse("surveys:answer", args=[invitation.uuid])


CASES = [
    Case("the evaluations", "get", lambda o: reverse("surveys:list"), None, RESULT_READERS),
    Case("a new evaluation", "get", lambda o: reverse("surveys:create"), None, HR),
    Case(
        "HR's page of an evaluation", "get", lambda o: reverse("surveys:detail", args=[_s(o, "draft").uuid]), None, HR
    ),
    Case("the questions", "get", lambda o: reverse("surveys:questions", args=[_s(o, "draft").uuid]), None, HR),
    Case("the last day", "get", lambda o: reverse("surveys:settings", args=[_s(o, "draft").uuid]), None, HR),
    Case("opening", "post", lambda o: reverse("surveys:open", args=[_s(o, "draft").uuid]), confirmed, {"hr": 302}),
    Case("reminding", "post", lambda o: reverse("surveys:remind", args=[_s(o, "open").uuid]), confirmed, {"hr": 302}),
    Case("closing", "post", lambda o: reverse("surveys:close", args=[_s(o, "open").uuid]), confirmed, {"hr": 302}),
    Case("the employee's link", "get", _employees_link, None, {"employee": 200}),
    Case(
        "answering with the employee's link",
        "post",
        _employees_link,
        lambda o: {},
        {"employee": 200},  # the form again, with what is missing
    ),
    Case(
        "the results per unit",
        "get",
        lambda o: reverse("surveys:results", args=[_s(o, "evaluation").uuid]),
        None,
        RESULT_READERS,
    ),
    Case(
        "the whole round's results",
        "get",
        lambda o: reverse("surveys:round_result", args=[_s(o, "evaluation").uuid]),
        None,
        HR,
    ),
    Case(
        "Økonomi's results",
        "get",
        lambda o: reverse("surveys:unit_result", args=[_s(o, "evaluation").uuid, o.economy.uuid]),
        None,
        dict.fromkeys(("head", "director", "hr"), 200),
    ),
    Case(
        "Løn's results (hidden: Regnskab could be worked out from them)",
        "get",
        lambda o: reverse("surveys:unit_result", args=[_s(o, "evaluation").uuid, o.payroll.uuid]),
        None,
        {},
    ),
    Case(
        "the 360 reports",
        "get",
        lambda o: reverse("surveys:leaders", args=[_s(o, "360").uuid]),
        None,
        {**REPORT_READERS, "hr": 200, "regional_hr": 200},
    ),
    Case(
        "the leader's 360 report",
        "get",
        lambda o: reverse("surveys:leader_report", args=[_s(o, "360").uuid, o.leader.uuid]),
        None,
        REPORT_READERS,
    ),
    Case(
        "the leader's 360 report as PDF",
        "get",
        lambda o: reverse("surveys:leader_report_pdf", args=[_s(o, "360").uuid, o.leader.uuid]),
        None,
        REPORT_READERS,
    ),
    Case(
        "a 360 report on someone who leads nobody",
        "get",
        lambda o: reverse("surveys:leader_report", args=[_s(o, "360").uuid, o.employee.uuid]),
        None,
        {},
    ),
]


@built_once(on="mus")
def surveys(org: Org, mus: Mus) -> dict[str, Any]:
    """The round's evaluation answered and closed, a 360 about the leader answered and closed, and
    in a later round a draft evaluation and an open 360: built once, beneath all 216 tests."""
    evaluation = open_survey(org, mus, threshold=3)
    for person in (org.employee, org.colleague, org.union_rep, org.daily_leader, org.former_leader):
        answer(evaluation, person)
    close(org, evaluation)
    leader_360 = open_survey(org, mus, kind=SurveyKind.LEADER_360, threshold=3)
    for person in (org.employee, org.colleague, org.union_rep):
        answer(leader_360, person, subject=org.leader)
    answer(leader_360, org.leader, subject=org.leader)
    close(org, leader_360)
    later = build_round(org, name="MUS-2028")
    hr = viewer_for(org.user("hr"))
    draft = services.survey_create(
        viewer=hr, round_=later.round, kind=SurveyKind.EVALUATION, closes_on=evaluation.closes_on, threshold=5
    )
    still_open = open_survey(org, later, kind=SurveyKind.LEADER_360)
    # The employee has a link in the open one too: the round's evaluation of MUS-2028 is the draft,
    # so the link comes from the open 360 about their leader.
    Invitation.objects.filter(survey=still_open, person=org.employee).exclude(subject=org.leader).delete()
    return {"evaluation": evaluation, "360": leader_360, "draft": draft, "open": still_open}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_surveys_access_matrix(org: Org, surveys: dict[str, Any], case: Case, persona: str) -> None:
    org.surveys = surveys  # type: ignore[attr-defined]
    client = org.client(persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"
