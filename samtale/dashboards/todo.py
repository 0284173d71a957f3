"""The start page as a to-do list: for every role the person holds, what Samtale asks of them now,
each with its date and a link, late things first (docs/domain.md § The start page).

Each app finds its own (``todo_for_*`` in ``conversations``, ``plans``, ``rounds`` and ``surveys``
selectors) from the same rules as its reminders. ``StartPage`` reads once what both the page's
sections and the list need; the whole list is a fixed number of queries, whatever the size of
the organisation or of the person's team. The menu's count (``todo_count``) is the same list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from samtale.access import policies, round_policies
from samtale.access.viewer import Viewer
from samtale.competences.selectors import todo as competence_todo
from samtale.completion.selectors import todo_for_chain
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.selectors import todo as conversation_todo
from samtale.conversations.selectors.conversation import conversations_attended_by, conversations_of
from samtale.learning import selectors as learning_selectors
from samtale.lib.queries import fetch
from samtale.lib.todo import ToDo
from samtale.outbox.selectors import parked_count
from samtale.plans.selectors import todo as plan_todo
from samtale.rounds.models import Round
from samtale.rounds.selectors import todo as round_todo
from samtale.rounds.selectors.running import (
    LedUnitInRound,
    RoundInMyUnit,
    led_units_in_rounds,
    round_in_my_unit,
    round_waiting_for_goals,
)
from samtale.surveys.models import Invitation
from samtale.surveys.selectors import todo as survey_todo
from samtale.surveys.selectors.surveys import invitations_waiting


@dataclass(frozen=True)
class StartPage:
    """What the start page reads once, for its sections and its to-do list alike."""

    conversations: list[Conversation]
    mine: list[RoundInMyUnit]
    led: list[LedUnitInRound]
    evaluations: list[Invitation]
    goals_wanted: Round | None
    # The daily leader and the union representative: what employees invited them to.
    attended: list[Conversation]


def start_page_for(viewer: Viewer) -> StartPage:
    assert viewer.person is not None
    me = viewer.person
    return StartPage(
        conversations=fetch(conversations_of(employee=me), "dashboards.conversations_of"),
        # The round in the employee's unit, and the units a leader leads in it.
        mine=round_in_my_unit(person=me, led_units=viewer.led_units),
        led=led_units_in_rounds(led_units=viewer.led_units),
        evaluations=invitations_waiting(person=me),
        # Management: the round being prepared waits for its goals.
        goals_wanted=round_waiting_for_goals() if round_policies.may_write_goals(viewer) else None,
        attended=[c for c in conversations_attended_by(person=me) if round_policies.may_view_conversation(viewer, c)],
    )


def todo_list(viewer: Viewer, page: StartPage, *, now: datetime | None = None) -> list[ToDo]:
    """Everything the viewer has to do now, late things first, then by date."""
    assert viewer.person is not None
    me = viewer.person
    now = now or timezone.now()
    today = timezone.localdate(now)
    booked = {c.round_id for c in page.conversations if c.status != ConversationStatus.INVITED}
    items = [
        *conversation_todo.todo_for_employee(person=me, conversations=page.conversations, now=now),
        *plan_todo.todo_for_employee(
            person=me, plans=[c.plan for c in page.conversations if getattr(c, "plan", None)], now=now
        ),
        *round_todo.todo_for_member(mine=page.mine, booked_rounds=booked),
        *survey_todo.todo_for_respondent(waiting=page.evaluations),
        *round_todo.todo_for_goals(round_=page.goals_wanted),
        *round_todo.todo_for_unit_leader(led=page.led, today=today),
        *conversation_todo.todo_for_attendee(person=me, attending=page.attended, now=now),
    ]
    coming = any(c.status in (ConversationStatus.INVITED, ConversationStatus.SCHEDULED) for c in page.conversations)
    items += competence_todo.todo_for_employee(person=me, mus_coming=coming)
    if viewer.has_reports:
        items += conversation_todo.todo_for_leader(leader=me, now=now)
        items += plan_todo.todo_for_leader(leader=me, now=now)
        items += competence_todo.todo_for_leader(leader=me)
        items += learning_selectors.todo_for_leader(viewer, today=today)
    items += learning_selectors.todo_for_educator(viewer)
    items += todo_for_chain(led_units=viewer.led_units, today=today)
    if round_policies.may_manage_rounds(viewer):
        items += round_todo.todo_for_hr(today=today)
        items += survey_todo.todo_for_hr(today=today)
    if policies.may_administer(viewer) or round_policies.may_manage_rounds(viewer):
        items += _parked_mail(administrator=policies.may_administer(viewer))
    return sorted(items, key=lambda item: item.sort_key)


def _parked_mail(*, administrator: bool) -> list[ToDo]:
    parked = parked_count()
    if not parked:
        return []
    text = ngettext(
        "%(count)s e-mail could not be delivered: the administrator sends it again or removes it",
        "%(count)s e-mails could not be delivered: the administrator sends them again or removes them",
        parked,
    ) % {"count": parked}
    url = reverse("admin:outbox_outboxmessage_changelist") + "?status__exact=failed" if administrator else ""
    return [ToDo("outbox.parked", text, url, late=True, icon="email")]
