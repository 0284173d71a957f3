"""The round's pages keep a constant number of queries as the organisation and the round grow:
more units, people, unit rounds, focus areas, goals and proposed topics."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from samtale.access.viewer import viewer_for
from samtale.conversations.services.invitation import round_launch
from samtale.org.models import Person, Unit
from samtale.rounds.selectors.unit_round import unit_round_for
from samtale.rounds.services.goals import goal_add
from samtale.rounds.services.unit_round import focus_area_add, proposal_answer, topic_propose
from samtale.testing import Mus, Org, grow_org
from samtale.testing.queries import Page, assert_same_queries
from samtale.testing.rounds import as_, make_management, open_in_payroll


def unit_url(mus: Mus, unit: Unit) -> str:
    return reverse("rounds:unit_round", args=[mus.round.uuid, unit.uuid])


PAGES: list[tuple[str, str, Callable[[Org, Mus], str]]] = [
    ("hr", "the list of rounds", lambda o, m: reverse("rounds:list")),
    ("hr", "the round's page", lambda o, m: reverse("rounds:detail", args=[m.round.uuid])),
    ("hr", "the participants", lambda o, m: reverse("rounds:participants", args=[m.round.uuid])),
    ("hr", "the participants left out", lambda o, m: reverse("rounds:participants", args=[m.round.uuid]) + "?show=out"),
    ("hr", "the launch's confirmation", lambda o, m: reverse("conversations:round_launch", args=[m.round.uuid])),
    ("hr", "the new round form", lambda o, m: reverse("rounds:create")),
    ("director", "the goals, as management", lambda o, m: reverse("rounds:goals", args=[m.round.uuid])),
    ("employee", "the goals, as an employee", lambda o, m: reverse("rounds:goals", args=[m.round.uuid])),
    (
        "leader",
        "the unit round, as its leader",
        lambda o, m: reverse("rounds:unit_round", args=[m.round.uuid, o.payroll.uuid]),
    ),
    (
        "employee",
        "the unit round, as an employee",
        lambda o, m: reverse("rounds:unit_round", args=[m.round.uuid, o.payroll.uuid]),
    ),
    (
        "head",
        "the unit round above, as its leader",
        lambda o, m: reverse("rounds:unit_round", args=[m.round.uuid, o.economy.uuid]),
    ),
    ("employee", "the start page with the round", lambda o, m: reverse("dashboards:home")),
    ("leader", "the start page with the leader's units", lambda o, m: reverse("dashboards:home")),
    ("employee", "the current round", lambda o, m: reverse("rounds:current")),
]


def grow_round(org: Org, mus: Mus, size: int) -> None:
    """The organisation grows (as in the dashboards' test), joins the round, and every new unit
    gets focus areas; the employee's unit gets goals and proposed topics."""
    grow_org(org, size)
    round_launch(viewer=as_(org, "hr"), round_=mus.round)
    for index in range(size):
        goal_add(viewer=as_(org, "director"), round_=mus.round, text=f"Mål {index}")
    for unit in Unit.objects.filter(code__startswith="T").select_related("leader__user"):
        assert unit.leader is not None and unit.leader.user is not None
        focus_area_add(
            viewer=viewer_for(unit.leader.user),
            unit_round=unit_round_for(round_=mus.round, unit=unit),
            text=f"Fokus {unit.code}",
        )
    for person in Person.objects.filter(unit=org.payroll, name__startswith="Medarbejder").select_related("user"):
        assert person.user is not None
        proposal = topic_propose(viewer=viewer_for(person.user), unit_round=mus.unit_round, text=f"Emne {person.pk}")
        if person.pk % 2:
            proposal_answer(viewer=as_(org, "leader"), proposal=proposal, accept=False, answer="Nej tak")


def test_every_round_page_makes_the_same_number_of_queries_for_a_bigger_organisation(org: Org, mus: Mus) -> None:
    make_management(org)
    open_in_payroll(org, mus)
    focus_area_add(viewer=as_(org, "head"), unit_round=unit_round_for(round_=mus.round, unit=org.economy), text="Ø")
    goal_add(viewer=as_(org, "director"), round_=mus.round, text="Første mål")
    topic_propose(viewer=as_(org, "employee"), unit_round=mus.unit_round, text="Første emne")
    # One growth for all the pages (each page's count before and after it is compared on its own).
    pages = [Page(org.client(persona), url(org, mus), name=page) for persona, page, url in PAGES]
    assert_same_queries(lambda: grow_round(org, mus, 12), *pages)
