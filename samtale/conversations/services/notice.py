"""The "must improve" notice: "If the leader judges that performance or behaviour is not acceptable
and must improve, the employee must be told before the conversation" (docs/domain.md § Before the
conversation, step 5). The text is only in Samtale; the e-mail says that there is a notice."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation, ImprovementNotice
from samtale.conversations.services._shared import before_the_conversation, draft, lock, not_started
from samtale.outbox.services import outbox_enqueue_many

NOTICE_MAX_LENGTH = 5000
# The leader is warned when a conversation this close has a "must improve" point drafted and no
# notice given, so that the employee is told before the conversation
# (docs/domain.md § Invitation and reminders).
NOTICE_WARNING_DAYS = 5


@transaction.atomic
def improvement_notice_give(*, viewer: Viewer, conversation: Conversation, text: str) -> ImprovementNotice:
    """ "If the leader judges that performance or behaviour is not acceptable and must improve, the
    employee must be told before the conversation" (docs/domain.md § Before the conversation,
    step 5). The employee is told by e-mail that there is a notice, with a link; the text is only in
    Samtale. The leader may correct it before the conversation, and the employee is told again."""
    require_write(round_policies.may_give_improvement_notice(viewer, conversation))
    now = timezone.now()
    lock(conversation)
    before_the_conversation(conversation)
    not_started(conversation, now=now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what must improve.")})
    if len(text) > NOTICE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("The notice is at most %(max)s characters (this is %(length)s).")
                % {"max": NOTICE_MAX_LENGTH, "length": len(text)}
            }
        )
    notice = ImprovementNotice.objects.filter(conversation=conversation).first()
    if notice is not None and notice.text == text:
        return notice
    changed = notice is not None
    if notice is None:
        notice = ImprovementNotice.objects.create(
            conversation=conversation, text=text, given_by=viewer.person, given_at=now
        )
    else:
        notice.text, notice.given_by, notice.given_at = text, viewer.person, now
        notice.save(update_fields=["text", "given_by", "given_at"])
    audit_record(
        actor=viewer.user,
        action="conversations.improvement_notice_changed" if changed else "conversations.improvement_notice_given",
        target=conversation,
        subject_person_id=conversation.employee_id,
    )
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    employee = conversation.employee
    outbox_enqueue_many(
        messages=[
            draft(
                "conversations.improvement_notice",
                employee,
                {"conversation": conversation.pk, "person": employee.pk, "changed": changed},
                dedupe_key=f"conversations.improvement_notice:{conversation.uuid}:{digest}",
            )
        ]
    )
    return notice
