"""Who may do what with a development plan and its follow-up (docs/trust.md § Access matrix;
docs/domain.md § After the conversation and § Confidentiality). Plain predicates, deny by default;
each quotes the rule it holds.

"Leader" is the employee's *current* personnel leader: when the employee changes leader, the
new leader gets the plan and its follow-up at once, and the former leader loses every access on
their next request (the relations are derived from the organisation on every request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer

if TYPE_CHECKING:
    from samtale.plans.models import Plan


def _relations(viewer: Viewer, plan: Plan) -> frozenset[Relation]:
    """``plan.employee`` (with its unit) should be loaded."""
    return relations_to(viewer, plan.employee)


def _has(viewer: Viewer, plan: Plan, *relations: Relation) -> bool:
    return bool(_relations(viewer, plan) & set(relations))


def may_view_plan(viewer: Viewer, plan: Plan) -> bool:
    """Development plan, all versions: the employee and the leader read, write and sign; "the
    leader, the department head and the directors (the leader chain) can always read the plan";
    the daily leader and the union representative read it if the employee shares it."""
    relations = _relations(viewer, plan)
    if relations & {Relation.SELF, Relation.PERSONNEL_LEADER, Relation.CHAIN}:
        return True
    if Relation.DAILY_LEADER in relations and plan.shared_with_daily_leader_at is not None:
        return True
    return Relation.UNION_REP in relations and plan.shared_with_union_rep_at is not None


def may_write_plan(viewer: Viewer, plan: Plan) -> bool:
    """ "The employee writes the plan in their own words" — the form is the employee's."""
    return _has(viewer, plan, Relation.SELF)


def may_comment_on_plan(viewer: Viewer, plan: Plan) -> bool:
    """ "The leader can comment and suggest", and asks for changes."""
    return _has(viewer, plan, Relation.PERSONNEL_LEADER)


def may_sign_plan(viewer: Viewer, plan: Plan) -> bool:
    """ "Both sign": the employee and the current personnel leader, each for themself."""
    return _has(viewer, plan, Relation.SELF, Relation.PERSONNEL_LEADER)


def may_share_plan(viewer: Viewer, plan: Plan) -> bool:
    """ "The employee need not hand the plan to anyone but the leader holding the conversation":
    sharing it further is the employee's choice."""
    return _has(viewer, plan, Relation.SELF)


def may_view_progress(viewer: Viewer, plan: Plan) -> bool:
    """Follow-up progress: the employee and the leader read and write; the chain reads."""
    return _has(viewer, plan, Relation.SELF, Relation.PERSONNEL_LEADER, Relation.CHAIN)


def may_record_progress(viewer: Viewer, plan: Plan) -> bool:
    """ "Between conversations the employee and the leader record progress per goal and activity",
    and either can say the plan must be departed from (docs/domain.md § Follow-up)."""
    return _has(viewer, plan, Relation.SELF, Relation.PERSONNEL_LEADER)


def may_call_follow_up(viewer: Viewer, plan: Plan) -> bool:
    """ "The leader … calls and holds the follow-up conversation"
    (docs/domain.md § After the conversation)."""
    return _has(viewer, plan, Relation.PERSONNEL_LEADER)


def may_view_follow_up(viewer: Viewer, plan: Plan) -> bool:
    """The follow-up conversation, like the invitation: the employee, the leader and the chain."""
    return _has(viewer, plan, Relation.SELF, Relation.PERSONNEL_LEADER, Relation.CHAIN)


def may_see_plan_status(viewer: Viewer, plan: Plan) -> bool:
    """Completion status (dates and states, never text): HR for the people it covers, and
    everyone who may read the plan."""
    return _has(viewer, plan, Relation.HR) or may_view_plan(viewer, plan)
