"""Over random organisations: the leader chain the access package derives (materialised unit
paths and a recursive query) is exactly the chain a slow, obvious walk finds, and a
stranger never gets a relation."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import viewer_for
from samtale.accounts.models import User
from samtale.org.models import Person, Unit
from samtale.org.services import unit_tree_rebuild


@st.composite
def organisations(draw: st.DrawFn) -> dict:
    """Units as a random tree; people in random units with a personnel leader drawn from the people
    before them (so no loops), and some units led by a random person."""
    unit_count = draw(st.integers(min_value=1, max_value=8))
    unit_parents = [None] + [draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, unit_count)]
    people_count = draw(st.integers(min_value=2, max_value=12))
    people = []
    for index in range(people_count):
        leader = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=index - 1))) if index else None
        people.append({"unit": draw(st.integers(min_value=0, max_value=unit_count - 1)), "leader": leader})
    unit_leaders = [
        draw(st.one_of(st.none(), st.integers(min_value=0, max_value=people_count - 1))) for _ in range(unit_count)
    ]
    return {"unit_parents": unit_parents, "people": people, "unit_leaders": unit_leaders}


def build(spec: dict) -> tuple[list[Unit], list[Person]]:
    units: list[Unit] = []
    for index, parent in enumerate(spec["unit_parents"]):
        units.append(
            Unit.objects.create(
                code=f"U{index}", name=f"U{index}", path="", parent=units[parent] if parent is not None else None
            )
        )
    unit_tree_rebuild()
    people: list[Person] = []
    for index, person in enumerate(spec["people"]):
        user = User.objects.create_user(f"p{index}@test.example", None)
        people.append(
            Person.objects.create(
                employee_number=str(index),
                name=f"P{index}",
                email=user.email,
                unit=units[person["unit"]],
                employment_type="permanent",
                user=user,
                personnel_leader=people[person["leader"]] if person["leader"] is not None else None,
            )
        )
    for unit, leader in zip(units, spec["unit_leaders"], strict=True):
        if leader is not None:
            unit.leader = people[leader]
            unit.save(update_fields=["leader"])
    for unit in units:
        unit.refresh_from_db()
    return units, people


def line_above(spec: dict, person: int) -> list[int]:
    line, leader = [], spec["people"][person]["leader"]
    while leader is not None:
        line.append(leader)
        leader = spec["people"][leader]["leader"]
    return line


def naive_chain(spec: dict, person: int) -> set[int]:
    """The leader chain (docs/trust.md § Access matrix): the leaders above the personnel leader, and
    the leaders of the person's unit and of every unit above it, but never someone below the person
    (a unit may be led by anyone HR names) and never the person themselves."""
    chain = set(line_above(spec, person)[1:])
    unit: int | None = spec["people"][person]["unit"]
    while unit is not None:
        leader = spec["unit_leaders"][unit]
        if leader is not None and person not in line_above(spec, leader):
            chain.add(leader)
        unit = spec["unit_parents"][unit]
    chain.discard(person)
    return chain


class ChainProperties(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(organisations())
    def test_the_derived_chain_is_the_obvious_chain(self, spec: dict) -> None:
        _units, people = build(spec)
        for viewer_index, viewer_person in enumerate(people):
            viewer = viewer_for(viewer_person.user)
            for target_index, target in enumerate(people):
                target = Person.objects.select_related("unit").get(pk=target.pk)
                relations = relations_to(viewer, target)
                expected_chain = viewer_index in naive_chain(spec, target_index)
                assert (Relation.CHAIN in relations) is expected_chain, (viewer_index, target_index, spec)
                is_leader = spec["people"][target_index]["leader"] == viewer_index
                assert (Relation.PERSONNEL_LEADER in relations) is is_leader
                if target_index in line_above(spec, viewer_index):
                    assert Relation.CHAIN not in relations, "nobody is in the chain of their own leaders"
