"""The round on the start page ("The round in your unit" for employees, "Your units in the
round" for leaders) and the "MUS rounds" item of the navigation, by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samtale.rounds.selectors.unit_round import unit_round_for
from samtale.rounds.services.goals import goal_add
from samtale.rounds.services.unit_round import focus_area_add, topic_propose
from samtale.testing import Mus, Org
from samtale.testing.rounds import as_, draft_round, english, make_management, open_in_payroll


def test_an_employee_meets_the_goals_and_the_focus_areas_of_their_unit_and_those_above_on_the_start_page(
    org: Org, mus: Mus
) -> None:
    make_management(org)
    goal_add(viewer=as_(org, "director"), round_=mus.round, text="Ambitiøse forslag til procesforbedring")
    focus_area_add(
        viewer=as_(org, "head"), unit_round=unit_round_for(round_=mus.round, unit=org.economy), text="Ø-fokus"
    )
    english(org, "employee")
    response = org.client("employee").get(reverse("dashboards:home"))
    text = response.content.decode()
    assert "The round in your unit" in text
    assert "Ambitiøse forslag til procesforbedring" in text and "Ø-fokus" in text
    # Not opened yet: the page says so and offers no proposal link.
    assert "When your leader opens the round in the unit, you can propose topics." in text
    open_in_payroll(org, mus, focus_area="L-fokus")
    text = org.client("employee").get(reverse("dashboards:home")).content.decode()
    assert "L-fokus" in text
    assert reverse("rounds:unit_round", args=[mus.round.uuid, org.payroll.uuid]) + "#my-proposals" in text


def test_the_start_page_counts_the_employees_topics_waiting_for_an_answer(org: Org, mus: Mus) -> None:
    open_in_payroll(org, mus)
    topic_propose(viewer=as_(org, "employee"), unit_round=mus.unit_round, text="Deltid")
    english(org, "employee")
    text = org.client("employee").get(reverse("dashboards:home")).content.decode()
    assert "1 of your topics is waiting for an answer." in text


def test_a_leader_sees_their_units_in_the_round_and_what_is_waiting_for_them(org: Org, mus: Mus) -> None:
    english(org, "leader")
    home = org.client("leader").get(reverse("dashboards:home"))
    [row] = home.context["led"]
    assert (row.unit, row.focus_areas, row.opened_at, row.waiting_proposals) == (org.payroll, 0, None, 0)
    assert "Your units in the round" in home.content.decode()
    open_in_payroll(org, mus)
    topic_propose(viewer=as_(org, "employee"), unit_round=mus.unit_round, text="Deltid")
    [row] = org.client("leader").get(reverse("dashboards:home")).context["led"]
    assert (row.focus_areas, row.waiting_proposals) == (1, 1) and row.opened_at is not None


def test_nothing_about_rounds_on_the_start_page_before_a_round_is_launched(org: Org) -> None:
    draft_round(org)
    english(org, "employee", "leader")
    for persona in ("employee", "leader"):
        text = org.client(persona).get(reverse("dashboards:home")).content.decode()
        assert "The round in your unit" not in text and "Your units in the round" not in text


def test_people_outside_the_rounds_units_see_nothing_of_it_on_the_start_page(org: Org) -> None:
    from samtale.conversations.services.invitation import round_launch

    round_ = draft_round(org, units=[org.economy])
    round_launch(viewer=as_(org, "hr"), round_=round_)
    english(org, "outsider", "employee")
    assert "The round in your unit" not in org.client("outsider").get(reverse("dashboards:home")).content.decode()
    assert "The round in your unit" in org.client("employee").get(reverse("dashboards:home")).content.decode()


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("hr", "rounds:list"),
        ("leader", "rounds:current"),
        ("head", "rounds:current"),
        ("former_leader", "rounds:current"),
        ("director", "rounds:current"),
        ("employee", None),
        ("colleague", None),
        ("union_rep", None),
        ("daily_leader", None),
        ("regional_hr", None),
        ("outsider", None),
    ],
)
def test_the_mus_rounds_item_of_the_navigation_is_for_hr_management_and_leaders(
    org: Org, persona: str, target: str | None
) -> None:
    english(org, persona)
    response = org.client(persona).get(reverse("dashboards:home"))
    items = {item.label: item.url for item in response.context["nav"]}
    if target is None:
        assert "MUS rounds" not in items
    else:
        assert items["MUS rounds"] == reverse(target)


def test_management_without_leading_a_unit_gets_the_item_too(org: Org) -> None:
    from samtale.org.models import RoleKind
    from samtale.testing import make_role

    make_role(org.colleague, RoleKind.MANAGEMENT)
    english(org, "colleague")
    response = org.client("colleague").get(reverse("dashboards:home"))
    assert "MUS rounds" in {item.label for item in response.context["nav"]}
    # With no round being prepared, the page says so.
    page = org.client("colleague").get(reverse("rounds:current"))
    assert page.status_code == 200 and "No MUS round is running for you at the moment." in page.content.decode()
