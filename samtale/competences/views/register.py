"""The pages of a person's register (docs/domain.md § Competences and courses): the whole register,
one competence with its history (where the employee records their level, the leader their
assessment and the level both settled on), and the education record with its PDF and CSV. Read by
the employee, the personnel leader and the chain; never HR."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import competence_policies
from samtale.access.lookups import person_for_register, require
from samtale.access.viewer import get_viewer
from samtale.competences.forms.register import AssessmentForm, OwnLevelForm, SettleForm
from samtale.competences.models import Competence, Registration
from samtale.competences.selectors import register as selectors
from samtale.competences.services import register as services
from samtale.lib.queries import one_or_none
from samtale.lib.requests import AuthenticatedRequest
from samtale.lib.spreadsheet import neutralise_formula


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """My competences: the signed-in person's register."""
    viewer = get_viewer(request)
    if viewer.person is None:
        return redirect("competences:catalogue")
    return redirect("competences:register", viewer.person.uuid)


def _crumbs(person: Any, viewer: Any, here: str | None = None) -> list[dict[str, Any]]:
    own = viewer.person_id == person.pk
    crumbs: list[dict[str, Any]] = [
        {
            "label": _("My competences") if own else person.name,
            "url": reverse("competences:register", args=[person.uuid]) if here else None,
        }
    ]
    if here:
        crumbs.append({"label": here, "url": None})
    return crumbs


@login_required
def register(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    person = person_for_register(viewer, person_uuid)
    services.register_read_record(viewer=viewer, person=person, what="register")
    context = {
        "subject": person,
        "own": viewer.person_id == person.pk,
        "register": selectors.register_for(person),
        "may_register": competence_policies.may_register(viewer, person),
        "may_assess": competence_policies.may_assess(viewer, person),
        "crumbs": _crumbs(person, viewer),
        "tab": "register",
        "nav_section": "competences",
    }
    return render(request, "competences/register.html", context)


@login_required
def registration(request: AuthenticatedRequest, person_uuid: str, competence_uuid: str) -> HttpResponse:
    """One competence of the register: the level with its example, the leader's assessment, the
    settling of a difference, and the history."""
    viewer = get_viewer(request)
    person = person_for_register(viewer, person_uuid)
    competence = one_or_none(
        Competence.objects.filter(uuid=competence_uuid).select_related("scale"),
        key="competences.views.register.registration",
    )
    if competence is None:
        raise Http404
    existing = one_or_none(
        Registration.objects.filter(person=person, competence=competence).select_related("assessed_by"),
        key="competences.views.register.registration.2",
    )
    if existing is None and not competence.active:
        raise Http404
    if request.method != "POST":
        services.register_read_record(viewer=viewer, person=person, what="register")
    levels = list(competence.scale.levels.select_related("scale").order_by("value"))
    may_register = competence_policies.may_register(viewer, person)
    may_assess = competence_policies.may_assess(viewer, person)
    own_form = assess_form = settle_form = None
    if may_register:
        initial = {"level": existing.employee_level, "example": existing.example} if existing else {}
        own_form = OwnLevelForm(levels=levels, initial=initial, prefix="own")
    if may_assess:
        initial = {"level": existing.leader_level, "note": existing.leader_note} if existing else {}
        assess_form = AssessmentForm(levels=levels, initial=initial, prefix="assess")
        if existing is not None and existing.state == "to_settle":
            settle_form = SettleForm(levels=levels, prefix="settle")
    if request.method == "POST":
        action = request.POST.get("action")
        form: Any = {"own": own_form, "assess": assess_form, "settle": settle_form}.get(action or "")
        if form is None:
            # A reader who may not write this (the chain, the employee settling): 403, as require_write.
            raise PermissionDenied
        form = type(form)(request.POST, levels=levels, prefix=action)
        if form.is_valid():
            try:
                if action == "own":
                    services.registration_record(
                        viewer=viewer,
                        person=person,
                        competence=competence,
                        level=form.cleaned_data["level"],
                        example=form.cleaned_data["example"],
                    )
                elif action == "assess":
                    services.registration_assess(
                        viewer=viewer,
                        person=person,
                        competence=competence,
                        level=form.cleaned_data["level"],
                        note=form.cleaned_data["note"],
                    )
                else:
                    assert existing is not None
                    services.registration_settle(viewer=viewer, registration=existing, level=form.cleaned_data["level"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved: %(competence)s.") % {"competence": competence.name})
                return redirect("competences:register", person.uuid)
        if action == "own":
            own_form = form
        elif action == "assess":
            assess_form = form
        else:
            settle_form = form
    level_names = {level.value: f"{level.value} {level.label}" for level in levels}
    history = selectors.history_of(existing) if existing else []
    for change in history:
        change.level_label = level_names.get(change.level, str(change.level))  # type: ignore[attr-defined]
    context = {
        "subject": person,
        "own": viewer.person_id == person.pk,
        "competence": competence,
        "registration": existing,
        "levels": levels,
        "own_label": level_names.get(existing.employee_level or 0, "") if existing else "",
        "leader_label": level_names.get(existing.leader_level or 0, "") if existing else "",
        "history": history,
        "own_form": own_form,
        "assess_form": assess_form,
        "settle_form": settle_form,
        "crumbs": _crumbs(person, viewer, competence.name),
        "nav_section": "competences",
    }
    return render(request, "competences/registration.html", context)


# The education record -------------------------------------------------------------------------------


@login_required
def record(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    person = person_for_register(viewer, person_uuid)
    services.register_read_record(viewer=viewer, person=person, what="record")
    context = {
        "subject": person,
        "own": viewer.person_id == person.pk,
        "entries": selectors.education_record(person),
        "may_download": competence_policies.may_download_record(viewer, person),
        "crumbs": _crumbs(person, viewer, _("Education record")),
        "tab": "record",
        "nav_section": "competences",
    }
    return render(request, "competences/record.html", context)


def _record_rows(person: Any) -> list[list[str]]:
    rows = []
    for entry in selectors.education_record(person):
        rows.append(
            [
                entry.completed_on.isoformat(),
                entry.started_on.isoformat() if entry.started_on else "",
                entry.get_kind_display(),
                entry.title,
                entry.provider,
                ", ".join(competence.name for competence in entry.competences.all()),
            ]
        )
    return rows


RECORD_HEADINGS = [
    lambda: _("Completed"),
    lambda: _("From"),
    lambda: _("Kind"),
    lambda: _("Title"),
    lambda: _("Provider"),
    lambda: _("Competences"),
]


@login_required
def record_csv(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    person = person_for_register(viewer, person_uuid)
    require(competence_policies.may_download_record(viewer, person))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="uddannelseskort-{person.employee_number}-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([heading() for heading in RECORD_HEADINGS])
    for row in _record_rows(person):
        writer.writerow([neutralise_formula(value) for value in row])
    return response


@login_required
def record_pdf(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    from samtale.competences.pdf import record_pdf as build

    viewer = get_viewer(request)
    person = person_for_register(viewer, person_uuid)
    require(competence_policies.may_download_record(viewer, person))
    response = HttpResponse(build(person, selectors.education_record(person)), content_type="application/pdf")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="uddannelseskort-{person.employee_number}-{stamp}.pdf"'
    return response
