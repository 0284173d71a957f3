"""The plans follow what the services below report, inside their transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from samtale.conversations.selectors.steps import Step
from samtale.conversations.signals import (
    answer_withdrawal_refused,
    conversation_held,
    conversation_unheld,
    later_steps_wanted,
    outcome_correction_refused,
)
from samtale.org.signals import placements_changed
from samtale.plans.selectors.steps import plan_steps_of
from samtale.plans.services import writing
from samtale.plans.services.leader_change import leaders_changed


@receiver(placements_changed, dispatch_uid="plans.placements_changed")
def _placements_changed(sender: Any, *, changes: Any, **kwargs: Any) -> None:
    """A plan follows the employee's new personnel leader: both are told."""
    leaders_changed(changes)


@receiver(conversation_held, dispatch_uid="plans.conversation_held")
def _conversation_held(sender: Any, *, conversation: Any, **kwargs: Any) -> None:
    """ "The leader marks the conversation held, which starts the plan's 14-day clock": the plan
    exists from then on."""
    writing.plan_for_conversation_held(conversation)


@receiver(conversation_unheld, dispatch_uid="plans.conversation_unheld")
def _conversation_unheld(sender: Any, *, conversation: Any, **kwargs: Any) -> None:
    writing.plan_for_conversation_undone(conversation)


@receiver(outcome_correction_refused, dispatch_uid="plans.outcome_correction_refused")
def _outcome_correction_refused(sender: Any, *, conversation: Any, **kwargs: Any) -> bool:
    """The outcome can be corrected until the employee has started the plan."""
    return writing.plan_started(conversation)


@receiver(answer_withdrawal_refused, dispatch_uid="plans.answer_withdrawal_refused")
def _answer_withdrawal_refused(sender: Any, *, conversation: Any, **kwargs: Any) -> bool:
    """Taking an answer back would reopen an item under a plan already signed."""
    return writing.plan_signed_by_anyone(conversation)


@receiver(later_steps_wanted, dispatch_uid="plans.later_steps_wanted")
def _later_steps_wanted(sender: Any, *, conversation: Any, side: str, **kwargs: Any) -> list[Step]:
    """After the conversation come the plan and its follow-up: their steps, for its page."""
    return plan_steps_of(conversation, side=side)
