"""Conversation concepts: HR copies and edits them; a concept in use is versioned, not changed.

Only HR covering the whole organisation reaches these pages (``may_manage_concepts``); to
everyone else they do not exist (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samtale.access import lookups, round_policies
from samtale.access.viewer import get_viewer
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.forms.concepts import EMPLOYEE, LEADER, PHASES, ConceptEditor, CopyForm, with_one_more_row
from samtale.rounds.models import Concept
from samtale.rounds.selectors.concepts import concept_families, concept_family, concept_questions, concept_with_content
from samtale.rounds.services import concepts

ROW_KINDS = (PHASES, EMPLOYEE, LEADER)


def _concept(request: AuthenticatedRequest, concept_uuid: str) -> Concept:
    lookups.require(round_policies.may_manage_concepts(get_viewer(request)))
    concept = concept_with_content(concept_uuid=concept_uuid)
    if concept is None:
        raise Http404
    return concept


@login_required
def concept_list(request: AuthenticatedRequest) -> HttpResponse:
    lookups.require(round_policies.may_manage_concepts(get_viewer(request)))
    return render(request, "rounds/concept_list.html", {"families": concept_families()})


@login_required
def concept_detail(request: AuthenticatedRequest, concept_uuid: str) -> HttpResponse:
    concept = _concept(request, concept_uuid)
    family = concept_family(concept=concept)
    return render(
        request,
        "rounds/concept_detail.html",
        {
            "concept": concept,
            "family": family,
            "rounds": family.rounds_of(concept),
            "employee_questions": concept_questions(concept, EMPLOYEE),
            "leader_questions": concept_questions(concept, LEADER),
        },
    )


@login_required
def concept_copy(request: AuthenticatedRequest, concept_uuid: str) -> HttpResponse:
    concept = _concept(request, concept_uuid)
    form = CopyForm(request.POST or None, initial={"name": _("%(name)s (copy)") % {"name": concept.name}})
    if request.method == "POST" and form.is_valid():
        try:
            copy = concepts.concept_copy(viewer=get_viewer(request), concept=concept, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error.message_dict.get("name", error.messages))
        else:
            messages.success(request, _("The copy is saved. Make it your organisation's own."))
            return redirect("rounds:concept_edit", concept_uuid=copy.uuid)
    context = {"concept": concept, "form": form}
    return render(request, "rounds/concept_copy.html", context, status=400 if form.errors else 200)


@login_required
def concept_edit(request: AuthenticatedRequest, concept_uuid: str) -> HttpResponse:
    concept = _concept(request, concept_uuid)
    if request.method != "POST":
        if not concept.is_current:
            messages.info(request, _("Only the newest version of a concept can be changed. This is the newest."))
            current = Concept.objects.get(family=concept.family, is_current=True)
            return redirect("rounds:concept_edit", concept_uuid=current.uuid)
        return _edit_page(request, concept, ConceptEditor(concept))
    added = request.POST.get("add", "")
    if added in ROW_KINDS:
        # "Add a phase / a question": the page again, as filled in, with one more empty row.
        return _edit_page(request, concept, ConceptEditor(concept, with_one_more_row(request.POST, added)), added)
    editor = ConceptEditor(concept, request.POST)
    if editor.is_valid():
        try:
            change = concepts.concept_update(
                viewer=get_viewer(request),
                concept=concept,
                data=editor.to_input(),
                fingerprint=editor.form.cleaned_data["fingerprint"] or None,
            )
        except ValidationError as error:
            editor.add_service_errors(error.message_dict if hasattr(error, "error_dict") else {"": error.messages})
        else:
            messages.success(request, _success_message(change))
            return redirect("rounds:concept", concept_uuid=change.concept.uuid)
    return _edit_page(request, concept, editor, status=400)


def _success_message(change: concepts.ConceptChange) -> str:
    if not change.changed:
        return _("Nothing was changed.")
    if change.new_version:
        return _("The changes are saved as version %(version)d. The rounds that use the earlier version keep it.") % {
            "version": change.concept.version
        }
    return _("The changes are saved.")


def _edit_page(
    request: AuthenticatedRequest, concept: Concept, editor: ConceptEditor, added: str = "", status: int = 200
) -> HttpResponse:
    if added:
        new_row = editor.formsets[added].forms[-1]
        new_row.fields["heading" if "heading" in new_row.fields else "text"].widget.attrs["autofocus"] = True
    family = concept_family(concept=concept)
    context: dict[str, Any] = {
        "concept": concept,
        "editor": editor,
        "rounds": family.rounds_of(concept),
        "next_version": family.versions[0].concept.version + 1,
    }
    return render(request, "rounds/concept_edit.html", context, status=status)
