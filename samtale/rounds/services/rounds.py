"""Changes to rounds: HR creates and edits one (the launch, which invites everyone, is
``samtale.conversations.services.invitation``); management writes its goals; each
unit's leader writes the unit's focus areas, opens the round in the unit and answers the topics
its employees propose.

Each service checks the policy (``samtale.access.round_policies``), changes inside one
transaction, writes the audit event, and puts any e-mail in the outbox in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.org.models import Person, RoleKind, Unit, employed_q
from samtale.outbox.services import Draft, outbox_enqueue, outbox_enqueue_many, outbox_message_build
from samtale.rounds.models import (
    Concept,
    FocusArea,
    ProposalStatus,
    Round,
    RoundGoal,
    RoundStatus,
    TopicProposal,
    UnitRound,
)


def _check_dates(opens_on: date, held_by: date) -> None:
    if held_by < opens_on:
        raise ValidationError({"held_by": _("The conversations cannot be due before the round opens.")})


def _topmost(units: Iterable[Unit]) -> list[Unit]:
    """The chosen units without those below another chosen unit: each takes part with every unit
    below it anyway."""
    chosen = sorted({unit.pk: unit for unit in units}.values(), key=lambda unit: unit.path)
    kept: list[Unit] = []
    for unit in chosen:
        if not any(unit.path.startswith(top.path) for top in kept):
            kept.append(unit)
    return kept


def _check_round_fields(*, name: str, concept: Concept, units: list[Unit], exclude: Round | None = None) -> None:
    if not name:
        raise ValidationError({"name": _("Give the round a name.")})
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    if not concept.is_current:
        raise ValidationError({"concept": _("Choose the current version of the concept.")})
    same_name = Round.objects.filter(name__iexact=name)
    if exclude is not None:
        same_name = same_name.exclude(pk=exclude.pk)
    if same_name.exists():
        raise ValidationError({"name": _("There is already a round called %(name)s.") % {"name": name}})


@transaction.atomic
def round_create(
    *,
    viewer: Viewer,
    name: str,
    concept: Concept,
    opens_on: date,
    held_by: date,
    units: Iterable[Unit],
) -> Round:
    """HR creates a round: its name, concept, dates and the units taking part (each with every
    unit below it). Dates in the past are the form's concern: scripts may build past rounds."""
    require_write(round_policies.may_manage_rounds(viewer))
    _check_dates(opens_on, held_by)
    name = name.strip()
    units = _topmost(units)
    _check_round_fields(name=name, concept=concept, units=units)
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                name=name, concept=concept, opens_on=opens_on, held_by=held_by, created_by=viewer.user
            )
    except IntegrityError:
        # Someone created a round of that name at the same moment (a form posted twice).
        raise ValidationError({"name": _("There is already a round called %(name)s.") % {"name": name}}) from None
    round_.units.set(units)
    audit_record(
        actor=viewer.user,
        action="rounds.round_created",
        target=round_,
        data={"name": round_.name, "units": [unit.code for unit in units]},
    )
    outbox_enqueue_many(messages=_goals_wanted_messages(round_))
    return round_


def round_message_build(kind: str, round_: Round, pk: int, email: str, language: str | None) -> Draft:
    """An e-mail to one person about the round, once per round and person."""
    return outbox_message_build(
        kind=kind,
        to_email=email,
        language=language or "da",
        context={"round": round_.pk, "person": pk},
        dedupe_key=f"{kind}:{round_.pk}:{pk}",
    )


def _goals_wanted_messages(round_: Round) -> list[Draft]:
    """A new round needs the management's goals before it is launched: everyone in management is
    told, once per round."""
    return [
        round_message_build("rounds.goals_wanted", round_, pk, email, language)
        for pk, email, language in Person.objects.employed()
        .filter(roles__kind=RoleKind.MANAGEMENT)
        .exclude(email="")
        .values_list("pk", "email", "user__language")
    ]


@transaction.atomic
def round_update(
    *, viewer: Viewer, round_: Round, name: str, concept: Concept, opens_on: date, held_by: date, units: Iterable[Unit]
) -> Round:
    """HR changes a round while it is being prepared; once launched, its people have been told its
    dates, so it stays as it is."""
    require_write(round_policies.may_manage_rounds(viewer))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(_("The round has been launched and can no longer be changed."))
    _check_dates(opens_on, held_by)
    name = name.strip()
    units = _topmost(units)
    _check_round_fields(name=name, concept=concept, units=units, exclude=round_)
    before = {
        "name": round_.name,
        "concept": round_.concept_id,
        "opens_on": str(round_.opens_on),
        "held_by": str(round_.held_by),
        "units": sorted(round_.units.values_list("code", flat=True)),
    }
    round_.name, round_.concept, round_.opens_on, round_.held_by = name, concept, opens_on, held_by
    try:
        with transaction.atomic():
            round_.save(update_fields=["name", "concept", "opens_on", "held_by"])
    except IntegrityError:
        raise ValidationError({"name": _("There is already a round called %(name)s.") % {"name": name}}) from None
    round_.units.set(units)
    after = {
        "name": name,
        "concept": concept.pk,
        "opens_on": str(opens_on),
        "held_by": str(held_by),
        "units": sorted(unit.code for unit in units),
    }
    changed = {key: {"from": before[key], "to": after[key]} for key in before if before[key] != after[key]}
    if changed:
        audit_record(actor=viewer.user, action="rounds.round_changed", target=round_, data=changed)
    return round_


# The goals, the round in each unit, and the proposed topics (docs/domain.md § The round) ---------

MAX_GOALS = 20
MAX_FOCUS_AREAS = 20
MAX_PROPOSALS_PER_PERSON = 10
MAX_TEXT = 2000


def _check_not_closed(round_: Round) -> None:
    if round_.status == RoundStatus.CLOSED:
        raise ValidationError(_("The round is closed."))


def _check_launched(round_: Round) -> None:
    _check_not_closed(round_)
    if round_.status != RoundStatus.LAUNCHED:
        raise ValidationError(_("The round has not been launched yet."))


def _clean_text(text: str, *, field: str = "text", limit: int = MAX_TEXT) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("Keep it to %(limit)s characters; this is %(length)s.") % {"limit": limit, "length": len(text)}}
        )
    return text


def _renumber(model: type[RoundGoal] | type[FocusArea], ordered: list[Any]) -> None:
    """Give the rows the orders 0, 1, 2 … in the given sequence, writing only those that move."""
    for index, row in enumerate(ordered):
        if row.order != index:
            row.order = index
            model.objects.filter(pk=row.pk).update(order=index)


def _moved(rows: list[Any], row: Any, direction: int) -> list[Any] | None:
    position = next(i for i, other in enumerate(rows) if other.pk == row.pk)
    target = position + direction
    if not 0 <= target < len(rows):
        return None
    rows[position], rows[target] = rows[target], rows[position]
    return rows


@transaction.atomic
def goal_add(*, viewer: Viewer, round_: Round, text: str) -> RoundGoal:
    """ "Management sets direction and goals for the round"
    (docs/domain.md § Before the conversation, step 1)."""
    require_write(round_policies.may_write_goals(viewer))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _check_not_closed(round_)
    text = _clean_text(text)
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
    _check_not_closed(round_)
    text = _clean_text(text)
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
    _check_not_closed(round_)
    ordered = _moved(list(round_.goals.order_by("order", "id")), goal, direction)
    if ordered is None:
        return False
    _renumber(RoundGoal, ordered)
    audit_record(actor=viewer.user, action="rounds.goals_reordered", target=round_, data={"goal": str(goal.uuid)})
    return True


@transaction.atomic
def goal_remove(*, viewer: Viewer, goal: RoundGoal) -> None:
    require_write(round_policies.may_write_goals(viewer))
    round_ = Round.objects.select_for_update().get(pk=goal.round_id)
    _check_not_closed(round_)
    goal.delete()
    _renumber(RoundGoal, list(round_.goals.order_by("order", "id")))
    audit_record(actor=viewer.user, action="rounds.goal_removed", target=round_, data={"goal": str(goal.uuid)})


def _unit_round_locked(unit_round: UnitRound) -> UnitRound:
    """The round in the unit, created on first use, and locked for the change."""
    if unit_round.pk is None:
        unit_round, _created = UnitRound.objects.get_or_create(round=unit_round.round, unit=unit_round.unit)
    locked = UnitRound.objects.select_for_update().select_related("round", "unit").get(pk=unit_round.pk)
    _check_launched(locked.round)
    return locked


def _lead(viewer: Viewer, unit_round: UnitRound) -> UnitRound:
    require_write(round_policies.may_lead_unit_round(viewer, unit_round))
    return _unit_round_locked(unit_round)


@transaction.atomic
def unit_round_set_introduction(*, viewer: Viewer, unit_round: UnitRound, introduction: str) -> UnitRound:
    """What the round's goals mean for the unit, in its leader's words."""
    unit_round = _lead(viewer, unit_round)
    introduction = introduction.strip()
    if len(introduction) > 5000:
        raise ValidationError(
            {
                "introduction": _("Keep it to %(limit)s characters; this is %(length)s.")
                % {"limit": 5000, "length": len(introduction)}
            }
        )
    if unit_round.introduction != introduction:
        unit_round.introduction = introduction
        unit_round.save(update_fields=["introduction"])
        audit_record(actor=viewer.user, action="rounds.unit_round_introduction_saved", target=unit_round)
    return unit_round


@transaction.atomic
def focus_area_add(*, viewer: Viewer, unit_round: UnitRound, text: str) -> FocusArea:
    """ "Each leader turns them into focus areas for their unit"
    (docs/domain.md § Before the conversation, step 1)."""
    unit_round = _lead(viewer, unit_round)
    text = _clean_text(text)
    areas = list(unit_round.focus_areas.order_by("order", "id"))
    if any(area.text == text for area in areas):
        raise ValidationError({"text": _("The unit already has this focus area.")})
    if len(areas) >= MAX_FOCUS_AREAS:
        raise ValidationError({"text": _("A unit has at most %(count)s focus areas.") % {"count": MAX_FOCUS_AREAS}})
    area = FocusArea.objects.create(
        unit_round=unit_round, text=text, order=(areas[-1].order + 1) if areas else 0, created_by=viewer.person
    )
    audit_record(
        actor=viewer.user, action="rounds.focus_area_added", target=unit_round, data={"focus_area": str(area.uuid)}
    )
    return area


@transaction.atomic
def focus_area_update(*, viewer: Viewer, focus_area: FocusArea, text: str) -> FocusArea:
    unit_round = _lead(viewer, focus_area.unit_round)
    text = _clean_text(text)
    if FocusArea.objects.filter(unit_round=unit_round, text=text).exclude(pk=focus_area.pk).exists():
        raise ValidationError({"text": _("The unit already has this focus area.")})
    if focus_area.text != text:
        focus_area.text = text
        focus_area.save(update_fields=["text"])
        audit_record(
            actor=viewer.user,
            action="rounds.focus_area_changed",
            target=unit_round,
            data={"focus_area": str(focus_area.uuid)},
        )
    return focus_area


@transaction.atomic
def focus_area_move(*, viewer: Viewer, focus_area: FocusArea, direction: int) -> bool:
    unit_round = _lead(viewer, focus_area.unit_round)
    ordered = _moved(list(unit_round.focus_areas.order_by("order", "id")), focus_area, direction)
    if ordered is None:
        return False
    _renumber(FocusArea, ordered)
    audit_record(
        actor=viewer.user,
        action="rounds.focus_areas_reordered",
        target=unit_round,
        data={"focus_area": str(focus_area.uuid)},
    )
    return True


@transaction.atomic
def focus_area_remove(*, viewer: Viewer, focus_area: FocusArea) -> None:
    unit_round = _lead(viewer, focus_area.unit_round)
    focus_area.delete()
    _renumber(FocusArea, list(unit_round.focus_areas.order_by("order", "id")))
    audit_record(
        actor=viewer.user,
        action="rounds.focus_area_removed",
        target=unit_round,
        data={"focus_area": str(focus_area.uuid)},
    )


@transaction.atomic
def unit_round_open(*, viewer: Viewer, unit_round: UnitRound) -> int:
    """ "The leader opens the round in the unit by presenting the goals and what they mean;
    employees may propose topics" (docs/domain.md § Before the conversation, step 2). The unit's
    participants are told by e-mail, with a link and no text of the focus areas. Returns how many
    were told; opening twice tells nobody twice."""
    require_write(round_policies.may_open_unit_round(viewer, unit_round))
    unit_round = _unit_round_locked(unit_round)
    if unit_round.opened_at is not None:
        raise ValidationError(_("The round is already open in the unit."))
    if not unit_round.focus_areas.exists():
        raise ValidationError(_("Write at least one focus area first: it is what the unit's conversations start from."))
    assert viewer.person is not None  # a unit's leader is a person
    unit_round.opened_at = timezone.now()
    unit_round.opened_by = viewer.person
    unit_round.save(update_fields=["opened_at", "opened_by"])
    # The unit's own people who take part in the round: they are the ones who may propose topics.
    recipients = (
        Person.objects.filter(unit=unit_round.unit, conversations__round=unit_round.round)
        .filter(employed_q())
        .exclude(pk=viewer.person.pk)
        .values_list("pk", "email", "user__language")
    )
    drafts = [
        outbox_message_build(
            kind="rounds.unit_opened",
            to_email=email,
            language=language or "da",
            context={"unit_round": unit_round.pk, "person": pk},
            dedupe_key=f"rounds.unit_opened:{unit_round.pk}:{pk}",
        )
        for pk, email, language in recipients
    ]
    outbox_enqueue_many(messages=drafts)
    audit_record(actor=viewer.user, action="rounds.unit_round_opened", target=unit_round, data={"told": len(drafts)})
    return len(drafts)


@transaction.atomic
def topic_propose(*, viewer: Viewer, unit_round: UnitRound, text: str) -> TopicProposal:
    """ "Employees may propose topics for the unit's conversations" once the round is open in
    their unit."""
    require_write(unit_round.pk is not None and round_policies.may_propose_topic_in(viewer, unit_round))
    assert viewer.person is not None
    unit_round = _unit_round_locked(unit_round)
    text = _clean_text(text)
    mine = list(TopicProposal.objects.filter(unit_round=unit_round, proposed_by=viewer.person))
    if any(proposal.text == text for proposal in mine):
        raise ValidationError({"text": _("You have already proposed this topic.")})
    if len(mine) >= MAX_PROPOSALS_PER_PERSON:
        raise ValidationError(
            {"text": _("You can propose at most %(count)s topics in a round.") % {"count": MAX_PROPOSALS_PER_PERSON}}
        )
    proposal = TopicProposal.objects.create(unit_round=unit_round, proposed_by=viewer.person, text=text)
    audit_record(actor=viewer.user, action="rounds.topic_proposed", target=proposal, subject_person_id=viewer.person.pk)
    return proposal


@transaction.atomic
def proposal_answer(
    *, viewer: Viewer, proposal: TopicProposal, accept: bool, answer: str, add_as_focus_area: bool = False
) -> TopicProposal:
    """The leader "accepts or declines with a word of why": the word is required when declining.
    The proposer is told by e-mail, with a link to read the answer. An answer is final, so a form
    posted twice answers once."""
    require_write(round_policies.may_answer_proposal(viewer, proposal))
    unit_round = _unit_round_locked(proposal.unit_round)
    proposal = TopicProposal.objects.select_for_update().select_related("proposed_by").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("This topic has already been answered."))
    answer = answer.strip()
    if not accept and not answer:
        raise ValidationError({"answer": _("Say in a few words why the topic is declined.")})
    if len(answer) > MAX_TEXT:
        raise ValidationError(
            {
                "answer": _("Keep it to %(limit)s characters; this is %(length)s.")
                % {"limit": MAX_TEXT, "length": len(answer)}
            }
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.answer = answer
    proposal.answered_by = viewer.person
    proposal.answered_at = timezone.now()
    proposal.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    if accept and add_as_focus_area and not unit_round.focus_areas.filter(text=proposal.text).exists():
        focus_area_add(viewer=viewer, unit_round=unit_round, text=proposal.text)
    proposer = proposal.proposed_by
    outbox_enqueue(
        kind="rounds.proposal_answered",
        to_email=proposer.email,
        language=(proposer.user.language if proposer.user else "") or "da",
        context={"proposal": proposal.pk},
        dedupe_key=f"rounds.proposal_answered:{proposal.pk}",
    )
    audit_record(
        actor=viewer.user,
        action="rounds.proposal_answered",
        target=proposal,
        subject_person_id=proposer.pk,
        data={"status": proposal.status},
    )
    return proposal
