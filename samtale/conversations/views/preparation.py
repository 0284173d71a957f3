"""The two preparations: the employee's (theirs to write, autosaved, private until they share it,
printable) and the leader's (private to the leader).

Every page looks the conversation up through ``samtale.access.lookups`` (404 for a stranger),
then asks the policy for the part it shows: a preparation the viewer may not read is a 404
exactly like a missing one; a refused write to something they may read is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from samtale.access import competence_policies, lookups, round_policies
from samtale.access.relations import Relation, conversation_relations
from samtale.access.viewer import Viewer, get_viewer
from samtale.competences.selectors.register import register_summary
from samtale.conversations.forms.meeting import EmployeePreparationForm, LeaderPreparationForm, ShareForm
from samtale.conversations.models import Conversation, EmployeePreparation, UnionRepStatus
from samtale.conversations.selectors.meeting import (
    employee_preparation_of,
    leader_preparation_of,
    preparation_questions,
)
from samtale.conversations.services import meeting
from samtale.conversations.views.saving import form_saved
from samtale.lib.confirm import Question, ask_first
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.models import PreparationForm
from samtale.rounds.selectors.unit_round import focus_areas_for


def _fragment(request: AuthenticatedRequest) -> bool:
    """An htmx request for part of a page; a history restore (the Back button) wants it whole."""
    return bool(request.htmx) and not request.htmx.history_restore_request


# The employee's preparation --------------------------------------------------------------------


def _employee_preparation(viewer: Viewer, conversation_uuid: str) -> tuple[Conversation, EmployeePreparation | None]:
    """The conversation and its employee preparation, if the viewer may read it: the leader gets the
    same 404 for an unshared preparation as for a missing one (docs/trust.md § Access matrix)."""
    conversation = lookups.conversation_for_viewer(viewer, conversation_uuid)
    preparation = employee_preparation_of(conversation=conversation)
    lookups.require(round_policies.may_view_employee_preparation(viewer, conversation, preparation))
    return conversation, preparation


@login_required
@vary_on_headers("HX-Request")
def preparation(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """The employee's preparation: theirs to write, autosaved, private until shared."""
    viewer = get_viewer(request)
    conversation, prepared = _employee_preparation(viewer, conversation_uuid)
    questions = preparation_questions(conversation=conversation, form=PreparationForm.EMPLOYEE)
    if request.method == "POST":
        lookups.require_write(round_policies.may_edit_employee_preparation(viewer, conversation))
        form = EmployeePreparationForm(request.POST, questions=questions)
        saved = form_saved(
            form,
            lambda: meeting.employee_preparation_save(viewer=viewer, conversation=conversation, answers=form.answers()),
        )
        return _after_save(request, saved, _employee_context(viewer, conversation, prepared, questions, form))
    meeting.employee_preparation_read_record(viewer=viewer, conversation=conversation)
    return render(
        request, "conversations/preparation.html", _employee_context(viewer, conversation, prepared, questions)
    )


def _employee_context(
    viewer: Viewer,
    conversation: Conversation,
    prepared: EmployeePreparation | None,
    questions: list[Any],
    form: EmployeePreparationForm | None = None,
) -> dict[str, Any]:
    is_author = round_policies.may_edit_employee_preparation(viewer, conversation)
    answers = prepared.answers if prepared else {}
    editable = is_author and meeting.preparation_is_open(conversation)
    if editable and form is None:
        form = EmployeePreparationForm(initial=EmployeePreparationForm.initial_from(answers), questions=questions)
    relations = conversation_relations(viewer, conversation)
    return {
        "conversation": conversation,
        "kind": "employee",
        "is_author": is_author,
        "editable": editable,
        "form": form,
        "answers": [(question, answers.get(question.key, "")) for question in questions],
        # What the employee sees of their own sharing; nobody else sees it here.
        "preparation": prepared if is_author else None,
        "union_rep_summoned": is_author and conversation.union_rep_status == UnionRepStatus.SUMMONED,
        "shared_with_me_at": (prepared.shared_with_leader_at if prepared else None)
        if Relation.PERSONNEL_LEADER in relations
        else None,
        "print_url": reverse("conversations:preparation_print", args=[conversation.uuid]),
        **_register(viewer, conversation),
    }


def _register(viewer: Viewer, conversation: Conversation) -> dict[str, Any]:
    """The employee's competence register and the unit's focus areas beside a preparation, for the
    two who may read the register (docs/domain.md § Competences and courses)."""
    if not competence_policies.may_view_register(viewer, conversation.employee):
        return {}
    return {
        "register": register_summary(conversation.employee),
        "focus_areas": focus_areas_for(round_=conversation.round, unit=conversation.employee.unit),
    }


def _after_save(request: AuthenticatedRequest, saved: bool, context: dict[str, Any]) -> HttpResponse:
    """The autosave gets a short status; the Save button (without JavaScript) the whole page."""
    if _fragment(request):
        status = {"saved_at": timezone.localtime() if saved else None, "form": context["form"]}
        return render(request, "conversations/preparation.html#save-status", status)
    if saved:
        messages.success(request, _("Your preparation is saved."))
        return redirect(request.path)
    return render(request, "conversations/preparation.html", context, status=400)


@login_required
@require_POST
def preparation_share(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """Share the preparation with the leader or the summoned union representative, or take the
    share back."""
    viewer = get_viewer(request)
    conversation, prepared = _employee_preparation(viewer, conversation_uuid)
    lookups.require_write(round_policies.may_edit_employee_preparation(viewer, conversation))
    form = ShareForm(request.POST)
    if form.is_valid() and form.cleaned_data["share"]:
        asked = ask_first(request, _share_question(conversation, prepared, form.cleaned_data["recipient"]))
        if asked is not None:
            return asked
    if not form.is_valid():
        messages.error(request, _("Choose whom to share with."))
    else:
        data = form.cleaned_data
        try:
            meeting.employee_preparation_share(
                viewer=viewer, conversation=conversation, recipient=data["recipient"], share=data["share"]
            )
            messages.success(request, _SHARE_MESSAGES[(data["recipient"], data["share"])])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("conversations:preparation", conversation_uuid=conversation.uuid)


def _share_question(conversation: Conversation, prepared: EmployeePreparation | None, recipient: str) -> Question:
    """Sharing lets another read all that is written: said with how much of it there is."""
    questions = preparation_questions(conversation=conversation, form=PreparationForm.EMPLOYEE)
    answers = prepared.answers if prepared else {}
    answered = sum(1 for question in questions if answers.get(question.key, "").strip())
    whom = _("your leader") if recipient == ShareForm.LEADER else _("your union representative")
    lines = [
        _("%(whom)s can read everything you have written, until you take the share back.")
        % {"whom": whom.capitalize()},
        ngettext(
            "You have answered %(answered)d of the %(count)d question so far.",
            "You have answered %(answered)d of the %(count)d questions so far.",
            len(questions),
        )
        % {"answered": answered, "count": len(questions)},
    ]
    return Question(
        title=_("Share your preparation with %(whom)s?") % {"whom": whom},
        confirm=_("Yes, share it"),
        cancel_url=reverse("conversations:preparation", args=[conversation.uuid]),
        consequences=lines,
    )


_SHARE_MESSAGES = {
    (ShareForm.LEADER, True): gettext_lazy("Your leader can now read your preparation."),
    (ShareForm.LEADER, False): gettext_lazy("Your leader can no longer read your preparation."),
    (ShareForm.UNION_REP, True): gettext_lazy("Your union representative can now read your preparation."),
    (ShareForm.UNION_REP, False): gettext_lazy("Your union representative can no longer read your preparation."),
}


@login_required
def preparation_print(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    conversation, prepared = _employee_preparation(viewer, conversation_uuid)
    questions = preparation_questions(conversation=conversation, form=PreparationForm.EMPLOYEE)
    meeting.employee_preparation_read_record(viewer=viewer, conversation=conversation)
    answers = prepared.answers if prepared else {}
    return render(
        request,
        "conversations/print.html",
        {
            "conversation": conversation,
            "kind": "employee",
            "answers": [(question, answers.get(question.key, "")) for question in questions],
            "back_url": reverse("conversations:preparation", args=[conversation.uuid]),
        },
    )


# The leader's preparation ----------------------------------------------------------------------


def _leader_conversation(viewer: Viewer, conversation_uuid: str) -> Conversation:
    """Private to the leader: 404 for everyone else, the employee included."""
    conversation = lookups.conversation_for_viewer(viewer, conversation_uuid)
    lookups.require(round_policies.may_use_leader_preparation(viewer, conversation))
    return conversation


@login_required
@vary_on_headers("HX-Request")
def leader_preparation(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    conversation = _leader_conversation(viewer, conversation_uuid)
    questions = preparation_questions(conversation=conversation, form=PreparationForm.LEADER)
    if request.method == "POST":
        form = LeaderPreparationForm(request.POST, questions=questions)
        saved = form_saved(
            form,
            lambda: meeting.leader_preparation_save(
                viewer=viewer,
                conversation=conversation,
                answers=form.answers(),
                must_improve=form.cleaned_data["must_improve"],
            ),
        )
        return _after_save(request, saved, _leader_context(conversation, questions, form))
    return render(request, "conversations/preparation.html", _leader_context(conversation, questions, viewer=viewer))


def _leader_context(
    conversation: Conversation,
    questions: list[Any],
    form: LeaderPreparationForm | None = None,
    viewer: Viewer | None = None,
) -> dict[str, Any]:
    prepared = leader_preparation_of(conversation=conversation)
    answers = prepared.answers if prepared else {}
    editable = meeting.preparation_is_open(conversation)
    if editable and form is None:
        initial = {
            **EmployeePreparationForm.initial_from(answers),
            "must_improve": prepared.must_improve if prepared else "",
        }
        form = LeaderPreparationForm(initial=initial, questions=questions)
    return {
        "conversation": conversation,
        "kind": "leader",
        "is_author": True,
        "editable": editable,
        "form": form,
        "answers": [(question, answers.get(question.key, "")) for question in questions],
        "must_improve": prepared.must_improve if prepared else "",
        "print_url": reverse("conversations:leader_preparation_print", args=[conversation.uuid]),
        **(_register(viewer, conversation) if viewer is not None else {}),
    }


@login_required
def leader_preparation_print(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    conversation = _leader_conversation(viewer, conversation_uuid)
    context = _leader_context(conversation, preparation_questions(conversation=conversation, form="leader"))
    context["back_url"] = reverse("conversations:leader_preparation", args=[conversation.uuid])
    return render(request, "conversations/print.html", context)
