"""Which groups of answers (or of people) may be shown (docs/trust.md § Anonymity): the
evaluations' results and the competence overview alike.

The groups of the round's evaluation are the units, each with every unit below it, and the
whole round on top. A group is shown only with at least ``threshold`` answers, and a group that
could be worked out by subtraction is hidden as well: a shown unit minus its shown subunits
leaves the answers of the people directly in it and of its hidden subunits, and that remainder
is itself a group. So, going down from the whole round, whenever a shown group's remainder would
hold between 1 and ``threshold - 1`` answers, its smallest shown subunits are hidden too, until
the remainder holds none or enough.

Why this is enough: the shown groups nest (each inside its parent), and from nested groups with
known counts one can derive exactly the unions of their "remainders" (a shown group minus the
shown groups directly below it). Each remainder holds 0 or at least ``threshold`` answers, so
every derivable group does too. The property test checks this over random organisations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

ROOT = 0  # the whole round: a group above every unit (unit ids start at 1)
# The fewest people a group shown may hold: an evaluation's default (HR may raise it, never below the
# minimum), and the competence overview's.
DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3


def subtree_totals(*, parents: Mapping[int, int | None], direct: Mapping[int, int]) -> dict[int, int]:
    """Answers in each unit with every unit below it, and the whole round under ``ROOT``."""
    totals: dict[int, int] = defaultdict(int)
    for unit_id, count in direct.items():
        if not count:
            continue
        node: int | None = unit_id
        seen: set[int] = set()
        while node is not None and node not in seen:
            seen.add(node)
            totals[node] += count
            node = parents.get(node)
        totals[ROOT] += count
    return dict(totals)


def shown_groups(*, parents: Mapping[int, int | None], direct: Mapping[int, int], threshold: int) -> set[int]:
    """The units (and ``ROOT``) whose results may be shown.

    ``parents`` maps every unit to its parent (None at the top); ``direct`` the answers given by
    people directly in each unit."""
    totals = subtree_totals(parents=parents, direct=direct)
    children: dict[int, list[int]] = defaultdict(list)
    for unit_id, parent_id in parents.items():
        if totals.get(unit_id):
            children[ROOT if parent_id is None else parent_id].append(unit_id)

    shown: set[int] = set()
    if totals.get(ROOT, 0) < threshold:
        return shown
    stack = [ROOT]
    while stack:
        group = stack.pop()
        shown.add(group)
        parts = children.get(group, [])
        stack.extend(
            shown_parts(direct=direct.get(group, 0), parts={part: totals[part] for part in parts}, threshold=threshold)
        )
    return shown


def shown_parts(*, direct: int, parts: Mapping[int, int], threshold: int) -> list[int]:
    """One step of ``shown_groups``: of a shown group's parts (each with its total), those that may
    be shown beside it, when ``direct`` belong to the group itself and none of its parts. A part
    under the threshold is hidden, and while what the hidden parts and the group's own add up to
    lies between 1 and ``threshold - 1``, the smallest shown part is hidden too."""
    remainder = direct + sum(total for total in parts.values() if total < threshold)
    candidates = sorted((part for part, total in parts.items() if total >= threshold), key=lambda p: (parts[p], p))
    while 0 < remainder < threshold and candidates:
        remainder += parts[candidates.pop(0)]
    return candidates


def shown_within(
    *, parents: Mapping[int, int | None], part: Mapping[int, int], shown: set[int], threshold: int
) -> set[int]:
    """Of the ``shown`` groups, those that may also show a part of their answers (``part``: per
    unit, the answers in that part, such as those from people whose conversation was held).

    The groups worked out for the part alone, kept only where the whole is shown too: hiding a
    group of a safe nested set merges its remainder into its parent's, and a sum of remainders
    that each hold none or enough holds none or enough, so nothing under the threshold can be
    worked out from the part either."""
    return shown_groups(parents=parents, direct=part, threshold=threshold) & shown
