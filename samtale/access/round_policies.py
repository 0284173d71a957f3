"""Who may do what in a round and in a conversation (docs/trust.md § Access matrix and
§ Beyond the matrix; docs/domain.md § Who takes part and § Confidentiality). Plain predicates, deny
by default; each quotes the rule it holds. The organisation's own policies are in ``policies``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from samtale.access.relations import Relation, conversation_relations
from samtale.access.viewer import Viewer

if TYPE_CHECKING:
    from samtale.conversations.models import Conversation, EmployeePreparation
    from samtale.org.models import Unit
    from samtale.rounds.models import Round, TopicProposal, UnitRound


def _has(viewer: Viewer, conversation: Conversation, *relations: Relation) -> bool:
    return bool(conversation_relations(viewer, conversation) & set(relations))


# Rounds ------------------------------------------------------------------------------------------


def may_manage_rounds(viewer: Viewer) -> bool:
    """ "HR creates a round": its concept, dates and units, the participants, the launch. A round
    spans the organisation, so HR covering the whole organisation runs it."""
    return viewer.hr is not None and viewer.hr.whole_organisation


def may_manage_concepts(viewer: Viewer) -> bool:
    """HR copies and edits the concepts, and like the rounds that use them they are for HR covering
    the whole organisation (docs/domain.md § Concepts)."""
    return may_manage_rounds(viewer)


def may_write_goals(viewer: Viewer) -> bool:
    """ "Management sets direction and goals for the round"
    (docs/domain.md § Before the conversation, step 1)."""
    return viewer.management is not None


def leads_unit(viewer: Viewer, unit: Unit) -> bool:
    return any(led.pk == unit.pk for led in viewer.led_units)


def may_lead_unit_round(viewer: Viewer, unit_round: UnitRound) -> bool:
    """ "Each leader turns them into focus areas for their unit and opens the round in the unit";
    the leader also answers the unit's proposed topics."""
    return leads_unit(viewer, unit_round.unit)


def may_view_unit_round(viewer: Viewer, unit_round: UnitRound) -> bool:
    """The round's goals and a unit's focus areas are for everyone in the unit and below it, its
    leaders, and HR: they are the agenda, not anyone's personal data."""
    if viewer.person is None:
        return False
    unit = unit_round.unit
    if viewer.person.unit.path.startswith(unit.path) or may_lead_unit_round(viewer, unit_round):
        return True
    if any(unit.path.startswith(led.path) for led in viewer.led_units):
        return True
    return viewer.hr is not None and viewer.hr.covers(unit)


def may_propose_topic(viewer: Viewer, unit_round: UnitRound) -> bool:
    """ "Employees may propose topics for the unit's conversations" once the leader has opened
    the round in the unit."""
    return (
        viewer.person is not None and unit_round.opened_at is not None and viewer.person.unit_id == unit_round.unit_id
    )


def may_view_proposal(viewer: Viewer, proposal: TopicProposal) -> bool:
    """A proposal is seen by the one who made it and by the unit's leader who answers it."""
    return viewer.person_id == proposal.proposed_by_id or may_lead_unit_round(viewer, proposal.unit_round)


# The conversation: invitation, time and place, agenda ---------------------------------------------


def may_view_conversation(viewer: Viewer, conversation: Conversation) -> bool:
    """ "Invitation, time and place, agenda": the employee, the leader, the leader chain, and the
    daily leader and union representative if invited (docs/trust.md § Access matrix). HR sees the
    status elsewhere."""
    return _has(
        viewer,
        conversation,
        Relation.SELF,
        Relation.PERSONNEL_LEADER,
        Relation.CHAIN,
        Relation.INVITED_DAILY_LEADER,
        Relation.INVITED_UNION_REP,
    )


def may_schedule(viewer: Viewer, conversation: Conversation) -> bool:
    """The leader sets time, place and duration and sends the invitation
    (docs/trust.md § Access matrix: the leader R W, everyone else at most R)."""
    return _has(viewer, conversation, Relation.PERSONNEL_LEADER)


def may_view_special_topics(viewer: Viewer, conversation: Conversation) -> bool:
    """ "Special topics that either side wants to raise must be announced to the other": the two
    sides of the conversation see them."""
    return _has(viewer, conversation, Relation.SELF, Relation.PERSONNEL_LEADER)


def special_topic_side(viewer: Viewer, conversation: Conversation) -> str | None:
    """Which side the viewer raises a topic for, if any."""
    relations = conversation_relations(viewer, conversation)
    if Relation.SELF in relations:
        return "employee"
    if Relation.PERSONNEL_LEADER in relations:
        return "leader"
    return None


def may_view_improvement_notice(viewer: Viewer, conversation: Conversation) -> bool:
    """The "must improve" notice: the employee reads it, the leader writes it, the leader chain
    reads it (docs/trust.md § Access matrix)."""
    return _has(viewer, conversation, Relation.SELF, Relation.PERSONNEL_LEADER, Relation.CHAIN)


def may_give_improvement_notice(viewer: Viewer, conversation: Conversation) -> bool:
    return _has(viewer, conversation, Relation.PERSONNEL_LEADER)


def may_ask_for_daily_leader(viewer: Viewer, conversation: Conversation) -> bool:
    """ "The employee may invite their daily leader (by agreement with the personnel leader)"."""
    return _has(viewer, conversation, Relation.SELF)


def may_decide_on_daily_leader(viewer: Viewer, conversation: Conversation) -> bool:
    return _has(viewer, conversation, Relation.PERSONNEL_LEADER)


def may_bring_union_rep(viewer: Viewer, conversation: Conversation) -> bool:
    """ "It is the employee's decision; they must tell the leader in good time"."""
    return _has(viewer, conversation, Relation.SELF)


def may_summon_union_rep(viewer: Viewer, conversation: Conversation) -> bool:
    """ "… and the leader summons the representative"."""
    return _has(viewer, conversation, Relation.PERSONNEL_LEADER)


# Preparation -----------------------------------------------------------------------------------


def may_edit_employee_preparation(viewer: Viewer, conversation: Conversation) -> bool:
    """The employee's preparation form is theirs alone to write (docs/trust.md § Access matrix: only
    the employee has W)."""
    return _has(viewer, conversation, Relation.SELF)


def may_view_employee_preparation(
    viewer: Viewer, conversation: Conversation, preparation: EmployeePreparation | None
) -> bool:
    """ "The employee need not hand their preparation form to the leader": the leader reads it
    only if shared, and so does an invited union representative it is shared with. Nobody else,
    and nobody learns whether it is filled in unless it is shared."""
    relations = conversation_relations(viewer, conversation)
    if Relation.SELF in relations:
        return True
    if preparation is None:
        return False
    if Relation.PERSONNEL_LEADER in relations and preparation.shared_with_leader_at is not None:
        return True
    return Relation.INVITED_UNION_REP in relations and preparation.shared_with_union_rep_at is not None


def may_use_leader_preparation(viewer: Viewer, conversation: Conversation) -> bool:
    """The leader's preparation form is private to the leader (docs/trust.md § Access matrix: the
    leader R W, no one else anything)."""
    return _has(viewer, conversation, Relation.PERSONNEL_LEADER)


# The meeting ------------------------------------------------------------------------------------


def _leader_may_have_minutes(viewer: Viewer, conversation: Conversation) -> bool:
    """ "Minutes of earlier conversations pass to the new leader only if the employee agrees"
    (docs/trust.md § Leader change): the current personnel leader has the minutes of a conversation
    not yet held, of one they held themselves, and of one the employee has agreed to pass on to
    them."""
    from samtale.conversations.models import ConversationStatus, MinutesConsent

    if not _has(viewer, conversation, Relation.PERSONNEL_LEADER):
        return False
    if conversation.status != ConversationStatus.HELD or conversation.held_with_id == viewer.person_id:
        return True
    key = ("minutes_consent", conversation.pk)
    if key not in viewer.cache:
        viewer.cache[key] = MinutesConsent.objects.filter(
            conversation_id=conversation.pk, leader_id=viewer.person_id
        ).exists()
    return bool(viewer.cache[key])


def may_edit_minutes(viewer: Viewer, conversation: Conversation) -> bool:
    """Minutes: the employee and the leader read and write them (docs/trust.md § Access matrix); a
    leader who did not hold a conversation that is over only with the employee's consent."""
    return _has(viewer, conversation, Relation.SELF) or _leader_may_have_minutes(viewer, conversation)


def may_view_minutes(viewer: Viewer, conversation: Conversation) -> bool:
    """… and the daily leader and union representative read them if invited to that meeting."""
    if _has(viewer, conversation, Relation.SELF, Relation.INVITED_DAILY_LEADER, Relation.INVITED_UNION_REP):
        return True
    return _leader_may_have_minutes(viewer, conversation)


def may_record_outcome(viewer: Viewer, conversation: Conversation) -> bool:
    """ "The leader marks the conversation held (or not held, with a reason)"."""
    return _has(viewer, conversation, Relation.PERSONNEL_LEADER)


def may_use_open_items(viewer: Viewer, conversation: Conversation) -> bool:
    """Open items are agreed between the two in the conversation."""
    return _has(viewer, conversation, Relation.SELF, Relation.PERSONNEL_LEADER)


# The round, from the goals to the proposed topics (docs/domain.md § The round) -----------------


def _round_unit_paths(round_: Round) -> list[str]:
    # ``round_.units`` is prefetched by the lookups, so this asks the database at most once.
    return [unit.path for unit in round_.units.all()]


def in_round(round_: Round, unit: Unit) -> bool:
    """A unit takes part when it is one of the round's units or below one of them."""
    return any(unit.path.startswith(path) for path in _round_unit_paths(round_))


def may_view_round(viewer: Viewer, round_: Round) -> bool:
    """ "Management sets direction and goals for the round" and HR creates it: both see it while it
    is being prepared. Once launched, everyone taking part reads the goals
    (docs/domain.md § The round): the people in the round's units, the leaders of those units and of
    the units above them, and HR covering a part of it."""
    if may_manage_rounds(viewer) or may_write_goals(viewer):
        return True
    if viewer.person is None or round_.status == "draft":
        return False
    paths = _round_unit_paths(round_)
    if any(viewer.person.unit.path.startswith(path) for path in paths):
        return True
    if any(led.path.startswith(path) or path.startswith(led.path) for led in viewer.led_units for path in paths):
        return True
    if viewer.hr is not None:
        return viewer.hr.whole_organisation or any(
            mine.startswith(path) or path.startswith(mine) for mine in viewer.hr.unit_paths for path in paths
        )
    return False


def may_open_unit_round(viewer: Viewer, unit_round: UnitRound) -> bool:
    """ "The leader opens the round in the unit by presenting the goals and what they mean"."""
    return may_lead_unit_round(viewer, unit_round)


def may_propose_topic_in(viewer: Viewer, unit_round: UnitRound) -> bool:
    """ "Employees may propose topics for the unit's conversations", which the leader answers: the
    unit's own leader answers them and does not propose to themselves."""
    return may_propose_topic(viewer, unit_round) and not may_lead_unit_round(viewer, unit_round)


def may_answer_proposal(viewer: Viewer, proposal: TopicProposal) -> bool:
    """ "… which the leader accepts or declines with a word of why"."""
    return may_lead_unit_round(viewer, proposal.unit_round)


# Invitation and scheduling (docs/domain.md § Invitation and reminders) --------------------------


def may_lay_out_slots(viewer: Viewer) -> bool:
    """The personnel leader books the conversations "one at a time or by laying out slots for the
    team" (docs/domain.md § Invitation and reminders): anyone who is personnel leader for someone;
    the page offers only their own team's conversations, each of which ``may_schedule`` still
    checks."""
    return viewer.person is not None and viewer.has_reports
