"""What the conversations' services tell the apps above them, inside the same transaction."""

from django.dispatch import Signal

# Conversations, their plans or their follow-ups have moved a step (scheduled, held, signed …):
# ``conversation_ids``. Sent by the services of conversations and plans; the completion counters
# recount their units (``samtale.completion.receivers``).
conversations_changed = Signal()

# A round has been launched and its conversations created: ``round_``. The completion counters
# count the whole round (``samtale.completion.receivers``).
round_launched = Signal()
