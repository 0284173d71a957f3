"""Reads around the conversation itself: the two preparations and their questions, the phases of
the guide, the minutes and the open items. The views ask the policy first (``samtale.access``);
these only fetch."""

from __future__ import annotations

from uuid import UUID

from samtale.conversations.models import Conversation, EmployeePreparation, LeaderPreparation, Minutes, OpenItem
from samtale.lib.queries import one_or_none
from samtale.rounds.models import ConceptPhase, PreparationQuestion


def employee_preparation_of(*, conversation: Conversation) -> EmployeePreparation | None:
    return one_or_none(
        EmployeePreparation.objects.filter(conversation=conversation),
        key="conversations.selectors.meeting.employee_preparation_of",
    )


def leader_preparation_of(*, conversation: Conversation) -> LeaderPreparation | None:
    return one_or_none(
        LeaderPreparation.objects.filter(conversation=conversation),
        key="conversations.selectors.meeting.leader_preparation_of",
    )


def preparation_questions(*, conversation: Conversation, form: str) -> list[PreparationQuestion]:
    """The questions of the employee's or the leader's preparation form, in the concept's order."""
    return list(
        PreparationQuestion.objects.filter(concept_id=conversation.round.concept_id, form=form).order_by("order")
    )


def phases_of(*, conversation: Conversation) -> list[ConceptPhase]:
    return list(ConceptPhase.objects.filter(concept_id=conversation.round.concept_id).order_by("order"))


def minutes_of(*, conversation: Conversation) -> Minutes | None:
    return one_or_none(
        Minutes.objects.select_related("updated_by").filter(conversation=conversation),
        key="conversations.selectors.meeting.minutes_of",
    )


def open_items_of(*, conversation: Conversation) -> list[OpenItem]:
    return list(OpenItem.objects.filter(conversation=conversation).order_by("deadline", "id"))


def open_item_of(*, conversation: Conversation, item_uuid: UUID | str) -> OpenItem | None:
    item = one_or_none(
        OpenItem.objects.filter(conversation=conversation, uuid=item_uuid),
        key="conversations.selectors.meeting.open_item_of",
    )
    if item is not None:
        item.conversation = conversation  # already looked up with what the policies need
    return item
