"""What the organisation's services tell the apps above them, inside the same transaction."""

from django.dispatch import Signal

# People moved to another unit or got another leader, by HR's hand or by the import: ``changes``
# (the ``PlacementChange`` rows). The open plans follow the new leader
# (``samtale.plans.receivers``) and the completion counters follow people to their new unit
# (``samtale.completion.receivers``).
placements_changed = Signal()
