"""What the conversations' services tell the apps above them, inside the same transaction."""

from typing import Any

from django.dispatch import Signal

# Conversations, their plans or their follow-ups have moved a step (scheduled, held, signed …):
# ``conversation_ids``. Sent by the services of conversations and plans; the completion counters
# recount their units (``samtale.completion.receivers``).
conversations_changed = Signal()

# A round has been launched and its conversations created: ``round_``. The completion counters
# count the whole round (``samtale.completion.receivers``).
round_launched = Signal()

# The conversation has been marked held (or its day corrected): ``conversation``. The plan is
# opened, due the concept's number of days after it (``samtale.plans.receivers``).
conversation_held = Signal()

# The outcome was corrected to "not held", or undone: ``conversation``. The empty plan goes with it.
conversation_unheld = Signal()

# Questions the conversations' services ask the apps above before a change, answered by receivers
# that return True to refuse it (``refused_by_any``):
# - may the outcome of ``conversation`` still be corrected? Not once the employee has started the
#   plan (the plans app answers);
outcome_correction_refused = Signal()
# - may the answer to an open item of ``conversation`` be taken back? Not under a signed plan.
answer_withdrawal_refused = Signal()


def refused_by_any(signal: Signal, **kwargs: Any) -> bool:
    """Whether any receiver of the question refuses."""
    return any(answer for _receiver, answer in signal.send(sender=None, **kwargs))


# What comes after the conversation, asked for the steps its page shows: ``conversation`` (held)
# and ``side`` ("employee", "leader" or ""). The plans app answers with the plan's and the
# follow-up's steps (``samtale.conversations.selectors.steps.Step``), in order.
later_steps_wanted = Signal()
