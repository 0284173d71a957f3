"""The round's strategic goals: management writes, edits, orders and removes them; everyone taking
part reads them (docs/domain.md § Before the conversation, step 1, and § The round)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samtale.audit.models import AuditEvent
from samtale.rounds.models import Round, RoundGoal, RoundStatus
from samtale.rounds.services.goals import MAX_GOALS, goal_add, goal_move, goal_remove, goal_update
from samtale.testing import Mus, Org
from samtale.testing.rounds import as_, draft_round, english, make_management

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def management(org: Org):  # type: ignore[no-untyped-def]
    return make_management(org)


def texts(round_: Round) -> list[str]:
    return list(round_.goals.order_by("order", "id").values_list("text", flat=True))


# The services --------------------------------------------------------------------------------


def test_management_writes_the_goals_in_order_and_each_change_is_audited(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    director = as_(org, "director")
    first = goal_add(viewer=director, round_=round_, text="  Ambitiøse og realistiske forslag til procesforbedring ")
    goal_add(viewer=director, round_=round_, text="Kompetenceudvikling i takt med digitaliseringen")
    assert first.text == "Ambitiøse og realistiske forslag til procesforbedring"
    assert texts(round_) == [
        "Ambitiøse og realistiske forslag til procesforbedring",
        "Kompetenceudvikling i takt med digitaliseringen",
    ]
    assert AuditEvent.objects.filter(action="rounds.goal_added").count() == 2


@pytest.mark.parametrize("persona", ["hr", "leader", "head", "employee", "union_rep"])
def test_only_management_writes_goals(org: Org, management, persona: str) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    with pytest.raises(PermissionDenied):
        goal_add(viewer=as_(org, persona), round_=round_, text="Et mål")
    goal = goal_add(viewer=as_(org, "director"), round_=round_, text="Et mål")
    for change in (
        lambda v: goal_update(viewer=v, goal=goal, text="Andet"),
        lambda v: goal_move(viewer=v, goal=goal, direction=1),
        lambda v: goal_remove(viewer=v, goal=goal),
    ):
        with pytest.raises(PermissionDenied):
            change(as_(org, persona))
    assert texts(round_) == ["Et mål"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Write something first."), ("x" * 2001, "Keep it to 2000 characters; this is 2001.")],
)
def test_an_empty_or_too_long_goal_is_refused(org: Org, management, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    with pytest.raises(ValidationError) as error:
        goal_add(viewer=as_(org, "director"), round_=round_, text=text)
    assert error.value.message_dict["text"] == [message]
    assert not RoundGoal.objects.exists()


def test_the_same_goal_twice_is_refused_so_a_form_posted_twice_adds_it_once(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    goal_add(viewer=as_(org, "director"), round_=round_, text="Et mål")
    with pytest.raises(ValidationError):
        goal_add(viewer=as_(org, "director"), round_=round_, text="Et mål")
    other = goal_add(viewer=as_(org, "director"), round_=round_, text="Et andet mål")
    with pytest.raises(ValidationError):
        goal_update(viewer=as_(org, "director"), goal=other, text="Et mål")
    assert RoundGoal.objects.count() == 2


def test_a_round_has_at_most_twenty_goals(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    for index in range(MAX_GOALS):
        goal_add(viewer=as_(org, "director"), round_=round_, text=f"Mål {index}")
    with pytest.raises(ValidationError):
        goal_add(viewer=as_(org, "director"), round_=round_, text="Ét for meget")


def test_the_goals_of_a_closed_round_stay_as_they_were(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    goal = goal_add(viewer=as_(org, "director"), round_=round_, text="Et mål")
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    for change in (
        lambda: goal_add(viewer=as_(org, "director"), round_=round_, text="Nyt"),
        lambda: goal_update(viewer=as_(org, "director"), goal=goal, text="Ændret"),
        lambda: goal_remove(viewer=as_(org, "director"), goal=goal),
    ):
        with pytest.raises(ValidationError):
            change()
    assert texts(round_) == ["Et mål"]


def test_goals_are_reordered_and_removed_and_keep_a_tidy_order(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    director = as_(org, "director")
    a, b, c = (goal_add(viewer=director, round_=round_, text=t) for t in "ABC")
    assert goal_move(viewer=director, goal=c, direction=-1) is True
    assert texts(round_) == ["A", "C", "B"]
    assert goal_move(viewer=director, goal=a, direction=-1) is False  # already first
    assert goal_move(viewer=director, goal=b, direction=1) is False  # already last
    goal_remove(viewer=director, goal=a)
    assert texts(round_) == ["C", "B"]
    assert list(round_.goals.order_by("order").values_list("order", flat=True)) == [0, 1]
    goal_update(viewer=director, goal=b, text="B, skarpere")
    assert texts(round_) == ["C", "B, skarpere"]


# The pages -----------------------------------------------------------------------------------


def test_management_reaches_the_goals_of_the_round_being_prepared_from_the_navigation(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    client = org.client("director")
    response = client.get(reverse("rounds:current"))
    assert response.status_code == 302 and response["Location"] == reverse("rounds:goals", args=[round_.uuid])
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["may_write"] is True
    assert reverse("rounds:current") in page.content.decode()  # the navigation item


def test_management_adds_edits_moves_and_removes_goals_through_the_pages(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    client = org.client("director")
    url = reverse("rounds:goals", args=[round_.uuid])
    assert client.post(url, {"text": "Første mål"}).status_code == 302
    assert client.post(url, {"text": "Andet mål"}).status_code == 302
    first, second = round_.goals.order_by("order")
    assert client.get(reverse("rounds:goal_edit", args=[round_.uuid, first.uuid])).status_code == 200
    edited = client.post(reverse("rounds:goal_edit", args=[round_.uuid, first.uuid]), {"text": "Første, skarpere"})
    assert edited.status_code == 302
    moved = client.post(reverse("rounds:goal_move", args=[round_.uuid, second.uuid]), {"direction": "up"})
    assert moved.status_code == 302
    assert texts(round_) == ["Andet mål", "Første, skarpere"]
    removed = client.post(reverse("rounds:goal_remove", args=[round_.uuid, first.uuid]), {"confirmed": "1"})
    assert removed.status_code == 302
    assert texts(round_) == ["Andet mål"]


def test_a_goal_of_ten_thousand_lines_is_refused_clearly_and_nothing_is_written(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    english(org, "director")
    round_ = draft_round(org)
    response = org.client("director").post(reverse("rounds:goals", args=[round_.uuid]), {"text": "linje\n" * 10_000})
    assert response.status_code == 400
    assert "Keep it to 2000 characters; this is 59999." in response.content.decode()
    assert "<title>Error: " in response.content.decode()
    assert not RoundGoal.objects.exists()


def test_everyone_taking_part_reads_the_goals_of_a_launched_round_but_cannot_write_them(
    org: Org, management, mus: Mus
) -> None:  # type: ignore[no-untyped-def]
    goal_add(viewer=as_(org, "director"), round_=mus.round, text="Et mål for alle")
    goal = mus.round.goals.get()
    client = org.client("employee")
    page = client.get(reverse("rounds:goals", args=[mus.round.uuid]))
    assert page.status_code == 200 and "Et mål for alle" in page.content.decode()
    assert page.context["may_write"] is False and page.context["form"] is None
    assert client.post(reverse("rounds:goals", args=[mus.round.uuid]), {"text": "Mit mål"}).status_code == 403
    assert client.get(reverse("rounds:goal_edit", args=[mus.round.uuid, goal.uuid])).status_code == 403
    assert client.post(reverse("rounds:goal_remove", args=[mus.round.uuid, goal.uuid])).status_code == 403
    assert mus.round.goals.count() == 1


def test_the_goals_of_a_round_being_prepared_are_not_shown_to_employees(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    round_ = draft_round(org)
    assert org.client("employee").get(reverse("rounds:goals", args=[round_.uuid])).status_code == 404
    assert org.client("hr").get(reverse("rounds:goals", args=[round_.uuid])).status_code == 200


def test_people_outside_the_rounds_units_do_not_see_its_goals(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    from samtale.conversations.services.invitation import round_launch

    round_ = draft_round(org, units=[org.economy])
    round_launch(viewer=as_(org, "hr"), round_=round_)
    url = reverse("rounds:goals", args=[round_.uuid])
    assert org.client("employee").get(url).status_code == 200
    assert org.client("outsider").get(url).status_code == 404
    assert org.client("regional_hr").get(url).status_code == 404  # HR for Børn only
    assert org.client("director").get(url).status_code == 200  # management


def test_a_goal_of_another_round_is_not_found_through_this_round(org: Org, management) -> None:  # type: ignore[no-untyped-def]
    one, other = draft_round(org), draft_round(org, name="MUS-2029")
    goal = goal_add(viewer=as_(org, "director"), round_=other, text="Et mål")
    client = org.client("director")
    assert client.get(reverse("rounds:goal_edit", args=[one.uuid, goal.uuid])).status_code == 404
    assert client.post(reverse("rounds:goal_remove", args=[one.uuid, goal.uuid])).status_code == 404
    assert other.goals.count() == 1
