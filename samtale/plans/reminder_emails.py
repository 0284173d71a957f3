"""The plan's reminder e-mails, registered with the outbox (imported by ``samtale.plans.emails``).
They carry no confidential text: a link to Samtale instead."""

from __future__ import annotations
