"""Management's goals for a round (docs/domain.md § Before the conversation, step 1): added,
changed, put in order and removed until the round closes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.rounds.models import Round, RoundGoal
from samtale.rounds.services.rounds import check_not_closed
from samtale.rounds.services.texts import clean_text, moved, renumber

MAX_GOALS = 20


@transaction.atomic
def goal_add(*, viewer: Viewer, round_: Round, text: str) -> RoundGoal:
    """ "Management sets direction and goals for the round"
    (docs/domain.md § Before the conversation, step 1)."""
    require_write(round_policies.may_write_goals(viewer))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    check_not_closed(round_)
    text = clean_text(text)
    goals = list(round_.goals.order_by("order", "id"))
    if any(goal.text == text for goal in goals):
        raise ValidationError({"text": _("The round already has this goal.")})
    if len(goals) >= MAX_GOALS:
        raise ValidationError({"text": _("A round has at most %(count)s goals.") % {"count": MAX_GOALS}})
    goal = RoundGoal.objects.create(
        round=round_, text=text, order=(goals[-1].order + 1) if goals else 0, created_by=viewer.person
    )
    audit_record(actor=viewer.user, action="rounds.goal_added", target=round_, data={"goal": str(goal.uuid)})
    return goal


@transaction.atomic
def goal_update(*, viewer: Viewer, goal: RoundGoal, text: str) -> RoundGoal:
    require_write(round_policies.may_write_goals(viewer))
    round_ = Round.objects.select_for_update().get(pk=goal.round_id)
    check_not_closed(round_)
    text = clean_text(text)
    if RoundGoal.objects.filter(round=round_, text=text).exclude(pk=goal.pk).exists():
        raise ValidationError({"text": _("The round already has this goal.")})
    if goal.text != text:
        goal.text = text
        goal.save(update_fields=["text"])
        audit_record(actor=viewer.user, action="rounds.goal_changed", target=round_, data={"goal": str(goal.uuid)})
    return goal


@transaction.atomic
def goal_move(*, viewer: Viewer, goal: RoundGoal, direction: int) -> bool:
    """Move a goal one place up (-1) or down (+1); False when it is already first or last."""
    require_write(round_policies.may_write_goals(viewer))
    round_ = Round.objects.select_for_update().get(pk=goal.round_id)
    check_not_closed(round_)
    ordered = moved(list(round_.goals.order_by("order", "id")), goal, direction)
    if ordered is None:
        return False
    renumber(RoundGoal, ordered)
    audit_record(actor=viewer.user, action="rounds.goals_reordered", target=round_, data={"goal": str(goal.uuid)})
    return True


@transaction.atomic
def goal_remove(*, viewer: Viewer, goal: RoundGoal) -> None:
    require_write(round_policies.may_write_goals(viewer))
    round_ = Round.objects.select_for_update().get(pk=goal.round_id)
    check_not_closed(round_)
    goal.delete()
    renumber(RoundGoal, list(round_.goals.order_by("order", "id")))
    audit_record(actor=viewer.user, action="rounds.goal_removed", target=round_, data={"goal": str(goal.uuid)})
