"""Opening a survey, answering it once, anonymously, and the pages around a link."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from samtale.outbox.delivery import outbox_deliver
from samtale.outbox.models import OutboxMessage
from samtale.surveys.models import Answer, Invitation, Question, Response, Side, SurveyKind, SurveyStatus
from samtale.testing import Mus, Org
from samtale.testing.surveys import answer, open_survey, values_for

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
    assert names == {"id", "survey", "unit", "subject", "side", "conversation_held"}
    assert {f.name for f in Answer._meta.concrete_fields} == {"id", "response", "question", "value", "text"}
    assert response.unit_id == org.payroll.pk and response.subject_id is None
    assert Invitation.objects.get(survey=survey, person=org.employee).answered


def _form(survey, *, held: str = "1") -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"held": held, **{f"q{pk}": value for pk, value in values_for(survey).items()}}


def test_a_second_answer_is_refused_kindly(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    client = org.client("employee")
    url = reverse("surveys:answer", args=[invitation.uuid])
    assert client.post(url, _form(survey)).status_code == 302
    again = client.post(url, _form(survey))
    assert again.status_code == 200
    assert "Dit svar er modtaget" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


def _page(response, link: object) -> str:  # type: ignore[no-untyped-def]
    """A page's text without what differs on every response (the CSRF token, the CSP nonce) and
    without the link it was asked for (the page echoes its own address)."""
    text = re.sub(
        r"hx-headers='[^']*'|nonce=\"[^\"]*\"|name=\"csrfmiddlewaretoken\" value=\"[^\"]*\"",
        "",
        response.content.decode(),
    )
    return text.replace(str(link), "LINK")


def test_someone_elses_link_answers_exactly_as_a_link_that_does_not_exist(org: Org, mus: Mus) -> None:
    """A link never tells that it exists: not to a colleague, not by its status, not by its page."""
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    colleague, nowhere = org.client("colleague"), uuid4()
    for method, data in (("get", None), ("post", _form(survey))):
        theirs = getattr(colleague, method)(reverse("surveys:answer", args=[invitation.uuid]), data)
        unknown = getattr(colleague, method)(reverse("surveys:answer", args=[nowhere]), data)
        assert theirs.status_code == unknown.status_code == 404
        assert _page(theirs, invitation.uuid) == _page(unknown, nowhere)
    assert not Response.objects.exists()
    assert not Invitation.objects.get(pk=invitation.pk).answered


def test_after_answering_a_receipt_says_the_answer_is_in_and_leads_to_the_next_evaluation(org: Org, mus: Mus) -> None:
    evaluation = open_survey(org, mus)
    leader_360 = open_survey(org, mus, kind=SurveyKind.LEADER_360)
    invitation = Invitation.objects.get(survey=evaluation, person=org.employee)
    url = reverse("surveys:answer", args=[invitation.uuid])
    client = org.client("employee")
    sent = client.post(url, _form(evaluation))
    # Back to the link itself, which now holds the receipt: a reload sends nothing twice.
    assert sent.status_code == 302 and sent["Location"] == url
    receipt = client.get(url).content.decode()
    assert "<h1>Dit svar er modtaget</h1>" in receipt
    assert "uden dit navn" in receipt
    closes_on = date_format(evaluation.closes_on, "DATE_FORMAT")
    assert f"tager imod svar til og med {closes_on}" in receipt
    waiting = Invitation.objects.get(survey=leader_360, person=org.employee)
    assert reverse("surveys:answer", args=[waiting.uuid]) in receipt
    assert "Besvar den næste evaluering" in receipt

    # Once the last one is answered, the receipt leads to the start page only.
    client.post(
        reverse("surveys:answer", args=[waiting.uuid]), {f"q{pk}": v for pk, v in values_for(leader_360).items()}
    )
    last = client.get(reverse("surveys:answer", args=[waiting.uuid])).content.decode()
    assert "<h1>Dit svar er modtaget</h1>" in last and "Besvar den næste evaluering" not in last
    assert reverse("dashboards:home") in last


def test_someone_whose_conversation_was_not_held_answers_only_what_is_not_about_it(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    page = org.client("employee").get(reverse("surveys:answer", args=[invitation.uuid])).content.decode()
    assert "Er din udviklingssamtale i MUS-2027 blevet afholdt?" in page
    free_text = Question.objects.get(survey=survey, about_conversation=False)
    data = {"held": "0", f"q{free_text.pk}": "Jeg har ikke fået en samtale."}
    response = org.client("employee").post(reverse("surveys:answer", args=[invitation.uuid]), data)
    assert response.status_code == 302
    stored = Response.objects.get(survey=survey)
    assert stored.conversation_held is False
    assert list(stored.answers.values_list("question_id", "text")) == [(free_text.pk, "Jeg har ikke fået en samtale.")]


def test_ratings_of_a_conversation_not_held_are_left_out_even_if_sent(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    response = org.client("employee").post(reverse("surveys:answer", args=[invitation.uuid]), _form(survey, held="0"))
    assert response.status_code == 302
    about = Answer.objects.filter(response__survey=survey, question__about_conversation=True)
    assert not about.exists()
    assert Response.objects.get(survey=survey).conversation_held is False


def test_someone_whose_conversation_was_held_must_rate_it(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    response = org.client("employee").post(reverse("surveys:answer", args=[invitation.uuid]), {"held": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    rated = Question.objects.filter(survey=survey, about_conversation=True).exclude(kind="text")
    assert page.count("Vælg et svar") == 2 * rated.count()  # in the summary and at each field
    assert not Response.objects.exists()


def test_the_evaluation_must_be_told_whether_the_conversation_was_held(org: Org, mus: Mus) -> None:
    from samtale.access.viewer import viewer_for
    from samtale.surveys.services import survey_answer

    survey = open_survey(org, mus)
    invitation = Invitation.objects.get(survey=survey, person=org.employee)
    with pytest.raises(ValidationError):
        survey_answer(viewer=viewer_for(org.user("employee")), invitation=invitation, values=values_for(survey))
    response = org.client("employee").post(reverse("surveys:answer", args=[invitation.uuid]), _form(survey, held=""))
    assert response.status_code == 200 and "Vælg et svar" in response.content.decode()
    assert not Response.objects.exists()


def test_the_invitation_says_to_answer_also_when_the_conversation_was_not_held(  # type: ignore[no-untyped-def]
    org: Org, mus: Mus, mailoutbox
) -> None:
    open_survey(org, mus)
    outbox_deliver()
    to_employee = next(m for m in mailoutbox if m.to == [org.employee.email] and "/surveys/answer/" in m.body)
    assert "Er din samtale ikke blevet afholdt, så svar alligevel og sig det" in to_employee.body


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
    data = _form(survey)
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
