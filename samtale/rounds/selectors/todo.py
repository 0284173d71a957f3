"""What a round asks of HR, management and a unit's leader now, for their start page
(``samtale.dashboards.todo``): HR launches the round being prepared and follows up one whose
held-by date has passed (and closes it); management writes its goals; the leader opens the round in the unit
and answers the topics employees propose. A fixed number of queries each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtale.lib.todo import ToDo, due_state
from samtale.rounds.models import Round, RoundStatus
from samtale.rounds.selectors.running import LedUnitInRound, RoundInMyUnit


def todo_for_hr(*, today: date) -> list[ToDo]:
    """One query: rounds being prepared (to launch) and running rounds past their held-by date."""
    items = []
    rounds = Round.objects.filter(status__in=[RoundStatus.DRAFT, RoundStatus.LAUNCHED]).order_by("held_by", "id")
    for round_ in rounds:
        if round_.status == RoundStatus.DRAFT:
            items.append(
                ToDo(
                    "round.launch",
                    _("Check who takes part in %(round)s, and launch it") % {"round": round_.name},
                    reverse("rounds:detail", args=[round_.uuid]),
                    due=round_.opens_on,
                    late=due_state(round_.opens_on, today),
                    ref=round_.pk,
                    icon="send",
                )
            )
        elif round_.held_by < today:
            items.append(
                ToDo(
                    "round.past",
                    _("%(round)s was to be held by its date: see what is undone, and close it when its work is done")
                    % {"round": round_.name},
                    reverse("oversight:round_close", args=[round_.uuid]),
                    due=round_.held_by,
                    late=True,
                    ref=round_.pk,
                    icon="analytics",
                )
            )
    return items


def todo_for_goals(*, round_: Round | None) -> list[ToDo]:
    """Management: the round being prepared waits for its goals (``round_waiting_for_goals``)."""
    if round_ is None or int(getattr(round_, "goal_count", 0)):
        return []
    return [
        ToDo(
            "round.goals",
            _("Write management's goals for %(round)s") % {"round": round_.name},
            reverse("rounds:goals", args=[round_.uuid]),
            due=round_.opens_on,
            ref=round_.pk,
            icon="flag",
        )
    ]


def todo_for_unit_leader(*, led: Sequence[LedUnitInRound], today: date) -> list[ToDo]:
    """A unit's leader, from what the start page already read (``led_units_in_rounds``): open the
    round in each unit led, then answer the topics proposed there. No query of its own."""
    items = []
    for row in led:
        url = reverse("rounds:unit_round", args=[row.round.uuid, row.unit.uuid])
        if row.opened_at is None:
            items.append(
                ToDo(
                    "round.open_unit",
                    _("Open %(round)s in %(unit)s: say what the goals mean for the unit")
                    % {"round": row.round.name, "unit": row.unit.name},
                    url,
                    due=row.round.opens_on,
                    late=due_state(row.round.opens_on, today),
                    ref=row.unit.pk,
                    icon="flag",
                )
            )
        if row.waiting_proposals:
            items.append(
                ToDo(
                    "round.proposals",
                    ngettext(
                        "Answer %(count)s topic proposed in %(unit)s",
                        "Answer %(count)s topics proposed in %(unit)s",
                        row.waiting_proposals,
                    )
                    % {"count": row.waiting_proposals, "unit": row.unit.name},
                    url,
                    ref=row.unit.pk,
                    icon="forum",
                )
            )
    return items


def todo_for_member(*, mine: Sequence[RoundInMyUnit], booked_rounds: set[int]) -> list[ToDo]:
    """An employee, from what the start page already read (``round_in_my_unit``): once the leader
    has opened the round in the unit, topics may be proposed until the conversation is booked
    (``booked_rounds``: the rounds in which it is). No query of its own."""
    return [
        ToDo(
            "round.propose",
            _("Propose topics for your unit's conversations in %(round)s, if you wish") % {"round": row.round.name},
            reverse("rounds:unit_round", args=[row.round.uuid, row.unit_round.unit.uuid]),
            ref=row.round.pk,
            icon="forum",
        )
        for row in mine
        if row.unit_round.opened_at is not None and row.round.pk not in booked_rounds
    ]
