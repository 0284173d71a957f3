"""The pages of the catalogues (docs/domain.md § Competences and courses): the competence catalogue
with its scales and job profiles (HR keeps them; everyone reads the competences), and the course
catalogue (the education consultants and HR keep it; everyone reads it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import competence_policies
from samtale.access.lookups import require
from samtale.access.viewer import get_viewer
from samtale.competences.defaults import default_scale
from samtale.competences.forms.catalogue import (
    CompetenceForm,
    CourseForm,
    ExpectedLevelsForm,
    ProfileForm,
    ScaleForm,
    SessionForm,
)
from samtale.competences.models import Competence, Course, CourseSession, JobProfile, Scale
from samtale.competences.selectors import catalogue as selectors
from samtale.competences.selectors.register import catalogue_levels
from samtale.competences.services import catalogue as catalogue_services
from samtale.competences.services import courses as course_services
from samtale.lib.requests import AuthenticatedRequest, query_uuid


def _context(request: AuthenticatedRequest, tab: str, **extra: Any) -> dict[str, Any]:
    return {"tab": tab, "nav_section": "competences", **extra}


@login_required
def catalogue(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    require(competence_policies.may_view_catalogue(viewer) or competence_policies.may_manage_competences(viewer))
    may_manage = competence_policies.may_manage_competences(viewer)
    context = _context(
        request,
        "catalogue",
        groups=selectors.competences_by_group(include_retired=may_manage),
        may_manage=may_manage,
        scales=selectors.scales() if may_manage else [],
        profiles=selectors.profiles() if may_manage else [],
    )
    return render(request, "competences/catalogue.html", context)


def _save_form(request: AuthenticatedRequest, form: Any, save: Any, done: str) -> bool:
    if not form.is_valid():
        return False
    try:
        save(form)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, done)
    return True


@login_required
def competence_edit(request: AuthenticatedRequest, competence_uuid: str | None = None) -> HttpResponse:
    viewer = get_viewer(request)
    require(competence_policies.may_manage_competences(viewer))
    competence = get_object_or_404(Competence, uuid=competence_uuid) if competence_uuid else None
    initial = {} if competence else {"scale": default_scale().pk, "active": True}
    form = CompetenceForm(request.POST or None, instance=competence, initial=initial)
    if request.method == "POST" and _save_form(
        request,
        form,
        lambda f: catalogue_services.competence_save(viewer=viewer, competence=f.instance),
        _("The competence is saved."),
    ):
        return redirect("competences:catalogue")
    return render(
        request, "competences/competence_edit.html", _context(request, "catalogue", form=form, competence=competence)
    )


@login_required
def scale_edit(request: AuthenticatedRequest, scale_uuid: str | None = None) -> HttpResponse:
    """A level scale of HR's own (the default one is translated, and HR may rename its levels)."""
    viewer = get_viewer(request)
    require(competence_policies.may_manage_competences(viewer))
    scale = get_object_or_404(Scale, uuid=scale_uuid) if scale_uuid else None
    initial: dict[str, Any] = {}
    if scale is not None:
        initial["name"] = scale.label
        for level in scale.levels.select_related("scale"):
            initial[f"level_{level.value}_name"] = level.label
            initial[f"level_{level.value}_description"] = level.text
    form = ScaleForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save_form(
        request,
        form,
        lambda f: catalogue_services.scale_save(
            viewer=viewer,
            scale=_named(scale or Scale(), f.cleaned_data["name"]),
            levels=f.levels(),
        ),
        _("The scale is saved."),
    ):
        return redirect("competences:catalogue")
    return render(request, "competences/scale_edit.html", _context(request, "catalogue", form=form, scale=scale))


def _named(scale: Scale, name: str) -> Scale:
    scale.name = name.strip()
    return scale


@login_required
def profile_edit(request: AuthenticatedRequest, profile_uuid: str | None = None) -> HttpResponse:
    """A job profile: for a job title or a unit, the level expected of each competence."""
    viewer = get_viewer(request)
    require(competence_policies.may_manage_competences(viewer))
    profile = get_object_or_404(JobProfile, uuid=profile_uuid) if profile_uuid else None
    competences, levels = catalogue_levels()
    values = {scale_id: [level.value for level in rows] for scale_id, rows in levels.items()}
    expected = dict(profile.levels.values_list("competence_id", "level")) if profile else {}
    form = ProfileForm(request.POST or None, instance=profile)
    levels_form = ExpectedLevelsForm(
        request.POST or None,
        competences=competences,
        levels=values,
        initial={f"expected_{pk}": level for pk, level in expected.items()},
    )
    if (
        request.method == "POST"
        and levels_form.is_valid()
        and _save_form(
            request,
            form,
            lambda f: catalogue_services.profile_save(viewer=viewer, profile=f.instance, levels=levels_form.expected()),
            _("The job profile is saved."),
        )
    ):
        return redirect("competences:catalogue")
    context = _context(request, "catalogue", form=form, levels_form=levels_form, profile=profile)
    return render(request, "competences/profile_edit.html", context)


# The course catalogue ------------------------------------------------------------------------------


@login_required
def courses(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    require(competence_policies.may_view_catalogue(viewer) or competence_policies.may_manage_courses(viewer))
    query = request.GET.get("q", "").strip()[:200]
    wanted = query_uuid(request, "competence")
    competence = Competence.objects.filter(uuid=wanted).first() if wanted else None
    found = selectors.courses(today=timezone.localdate(), query=query, competence=competence)
    page = Paginator(found, selectors.COURSES_PER_PAGE).get_page(request.GET.get("page"))
    params = "&".join(
        part for part in (f"q={query}" if query else "", f"competence={competence.uuid}" if competence else "") if part
    )
    context = _context(
        request,
        "courses",
        page=page,
        query=query,
        competence=competence,
        competences=Competence.objects.active().order_by("name").only("uuid", "name"),
        params=params,
        may_manage=competence_policies.may_manage_courses(viewer),
    )
    return render(request, "competences/courses.html", context)


@login_required
def course(request: AuthenticatedRequest, course_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    require(competence_policies.may_view_catalogue(viewer) or competence_policies.may_manage_courses(viewer))
    found = Course.objects.prefetch_related("competences").filter(uuid=course_uuid).first()
    may_manage = competence_policies.may_manage_courses(viewer)
    if found is None or (not found.active and not may_manage):
        raise Http404
    today = timezone.localdate()
    context = _context(
        request,
        "courses",
        course=found,
        sessions=selectors.course_sessions(found, today=today, with_past=may_manage),
        today=today,
        may_manage=may_manage,
    )
    return render(request, "competences/course.html", context)


@login_required
def course_edit(request: AuthenticatedRequest, course_uuid: str | None = None) -> HttpResponse:
    viewer = get_viewer(request)
    require(competence_policies.may_manage_courses(viewer))
    found = get_object_or_404(Course, uuid=course_uuid) if course_uuid else None
    form = CourseForm(request.POST or None, instance=found, initial={} if found else {"active": True})
    if request.method == "POST" and _save_form(
        request,
        form,
        lambda f: course_services.course_save(
            viewer=viewer, course=f.instance, competences=f.cleaned_data["competences"]
        ),
        _("The course is saved."),
    ):
        return redirect("competences:course", form.instance.uuid)
    return render(request, "competences/course_edit.html", _context(request, "courses", form=form, course=found))


@login_required
def session_edit(request: AuthenticatedRequest, course_uuid: str, session_uuid: str | None = None) -> HttpResponse:
    viewer = get_viewer(request)
    require(competence_policies.may_manage_courses(viewer))
    found_course = get_object_or_404(Course, uuid=course_uuid)
    session = get_object_or_404(CourseSession, uuid=session_uuid, course=found_course) if session_uuid else None
    form = SessionForm(request.POST or None, instance=session or CourseSession(course=found_course))
    if request.method == "POST" and _save_form(
        request,
        form,
        lambda f: course_services.session_save(viewer=viewer, session=f.instance),
        _("The session is saved."),
    ):
        return redirect("competences:course", found_course.uuid)
    return render(
        request,
        "competences/session_edit.html",
        _context(request, "courses", form=form, course=found_course, session=session),
    )
