"""Where am I: the steps of one employee's MUS — invitation, preparation, conversation,
development plan, follow-up — with the one under way marked and what happens next, said to the
employee or to the leader (docs/domain.md § A round, phase by phase). Shown on the conversation's
page and on the plan's. The conversation's own steps are read here; the plan's and the
follow-up's are asked of the apps above (``signals.later_steps_wanted``), once the conversation
is held."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import cast

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from samtale.access.relations import Relation
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.signals import later_steps_wanted
from samtale.lib.formatting import long_date

DONE, CURRENT, UPCOMING, SKIPPED = "done", "current", "upcoming", "skipped"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str = UPCOMING
    next: str = ""  # what happens next, to the one asking, while this step is under way

    @property
    def state_label(self) -> str:
        return {
            DONE: pgettext("step", "done"),
            CURRENT: pgettext("step", "under way"),
            UPCOMING: pgettext("step", "to come"),
            SKIPPED: pgettext("step", "not held"),
        }[self.state]


@dataclass(frozen=True)
class Steps:
    steps: list[Step]

    @property
    def next(self) -> str:
        return next((step.next for step in self.steps if step.state == CURRENT), "")


def side_for(relations: frozenset[Relation]) -> str:
    """Whom the next step is said to: the employee, the personnel leader, or nobody (the chain, a
    daily leader, a union representative read where it is, without being told to act)."""
    if Relation.SELF in relations:
        return "employee"
    return "leader" if Relation.PERSONNEL_LEADER in relations else ""


def plan_step(**changes: str) -> Step:
    return replace(Step("plan", _("Development plan")), **changes)


def follow_up_step(**changes: str) -> Step:
    return replace(Step("follow_up", _("Follow-up")), **changes)


def _before(conversation: Conversation, *, side: str, now: datetime) -> list[Step]:
    """The steps up to the conversation, while it is not yet held."""
    invitation, preparation = Step("invitation", _("Invitation")), Step("preparation", _("Preparation"))
    meeting = Step("conversation", _("Conversation"))
    held_by = long_date(conversation.round.held_by)
    if conversation.status == ConversationStatus.INVITED:
        return [
            replace(
                invitation,
                state=CURRENT,
                next=_("Book a time for the conversation, at the latest %(date)s.") % {"date": held_by}
                if side == "leader"
                else _("Your leader books a time for the conversation, at the latest %(date)s.") % {"date": held_by},
            ),
            preparation,
            meeting,
        ]
    starts_at = conversation.starts_at
    if starts_at is not None and starts_at > now:
        when = long_date(starts_at, weekday=True, time=True)
        return [
            replace(invitation, state=DONE),
            replace(
                preparation,
                state=CURRENT,
                next=_("Prepare, and hold the conversation %(when)s.") % {"when": when}
                if side == "leader"
                else _("Prepare for the conversation %(when)s.") % {"when": when},
            ),
            meeting,
        ]
    return [
        replace(invitation, state=DONE),
        replace(preparation, state=DONE),
        replace(
            meeting,
            state=CURRENT,
            next=_("Record that the conversation was held.")
            if side == "leader"
            else _("Your leader records that the conversation was held."),
        ),
    ]


def conversation_steps(conversation: Conversation, *, side: str, now: datetime | None = None) -> Steps:
    """The five steps of ``conversation`` for ``side`` ("employee", "leader" or "" for anyone
    else, who is told no action)."""
    now = now or timezone.now()
    if conversation.status == ConversationStatus.NOT_HELD:
        return Steps(
            [
                Step("invitation", _("Invitation"), DONE),
                Step("preparation", _("Preparation"), SKIPPED),
                Step("conversation", _("Conversation"), SKIPPED),
                plan_step(state=SKIPPED),
                follow_up_step(state=SKIPPED),
            ]
        )
    if conversation.status != ConversationStatus.HELD:
        steps = [*_before(conversation, side=side, now=now), plan_step(), follow_up_step()]
        return Steps(steps if side else [replace(step, next="") for step in steps])
    later: list[Step] = []
    for _receiver, answer in later_steps_wanted.send(sender=None, conversation=conversation, side=side):
        later.extend(cast("list[Step]", answer or []))
    steps = [
        Step("invitation", _("Invitation"), DONE),
        Step("preparation", _("Preparation"), DONE),
        Step("conversation", _("Conversation"), DONE),
        *(later or [plan_step(), follow_up_step()]),
    ]
    return Steps(steps if side else [replace(step, next="") for step in steps])
