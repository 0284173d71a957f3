"""Special topics: "Special topics that either side wants to raise must be announced to the other
in good time" (docs/domain.md § Before the conversation, step 3). Either side announces one before
the conversation and may take it back; the other side is told by e-mail, with a link and without
the topic."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation, SpecialTopic
from samtale.conversations.services._shared import before_the_conversation, draft, lock, not_started
from samtale.outbox.services import outbox_enqueue_many

TOPIC_MAX_LENGTH = 2000


@transaction.atomic
def special_topic_raise(*, viewer: Viewer, conversation: Conversation, text: str) -> SpecialTopic:
    """ "Special topics that either side wants to raise must be announced to the other in good time"
    (docs/domain.md § Before the conversation, step 3): before the conversation; the other side is
    told by e-mail, with a link and without the topic."""
    side = round_policies.special_topic_side(viewer, conversation)
    if side is None:
        raise PermissionDenied
    now = timezone.now()
    lock(conversation)
    before_the_conversation(conversation)
    not_started(conversation, now=now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the topic you want to raise.")})
    if len(text) > TOPIC_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("A topic is at most %(max)s characters (this is %(length)s).")
                % {"max": TOPIC_MAX_LENGTH, "length": len(text)}
            }
        )
    existing = SpecialTopic.objects.filter(conversation=conversation, side=side, text=text).first()
    if existing is not None:
        return existing
    topic = SpecialTopic.objects.create(conversation=conversation, side=side, raised_by=viewer.person, text=text)
    audit_record(
        actor=viewer.user,
        action="conversations.topic_raised",
        target=topic,
        subject_person_id=conversation.employee_id,
        data={"conversation": str(conversation.uuid), "side": side},
    )
    other = conversation.employee.personnel_leader if side == "employee" else conversation.employee
    if other is not None:
        outbox_enqueue_many(
            messages=[
                draft(
                    "conversations.topic_raised",
                    other,
                    {"conversation": conversation.pk, "person": other.pk, "side": side},
                    dedupe_key=f"conversations.topic:{topic.uuid}",
                )
            ]
        )
    return topic


@transaction.atomic
def special_topic_withdraw(*, viewer: Viewer, topic: SpecialTopic) -> None:
    """The side that announced a topic may take it back before the conversation."""
    conversation = topic.conversation
    require_write(round_policies.special_topic_side(viewer, conversation) == topic.side)
    now = timezone.now()
    lock(conversation)
    before_the_conversation(conversation)
    not_started(conversation, now=now)
    audit_record(
        actor=viewer.user,
        action="conversations.topic_withdrawn",
        target=topic,
        subject_person_id=conversation.employee_id,
        data={"conversation": str(conversation.uuid), "side": topic.side},
    )
    topic.delete()
