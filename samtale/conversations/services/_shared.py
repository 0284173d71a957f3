"""What every change before the conversation shares (its time and place, special topics, the
"must improve" notice, who attends): the row lock, the checks that it is still before the
conversation, and an e-mail draft to one person. Private to the services of this package.

Every such service checks the policy (``samtale.access.round_policies``), locks the conversation,
checks the transition, changes with ``update_fields``, writes the audit event and puts the e-mail
in the outbox, all in one transaction. Doing the same thing twice (a form posted twice) changes
nothing and sends nothing the second time; the outbox's dedupe keys make sure of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samtale.conversations.models import Conversation, ConversationStatus
from samtale.org.models import Person
from samtale.outbox.services import Draft, outbox_message_build
from samtale.rounds.models import RoundStatus

# The fields the changes before the conversation read and write; reloaded under the row lock.
_LOCKED_FIELDS = [
    "status",
    "starts_at",
    "duration_minutes",
    "location",
    "online_url",
    "calendar_sequence",
    "invitation_sent_at",
    "daily_leader",
    "daily_leader_status",
    "union_rep",
    "union_rep_status",
]


def lock(conversation: Conversation) -> None:
    """Lock the conversation's row and reload what a change here depends on, so that two
    requests at once (a double click) see each other's result instead of both acting."""
    Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk").first()
    conversation.refresh_from_db(fields=_LOCKED_FIELDS)


def before_the_conversation(conversation: Conversation) -> None:
    """Time, topics, the notice and attendees are settled before the conversation, not after."""
    if conversation.status in (ConversationStatus.HELD, ConversationStatus.NOT_HELD):
        raise ValidationError(_("The conversation is over: this can no longer be changed."))
    if conversation.round.status != RoundStatus.LAUNCHED:
        raise ValidationError(_("The round is closed: this can no longer be changed."))


def not_started(conversation: Conversation, *, now: datetime) -> None:
    if conversation.starts_at is not None and conversation.starts_at <= now:
        raise ValidationError(_("The conversation has begun: this must be done before it."))


def draft(kind: str, person: Person, context: dict[str, Any], *, dedupe_key: str) -> Draft:
    return outbox_message_build(
        kind=kind, to_email=person.email, language=person.account_language, context=context, dedupe_key=dedupe_key
    )
