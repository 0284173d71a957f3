"""The plan's e-mail kinds, one module per area, registered with the outbox when the app is ready
(``PlansConfig.ready`` imports this package)."""

from samtale.plans.emails import follow_up, reminders, signing, writing

__all__ = ["follow_up", "reminders", "signing", "writing"]
