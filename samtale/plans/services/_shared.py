"""What the plan's services share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samtale.conversations.models import Conversation
from samtale.plans.models import Plan
from samtale.rounds.models import RoundStatus


def check_round_open(plan: Plan) -> None:
    """A closed round is read-only: its plans, progress and follow-ups are kept as they were when HR
    closed it (docs/domain.md § The round ends); what carries over is taken up in the next round."""
    if Conversation.objects.filter(pk=plan.conversation_id, round__status=RoundStatus.CLOSED).exists():
        raise ValidationError(_("The round is closed: the plan can be read, no longer changed."))
