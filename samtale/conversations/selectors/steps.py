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
from samtale.rounds.guide import STEP_TOPICS

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

    @property
    def guide_topic(self) -> str:
        """The guidance that belongs with the step under way (``samtale.rounds.guide``)."""
        current = next((step.key for step in self.steps if step.state == CURRENT), "")
        return STEP_TOPICS.get(current, "what")


def side_for(relations: frozenset[Relation]) -> str:
    """Whom the next step is said to: the employee, the personnel leader, or nobody (the chain, a
    daily leader, a union representative read where it is, without being told to act)."""
    if Relation.SELF in relations:
        return "employee"
    return "leader" if Relation.PERSONNEL_LEADER in relations else ""


def _labels() -> dict[str, str]:
    return {
        "invitation": _("Invitation"),
        "preparation": _("Preparation"),
        "conversation": _("Conversation"),
        "plan": _("Development plan"),
        "follow_up": _("Follow-up"),
    }


def step(key: str, state: str = UPCOMING, next: str = "") -> Step:
    """The step ``key`` (one of the five, each labelled in one place)."""
    return Step(key, _labels()[key], state, next)


def plan_step(state: str = UPCOMING, next: str = "") -> Step:
    return step("plan", state, next)


def follow_up_step(state: str = UPCOMING, next: str = "") -> Step:
    return step("follow_up", state, next)


def _before(conversation: Conversation, *, side: str, now: datetime) -> list[Step]:
    """The steps up to the conversation, while it is not yet held."""
    leader = side == "leader"
    if conversation.status == ConversationStatus.INVITED:
        held_by = {"date": long_date(conversation.round.held_by)}
        next_ = (
            _("Book a time for the conversation, at the latest %(date)s.") % held_by
            if leader
            else _("Your leader books a time for the conversation, at the latest %(date)s.") % held_by
        )
        return [step("invitation", CURRENT, next_), step("preparation"), step("conversation")]
    starts_at = conversation.starts_at
    if starts_at is not None and starts_at > now:
        when = {"when": long_date(starts_at, weekday=True, time=True)}
        next_ = (
            _("Prepare, and hold the conversation %(when)s.") % when
            if leader
            else _("Prepare for the conversation %(when)s.") % when
        )
        return [step("invitation", DONE), step("preparation", CURRENT, next_), step("conversation")]
    next_ = (
        _("Record that the conversation was held.")
        if leader
        else _("Your leader records that the conversation was held.")
    )
    return [step("invitation", DONE), step("preparation", DONE), step("conversation", CURRENT, next_)]


def conversation_steps(
    conversation: Conversation, *, side: str, later: list[Step] | None = None, now: datetime | None = None
) -> Steps:
    """The five steps of ``conversation`` for ``side`` ("employee", "leader" or "" for anyone
    else, who is told no action). ``later``: the plan's and the follow-up's steps, when the caller
    has them (the plan's page); otherwise they are asked of the apps above."""
    if conversation.status == ConversationStatus.NOT_HELD:
        skipped = ["preparation", "conversation", "plan", "follow_up"]
        return Steps([step("invitation", DONE), *(step(key, SKIPPED) for key in skipped)])
    if conversation.status != ConversationStatus.HELD:
        steps = [*_before(conversation, side=side, now=now or timezone.now()), plan_step(), follow_up_step()]
    else:
        if later is None:
            later = []
            for _receiver, answer in later_steps_wanted.send(sender=None, conversation=conversation, side=side):
                later.extend(cast("list[Step]", answer or []))
        held = [step("invitation", DONE), step("preparation", DONE), step("conversation", DONE)]
        steps = [*held, *(later or [plan_step(), follow_up_step()])]
    return Steps(steps if side else [replace(s, next="") for s in steps])
