"""No group under the threshold is ever shown or derivable (docs/trust.md § Anonymity), over random
organisations and answers.

What can be derived from shown groups: the shown groups nest, so with their counts one knows
exactly the unions of their "atoms", each shown group minus the shown groups directly inside it
(plus, outside the shown groups, the rest of the round, which is derivable when the round is
shown). The check below recomputes those atoms by brute force from the shown set alone, without
the algorithm's own reasoning, and asks each to hold no answer or at least the threshold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from samtale.lib.suppression import ROOT, shown_groups, shown_within, subtree_totals


@st.composite
def organisations(draw: st.DrawFn) -> tuple[dict[int, int | None], dict[int, int], int]:
    size = draw(st.integers(min_value=1, max_value=30))
    parents: dict[int, int | None] = {1: None}
    for unit in range(2, size + 1):
        # A forest now and then: a second top unit.
        parents[unit] = draw(
            st.one_of(st.none(), st.integers(min_value=1, max_value=unit - 1))
            if unit < 4
            else st.integers(min_value=1, max_value=unit - 1)
        )
    direct = {unit: draw(st.integers(min_value=0, max_value=9)) for unit in parents}
    threshold = draw(st.integers(min_value=3, max_value=7))
    return parents, direct, threshold


def _members(unit: int, parents: dict[int, int | None]) -> set[int]:
    """The unit and every unit below it (the people in them, as far as counting goes)."""
    if unit == ROOT:
        return set(parents)
    found = {unit}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return found


@settings(max_examples=400, deadline=None)
@given(organisations())
def test_every_derivable_group_is_empty_or_meets_the_threshold(
    org: tuple[dict[int, int | None], dict[int, int], int],
) -> None:
    parents, direct, threshold = org
    shown = shown_groups(parents=parents, direct=direct, threshold=threshold)
    totals = subtree_totals(parents=parents, direct=direct)
    members = {group: _members(group, parents) for group in shown}

    for group in shown:
        assert totals.get(group, 0) >= threshold, "a shown group under the threshold"
        inside = [other for other in shown if other != group and members[other] < members[group]]
        maximal = [g for g in inside if not any(members[g] < members[h] for h in inside)]
        atom = members[group] - set().union(*(members[g] for g in maximal))
        answers = sum(direct[unit] for unit in atom)
        assert answers == 0 or answers >= threshold, f"group {group} minus {maximal} leaves {answers} answers"


def _atoms_hold_none_or_enough(
    shown: set[int], parents: dict[int, int | None], direct: dict[int, int], threshold: int
) -> None:
    members = {group: _members(group, parents) for group in shown}
    for group in shown:
        inside = [other for other in shown if other != group and members[other] < members[group]]
        maximal = [g for g in inside if not any(members[g] < members[h] for h in inside)]
        atom = members[group] - set().union(*(members[g] for g in maximal))
        answers = sum(direct.get(unit, 0) for unit in atom)
        assert answers == 0 or answers >= threshold, f"group {group} minus {maximal} leaves {answers} answers"


@settings(max_examples=200, deadline=None)
@given(organisations(), st.data())
def test_no_part_of_the_answers_under_the_threshold_is_derivable_either(
    org: tuple[dict[int, int | None], dict[int, int], int], data: st.DataObject
) -> None:
    """The questions about the conversation count only the answers from people whose
    conversation was held (a part of each unit's answers): the groups showing them, and their
    counts, never give away fewer than the threshold of those answers."""
    parents, direct, threshold = org
    part = {unit: data.draw(st.integers(min_value=0, max_value=n)) for unit, n in direct.items()}
    shown = shown_groups(parents=parents, direct=direct, threshold=threshold)
    within = shown_within(parents=parents, part=part, shown=shown, threshold=threshold)
    assert within <= shown
    totals = subtree_totals(parents=parents, direct=part)
    assert all(totals.get(group, 0) >= threshold for group in within)
    _atoms_hold_none_or_enough(within, parents, part, threshold)


@settings(max_examples=200, deadline=None)
@given(organisations())
def test_a_round_with_enough_answers_is_shown_and_never_with_too_few(
    org: tuple[dict[int, int | None], dict[int, int], int],
) -> None:
    parents, direct, threshold = org
    shown = shown_groups(parents=parents, direct=direct, threshold=threshold)
    assert (ROOT in shown) == (sum(direct.values()) >= threshold)
    # A shown group's parent is shown too: nothing hangs loose that a viewer could add up.
    for group in shown - {ROOT}:
        parent = parents[group]
        assert (ROOT if parent is None else parent) in shown


def test_a_lone_small_subunit_hides_its_sibling() -> None:
    parents = {1: None, 2: 1, 3: 1}
    assert shown_groups(parents=parents, direct={2: 6, 3: 1}, threshold=5) == {ROOT, 1}
    assert shown_groups(parents=parents, direct={2: 6, 3: 5}, threshold=5) == {ROOT, 1, 2, 3}
    assert shown_groups(parents=parents, direct={2: 6, 3: 0, 1: 2}, threshold=5) == {ROOT, 1}
    assert shown_groups(parents=parents, direct={2: 4}, threshold=5) == set()
