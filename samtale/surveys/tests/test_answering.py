"""Opening a survey, answering it once, anonymously, and the pages around a link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.outbox.models import OutboxMessage
from samtale.outbox.services import outbox_deliver
from samtale.surveys.models import Answer, Invitation, Response, Side, SurveyKind, SurveyStatus
from samtale.surveys.tests.surveys_testing import answer, open_survey, values_for
from samtale.testing import Mus, Org

pytestmark = pytest.mark.django_db


def test_opening_the_evaluation_asks_every_participant_once_by_email(org: Org, mus: Mus, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    survey = open_survey(org, mus)
    asked = set(Invitation.objects.filter(survey=survey).values_list("person_id", flat=True))
    participants = set(mus.round.conversations.values_list("employee_id", flat=True))
    assert asked == participants
    assert OutboxMessage.objects.filter(kind="surveys.invitation").count() == len(participants)
    outbox_deliver()
    to_employee = [m for m in mailoutbox if m.to == [org.employee.email] and "/surveys/answer/" in m.body]
    assert len(to_employee) == 1
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    assert str(invitation.uuid) in to_employee[0].body


def test_the_360_asks_the_team_the_leader_and_the_leaders_leader(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus, kind=SurveyKind.LEADER_360)
    about_leader = Invitation.objects.filter(survey=survey, subject=org.leader)
    sides = {(i.person_id, i.side) for i in about_leader}
    assert (org.leader.pk, Side.SELF) in sides
    assert (org.head.pk, Side.LEADER) in sides
    team = {org.employee.pk, org.colleague.pk, org.union_rep.pk, org.daily_leader.pk}
    assert {p for p, side in sides if side == Side.TEAM} == team
    # Someone who leads nobody is not evaluated.
    assert not Invitation.objects.filter(survey=survey, subject=org.employee).exists()


def test_an_answer_keeps_nothing_that_leads_back_to_the_person(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    answer(survey, org.employee, text="Godt forberedt")
    response = Response.objects.get(survey=survey)
    # No person, no invitation, no time: only the group it counts in.
    names = {f.name for f in Response._meta.concrete_fields}
    assert names == {"id", "survey", "unit", "subject", "side"}
    assert {f.name for f in Answer._meta.concrete_fields} == {"id", "response", "question", "value", "text"}
    assert response.unit_id == org.payroll.pk and response.subject_id is None
    assert Invitation.objects.get(survey=survey, person=org.employee).answered


def test_a_second_answer_is_refused_kindly(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    client = org.client("employee")
    url = reverse("surveys:answer", args=[invitation.uuid])
    data = {f"q{pk}": value for pk, value in values_for(survey).items()}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    assert "You have answered" in again.content.decode() or "Du har svaret" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


def test_someone_elses_link_gets_a_page_that_says_so(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    response = org.client("colleague").get(reverse("surveys:answer", args=[invitation.uuid]))
    assert response.status_code == 403
    assert "Dette link er en andens" in response.content.decode()
    assert org.client("colleague").post(reverse("surveys:answer", args=[invitation.uuid]), {}).status_code == 403
    assert not Response.objects.exists()


def test_a_link_after_the_last_day_gets_a_page_that_says_so(org: Org, mus: Mus, time_machine) -> None:  # type: ignore[no-untyped-def]
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    time_machine.move_to(timezone.now() + timedelta(days=15))
    assert survey.state() == SurveyStatus.CLOSED
    response = org.client("employee").get(reverse("surveys:answer", args=[invitation.uuid]))
    assert response.status_code == 410
    assert "lukket" in response.content.decode()


def test_a_rating_left_out_is_told_at_its_field(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    response = org.client("employee").post(reverse("surveys:answer", args=[invitation.uuid]), {})
    assert response.status_code == 200
    assert "Vælg et svar" in response.content.decode()
    assert not Response.objects.exists()


def test_an_answer_out_of_range_is_refused(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    data = {f"q{pk}": value for pk, value in values_for(survey).items()}
    first_scale = next(q for q in survey.questions.all() if q.kind == "scale")
    data[f"q{first_scale.pk}"] = "9"
    response = org.client("employee").post(reverse("surveys:answer", args=[invitation.uuid]), data)
    assert response.status_code == 200
    assert not Response.objects.exists()


def test_the_employee_finds_the_evaluation_on_the_start_page_until_answered(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    link = reverse("surveys:answer", args=[invitation.uuid])
    assert link in org.client("employee").get(reverse("dashboards:home")).content.decode()
    answer(survey, org.employee)
    assert link not in org.client("employee").get(reverse("dashboards:home")).content.decode()


def test_the_reminder_goes_only_to_those_who_have_not_answered_once_a_day(org: Org, mus: Mus) -> None:
    from samtale.access.viewer import viewer_for
    from samtale.surveys.services import survey_remind

    survey = open_survey(org, mus)
    answer(survey, org.employee)
    hr = viewer_for(org.user("hr"))
    first = survey_remind(viewer=hr, survey=survey)
    assert first.sent == first.waiting == Invitation.objects.filter(survey=survey, answered=False).count()
    reminded = set(OutboxMessage.objects.filter(kind="surveys.reminder").values_list("to_email", flat=True))
    assert org.employee.email not in reminded and org.colleague.email in reminded
    assert survey_remind(viewer=hr, survey=survey).sent == 0
