"""HR prepares an evaluation through its pages: creates it for a round, changes the questions and
the last day, opens it; every form says what is wrong in Danish, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.surveys.models import Question, QuestionKind, Survey, SurveyKind, SurveyStatus
from samtale.testing import Mus, Org

pytestmark = pytest.mark.django_db


def _create(org: Org, mus: Mus, **changes: object):  # type: ignore[no-untyped-def]
    data = {
        "round": mus.round.pk,
        "kind": SurveyKind.EVALUATION,
        "closes_on": (timezone.localdate() + timedelta(days=21)).isoformat(),
        "threshold": 5,
        **changes,
    }
    return org.client("hr").post(reverse("surveys:create"), data)


def test_hr_creates_an_evaluation_with_the_default_questions_in_danish(org: Org, mus: Mus) -> None:
    response = _create(org, mus)
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("surveys:detail", args=[survey.uuid])
    texts = list(survey.questions.values_list("text", flat=True))
    assert texts[0] == "Hvor udbytterig var din udviklingssamtale for dig?"
    assert survey.questions.filter(kind=QuestionKind.TEXT).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"threshold": 2}, "større end eller lig 3"),
        ({"closes_on": "2020-01-01"}, "Sidste svardag kan ikke ligge i fortiden."),
        ({"closes_on": "31-02-2027"}, "Indtast en gyldig dato."),
        ({"kind": "poll"}, "Marker en gyldig valgmulighed"),
    ],
)
def test_bad_settings_are_told_at_their_field(org: Org, mus: Mus, changes: dict, message: str) -> None:  # type: ignore[type-arg]
    response = _create(org, mus, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_a_second_evaluation_of_the_same_kind_is_refused(org: Org, mus: Mus) -> None:
    _create(org, mus)
    response = _create(org, mus)
    assert response.status_code == 200
    assert "Runden har allerede en evaluering af denne slags." in response.content.decode()


def test_hr_changes_adds_and_removes_questions_before_opening(org: Org, mus: Mus) -> None:
    _create(org, mus)
    survey = Survey.objects.get()
    questions = list(survey.questions.all())
    data: dict[str, object] = {
        "questions-TOTAL_FORMS": len(questions) + 1,
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 40,
    }
    for i, question in enumerate(questions):
        data[f"questions-{i}-kind"] = question.kind
        data[f"questions-{i}-text"] = question.text
    data["questions-0-text"] = "Hvor meget fik du ud af samtalen?"
    data["questions-1-DELETE"] = "on"
    data[f"questions-{len(questions)}-kind"] = QuestionKind.YES_NO
    data[f"questions-{len(questions)}-text"] = "Blev samtalen holdt til tiden?"
    response = org.client("hr").post(reverse("surveys:questions", args=[survey.uuid]), data)
    assert response.status_code == 302
    texts = list(Question.objects.filter(survey=survey).order_by("position").values_list("text", flat=True))
    assert texts[0] == "Hvor meget fik du ud af samtalen?"
    assert texts[-1] == "Blev samtalen holdt til tiden?"
    assert len(texts) == len(questions)


def test_removing_every_question_is_refused(org: Org, mus: Mus) -> None:
    _create(org, mus)
    survey = Survey.objects.get()
    data = {
        "questions-TOTAL_FORMS": 1,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 40,
        "questions-0-kind": "scale",
        "questions-0-text": "",
    }
    response = org.client("hr").post(reverse("surveys:questions", args=[survey.uuid]), data)
    assert response.status_code == 200
    assert "En evaluering skal have mindst ét spørgsmål." in response.content.decode()
    assert survey.questions.count() == 6


def test_opening_locks_the_questions_and_the_threshold(org: Org, mus: Mus) -> None:
    _create(org, mus)
    survey = Survey.objects.get()
    hr = org.client("hr")
    assert hr.post(reverse("surveys:open", args=[survey.uuid]), {"confirmed": "1"}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    assert hr.get(reverse("surveys:questions", args=[survey.uuid])).status_code == 404
    data = {"closes_on": (timezone.localdate() + timedelta(days=30)).isoformat(), "threshold": 7}
    response = hr.post(reverse("surveys:settings", args=[survey.uuid]), data)
    assert "Grænsen kan ikke ændres, når evalueringen er åbnet." in response.content.decode()
    data["threshold"] = 5
    assert hr.post(reverse("surveys:settings", args=[survey.uuid]), data).status_code == 302
    # Opening twice changes nothing and says so.
    page = hr.post(reverse("surveys:open", args=[survey.uuid]), {"confirmed": "1"}, follow=True).content.decode()
    assert "Evalueringen er allerede åbnet." in page


def test_the_answered_share_shows_only_from_the_threshold(org: Org, mus: Mus) -> None:
    from samtale.testing.surveys import answer

    _create(org, mus, threshold=3)
    survey = Survey.objects.get()
    org.client("hr").post(reverse("surveys:open", args=[survey.uuid]), {"confirmed": "1"})
    survey.refresh_from_db()
    for person in (org.employee, org.colleague):
        answer(survey, person)
    page = org.client("hr").get(reverse("surveys:detail", args=[survey.uuid])).content.decode()
    assert "Færre end 3 af" in page
    answer(survey, org.union_rep)
    page = org.client("hr").get(reverse("surveys:detail", args=[survey.uuid])).content.decode()
    assert "3 af " in page and "Færre end" not in page


def test_a_closed_evaluation_with_too_few_answers_says_it_is_closed_without_a_count(org: Org, mus: Mus) -> None:
    from samtale.testing.surveys import answer

    _create(org, mus, threshold=3)
    survey = Survey.objects.get()
    hr = org.client("hr")
    hr.post(reverse("surveys:open", args=[survey.uuid]), {"confirmed": "1"})
    for person in (org.employee, org.colleague):
        answer(survey, person)
    asked = survey.invitations.count()
    page = hr.post(reverse("surveys:close", args=[survey.uuid]), {"confirmed": "1"}, follow=True).content.decode()
    assert "Evalueringen er lukket. For få har svaret til at vise resultater." in page
    assert f"Færre end 3 af {asked}: for få til at vise resultater" in page
    assert "indtil videre" not in page and f"2 af {asked}" not in page
    assert reverse("surveys:results", args=[survey.uuid]) not in page


def test_hr_chooses_the_questions_only_those_whose_conversation_was_held_answer(org: Org, mus: Mus) -> None:
    _create(org, mus)
    survey = Survey.objects.get()
    questions = list(survey.questions.order_by("position"))
    assert [q.about_conversation for q in questions] == [True] * 5 + [False]
    hr = org.client("hr")
    assert (
        "Kun til dem, hvis samtale er blevet afholdt"
        in hr.get(reverse("surveys:questions", args=[survey.uuid])).content.decode()
    )
    data: dict[str, object] = {
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 40,
    }
    for i, question in enumerate(questions):
        data[f"questions-{i}-kind"] = question.kind
        data[f"questions-{i}-text"] = question.text
        if i in (1, 5):
            data[f"questions-{i}-about_conversation"] = "on"
    assert hr.post(reverse("surveys:questions", args=[survey.uuid]), data).status_code == 302
    flags = list(survey.questions.order_by("position").values_list("about_conversation", flat=True))
    assert flags == [False, True, False, False, False, True]
    detail = hr.get(reverse("surveys:detail", args=[survey.uuid])).content.decode()
    assert detail.count(", kun hvis afholdt)") == 2


def test_a_360_asks_nobody_about_a_conversation(org: Org, mus: Mus) -> None:
    _create(org, mus, kind=SurveyKind.LEADER_360)
    survey = Survey.objects.get()
    assert not survey.questions.filter(about_conversation=True).exists()
    page = org.client("hr").get(reverse("surveys:questions", args=[survey.uuid])).content.decode()
    assert "about_conversation" not in page
