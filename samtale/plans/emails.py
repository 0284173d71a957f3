"""Registers the plan's e-mail kinds with the outbox, one module per area."""

from samtale.plans import follow_up_emails, reminder_emails, signing_emails, writing_emails

__all__ = ["follow_up_emails", "reminder_emails", "signing_emails", "writing_emails"]
