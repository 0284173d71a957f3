"""Writes of the completion overview: HR's reminder to the leaders of late conversations, and the
round's close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.outbox.models import OutboxMessage
from samtale.outbox.services import outbox_enqueue_many, outbox_message_build
from samtale.oversight.selectors.nudges import leaders_of_late_conversations
from samtale.oversight.selectors.rounds import round_open_ends
from samtale.oversight.selectors.scope import hr_scope
from samtale.rounds.models import Round, RoundStatus

NUDGE = "oversight.nudge"


@dataclass(frozen=True)
class NudgeResult:
    leaders: int  # the leaders with late conversations in the scope
    sent: int  # of those, the ones not reminded already today


def may_nudge(viewer: Viewer) -> bool:
    """Completion status is for HR "per person and per unit" (docs/trust.md § Access matrix), and
    "HR reminds the leaders of late conversations from the overview"
    (docs/domain.md § Completion overview)."""
    return viewer.hr is not None and viewer.person is not None


def nudge_key(*, round_: Round, leader_id: int, today: date) -> str:
    return f"{NUDGE}:{round_.pk}:{leader_id}:{today.isoformat()}"


def leaders_nudge(*, viewer: Viewer, round_: Round, today: date | None = None) -> NudgeResult:
    """One e-mail per leader of a conversation in HR's coverage not held by the round's deadline,
    at most once a day per round and leader: it holds a link, never names or content."""
    if not may_nudge(viewer):
        raise PermissionDenied
    # Only the leaders of the people HR covers, also when the HR consultant leads a team too.
    scope = hr_scope(viewer)
    assert scope is not None  # may_nudge
    today = today or timezone.localdate()
    with transaction.atomic():
        leaders = leaders_of_late_conversations(round_=round_, scope=scope, today=today)
        keys = {
            leader.person_id: nudge_key(round_=round_, leader_id=leader.person_id, today=today) for leader in leaders
        }
        already = set(OutboxMessage.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
        drafts = [
            outbox_message_build(
                kind=NUDGE,
                to_email=leader.email,
                language=leader.language or settings.LANGUAGE_CODE,
                context={"round": round_.pk, "person": leader.person_id},
                dedupe_key=keys[leader.person_id],
            )
            for leader in leaders
            if keys[leader.person_id] not in already
        ]
        outbox_enqueue_many(messages=drafts)
        audit_record(
            actor=viewer.user,
            action=NUDGE,
            target=round_,
            data={"leaders": len(leaders), "sent": len(drafts), "on": today.isoformat()},
        )
    return NudgeResult(leaders=len(leaders), sent=len(drafts))


@transaction.atomic
def round_close(*, viewer: Viewer, round_: Round, despite_follow_ups: bool = False, today: date | None = None) -> Round:
    """HR closes a round once its held-by date has passed (docs/domain.md § The round ends). Its
    reminders stop, its completion figures stay as they were, its conversations and plans become
    read-only, and the retention clocks that count from the close start (docs/trust.md § Erasure
    and retention). Refused while follow-ups of signed plans are not held, unless HR says so."""
    require_write(round_policies.may_manage_rounds(viewer))
    today = today or timezone.localdate()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.LAUNCHED:
        raise ValidationError(_("Only a launched round is closed; this one is not under way."))
    if round_.held_by >= today:
        raise ValidationError(
            _("The round is closed after its conversations are held: on %(day)s at the earliest.")
            % {"day": date_format(round_.held_by + timedelta(days=1), "DATE_FORMAT")}
        )
    open_ends = round_open_ends(round_=round_)
    if open_ends.follow_ups and not despite_follow_ups:
        raise ValidationError(
            ngettext(
                "%(count)d follow-up of a signed plan is not held yet. Close the round anyway only if it "
                "will not be held in this round.",
                "%(count)d follow-ups of signed plans are not held yet. Close the round anyway only if "
                "they will not be held in this round.",
                open_ends.follow_ups,
            )
            % {"count": open_ends.follow_ups}
        )
    round_.status, round_.closed_at, round_.closed_by = RoundStatus.CLOSED, timezone.now(), viewer.user
    round_.save(update_fields=["status", "closed_at", "closed_by"])
    audit_record(
        actor=viewer.user,
        action="rounds.round_closed",
        target=round_,
        data={"not_held": open_ends.not_held, "not_signed": open_ends.not_signed, "follow_ups": open_ends.follow_ups},
    )
    return round_
