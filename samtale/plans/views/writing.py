"""The plan's writing views: the employee's form beside the minutes, the leader's comments,
sharing with the daily leader and the union representative, and HR's activity catalogue.
``section_context`` gives the plan's page (``views.plan``) what its writing section needs.

Every page looks the plan up through ``samtale.access.lookups`` (404 for a stranger); a refused
write to a plan the viewer may read is a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from samtale.access import lookups, plan_policies, round_policies
from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer, get_viewer
from samtale.conversations.models import Minutes
from samtale.lib.queries import fetch, one_or_none
from samtale.lib.requests import AuthenticatedRequest
from samtale.plans.content import activity_type_ref, follow_up_point, reference_date, version_content
from samtale.plans.forms.writing import (
    ActivityTypeForm,
    CommentForm,
    RawContent,
    apply_row_action,
    attach_errors,
    error_label,
    raw_from_content,
    raw_from_post,
    renumber,
)
from samtale.plans.links import link_choices
from samtale.plans.models import ActivityType, Plan, PlanComment, PlanVersion
from samtale.plans.readable import readable_content, readable_version
from samtale.plans.services import signing, writing
from samtale.rounds.models import ConceptPhase


def _type_labels(types: Iterable[ActivityType]) -> dict[str, str]:
    """The names of the whole catalogue: one query, whatever the plan uses."""
    return {activity_type_ref(t): t.label for t in types}


def section_context(
    request: HttpRequest,
    viewer: Viewer,
    plan: Plan,
    *,
    version: PlanVersion | None = None,
    comment_form: CommentForm | None = None,
) -> dict[str, Any]:
    """The plan's text, the open items, the comments and the sharing, as far as the viewer may
    see them (``version``: the current one, read already). A constant number of queries."""
    version = version or signing.current_version(plan)
    relations = relations_to(viewer, plan.employee)
    is_employee = Relation.SELF in relations
    is_leader = Relation.PERSONNEL_LEADER in relations
    between_the_two = is_employee or is_leader
    may_comment = plan_policies.may_comment_on_plan(viewer, plan) and not version.is_frozen
    if may_comment and comment_form is None:
        comment_form = CommentForm()
    types = fetch(ActivityType.objects.all(), "plans.activity_types")
    content = readable_version(version, labels=_type_labels(types))
    return {
        "plan": plan,
        "version": version,
        "content": content,
        "is_employee": is_employee,
        "is_leader": is_leader,
        "may_edit": plan_policies.may_write_plan(viewer, plan) and writing.is_editable(version),
        "may_share": plan_policies.may_share_plan(viewer, plan),
        "has_daily_leader": plan.employee.daily_leader_id is not None,
        # Open items, comments and hints are between the employee and the leader.
        "open_items": fetch(writing.open_items_of(plan), "plans.open_items") if between_the_two else None,
        "comments": fetch(
            PlanComment.objects.filter(version__plan=plan).select_related("author", "version"), "plans.comments"
        )
        if between_the_two
        else None,
        "comment_form": comment_form if may_comment else None,
        "hints": writing.plan_quality_hints(version_content(version), types=types) if between_the_two else [],
        "today": timezone.localdate(),
        "missing": writing.version_completeness_errors(version) if is_employee and writing.is_editable(version) else [],
    }


# The employee's form --------------------------------------------------------------------------


def _edit_context(
    plan: Plan,
    version: PlanVersion,
    raw: RawContent,
    follow_up: str,
    revision: int,
    *,
    errors: dict[str, list[str]] | None = None,
    conflict: PlanVersion | None = None,
    focus: str = "",
) -> dict[str, Any]:
    errors = errors or {}
    attach_errors(raw, errors)
    conversation = plan.conversation
    minutes = one_or_none(Minutes.objects.filter(conversation=conversation), key="plans.views.writing._edit_context")
    notes = minutes.notes if minutes else {}
    phases = [
        (phase, notes.get(phase.key, ""))
        for phase in ConceptPhase.objects.filter(concept_id=conversation.round.concept_id).order_by("order")
    ]
    types = list(ActivityType.objects.all())
    reference = reference_date(plan)
    used = {a.get("type") for g in raw["goals"] for a in g["activities"]}
    links = link_choices(plan, version_content(version))
    competence_groups: dict[str, list[tuple[str, str]]] = {}
    for ref, name in links.competences.items():
        competence_groups.setdefault(links.competence_groups.get(ref, ""), []).append((ref, name))
    return {
        "plan": plan,
        "version": version,
        "raw": raw,
        "follow_up": follow_up,
        "revision": revision,
        "errors": errors,
        "error_summary": [
            (key, error_label(key), message) for key, msgs in errors.items() if key != "__all__" for message in msgs
        ],
        "follow_up_errors": errors.get("follow_up", []),
        "general_errors": errors.get("__all__", []),
        "conflict": conflict,
        "conflict_content": readable_content(
            version_content(conflict),
            labels=_type_labels(types),
            reference=reference,
            follow_up=follow_up_point(conflict),
        )
        if conflict
        else None,
        "focus": focus,
        "activity_types": [(activity_type_ref(t), t.label) for t in types if t.active or activity_type_ref(t) in used],
        "competence_groups": list(competence_groups.items()),
        "serve_options": list(links.serves.items()),
        "course_options": sorted(links.courses.values(), key=lambda course: course[1]),
        "phases": phases,
        "hints": writing.plan_quality_hints(version_content(version)),
        "comments": list(PlanComment.objects.filter(version__plan=plan).select_related("author", "version")),
        "open_items": list(writing.open_items_of(plan)),
        "responsible_options": [
            ("employee", _("I am")),
            ("leader", _("My leader")),
            ("other", _("Someone else (write the name)")),
        ],
        "today": timezone.localdate(),
        "last_day": writing.follow_up_last_day(conversation),
        "months": conversation.round.concept.follow_up_within_months,
    }


@login_required
@vary_on_headers("HX-Request")
def edit(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """The employee writes the plan "in their own words" (docs/domain.md § After the conversation),
    with the minutes beside the form."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require_write(plan_policies.may_write_plan(viewer, plan))
    version = signing.current_version(plan)
    if request.method != "POST":
        if not writing.is_editable(version):
            messages.info(request, _("This version of the plan can no longer be changed."))
            return redirect("plans:detail", plan.uuid)
        raw = raw_from_content(
            version_content(version), reference=reference_date(plan), links=link_choices(plan, version_content(version))
        )
        follow_up = writing.follow_up_text(version, typed=True)
        return render(request, "plans/edit.html", _edit_context(plan, version, raw, follow_up, version.revision))
    raw = raw_from_post(request.POST)
    follow_up = request.POST.get("follow_up", "")
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    # Not "add" and "remove": a control named "remove" would hide the form element's remove().
    add, remove = request.POST.get("row_add", ""), request.POST.get("row_remove", "")
    if add or remove:
        raw, focus = apply_row_action(raw, add=add, remove=remove)
        return render(request, "plans/edit.html", _edit_context(plan, version, raw, follow_up, revision, focus=focus))
    if request.htmx and "autosave" in request.POST:
        return _autosave(viewer, version, raw, follow_up, revision, request)
    try:
        writing.plan_save(viewer=viewer, version=version, content=raw, follow_up=follow_up, revision=revision)
    except writing.PlanConflict as conflict:
        # Their text stays in the form, the stored text is shown beside it; saving again now wins.
        context = _edit_context(plan, version, raw, follow_up, conflict.stored.revision, conflict=conflict.stored)
        return render(request, "plans/edit.html", context, status=409)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        context = _edit_context(plan, version, renumber(raw), follow_up, revision, errors=errors)
        return render(request, "plans/edit.html", context, status=400)
    messages.success(request, _("The plan is saved."))
    return redirect("plans:edit", plan.uuid)


def _autosave(
    viewer: Viewer, version: PlanVersion, raw: RawContent, follow_up: str, revision: int, request: AuthenticatedRequest
) -> HttpResponse:
    """Saved as it is written (htmx): a short status, and the form learns the new revision. What
    cannot be saved yet (a date that does not exist, a crossing save) is said in the status and the
    text stays in the form: the button then shows the errors beside their fields, or both texts."""
    status: dict[str, Any] = {}
    try:
        saved = writing.plan_save(viewer=viewer, version=version, content=raw, follow_up=follow_up, revision=revision)
    except writing.PlanConflict as conflict:
        status["crossed"] = conflict.stored
    except ValidationError:
        status["invalid"] = True
    else:
        status.update(saved_at=timezone.localtime(), revision=saved.revision)
    return render(request, "plans/edit.html#save-status", status)


# Comments and sharing -------------------------------------------------------------------------


@login_required
@require_POST
def share(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """The employee lets the daily leader or the union representative read the plan, or not."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require_write(plan_policies.may_share_plan(viewer, plan))
    recipient = request.POST.get("recipient", "")
    on = request.POST.get("share") == "1"
    try:
        writing.plan_share(viewer=viewer, plan=plan, recipient=recipient, share=on)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The plan is shared.") if on else _("The plan is no longer shared."))
    return redirect(reverse("plans:detail", args=[plan.uuid]) + "#sharing")


# HR's activity catalogue -----------------------------------------------------------------------


@login_required
def activity_types(request: AuthenticatedRequest) -> HttpResponse:
    """HR extends the catalogue: adds types, renames its own, withdraws any from new plans."""
    viewer = get_viewer(request)
    lookups.require(round_policies.may_manage_concepts(viewer))
    form = ActivityTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            writing.activity_type_add(
                viewer=viewer, name=form.cleaned_data["name"], is_course=form.cleaned_data["is_course"]
            )
        except ValidationError as error:
            form.add_error("name" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(request, _("The activity type is added."))
            return redirect("plans:activity_types")
    return render(
        request,
        "plans/activity_types.html",
        {"types": list(ActivityType.objects.all()), "form": form, "nav_section": "rounds"},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def activity_type_change(request: AuthenticatedRequest, type_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(round_policies.may_manage_concepts(viewer))
    activity_type = one_or_none(
        ActivityType.objects.filter(uuid=type_uuid), key="plans.views.writing.activity_type_change"
    )
    lookups.require(activity_type is not None)
    assert activity_type is not None
    action = request.POST.get("action", "")
    try:
        if action == "rename":
            writing.activity_type_change(viewer=viewer, activity_type=activity_type, name=request.POST.get("name", ""))
            messages.success(request, _("The activity type is renamed."))
        elif action in ("withdraw", "offer"):
            writing.activity_type_change(viewer=viewer, activity_type=activity_type, active=action == "offer")
            messages.success(
                request,
                _("The activity type is offered in new plans again.")
                if action == "offer"
                else _("The activity type is no longer offered in new plans."),
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("plans:activity_types")
