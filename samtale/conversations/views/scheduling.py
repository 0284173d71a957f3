"""The invitation: time and place, the calendar file, slots for the team, special topics, the
"must improve" notice and who attends. Every page works without JavaScript; a refused write to a
conversation the viewer may read is 403, anything else they may not see is 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtale.access import lookups, round_policies
from samtale.access.viewer import Viewer, get_viewer
from samtale.conversations.emails import invitation_ics
from samtale.conversations.forms.scheduling import (
    AssignmentForm,
    NoticeForm,
    ScheduleForm,
    SlotsForm,
    TopicForm,
    UnionRepForm,
)
from samtale.conversations.models import Conversation, ConversationStatus, ImprovementNotice, SpecialTopic
from samtale.conversations.selectors.scheduling import rounds_with_team, scheduling_section, team_conversations_in_round
from samtale.conversations.services import attendees, scheduling, topics
from samtale.conversations.services.notice import improvement_notice_give
from samtale.lib.confirm import Question, ask_first
from samtale.lib.meetings.calendar import Method
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.lib.queries import one_or_none
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.models import Round, RoundStatus


def section_context(viewer: Viewer, conversation: Conversation) -> dict[str, Any]:
    """What templates/conversations/_scheduling.html needs on the conversation's page."""
    section = scheduling_section(viewer, conversation)
    return {
        "scheduling": section,
        "topic_form": TopicForm(prefix="topic") if section.topic_side else None,
        "union_rep_form": UnionRepForm(prefix="union_rep", choices=section.union_rep_choices)
        if section.union_rep_choices
        else None,
    }


def _to_detail(conversation: Conversation) -> HttpResponse:
    return redirect("conversations:detail", conversation_uuid=conversation.uuid)


def _writable(request: AuthenticatedRequest, conversation_uuid: str, allowed: Any) -> tuple[Viewer, Conversation]:
    """The conversation for a write: 404 if the viewer may not see it, 403 if they may not do this."""
    viewer = get_viewer(request)
    conversation = lookups.conversation_for_viewer(viewer, conversation_uuid)
    lookups.require_write(allowed(viewer, conversation))
    return viewer, conversation


def _refused(request: AuthenticatedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# Time and place ---------------------------------------------------------------------------------


@login_required
def schedule(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer, conversation = _writable(request, conversation_uuid, round_policies.may_schedule)
    form = ScheduleForm(request.POST or None, conversation=conversation)
    if request.method == "POST" and form.is_valid():
        try:
            changed = scheduling.conversation_schedule(
                viewer=viewer, conversation=conversation, when=form.time_and_place()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("The time is saved and the invitation is on its way."))
            else:
                messages.info(request, _("Nothing changed, so no invitation was sent again."))
            return _to_detail(conversation)
    status = 400 if form.errors else 200
    return render(request, "conversations/schedule.html", {"conversation": conversation, "form": form}, status=status)


@login_required
@require_POST
def schedule_cancel(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer, conversation = _writable(request, conversation_uuid, round_policies.may_schedule)
    question = Question(
        title=_("Cancel the time of the conversation with %(name)s?") % {"name": conversation.employee.name},
        confirm=_("Yes, cancel the time"),
        cancel_url=reverse("conversations:detail", args=[conversation.uuid]),
        consequences=(
            _("Everyone invited gets an e-mail, and the entry goes from their calendars."),
            _("The conversation is then to be scheduled again: choose a new time."),
        ),
        danger=True,
    )
    if (asked := ask_first(request, question)) is not None:
        return asked
    try:
        if scheduling.conversation_cancel(viewer=viewer, conversation=conversation):
            messages.success(request, _("The time is cancelled and everyone invited is told. Choose a new time."))
    except ValidationError as error:
        _refused(request, error)
    return _to_detail(conversation)


@login_required
def ics(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """The invitation as a calendar file, for everyone who may see the conversation, while the
    conversation has one (``Conversation.calendar_file_offered``, which the page's link asks too)."""
    viewer = get_viewer(request)
    conversation = lookups.conversation_for_viewer(viewer, conversation_uuid)
    if not conversation.calendar_file_offered:
        raise Http404
    when = TimeAndPlace.of(conversation)
    assert when is not None
    content = invitation_ics(
        conversation,
        when,
        method=Method.REQUEST,
        sequence=conversation.calendar_sequence,
        organizer=conversation.employee.personnel_leader,
        attendees=scheduling.conversation_attendees(conversation),
        phases=list(conversation.round.concept.phases.all()),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8; method=REQUEST")
    day = timezone.localtime(when.starts_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mus-{day}.ics"'
    return response


# Slots for the team ---------------------------------------------------------------------------------


@login_required
def slots_latest(request: AuthenticatedRequest) -> HttpResponse:
    """The slots of the newest round in which the leader has a team: the link for the team page."""
    viewer = get_viewer(request)
    lookups.require(viewer.person is not None and viewer.has_reports)
    round_ = rounds_with_team(leader=viewer.person).first()  # type: ignore[arg-type]
    lookups.require(round_ is not None)
    return redirect("conversations:slots", round_uuid=round_.uuid)  # type: ignore[union-attr]


@login_required
def slots(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    round_ = Round.objects.filter(uuid=round_uuid, status=RoundStatus.LAUNCHED).first()
    lookups.require(round_ is not None and round_policies.may_lay_out_slots(viewer))
    assert round_ is not None and viewer.person is not None
    team = list(team_conversations_in_round(leader=viewer.person, round_=round_))
    lookups.require(bool(team))
    unscheduled = [c for c in team if c.status == ConversationStatus.INVITED]
    scheduled = [c for c in team if c.status == ConversationStatus.SCHEDULED]
    data = request.POST if request.method == "POST" else (request.GET if "date" in request.GET else None)
    layout = SlotsForm(data, round_=round_)
    assign = None
    if layout.is_bound and layout.is_valid():
        found = layout.slots(leader_id=viewer.person_id)
        post = request.POST if request.method == "POST" else None
        assign = AssignmentForm(post, conversations=unscheduled, slots=found, scheduled=scheduled)
        if post is not None and assign.is_valid():
            done = _assign(request, viewer, layout, assign)
            if done is not None:
                return done
    status = 400 if layout.errors or (assign is not None and assign.errors) else 200
    context = {"round": round_, "layout": layout, "assign": assign, "unscheduled": unscheduled, "scheduled": scheduled}
    return render(request, "conversations/slots.html", context, status=status)


def _assign(request: AuthenticatedRequest, viewer: Viewer, layout: SlotsForm, assign: AssignmentForm) -> Any:
    place = layout.cleaned_data
    try:
        result = scheduling.conversations_schedule_slots(
            viewer=viewer,
            assignments=assign.assignments(),
            duration_minutes=place["duration_minutes"],
            location=place.get("location", ""),
            online_url=place.get("online_url", ""),
        )
    except ValidationError as error:
        fields = {str(c.uuid): assign.field_name(c) for c in assign.conversations}
        for key, problems in error.message_dict.items():
            for problem in problems:
                assign.add_error(fields.get(key), problem)
        return None
    messages.success(
        request,
        _("%(count)s conversations are scheduled and their invitations are on their way.")
        % {"count": len(result.scheduled)},
    )
    return redirect(request.path)


# Special topics ---------------------------------------------------------------------------------------


@login_required
@require_POST
def topic_raise(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer, conversation = _writable(
        request, conversation_uuid, lambda v, c: round_policies.special_topic_side(v, c) is not None
    )
    form = TopicForm(request.POST, prefix="topic")
    if form.is_valid():
        try:
            topics.special_topic_raise(viewer=viewer, conversation=conversation, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The topic is announced; the other side is told."))
            return _to_detail(conversation)
    return render(request, "conversations/topic.html", {"conversation": conversation, "form": form}, status=400)


@login_required
@require_POST
def topic_withdraw(request: AuthenticatedRequest, conversation_uuid: str, topic_uuid: str) -> HttpResponse:
    viewer, conversation = _writable(
        request, conversation_uuid, lambda v, c: round_policies.special_topic_side(v, c) is not None
    )
    topic = one_or_none(
        SpecialTopic.objects.filter(uuid=topic_uuid, conversation=conversation),
        key="conversations.views.scheduling.topic_withdraw",
    )
    if topic is None:
        raise Http404
    lookups.require_write(round_policies.special_topic_side(viewer, conversation) == topic.side)
    topic.conversation = conversation
    try:
        topics.special_topic_withdraw(viewer=viewer, topic=topic)
        messages.success(request, _("The topic is withdrawn."))
    except ValidationError as error:
        _refused(request, error)
    return _to_detail(conversation)


# The "must improve" notice ------------------------------------------------------------------------------


@login_required
def notice(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer, conversation = _writable(request, conversation_uuid, round_policies.may_give_improvement_notice)
    current = one_or_none(
        ImprovementNotice.objects.filter(conversation=conversation), key="conversations.views.scheduling.notice"
    )
    form = NoticeForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            improvement_notice_give(viewer=viewer, conversation=conversation, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The notice is saved; the employee is told to read it in Samtale."))
            return _to_detail(conversation)
    context = {"conversation": conversation, "form": form, "notice": current}
    return render(request, "conversations/notice.html", context, status=400 if form.errors else 200)


# Attendees -------------------------------------------------------------------------------------------------


@login_required
@require_POST
def daily_leader(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """The employee asks for their daily leader, or takes the wish back."""
    viewer, conversation = _writable(request, conversation_uuid, round_policies.may_ask_for_daily_leader)
    try:
        if request.POST.get("action") == "withdraw":
            if attendees.daily_leader_withdraw(viewer=viewer, conversation=conversation):
                messages.success(request, _("Your daily leader will not take part."))
        elif attendees.daily_leader_ask(viewer=viewer, conversation=conversation):
            messages.success(request, _("Your leader is asked to agree that your daily leader takes part."))
    except ValidationError as error:
        _refused(request, error)
    return _to_detail(conversation)


@login_required
@require_POST
def daily_leader_decision(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """The personnel leader agrees or declines."""
    viewer, conversation = _writable(request, conversation_uuid, round_policies.may_decide_on_daily_leader)
    agree = request.POST.get("decision") == "agree"
    try:
        if attendees.daily_leader_decide(viewer=viewer, conversation=conversation, agree=agree):
            messages.success(
                request,
                _("The daily leader is invited.") if agree else _("Declined; the employee is told."),
            )
    except ValidationError as error:
        _refused(request, error)
    return _to_detail(conversation)


@login_required
@require_POST
def union_rep(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """The employee decides to bring a union representative (and which), or not after all."""
    viewer, conversation = _writable(request, conversation_uuid, round_policies.may_bring_union_rep)
    if request.POST.get("action") == "withdraw":
        try:
            if attendees.union_rep_withdraw(viewer=viewer, conversation=conversation):
                messages.success(request, _("You will not bring a union representative."))
        except ValidationError as error:
            _refused(request, error)
        return _to_detail(conversation)
    form = UnionRepForm(
        request.POST, prefix="union_rep", choices=attendees.union_rep_choices(employee=conversation.employee)
    )
    if form.is_valid():
        try:
            if attendees.union_rep_bring(
                viewer=viewer, conversation=conversation, representative=form.cleaned_data["representative"]
            ):
                messages.success(request, _("Your leader is told, and summons the union representative."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _to_detail(conversation)
    return render(request, "conversations/attend.html", {"conversation": conversation, "form": form}, status=400)


@login_required
@require_POST
def union_rep_summon(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    viewer, conversation = _writable(request, conversation_uuid, round_policies.may_summon_union_rep)
    try:
        if attendees.union_rep_summon(viewer=viewer, conversation=conversation):
            messages.success(request, _("The union representative is summoned and gets the invitation."))
    except ValidationError as error:
        _refused(request, error)
    return _to_detail(conversation)
