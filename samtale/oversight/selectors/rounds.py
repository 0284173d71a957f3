"""The rounds to follow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from samtale.conversations.models import Conversation, ConversationStatus
from samtale.lib.queries import one_or_none
from samtale.plans.models import FollowUpStatus, Plan
from samtale.rounds.models import Round, RoundStatus


def rounds_for_oversight() -> list[Round]:
    """The rounds that have started: a round being prepared has nothing to follow yet."""
    return list(Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-opens_on", "name"))


def round_for_oversight(*, round_uuid: Any) -> Round | None:
    return one_or_none(
        Round.objects.exclude(status=RoundStatus.DRAFT).filter(uuid=round_uuid), key="oversight.round_for_oversight"
    )


@dataclass(frozen=True)
class OpenEnds:
    """What a round leaves undone when HR closes it (docs/domain.md § The round ends)."""

    not_held: int  # conversations neither held nor marked as not held
    not_signed: int  # plans of held conversations not signed by both
    follow_ups: int  # follow-ups of signed plans not held

    @property
    def any(self) -> bool:
        return bool(self.not_held or self.not_signed or self.follow_ups)


def round_open_ends(*, round_: Round) -> OpenEnds:
    """Three counts, whatever the size of the round."""
    plans = Plan.objects.filter(conversation__round=round_)
    return OpenEnds(
        not_held=Conversation.objects.filter(
            round=round_, status__in=[ConversationStatus.INVITED, ConversationStatus.SCHEDULED]
        ).count(),
        not_signed=plans.filter(signed_at__isnull=True).count(),
        follow_ups=plans.filter(signed_at__isnull=False, follow_up_by__isnull=False)
        .exclude(follow_up__status=FollowUpStatus.HELD)
        .count(),
    )
