"""The launch of a round: a conversation for every participant who has none yet, with their
current personnel leader, and each of them and their leaders told, in bulk. Launching again later
adds only the people who have joined since: nobody gets two."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.signals import round_launched
from samtale.lib.bulk import insert_rows, statistics_refresh
from samtale.org.models import Person
from samtale.outbox.services import Draft, outbox_enqueue_many
from samtale.rounds.models import Round, RoundStatus
from samtale.rounds.selectors.rounds import round_candidates
from samtale.rounds.services.rounds import round_message_build


@dataclass
class LaunchResult:
    created: int
    already: int
    left_out: int


@transaction.atomic
def round_launch(*, viewer: Viewer, round_: Round) -> LaunchResult:
    """Create a conversation for every participant who has none yet, with their current personnel
    leader, and tell them and their leaders, in bulk. Launching again later adds only the people
    who have joined since: nobody gets two."""
    require_write(round_policies.may_manage_rounds(viewer))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.CLOSED:
        raise ValidationError(_("The round is closed."))
    candidates = round_candidates(round_=round_)
    taking_part = [c.person_id for c in candidates if c.takes_part]
    have = set(Conversation.objects.filter(round=round_).values_list("employee_id", flat=True))
    new = [person_id for person_id in taking_part if person_id not in have]
    now = timezone.now()
    insert_rows(
        Conversation,
        [
            {"round_id": round_.pk, "employee_id": person_id, "status": ConversationStatus.INVITED, "created_at": now}
            for person_id in new
        ],
    )
    outbox_enqueue_many(messages=_opening_messages(round_, new))
    if new:
        statistics_refresh(Conversation)
    round_launched.send(sender=Round, round_=round_)
    first = round_.status == RoundStatus.DRAFT
    round_.status = RoundStatus.LAUNCHED
    round_.launched_at = round_.launched_at or now
    round_.save(update_fields=["status", "launched_at"])
    audit_record(
        actor=viewer.user,
        action="rounds.round_launched" if first else "rounds.round_relaunched",
        target=round_,
        data={"created": len(new), "already": len(have)},
    )
    return LaunchResult(created=len(new), already=len(have), left_out=len(candidates) - len(taking_part))


def _opening_messages(round_: Round, person_ids: list[int]) -> list[Draft]:
    """The round opens: each new participant is told, and each of their leaders once."""
    drafts: list[Draft] = []
    leaders: set[int] = set()
    for pk, email, language, leader in _people_rows(person_ids):
        drafts.append(round_message_build("rounds.opened", round_, pk, email, language))
        if leader:
            leaders.add(leader)
    for pk, email, language in Person.objects.filter(pk__in=leaders).values_list("pk", "email", "user__language"):
        drafts.append(round_message_build("rounds.opened_for_team", round_, pk, email, language))
    return drafts


def _people_rows(person_ids: list[int]) -> list[tuple[int, str, str | None, int | None]]:
    """E-mail, language and leader of the people, read in one pass (an IN list of 50,000 ids is
    beyond what SQLite takes in one statement)."""
    wanted = set(person_ids)
    return [
        row
        for row in Person.objects.values_list("pk", "email", "user__language", "personnel_leader_id").iterator(
            chunk_size=5000
        )
        if row[0] in wanted
    ]
