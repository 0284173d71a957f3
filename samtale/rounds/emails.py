"""The round's e-mails. They carry no confidential text: a link to Samtale instead."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage
from samtale.rounds.models import Round, RoundStatus, TopicProposal, UnitRound


def _round_and_person(message: OutboxMessage) -> tuple[Round, Person] | None:
    round_ = Round.objects.select_related("concept").filter(pk=message.context.get("round")).first()
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if round_ is None or person is None or not person.is_employed():
        return None
    return round_, person


@register("rounds.opened")
def round_opened(message: OutboxMessage) -> EmailMultiAlternatives | None:
    found = _round_and_person(message)
    if found is None:
        return None
    round_, person = found
    context = {"round": round_, "person": person, "link": settings.BASE_URL + reverse("dashboards:home")}
    return render_email("emails/round_opened", context, to=message.to_email)


@register("rounds.opened_for_team")
def round_opened_for_team(message: OutboxMessage) -> EmailMultiAlternatives | None:
    found = _round_and_person(message)
    if found is None:
        return None
    round_, person = found
    context = {"round": round_, "person": person, "link": settings.BASE_URL + reverse("dashboards:team")}
    return render_email("emails/round_opened_for_team", context, to=message.to_email)


@register("rounds.goals_wanted")
def goals_wanted(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """HR has created a round: management writes its strategic goals before it is launched. Sent
    only while the round is still being prepared."""
    found = _round_and_person(message)
    if found is None or found[0].status != RoundStatus.DRAFT:
        return None
    round_, person = found
    link = settings.BASE_URL + reverse("rounds:goals", kwargs={"round_uuid": round_.uuid})
    return render_email(
        "emails/round_goals_wanted", {"round": round_, "person": person, "link": link}, to=message.to_email
    )


def _link_to_unit_round(unit_round: UnitRound) -> str:
    return settings.BASE_URL + reverse(
        "rounds:unit_round", kwargs={"round_uuid": unit_round.round.uuid, "unit_uuid": unit_round.unit.uuid}
    )


@register("rounds.unit_opened")
def unit_opened(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The leader has opened the round in the unit: its people may now propose topics. The focus
    areas are read in Samtale, not in the e-mail."""
    unit_round = (
        UnitRound.objects.select_related("round", "unit", "opened_by")
        .filter(pk=message.context.get("unit_round"))
        .first()
    )
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if unit_round is None or person is None or not person.is_employed():
        return None
    context = {"unit_round": unit_round, "person": person, "link": _link_to_unit_round(unit_round)}
    return render_email("emails/unit_round_opened", context, to=message.to_email)


@register("rounds.proposal_answered")
def proposal_answered(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The proposer's topic has an answer. Neither the topic nor the answer is in the e-mail."""
    proposal = (
        TopicProposal.objects.select_related("unit_round__round", "unit_round__unit", "proposed_by")
        .filter(pk=message.context.get("proposal"))
        .first()
    )
    if proposal is None or not proposal.proposed_by.is_employed():
        return None
    context = {
        "proposal": proposal,
        "person": proposal.proposed_by,
        "unit_round": proposal.unit_round,
        "link": _link_to_unit_round(proposal.unit_round) + "#my-proposals",
    }
    return render_email("emails/proposal_answered", context, to=message.to_email)
