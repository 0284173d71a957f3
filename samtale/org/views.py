from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from samtale.access import lookups, policies, privacy_policies
from samtale.access.viewer import Viewer, get_viewer
from samtale.accounts.services import invitations_send
from samtale.lib.confirm import Question, ask_first
from samtale.lib.queries import one_or_none
from samtale.lib.requests import AuthenticatedRequest
from samtale.org import selectors, services
from samtale.org.exporting import organisation_csv_response
from samtale.org.forms import (
    EligibilityForm,
    ImportForm,
    PeopleSearchForm,
    PlacementForm,
    RoleForm,
    UnitLeaderForm,
)
from samtale.org.importing.import_plan import PREVIEW_PAGE
from samtale.org.importing.reader import documented_columns
from samtale.org.importing.runs import (
    ImportAlreadyHandled,
    ImportNeedsConfirmation,
    import_run_apply,
    import_run_discard,
    import_run_preview,
    import_runs_expire,
)
from samtale.org.models import ImportRun, ImportStatus, Person, Role, RoleKind

PAGE_SIZE = 50


@login_required
def tree(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(policies.may_view_organisation(viewer))
    return render(request, "org/tree.html", {"children": selectors.unit_children_with_headcount(unit=None)})


def _fragment(request: AuthenticatedRequest) -> bool:
    """An htmx request for part of a page; a history restore (the Back button) wants it whole."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@vary_on_headers("HX-Request")
def unit(request: AuthenticatedRequest, unit_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    current = lookups.unit_for_viewer(viewer, unit_uuid)
    children = selectors.unit_children_with_headcount(unit=current)
    if _fragment(request) and request.GET.get("part") == "children":
        return render(request, "org/unit.html#children", {"children": children})
    may_see_members = policies.may_view_unit_members(viewer, current)
    members = None
    if may_see_members:
        members = Paginator(selectors.unit_members(unit=current), PAGE_SIZE).get_page(request.GET.get("page"))
    leader_form = None
    if policies.may_set_unit_leader(viewer, current):
        leader_form = UnitLeaderForm(
            initial={"leader_number": current.leader.employee_number if current.leader else ""}, coverage=viewer.hr
        )
    return render(
        request,
        "org/unit.html",
        {
            "unit": current,
            "ancestors": selectors.unit_ancestors(unit=current),
            "children": children,
            "members": members,
            "leader_form": leader_form,
        },
    )


@login_required
@require_POST
def unit_leader(request: AuthenticatedRequest, unit_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    current = lookups.unit_for_viewer(viewer, unit_uuid)
    if not policies.may_set_unit_leader(viewer, current):
        raise PermissionDenied
    form = UnitLeaderForm(request.POST, coverage=viewer.hr)
    if form.is_valid():
        services.unit_set_leader(viewer=viewer, unit=current, leader=form.cleaned_data["leader_number"])
        messages.success(request, _("The unit's leader is saved."))
        return redirect("org:unit", unit_uuid=current.uuid)
    return render(
        request,
        "org/unit.html",
        {
            "unit": current,
            "ancestors": selectors.unit_ancestors(unit=current),
            "children": selectors.unit_children_with_headcount(unit=current),
            "members": None,
            "leader_form": form,
        },
        status=400,
    )


@login_required
@vary_on_headers("HX-Request")
def people(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(policies.may_search_people(viewer))
    assert viewer.hr is not None
    form = PeopleSearchForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    query = chosen.get("q", "")
    unit = selectors.unit_by_code(code=chosen.get("unit", "").strip(), coverage=viewer.hr)
    base = Person.objects.filter(viewer.hr.people_q()).select_related("unit", "personnel_leader", "user")
    found = selectors.people_filtered(
        base=selectors.people_search(base=base, query=query),
        unit=unit,
        leader=chosen.get("leader", ""),
        role=chosen.get("role", ""),
        state=chosen.get("state") or "employed",
        sort=chosen.get("sort") or "name",
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "params": filters.urlencode(),
        "sort": chosen.get("sort") or "name",
        "sort_base": {key: value for key, value in filters.items() if key != "sort"},
        "unit_unknown": bool(chosen.get("unit", "").strip()) and unit is None,
    }
    if _fragment(request):
        return render(request, "org/people.html#results", context)
    return render(request, "org/people.html", context)


@login_required
def unit_options(request: AuthenticatedRequest) -> HttpResponse:
    """The units HR covers whose name or code matches what is typed, at any depth, as options for
    a unit field (``<datalist>``): the code, and the name with the units above it."""
    viewer = get_viewer(request)
    lookups.require(policies.may_search_people(viewer))
    assert viewer.hr is not None
    typed = (request.GET.get("unit") or request.GET.get("find_unit") or "").strip()
    units = selectors.units_matching(text=typed, coverage=viewer.hr) if len(typed) >= 2 else []
    return render(request, "org/_unit_options.html", {"units": units})


@login_required
def person(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    target = lookups.person_for_viewer(viewer, person_uuid)
    return render(request, "org/person.html", _person_context(viewer, target))


def _person_context(viewer: Viewer, target: Person, **extra: Any) -> dict[str, Any]:
    context = {
        "person": target,
        "may_view_employment": policies.may_view_employment(viewer, target),
        "may_change": policies.may_change_placement(viewer, target),
        "history": selectors.person_placement_history(person=target)
        if policies.may_view_placement_history(viewer, target)
        else None,
        "roles": list(target.roles.all()),
        "may_handle_privacy": privacy_policies.may_hold(viewer, target),
    }
    if context["may_change"]:
        context.setdefault(
            "placement_form",
            PlacementForm(
                coverage=viewer.hr,
                initial={
                    "unit_code": target.unit.code,
                    "personnel_leader_number": target.personnel_leader.employee_number
                    if target.personnel_leader
                    else "",
                    "daily_leader_number": target.daily_leader.employee_number if target.daily_leader else "",
                },
            ),
        )
        context.setdefault("eligibility_form", EligibilityForm.for_person(target))
    context.update(extra)
    return context


@login_required
@require_POST
def person_placement(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    target = lookups.person_for_placement_change(viewer, person_uuid)
    form = PlacementForm(request.POST, coverage=viewer.hr)
    if form.is_valid():
        try:
            changed = services.person_change_placement(
                viewer=viewer,
                person=target,
                unit=form.cleaned_data["unit_code"],
                personnel_leader=form.cleaned_data["personnel_leader_number"],
                daily_leader=form.cleaned_data["daily_leader_number"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(None if field not in form.fields else field, errors)
        else:
            messages.success(request, _("The changes are saved.") if changed else _("Nothing was changed."))
            return redirect("org:person", person_uuid=target.uuid)
    return render(request, "org/person.html", _person_context(viewer, target, placement_form=form), status=400)


@login_required
@require_POST
def person_eligibility(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    target = lookups.person_for_viewer(viewer, person_uuid)
    form = EligibilityForm(request.POST)
    if form.is_valid():
        services.person_set_eligibility(
            viewer=viewer,
            person=target,
            override=form.cleaned_data["override"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Participation in MUS is saved."))
        return redirect("org:person", person_uuid=target.uuid)
    return render(request, "org/person.html", _person_context(viewer, target, eligibility_form=form), status=400)


@login_required
@require_POST
def person_invite(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    target = lookups.person_for_placement_change(viewer, person_uuid)
    if not target.is_employed():
        messages.error(request, _("%(name)s no longer works here.") % {"name": target.name})
    elif target.user is None or target.user.has_usable_password():
        messages.info(request, _("%(name)s has already chosen a password.") % {"name": target.name})
    else:
        invitations_send(actor=request.user, users=[target.user])
        messages.success(request, _("An invitation is on its way to %(email)s.") % {"email": target.user.email})
    return redirect("org:person", person_uuid=target.uuid)


@login_required
def import_start(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(policies.may_import_organisation(viewer))
    import_runs_expire()
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        run = import_run_preview(
            actor=request.user,
            file_name=upload.name,
            content=upload.read(),
            send_invitations=form.cleaned_data["send_invitations"],
        )
        return redirect("org:import_run", run_uuid=run.uuid)
    runs = ImportRun.objects.select_related("created_by").defer("content", "preview", "errors")[:10]
    return render(
        request,
        "org/import.html",
        {"form": form, "runs": runs, "columns": documented_columns()},
        status=400 if form.errors else 200,
    )


def _import_run(request: AuthenticatedRequest, run_uuid: str) -> ImportRun:
    lookups.require(policies.may_import_organisation(get_viewer(request)))
    run = one_or_none(ImportRun.objects.filter(uuid=run_uuid).select_related("created_by"), key="org.views._import_run")
    if run is None:
        raise Http404
    return run


@login_required
def import_run(request: AuthenticatedRequest, run_uuid: str) -> HttpResponse:
    run = _import_run(request, run_uuid)
    preview = run.preview or {}
    # The details of each kind a page at a time (``?created_page=2``), below the summary.
    pages = {
        kind: Paginator(preview.get(kind, []), PREVIEW_PAGE).get_page(request.GET.get(f"{kind}_page"))
        for kind in ("created", "changed", "ended")
    }
    return render(request, "org/import_run.html", {"run": run, "columns": documented_columns(), "pages": pages})


@login_required
@require_POST
def import_apply(request: AuthenticatedRequest, run_uuid: str) -> HttpResponse:
    run = _import_run(request, run_uuid)
    try:
        run = import_run_apply(actor=request.user, run=run, confirm_endings=bool(request.POST.get("confirm_endings")))
    except ImportAlreadyHandled:
        messages.info(request, _("This file has already been applied or discarded."))
    except ImportNeedsConfirmation:
        messages.error(request, _("Confirm that these people have left before the file is applied."))
    else:
        if run.status == ImportStatus.APPLIED:
            messages.success(request, _("The organisation is updated."))
        else:
            messages.error(
                request,
                _("The organisation changed since the preview, and the file no longer fits. Nothing was imported."),
            )
    return redirect("org:import_run", run_uuid=run.uuid)


@login_required
@require_POST
def import_discard(request: AuthenticatedRequest, run_uuid: str) -> HttpResponse:
    run = _import_run(request, run_uuid)
    try:
        import_run_discard(actor=request.user, run=run)
    except ImportAlreadyHandled:
        messages.info(request, _("This file has already been applied or discarded."))
    else:
        messages.success(request, _("The file is discarded. Nothing was imported."))
    return redirect("org:import")


@login_required
def export(request: AuthenticatedRequest) -> HttpResponseBase:
    lookups.require(policies.may_import_organisation(get_viewer(request)))
    return organisation_csv_response(actor=request.user)


@login_required
def roles(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(policies.may_manage_roles(viewer))
    form = RoleForm(request.POST or None, coverage=viewer.hr)
    if request.method == "POST" and form.is_valid():
        services.role_assign(
            viewer=viewer,
            person=form.cleaned_data["employee_number"],
            kind=form.cleaned_data["kind"],
            units=form.cleaned_data["unit_codes"],
            region=form.cleaned_data["region"],
        )
        messages.success(request, _("The role is saved."))
        return redirect("org:roles")
    all_roles = (
        Role.objects.filter(person__in=Person.objects.employed())
        .select_related("person", "person__unit")
        .prefetch_related("units")
        .order_by("kind", "person__name")
    )
    grouped = [(kind, label, [r for r in all_roles if r.kind == kind]) for kind, label in RoleKind.choices]
    return render(request, "org/roles.html", {"form": form, "grouped": grouped}, status=400 if form.errors else 200)


@login_required
@require_POST
def role_remove(request: AuthenticatedRequest, role_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(policies.may_manage_roles(viewer))
    role = one_or_none(Role.objects.filter(uuid=role_uuid).select_related("person"), key="org.views.role_remove")
    if role is None:
        raise Http404
    question = Question(
        title=_("Remove %(name)s's role as %(role)s?") % {"name": role.person.name, "role": role.get_kind_display()},
        confirm=_("Yes, remove the role"),
        cancel_url=reverse("org:roles"),
        consequences=(_("From now on they no longer see what the role showed them."),),
        danger=True,
    )
    if (asked := ask_first(request, question)) is not None:
        return asked
    services.role_remove(viewer=viewer, role=role)
    messages.success(request, _("The role is removed."))
    return redirect("org:roles")
