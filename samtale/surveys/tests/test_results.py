"""The results: shown only after the survey closes, only for groups that meet the threshold and
cannot be worked out by subtraction, only in the viewer's part of the organisation; the 360
report for the leader and the leaders above them, the figures across leaders for HR."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from samtale.audit.models import AuditEvent
from samtale.lib.charts import scale_x
from samtale.lib.suppression import ROOT
from samtale.surveys.models import SurveyKind
from samtale.surveys.selectors.evaluation import evaluation_results, evaluation_shown
from samtale.surveys.selectors.leader_reports import leader_aggregates, leader_report
from samtale.testing import Mus, Org
from samtale.testing.surveys import answer, close, open_survey

pytestmark = pytest.mark.django_db


def _payroll_and_accounting_answer(org: Org, mus: Mus):  # type: ignore[no-untyped-def]
    survey = open_survey(org, mus, threshold=3)
    for person in (org.employee, org.colleague, org.union_rep, org.daily_leader):
        answer(survey, person, rating=4, text=f"Skrevet i Løn af {person.name}")
    answer(survey, org.former_leader, rating=2, text="Skrevet i Regnskab")
    return survey


def test_no_result_is_shown_while_the_survey_takes_answers(org: Org, mus: Mus) -> None:
    survey = _payroll_and_accounting_answer(org, mus)
    page = org.client("hr").get(reverse("surveys:results", args=[survey.uuid])).content.decode()
    assert "Økonomi" not in page
    assert org.client("hr").get(reverse("surveys:round_result", args=[survey.uuid])).status_code == 404


def test_a_group_that_subtraction_would_reveal_is_hidden_with_its_sibling(org: Org, mus: Mus) -> None:
    """Økonomi holds Løn (4 answers) and Regnskab (1): showing Løn would give Regnskab's one
    answer away as Økonomi minus Løn, so Løn is hidden too and only Økonomi and the round show."""
    survey = _payroll_and_accounting_answer(org, mus)
    close(org, survey)
    assert evaluation_shown(survey=survey).groups == {ROOT, org.root.pk, org.economy.pk}
    results = evaluation_results(survey=survey, unit_paths=())
    by_name = {group.unit.name if group.unit else "round": group for group in results.groups}
    assert set(by_name) == {"round", "Kommunen", "Økonomi"}
    economy = by_name["Økonomi"]
    assert economy.responses == 5
    assert economy.results[0].mean == pytest.approx((4 * 4 + 2) / 5)

    hr = org.client("hr")
    page = hr.get(reverse("surveys:results", args=[survey.uuid])).content.decode()
    assert "Økonomi" in page and ">Løn<" not in page and "Regnskab" not in page
    assert hr.get(reverse("surveys:unit_result", args=[survey.uuid, org.payroll.uuid])).status_code == 404
    group = hr.get(reverse("surveys:unit_result", args=[survey.uuid, org.economy.uuid])).content.decode()
    assert "Skrevet i Regnskab" in group and "Skrevet i Løn af Emil Ærø" in group


def test_a_leader_sees_only_their_units_and_nothing_under_the_threshold(org: Org, mus: Mus) -> None:
    survey = _payroll_and_accounting_answer(org, mus)
    close(org, survey)
    assert evaluation_results(survey=survey, unit_paths=(org.payroll.path,)).groups == []
    head = evaluation_results(survey=survey, unit_paths=(org.economy.path,))
    assert [g.unit.name for g in head.groups if g.unit] == ["Økonomi"]
    page = org.client("leader").get(reverse("surveys:results", args=[survey.uuid])).content.decode()
    assert "Skrevet" not in page and "Økonomi" not in page
    # The whole round is for those who see the whole organisation.
    assert org.client("head").get(reverse("surveys:round_result", args=[survey.uuid])).status_code == 404
    assert org.client("hr").get(reverse("surveys:round_result", args=[survey.uuid])).status_code == 200
    assert org.client("employee").get(reverse("surveys:results", args=[survey.uuid])).status_code == 404


def test_too_few_answers_show_nothing_not_even_a_count(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus, threshold=3)
    answer(survey, org.employee)
    answer(survey, org.colleague)
    close(org, survey)
    assert evaluation_results(survey=survey, unit_paths=()).groups == []
    detail = org.client("hr").get(reverse("surveys:detail", args=[survey.uuid])).content.decode()
    assert "Færre end 3" in detail or "Fewer than 3" in detail


def test_the_results_tell_how_many_had_no_conversation_and_rate_it_by_the_others(org: Org, mus: Mus) -> None:
    survey = open_survey(org, mus, threshold=3)
    for person in (org.employee, org.colleague, org.union_rep):
        answer(survey, person, rating=4)
    answer(survey, org.daily_leader, held=False, text="Min samtale er ikke blevet holdt")
    answer(survey, org.former_leader, held=False)
    close(org, survey)
    results = evaluation_results(survey=survey, unit_paths=())
    economy = next(group for group in results.groups if group.unit and group.unit.name == "Økonomi")
    assert (economy.responses, economy.not_held) == (5, 2)
    useful = economy.results[0]
    assert useful.question.about_conversation and not useful.hidden
    assert (useful.count, useful.mean) == (3, 4)

    hr = org.client("hr")
    page = hr.get(reverse("surveys:results", args=[survey.uuid])).content.decode()
    assert '<th scope="col">Samtale ikke afholdt</th>' in page
    group = hr.get(reverse("surveys:unit_result", args=[survey.uuid, org.economy.uuid])).content.decode()
    assert "<dt>Samtale ikke afholdt</dt><dd>2</dd>" in group
    assert "Min samtale er ikke blevet holdt" in group


def test_the_questions_about_the_conversation_hide_where_too_few_had_one(org: Org, mus: Mus) -> None:
    """Five answered in Økonomi, but only two had their conversation: their ratings would be two
    people's answers, so the questions about the conversation show nothing there; the rest does."""
    survey = open_survey(org, mus, threshold=3)
    for person in (org.employee, org.colleague):
        answer(survey, person, rating=5, text="Skrevet om samtalen")
    for person in (org.union_rep, org.daily_leader, org.former_leader):
        answer(survey, person, held=False, text="Skrevet uden samtale")
    close(org, survey)
    results = evaluation_results(survey=survey, unit_paths=())
    economy = next(group for group in results.groups if group.unit and group.unit.name == "Økonomi")
    assert economy.responses == 5 and economy.not_held == 3
    assert all(r.hidden and r.count == 0 for r in economy.results if r.question.about_conversation)

    hr = org.client("hr")
    page = hr.get(reverse("surveys:results", args=[survey.uuid])).content.decode()
    assert "5,0" not in page and "100 % ja" not in page
    group = hr.get(reverse("surveys:unit_result", args=[survey.uuid, org.economy.uuid])).content.decode()
    assert "Gennemsnit 5,0" not in group and "Gennemsnit" not in group
    assert "færre end 3 af dem har svaret i denne gruppe" in group
    # The free text is for everyone, so it shows all five answers' texts.
    assert group.count("Skrevet uden samtale") == 3 and group.count("Skrevet om samtalen") == 2


def _team_answers(org: Org, mus: Mus, team: int):  # type: ignore[no-untyped-def]
    survey = open_survey(org, mus, kind=SurveyKind.LEADER_360, threshold=3)
    for person in (org.employee, org.colleague, org.union_rep, org.daily_leader)[:team]:
        answer(survey, person, subject=org.leader, rating=3, text="Holder gode møder")
    answer(survey, org.leader, subject=org.leader, rating=5, text="Jeg lytter")
    answer(survey, org.head, subject=org.leader, rating=4)
    close(org, survey)
    return survey


def test_the_leader_reads_self_against_team_when_the_team_meets_the_threshold(org: Org, mus: Mus) -> None:
    survey = _team_answers(org, mus, team=3)
    report = leader_report(survey=survey, leader=org.leader)
    assert report.shown and report.team_answers == 3
    result, own, above = report.rows[0]
    assert (result.mean, result.spread, own, above) == (3, 0, 5, 4)
    url = reverse("surveys:leader_report", args=[survey.uuid, org.leader.uuid])
    page = org.client("leader").get(url).content.decode()
    assert "Holder gode møder" in page and "Jeg lytter" in page
    for persona in ("head", "director"):
        assert org.client(persona).get(url).status_code == 200
    for persona in ("hr", "employee", "colleague", "former_leader", "outsider", "regional_hr"):
        assert org.client(persona).get(url).status_code == 404, persona


def test_a_leader_with_too_few_answers_is_told_so_without_a_count(org: Org, mus: Mus) -> None:
    survey = _team_answers(org, mus, team=2)
    report = leader_report(survey=survey, leader=org.leader)
    assert not report.shown and report.team_answers == 0 and report.rows == []
    page = org.client("leader").get(reverse("surveys:leader_report", args=[survey.uuid, org.leader.uuid]))
    text = page.content.decode()
    assert "Jeg lytter" not in text and "Holder gode møder" not in text
    assert "For få" in text or "Too few" in text


def test_the_report_downloads_as_a_pdf_and_the_download_is_audited(org: Org, mus: Mus) -> None:
    survey = _team_answers(org, mus, team=3)
    response = org.client("head").get(reverse("surveys:leader_report_pdf", args=[survey.uuid, org.leader.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="survey.report_pdf", subject_person_id=org.leader.pk).exists()


def test_the_reports_picture_has_its_scale_and_legend_on_the_page_and_in_the_pdf(org: Org, mus: Mus) -> None:
    survey = _team_answers(org, mus, team=3)
    report = leader_report(survey=survey, leader=org.leader)
    result, own, _above = report.rows[0]
    context = {"survey": survey, "report": report, "leader": org.leader, "made_at": timezone.localtime()}
    for html in (
        org.client("leader")
        .get(reverse("surveys:leader_report", args=[survey.uuid, org.leader.uuid]))
        .content.decode(),
        render_to_string("surveys/leader_report_pdf.html", context),
    ):
        picture = html.split('<ul class="scale-legend">')[1]
        assert "The team's average" in picture or "Medarbejdernes gennemsnit" in picture
        # The scale 1 to 5 with its labels; the average (3) in the middle, the leader's own (5) at the end.
        for value in range(1, 6):
            assert f'text-anchor="middle" fill="#1a1a1a">{value}</text>' in picture
        assert f'<circle cx="{scale_x(3)}" cy="14"' in picture and result.mean == 3
        assert f"M {scale_x(own)} 5" in picture and own == 5


def test_hr_sees_figures_across_leaders_only_from_teams_that_meet_the_threshold(org: Org, mus: Mus) -> None:
    survey = _team_answers(org, mus, team=3)
    figures = leader_aggregates(survey=survey, unit_paths=())
    assert figures.shown == 1 and figures.leaders > 1
    assert figures.team[0].count == 3 and figures.team[0].mean == 3
    assert figures.own == {}  # one leader's own answers are not averaged for HR
    page = org.client("hr").get(reverse("surveys:leaders", args=[survey.uuid])).content.decode()
    assert "Jeg lytter" not in page and "Holder gode møder" not in page


def test_a_leader_of_people_but_of_no_unit_is_not_offered_unit_results(org: Org, mus: Mus) -> None:
    from samtale.org.models import Unit

    survey = _payroll_and_accounting_answer(org, mus)
    close(org, survey)
    Unit.objects.filter(leader=org.leader).update(leader=None)
    client = org.client("leader")
    page = client.get(reverse("surveys:list")).content.decode()
    assert reverse("surveys:results", args=[survey.uuid]) not in page
    assert client.get(reverse("surveys:results", args=[survey.uuid])).status_code == 404
