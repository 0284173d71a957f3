"""What the rounds' services tell the apps above them, inside the same transaction."""

from django.dispatch import Signal

# A round has been launched and its conversations created: ``round_``. The completion counters
# count the whole round (``samtale.completion.receivers``).
round_launched = Signal()
