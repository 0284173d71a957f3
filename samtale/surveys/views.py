"""The surveys' pages: HR prepares, opens and follows a survey; a person answers theirs; HR and
leaders read the results of the groups they may see, once the survey is closed."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samtale.access import lookups, survey_policies
from samtale.access.viewer import Viewer, get_viewer
from samtale.audit.services import audit_record
from samtale.lib.confirm import Question, ask_first
from samtale.lib.requests import AuthenticatedRequest
from samtale.org.models import Unit
from samtale.surveys import pdf, services
from samtale.surveys.forms import AnswerForm, QuestionFormSet, SettingsForm, SurveyCreateForm, questions_initial
from samtale.surveys.models import Invitation, Survey, SurveyKind, SurveyStatus
from samtale.surveys.selectors import leader_reports
from samtale.surveys.selectors.evaluation import evaluation_group, evaluation_results
from samtale.surveys.selectors.surveys import (
    invitation_by_uuid,
    invitations_waiting,
    participation,
    question_list,
    rounds_for_surveys,
    survey_by_uuid,
    surveys_all,
    surveys_with_results,
)


def _managed(viewer: Viewer, survey_uuid: str) -> Survey:
    lookups.require(survey_policies.may_manage_surveys(viewer))
    survey = survey_by_uuid(survey_uuid=survey_uuid)
    if survey is None:
        raise Http404
    return survey


def _errors(request: AuthenticatedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def survey_list(request: AuthenticatedRequest) -> HttpResponse:
    """HR's surveys to prepare and follow; for leaders and HR covering part of the organisation,
    the closed surveys whose results they may read."""
    viewer = get_viewer(request)
    manager = survey_policies.may_manage_surveys(viewer)
    reader = survey_policies.results_unit_paths(viewer) is not None or viewer.is_leader
    if not (manager or reader):
        raise Http404
    surveys = surveys_all() if manager else surveys_with_results()
    context = {
        "surveys": surveys,
        "manager": manager,
        # A leader of people but of no unit has 360 reports to read, no unit results.
        "reads_units": survey_policies.results_unit_paths(viewer) is not None,
    }
    return render(request, "surveys/survey_list.html", context)


@login_required
def survey_create(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(survey_policies.may_manage_surveys(viewer))
    form = SurveyCreateForm(request.POST if request.method == "POST" else None, rounds=rounds_for_surveys())
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                viewer=viewer,
                round_=form.cleaned_data["round"],
                kind=form.cleaned_data["kind"],
                closes_on=form.cleaned_data["closes_on"],
                threshold=form.cleaned_data["threshold"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The evaluation is created with the default questions. Change them before you open it.")
            )
            return redirect("surveys:detail", survey_uuid=survey.uuid)
    return render(request, "surveys/survey_create.html", {"form": form})


@login_required
def survey_detail(request: AuthenticatedRequest, survey_uuid: str) -> HttpResponse:
    """HR's page of one survey: its settings and questions, opening it, who has answered as a
    share once enough have, reminding and closing."""
    viewer = get_viewer(request)
    survey = _managed(viewer, survey_uuid)
    context = {
        "survey": survey,
        "state": survey.state(),
        "questions": question_list(survey=survey),
        "participation": participation(survey=survey),
        "settings_form": SettingsForm(initial={"closes_on": survey.closes_on, "threshold": survey.threshold}),
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
def survey_settings(request: AuthenticatedRequest, survey_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    survey = _managed(viewer, survey_uuid)
    if survey.state() == SurveyStatus.CLOSED:
        raise Http404
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"closes_on": survey.closes_on, "threshold": survey.threshold},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_settings_update(viewer=viewer, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("surveys:detail", survey_uuid=survey.uuid)
    return render(request, "surveys/survey_settings.html", {"survey": survey, "form": form})


@login_required
def survey_questions(request: AuthenticatedRequest, survey_uuid: str) -> HttpResponse:
    """The questions, while the survey is being prepared: change, add, remove (an empty text or
    the remove box leaves a question out)."""
    viewer = get_viewer(request)
    survey = _managed(viewer, survey_uuid)
    if survey.status != SurveyStatus.DRAFT:
        raise Http404
    initial = questions_initial(question_list(survey=survey))
    formset = QuestionFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="questions",
        form_kwargs={"evaluation": not survey.is_360},
    )
    if request.method == "POST" and formset.is_valid():
        kept = [form.row() for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        try:
            services.survey_questions_save(viewer=viewer, survey=survey, questions=kept)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)  # type: ignore[attr-defined]
        else:
            messages.success(request, _("The questions are saved."))
            return redirect("surveys:detail", survey_uuid=survey.uuid)
    return render(request, "surveys/survey_questions.html", {"survey": survey, "formset": formset})


def _survey_action(
    request: AuthenticatedRequest,
    survey_uuid: str,
    act: Callable[[Viewer, Survey], str],
    question: Callable[[Survey], Question],
) -> HttpResponse:
    """HR's buttons on the survey's page: asked first (each e-mails people or cannot be undone),
    then done, with what happened (or what stood in the way), and back to the page."""
    viewer = get_viewer(request)
    survey = _managed(viewer, survey_uuid)
    if (asked := ask_first(request, question(survey))) is not None:
        return asked
    try:
        message = act(viewer, survey)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, message)
    return redirect("surveys:detail", survey_uuid=survey.uuid)


def _opened(viewer: Viewer, survey: Survey) -> str:
    people = services.survey_open(viewer=viewer, survey=survey)
    return ngettext(
        "The evaluation is open: %(count)d person gets an e-mail with a link.",
        "The evaluation is open: %(count)d people get an e-mail with their link.",
        people,
    ) % {"count": people}


def _reminded(viewer: Viewer, survey: Survey) -> str:
    result = services.survey_remind(viewer=viewer, survey=survey)
    if result.sent:
        return _("A reminder goes to everyone who has not answered yet.")
    if result.waiting:
        return _("Those who have not answered have been reminded today already.")
    return _("Everyone has answered: nobody to remind.")


def _closed(viewer: Viewer, survey: Survey) -> str:
    services.survey_close(viewer=viewer, survey=survey)
    if not participation(survey=survey).shown:
        return _("The evaluation is closed. Too few answered to show any results.")
    return _("The evaluation is closed; the results can be read.")


@login_required
@require_POST
def survey_open(request: AuthenticatedRequest, survey_uuid: str) -> HttpResponse:
    return _survey_action(request, survey_uuid, _opened, _open_question)


@login_required
@require_POST
def survey_remind(request: AuthenticatedRequest, survey_uuid: str) -> HttpResponse:
    return _survey_action(request, survey_uuid, _reminded, _remind_question)


@login_required
@require_POST
def survey_close(request: AuthenticatedRequest, survey_uuid: str) -> HttpResponse:
    return _survey_action(request, survey_uuid, _closed, _close_question)


def _back(survey: Survey) -> str:
    return reverse("surveys:detail", args=[survey.uuid])


def _open_question(survey: Survey) -> Question:
    return Question(
        title=_("Open the evaluation “%(survey)s”?") % {"survey": survey},
        confirm=_("Yes, open it and send the links"),
        cancel_url=_back(survey),
        consequences=(
            _("Everyone asked gets an e-mail now with their own link; it cannot be called back."),
            _("The questions can no longer be changed once it is open."),
        ),
    )


def _remind_question(survey: Survey) -> Question:
    return Question(
        title=_("Remind everyone who has not answered “%(survey)s”?") % {"survey": survey},
        confirm=_("Yes, send the reminder"),
        cancel_url=_back(survey),
        consequences=(_("Each of them gets an e-mail now; nobody who has answered is told."),),
    )


def _close_question(survey: Survey) -> Question:
    return Question(
        title=_("Close the evaluation “%(survey)s”?") % {"survey": survey},
        confirm=_("Yes, close it"),
        cancel_url=_back(survey),
        consequences=(
            _("Nobody can answer after this, and it cannot be opened again."),
            _("The results can be read once enough have answered."),
        ),
        danger=True,
    )


# Answering --------------------------------------------------------------------------------------


def _too_late(request: AuthenticatedRequest, invitation: Invitation) -> HttpResponse:
    context = {"invitation": invitation, "survey": invitation.survey}
    return render(request, "surveys/answer_closed.html", context, status=410)


def _receipt(request: AuthenticatedRequest, viewer: Viewer, invitation: Invitation) -> HttpResponse:
    """The answer is in: said plainly, with what happens to it next and the evaluation waiting next."""
    assert viewer.person is not None  # may_answer
    context = {
        "invitation": invitation,
        "survey": invitation.survey,
        "open": invitation.survey.takes_answers(),
        "waiting": invitations_waiting(person=viewer.person),
    }
    return render(request, "surveys/answer_done.html", context)


@login_required
def answer(request: AuthenticatedRequest, invitation_uuid: str) -> HttpResponse:
    """The questionnaire behind a person's link, and the receipt once answered. Someone else's link
    answers exactly as a link that does not exist (404); a closed survey gets a page that says so."""
    viewer = get_viewer(request)
    invitation = invitation_by_uuid(invitation_uuid=invitation_uuid)
    if invitation is None or not survey_policies.may_answer(viewer, invitation):
        raise Http404
    survey = invitation.survey
    if invitation.answered:
        return _receipt(request, viewer, invitation)
    if not survey.takes_answers():
        return _too_late(request, invitation)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        questions=question_list(survey=survey),
        round_name=None if survey.is_360 else survey.round.name,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                viewer=viewer, invitation=invitation, values=form.values(), conversation_held=form.conversation_held()
            )
        except services.SurveyClosedError:
            return _too_late(request, invitation)
        except services.AlreadyAnsweredError:
            pass  # a second tab or a double click: the receipt of the first answer
        return redirect("surveys:answer", invitation_uuid=invitation.uuid)
    return render(request, "surveys/answer.html", {"invitation": invitation, "survey": survey, "form": form})


# Results ----------------------------------------------------------------------------------------


def _results_scope(viewer: Viewer, survey: Survey | None) -> tuple[Survey, tuple[str, ...]]:
    """The round's evaluation and the part of the organisation whose results the viewer reads."""
    paths = survey_policies.results_unit_paths(viewer)
    if survey is None or survey.kind != SurveyKind.EVALUATION or paths is None:
        raise Http404
    return survey, paths


@login_required
def results(request: AuthenticatedRequest, survey_uuid: str) -> HttpResponse:
    """The evaluation's results per unit, in the viewer's part of the organisation."""
    viewer = get_viewer(request)
    survey = survey_by_uuid(survey_uuid=survey_uuid)
    if survey is not None and survey.is_360:
        return redirect("surveys:leaders", survey_uuid=survey.uuid)
    survey, paths = _results_scope(viewer, survey)
    context = {"survey": survey, "ready": survey.shows_results(), "whole": not paths}
    if context["ready"]:
        context["results"] = evaluation_results(survey=survey, unit_paths=paths)
    return render(request, "surveys/results.html", context)


@login_required
def result_group(request: AuthenticatedRequest, survey_uuid: str, unit_uuid: UUID | None = None) -> HttpResponse:
    """One group: the whole round or a unit with every unit below it, every question with its
    spread, and the free-text answers."""
    viewer = get_viewer(request)
    survey, paths = _results_scope(viewer, survey_by_uuid(survey_uuid=survey_uuid))
    if not survey.shows_results():
        raise Http404
    unit = None
    if unit_uuid is not None:
        unit = Unit.objects.filter(uuid=unit_uuid).first()
        if unit is None:
            raise Http404
    found = evaluation_group(survey=survey, unit_paths=paths, unit=unit, text_page=request.GET.get("page"))
    if found is None:
        raise Http404
    group, texts = found
    context = {"survey": survey, "group": group, "unit": unit, "texts": texts}
    return render(request, "surveys/result_group.html", context)


@login_required
def leaders(request: AuthenticatedRequest, survey_uuid: str) -> HttpResponse:
    """The 360: the reports the viewer may read (their own, the leaders they lead) and, for HR,
    the figures across the leaders it covers."""
    viewer = get_viewer(request)
    survey = survey_by_uuid(survey_uuid=survey_uuid)
    if survey is None or not survey.is_360:
        raise Http404
    reports = leader_reports.leader_reports_visible(viewer=viewer, survey=survey)
    hr = survey_policies.may_view_leader_aggregates(viewer)
    if not reports and not hr:
        raise Http404
    context = {"survey": survey, "ready": survey.shows_results(), "reports": reports, "me": viewer.person}
    if hr and context["ready"]:
        assert viewer.hr is not None
        context["aggregates"] = leader_reports.leader_aggregates(survey=survey, unit_paths=viewer.hr.unit_paths)
    return render(request, "surveys/leaders.html", context)


@login_required
def leader_report(request: AuthenticatedRequest, survey_uuid: str, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    survey, leader = lookups.leader_for_report(viewer, survey_uuid, person_uuid)
    context = {"survey": survey, "ready": survey.shows_results(), "is_me": leader.pk == viewer.person_id}
    if context["ready"]:
        context["report"] = leader_reports.leader_report(survey=survey, leader=leader)
    context["leader"] = leader
    return render(request, "surveys/leader_report.html", context)


@login_required
def leader_report_pdf(request: AuthenticatedRequest, survey_uuid: str, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    survey, leader = lookups.leader_for_report(viewer, survey_uuid, person_uuid)
    if not survey.shows_results():
        raise Http404
    report = leader_reports.leader_report(survey=survey, leader=leader)
    language = viewer.user.language or translation.get_language()
    with translation.override(language):
        content = pdf.leader_report_pdf(survey=survey, report=report)
    audit_record(actor=viewer.user, action="survey.report_pdf", target=survey, subject_person_id=leader.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="360-{survey.round.name}-{leader.employee_number}.pdf"'
    return response
