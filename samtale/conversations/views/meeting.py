"""The meeting guide with the minutes, open items, and the outcome; and the meeting's section on the
conversation's page.

Every page looks the conversation up through ``samtale.access.lookups`` (404 for a stranger),
then asks the policy for the part it shows: minutes the viewer may not read are a 404 exactly
like missing ones; a refused write to something they may read is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtale.access import competence_policies, lookups, round_policies
from samtale.access.relations import Relation, conversation_relations
from samtale.access.viewer import Viewer, get_viewer
from samtale.competences.selectors.register import register_summary
from samtale.conversations.forms.meeting import MinutesForm, OpenItemAnswerForm, OpenItemForm, OutcomeForm
from samtale.conversations.models import Conversation, ConversationStatus, EmployeePreparation, Minutes
from samtale.conversations.selectors.meeting import (
    employee_preparation_of,
    minutes_of,
    open_item_of,
    open_items_of,
    phases_of,
)
from samtale.conversations.services import meeting
from samtale.conversations.views.saving import form_saved
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.models import ConceptPhase

# The meeting guide and the minutes -------------------------------------------------------------


@dataclass(frozen=True)
class GuidePhase:
    phase: ConceptPhase
    notes: str  # as stored
    field: forms.BoundField | None  # the notes to edit, for those who may
    base: forms.BoundField | None
    conflict: str | None  # the stored text, when it differs from what the writer sent


def _guide_conversation(viewer: Viewer, conversation_uuid: str) -> Conversation:
    """The minutes: the employee and the leader, and attendees invited to this meeting."""
    conversation = lookups.conversation_for_viewer(viewer, conversation_uuid)
    lookups.require(round_policies.may_view_minutes(viewer, conversation))
    return conversation


@login_required
def guide(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """The six phases, one at a time for a shared screen (``?phase=<key>``; ``?phase=all`` shows the
    whole guide, as printed), with guidance, inspiration questions and the joint notes."""
    viewer = get_viewer(request)
    conversation = _guide_conversation(viewer, conversation_uuid)
    if request.method == "POST":
        return _minutes_post(request, viewer, conversation)
    meeting.minutes_read_record(viewer=viewer, conversation=conversation)
    context = _guide_context(viewer, conversation, shown=request.GET.get("phase", ""))
    return render(request, "conversations/guide.html", context)


def _minutes_post(request: AuthenticatedRequest, viewer: Viewer, conversation: Conversation) -> HttpResponse:
    """The notes of the phases on the page (one, or all): saved by the button, or as they are
    written (htmx, ``autosave``), when a short status answers and the form learns the new version."""
    lookups.require_write(round_policies.may_edit_minutes(viewer, conversation))
    phases = phases_of(conversation=conversation)
    posted = [phase for phase in phases if f"notes_{phase.key}" in request.POST] or phases
    form = MinutesForm(request.POST, phases=posted)
    autosave = bool(request.htmx) and "autosave" in request.POST
    # Shown again after an error: the one phase written, or the whole guide when it was sent.
    shown = request.POST.get("shown", "") if len(posted) == 1 else "all"
    if not form.is_valid():
        if autosave:
            return render(request, "conversations/guide.html#minutes-status", {"form": form, "error": True})
        context = _guide_context(viewer, conversation, form=form, shown=shown)
        return render(request, "conversations/guide.html", context, status=400)
    try:
        minutes = meeting.minutes_save(
            viewer=viewer,
            conversation=conversation,
            notes=form.notes(),
            version=form.cleaned_data["version"],
            bases=form.bases(),
        )
    except meeting.MinutesConflict as conflict:
        if autosave:
            # Told at once, nothing lost: the text stays in the box, and the button shows both texts.
            return render(request, "conversations/guide.html#minutes-status", {"conflict": conflict.stored})
        merge_form, conflicts = _merge_form(form, conflict.stored, posted)
        context = _guide_context(
            viewer, conversation, form=merge_form, conflicts=conflicts, stored=conflict.stored, shown=shown
        )
        return render(request, "conversations/guide.html", context, status=409)
    if autosave:
        saved = {
            "saved_at": timezone.localtime(minutes.updated_at),
            "minutes": minutes,
            # The form starts from what is saved now: the next save is checked against it.
            "bases": [(key, minutes.notes.get(key, "")) for key in form.phase_keys],
        }
        return render(request, "conversations/guide.html#minutes-status", saved)
    messages.success(request, _("The notes are saved."))
    url = reverse("conversations:guide", args=[conversation.uuid])
    return redirect(f"{url}?phase={shown}" if shown else url)


def _merge_form(form: MinutesForm, stored: Minutes, phases: list[ConceptPhase]) -> tuple[MinutesForm, dict[str, str]]:
    """After a conflict: the writer's text stays in every phase they changed, next to the stored
    text where the two differ; a phase they did not touch takes the stored text. The form now
    starts from the stored version, so the merged text can be saved."""
    mine, bases = form.notes(), form.bases()
    initial: dict[str, Any] = {"version": stored.version}
    conflicts: dict[str, str] = {}
    for key in form.phase_keys:
        theirs = stored.notes.get(key, "")
        initial[f"base_{key}"] = theirs
        if mine[key].strip() == bases[key].strip():
            initial[f"notes_{key}"] = theirs
        else:
            initial[f"notes_{key}"] = mine[key]
            if mine[key].strip() != theirs:
                conflicts[key] = theirs
    return MinutesForm(initial=initial, phases=phases), conflicts


def _guide_context(
    viewer: Viewer,
    conversation: Conversation,
    *,
    form: MinutesForm | None = None,
    conflicts: dict[str, str] | None = None,
    stored: Minutes | None = None,
    item_form: OpenItemForm | None = None,
    shown: str = "",
) -> dict[str, Any]:
    phases = phases_of(conversation=conversation)
    keys = [phase.key for phase in phases]
    # One phase at a time (the first when none is named; "last" for the open items); "all" for the
    # whole guide.
    if shown == "last" and keys:
        shown = keys[-1]
    current = shown if shown in keys or shown == "all" else (keys[0] if keys else "all")
    visible = phases if current == "all" else [phase for phase in phases if phase.key == current]
    minutes = stored or minutes_of(conversation=conversation)
    notes = minutes.notes if minutes else {}
    editable = round_policies.may_edit_minutes(viewer, conversation)
    if editable and form is None:
        initial = MinutesForm.initial_from(notes, minutes.version if minutes else 0)
        form = MinutesForm(initial=initial, phases=visible)
    conflicts = conflicts or {}
    uses_items = round_policies.may_use_open_items(viewer, conversation)
    index = keys.index(current) if current in keys else -1
    return {
        "conversation": conversation,
        # The register as agreed before the conversation; the guide shows it, never reopens it.
        "register": register_summary(conversation.employee)
        if competence_policies.may_view_register(viewer, conversation.employee)
        else None,
        "minutes": minutes,
        "form": form if editable else None,
        "conflicts": conflicts,
        "current": current,
        "steps": [(phase, bool(notes.get(phase.key, "").strip())) for phase in phases],
        "previous_phase": phases[index - 1] if index > 0 else None,
        "next_phase": phases[index + 1] if 0 <= index < len(phases) - 1 else None,
        "phases": [
            GuidePhase(
                phase=phase,
                notes=notes.get(phase.key, ""),
                field=form[f"notes_{phase.key}"] if editable and form and f"notes_{phase.key}" in form.fields else None,
                base=form[f"base_{phase.key}"] if editable and form and f"base_{phase.key}" in form.fields else None,
                conflict=conflicts.get(phase.key),
            )
            for phase in visible
        ],
        "last_key": keys[-1] if keys else "",
        "first_phase_notes": notes.get(phases[0].key, "") if phases else "",
        "open_items": open_items_of(conversation=conversation) if uses_items else None,
        "item_form": (item_form or OpenItemForm()) if uses_items else None,
        "may_record_outcome": round_policies.may_record_outcome(viewer, conversation),
        # After the conversation an open item is the leader's to clarify: only they remove it.
        "may_remove_items": uses_items
        and (conversation.status != ConversationStatus.HELD or round_policies.may_record_outcome(viewer, conversation)),
        "today": timezone.localdate(),
    }


# Open items ------------------------------------------------------------------------------------


def _items_conversation(viewer: Viewer, conversation_uuid: str) -> Conversation:
    conversation = lookups.conversation_for_viewer(viewer, conversation_uuid)
    lookups.require(round_policies.may_use_open_items(viewer, conversation))
    return conversation


def _open_items_url(conversation: Conversation) -> str:
    return reverse("conversations:guide", args=[conversation.uuid]) + "?phase=last#open-items"


@login_required
@require_POST
def open_item_add(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    conversation = _items_conversation(viewer, conversation_uuid)
    form = OpenItemForm(request.POST)
    if form_saved(form, lambda: meeting.open_item_add(viewer=viewer, conversation=conversation, **form.cleaned_data)):
        messages.success(request, _("The open item is added."))
        return redirect(_open_items_url(conversation))
    context = _guide_context(viewer, conversation, item_form=form, shown="last")
    return render(request, "conversations/guide.html", context, status=400)


@login_required
@require_POST
def open_item_answer(request: AuthenticatedRequest, conversation_uuid: str, item_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    conversation = _items_conversation(viewer, conversation_uuid)
    item = open_item_of(conversation=conversation, item_uuid=item_uuid)
    if item is None:
        raise Http404
    form = OpenItemAnswerForm(request.POST)
    if form_saved(form, lambda: meeting.open_item_answer(viewer=viewer, item=item, answer=form.cleaned_data["answer"])):
        messages.success(request, _("The answer is saved."))
    else:
        messages.error(request, _("The answer is too long: at most 2,000 characters."))
    return redirect(_open_items_url(conversation))


@login_required
@require_POST
def open_item_remove(request: AuthenticatedRequest, conversation_uuid: str, item_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    conversation = _items_conversation(viewer, conversation_uuid)
    item = open_item_of(conversation=conversation, item_uuid=item_uuid)
    if item is not None:  # removed twice (the form posted again): already done
        meeting.open_item_remove(viewer=viewer, item=item)
        messages.success(request, _("The open item is removed."))
    return redirect(_open_items_url(conversation))


# The outcome -----------------------------------------------------------------------------------


def _outcome_conversation(viewer: Viewer, conversation_uuid: str) -> Conversation:
    """Only the leader records the outcome; others who may see the conversation get 403."""
    conversation = lookups.conversation_for_viewer(viewer, conversation_uuid)
    lookups.require_write(round_policies.may_record_outcome(viewer, conversation))
    return conversation


@login_required
def outcome(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """The leader marks the conversation held (starting the plan's clock) or not held, with a
    reason; and corrects it while corrections are allowed."""
    viewer = get_viewer(request)
    conversation = _outcome_conversation(viewer, conversation_uuid)
    data = request.POST if request.method == "POST" else None
    booked_on = timezone.localtime(conversation.starts_at).date() if conversation.starts_at else None
    form = OutcomeForm(
        data, opens_on=conversation.round.opens_on, booked_on=booked_on, initial=_outcome_initial(conversation)
    )
    if data is not None and form_saved(form, lambda: _record_outcome(viewer, conversation, form.cleaned_data)):
        messages.success(request, _("The outcome is saved."))
        return redirect("conversations:detail", conversation_uuid=conversation.uuid)
    context = {
        "conversation": conversation,
        "form": form,
        "recorded": conversation.status in meeting.OVER,
        "correctable": meeting.outcome_may_be_corrected(conversation),
        # "Not held" is the rarer answer: its fields stay folded away unless it is the one recorded or posted.
        "not_held_open": (data.get("outcome") if data is not None else conversation.status) == OutcomeForm.NOT_HELD,
    }
    return render(request, "conversations/outcome.html", context, status=400 if form.errors else 200)


def _outcome_initial(conversation: Conversation) -> dict[str, Any]:
    initial: dict[str, Any] = {"held_on": meeting.held_on_suggestion(conversation)}
    if conversation.status == ConversationStatus.NOT_HELD:
        initial |= {"reason": conversation.not_held_reason, "note": conversation.not_held_note}
    return initial


def _record_outcome(viewer: Viewer, conversation: Conversation, data: dict[str, Any]) -> Conversation:
    if data["outcome"] == OutcomeForm.HELD:
        return meeting.conversation_mark_held(viewer=viewer, conversation=conversation, held_on=data["held_on"])
    return meeting.conversation_mark_not_held(
        viewer=viewer, conversation=conversation, reason=data["reason"], note=data["note"]
    )


@login_required
@require_POST
def outcome_clear(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    conversation = _outcome_conversation(viewer, conversation_uuid)
    try:
        meeting.conversation_outcome_clear(viewer=viewer, conversation=conversation)
        messages.success(request, _("The outcome is undone: the conversation is not yet held."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("conversations:detail", conversation_uuid=conversation.uuid)


# The section on the conversation's page ------------------------------------------------------


@dataclass(frozen=True)
class SectionLink:
    """A link in the meeting section of the conversation's page, to one part of the meeting (a
    preparation, the guide and notes, the outcome); not the online meeting link of a booking."""

    label: str
    url: str
    note: str = ""


def section_context(viewer: Viewer, conversation: Conversation) -> dict[str, Any]:
    """What templates/conversations/_meeting.html needs on the conversation's page: a link to each
    part of the meeting the viewer may use, and nothing about the parts they may not (the
    leader learns nothing of an unshared preparation, not even that it exists)."""
    relations = conversation_relations(viewer, conversation)
    links: list[SectionLink] = []
    uuid = conversation.uuid
    prepared = None
    if relations & {Relation.SELF, Relation.PERSONNEL_LEADER, Relation.INVITED_UNION_REP}:
        prepared = employee_preparation_of(conversation=conversation)
    if Relation.SELF in relations:
        links.append(
            SectionLink(_("My preparation"), reverse("conversations:preparation", args=[uuid]), _share_note(prepared))
        )
    elif round_policies.may_view_employee_preparation(viewer, conversation, prepared):
        links.append(
            SectionLink(
                _("%(name)s's preparation") % {"name": conversation.employee.name},
                reverse("conversations:preparation", args=[uuid]),
                _("Shared with you"),
            )
        )
    if round_policies.may_use_leader_preparation(viewer, conversation):
        links.append(
            SectionLink(
                _("My preparation as leader"),
                reverse("conversations:leader_preparation", args=[uuid]),
                _("Only you can see it"),
            )
        )
    if round_policies.may_view_minutes(viewer, conversation):
        note = "" if round_policies.may_edit_minutes(viewer, conversation) else _("You can read the notes")
        links.append(SectionLink(_("The meeting guide and notes"), reverse("conversations:guide", args=[uuid]), note))
    if round_policies.may_record_outcome(viewer, conversation):
        label = _("Correct the outcome") if conversation.status in meeting.OVER else _("Mark the conversation held")
        links.append(SectionLink(label, reverse("conversations:outcome", args=[uuid])))
    return {
        "meeting_links": links,
        "meeting_outcome_visible": bool(relations & {Relation.SELF, Relation.PERSONNEL_LEADER}),
    }


def _share_note(prepared: EmployeePreparation | None) -> str:
    if prepared is None or prepared.shared_with_leader_at is None:
        return _("Private: only you can see it")
    return _("Shared with your leader")
