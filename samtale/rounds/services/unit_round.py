"""The round in a unit (docs/domain.md § Before the conversation, steps 1–2): its leader says
what the goals mean for the unit, writes its focus areas, opens the round in the unit and answers
the topics its employees propose."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.org.models import Person, employed_q
from samtale.outbox.services import outbox_enqueue, outbox_enqueue_many, outbox_message_build
from samtale.rounds.models import FocusArea, ProposalStatus, TopicProposal, UnitRound
from samtale.rounds.services.rounds import check_launched
from samtale.rounds.services.texts import MAX_TEXT, clean_text, moved, renumber

MAX_FOCUS_AREAS = 20
MAX_PROPOSALS_PER_PERSON = 10


def _unit_round_locked(unit_round: UnitRound) -> UnitRound:
    """The round in the unit, created on first use, and locked for the change."""
    if unit_round.pk is None:
        unit_round, _created = UnitRound.objects.get_or_create(round=unit_round.round, unit=unit_round.unit)
    locked = UnitRound.objects.select_for_update().select_related("round", "unit").get(pk=unit_round.pk)
    check_launched(locked.round)
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
    text = clean_text(text)
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
    text = clean_text(text)
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
    ordered = moved(list(unit_round.focus_areas.order_by("order", "id")), focus_area, direction)
    if ordered is None:
        return False
    renumber(FocusArea, ordered)
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
    renumber(FocusArea, list(unit_round.focus_areas.order_by("order", "id")))
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
    text = clean_text(text)
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
