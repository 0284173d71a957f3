"""Where am I: the plan's and the follow-up's steps (``samtale.conversations.selectors.steps``)."""

from __future__ import annotations

from types import EllipsisType

from django.utils.translation import gettext as _

from samtale.conversations.models import Conversation
from samtale.conversations.selectors.steps import CURRENT, DONE, Step, follow_up_step, plan_step
from samtale.lib.formatting import long_date
from samtale.lib.queries import one_or_none
from samtale.plans.models import FollowUp, FollowUpStatus, Plan, PlanStatus


def plan_steps(plan: Plan | None, *, side: str, follow_up: FollowUp | EllipsisType | None = ...) -> list[Step]:
    """The development plan's step and the follow-up's, with what happens next for ``side``
    ("employee" or "leader"): write the plan by its day, read and sign it, call the follow-up by
    the agreed day, hold it (docs/domain.md § The plan; § Follow-up). ``follow_up``: the plan's
    follow-up conversation (or None), when read already."""
    if plan is None:
        return [plan_step(), follow_up_step()]
    if plan.status != PlanStatus.SIGNED:
        due = long_date(plan.due_on)
        if plan.status == PlanStatus.SUBMITTED:
            next_ = (
                _("Read the plan, and sign it or ask for changes.")
                if side == "leader"
                else _("Your leader reads the plan and signs it or asks for changes.")
            )
        else:
            next_ = (
                _("%(name)s writes the development plan, at the latest %(date)s.")
                % {"name": plan.employee.name, "date": due}
                if side == "leader"
                else _("Write your development plan, at the latest %(date)s.") % {"date": due}
            )
        return [plan_step(state=CURRENT, next=next_), follow_up_step()]
    if follow_up is ...:
        follow_up = getattr(plan, "follow_up", None)
    if follow_up is not None and follow_up.status == FollowUpStatus.HELD:
        return [plan_step(state=DONE), follow_up_step(state=DONE)]
    if follow_up is not None and follow_up.status == FollowUpStatus.SCHEDULED and follow_up.starts_at:
        next_ = _("The follow-up conversation is %(when)s.") % {
            "when": long_date(follow_up.starts_at, weekday=True, time=True)
        }
    else:
        by = long_date(plan.follow_up_by) if plan.follow_up_by else ""
        next_ = (
            _("Call the follow-up conversation, to be held at the latest %(date)s.") % {"date": by}
            if side == "leader"
            else _("Your leader calls the follow-up conversation, to be held at the latest %(date)s.") % {"date": by}
        )
    return [plan_step(state=DONE), follow_up_step(state=CURRENT, next=next_)]


def plan_steps_of(conversation: Conversation, *, side: str) -> list[Step]:
    plan = one_or_none(
        Plan.objects.select_related("employee", "follow_up").filter(conversation=conversation),
        key="plans.selectors.steps.plan_steps_of",
    )
    return plan_steps(plan, side=side)
