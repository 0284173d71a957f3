"""Who leads each unit after the import: the leader the file names, else the one HR chose by hand,
else the one the personnel-leader lines give (``plan_unit_leaders`` says the order)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from samtale.org.importing.existing import Existing
from samtale.org.importing.rows import PersonRow
from samtale.org.importing.trees import depth_counter
from samtale.org.importing.units import UnitSpec

if TYPE_CHECKING:
    from samtale.org.importing.import_plan import ImportPlan


def plan_unit_leaders(
    rows: list[PersonRow], specs: dict[str, UnitSpec], existing: Existing, plan: ImportPlan, today: date
) -> None:
    """Who leads each unit in the file, in this order:

    1. the leader the file names in its unit leader column;
    2. a leader HR chose by hand, while they are still in the file;
    3. the current leader, if they are above (or are) everyone in the unit and below it;
    4. else the lowest person above everyone in the unit and every unit below it in the
       personnel-leader lines (often a member: the head of a department), who leads at least one
       of them — for a unit of one person, that person's own leader. Being the leader of a unit puts a person in
       the leader chain of everyone below it (docs/trust.md § Access matrix), so nobody who is not
       above them all can become its leader: not a team leader who happens to lead the most members,
       not a peer.
    When nobody is above them all (people without a personnel leader), the unit has no leader."""
    lines = _LeaderLines(_personnel_leaders(rows, existing, plan))
    above_all = _AboveAll(lines, plan.unit_parents, _employed_by_unit(rows, today))
    for code, spec in specs.items():
        current = existing.unit_by_code.get(code)
        current_leader = existing.number_by_id.get(current[3]) if current and current[3] else None
        plan.unit_names[code] = spec.name or (current[1] if current else code)
        plan.previous_unit_leaders[code] = current_leader
        if spec.leader_number:
            leader: str | None = spec.leader_number
        elif code in existing.leaders_set_by_hand and current_leader in lines.in_file:
            leader = current_leader
        else:
            leader = _derived_leader(code, current_leader, lines, above_all)
        if leader != current_leader:
            plan.unit_leaders[code] = leader


def _personnel_leaders(rows: list[PersonRow], existing: Existing, plan: ImportPlan) -> dict[str, str | None]:
    """Employee number -> their personnel leader's, for everyone in the file."""
    leader_of = {row.employee_number: row.values.get("personnel_leader_number") or None for row in rows}
    if "personnel_leader_number" not in plan.columns:
        # Without the relation in the file, the stored one is the truth.
        for number, values in existing.people.items():
            if number in leader_of:
                leader_of[number] = existing.number_by_id.get(values[9]) if values[9] else None
    return leader_of


def _employed_by_unit(rows: list[PersonRow], today: date) -> dict[str, list[str]]:
    """Unit code -> the employee numbers of the people in it who have not left."""
    employed: dict[str, list[str]] = {}
    for row in rows:
        end = row.values.get("end_date")
        if isinstance(end, date) and end < today:
            continue
        employed.setdefault(row.values["unit_code"], []).append(row.employee_number)
    return employed


class _LeaderLines:
    """The personnel-leader lines of the people in the file (which has no loops: they were refused)."""

    def __init__(self, leader_of: dict[str, str | None]) -> None:
        self.leader_of = leader_of
        self.in_file = set(leader_of)
        # People who are someone's personnel leader in the file: only they can lead a unit.
        self.leads_someone = {leader for leader in leader_of.values() if leader}
        self._depth = depth_counter(leader_of)

    def common_leader(self, a: str | None, b: str | None) -> str | None:
        """The lowest person in both personnel-leader lines (each line includes the person)."""
        while a is not None and b is not None and a != b:
            # Climb from the deeper of the two; at equal depth, from both.
            depth_a, depth_b = self._depth(a), self._depth(b)
            if depth_a >= depth_b:
                a = self.leader_of.get(a)
            if depth_b >= depth_a:
                b = self.leader_of.get(b)
        return a if a == b else None

    def in_line_of(self, person: str | None, candidate: str | None) -> bool:
        """Whether ``candidate`` is ``person`` or above them."""
        node = person
        while node is not None:
            if node == candidate:
                return True
            node = self.leader_of.get(node)
        return False


class _AboveAll:
    """For each unit with someone employed in or below it: the lowest person above them all (None
    when their lines never meet), worked out when first asked for."""

    def __init__(self, lines: _LeaderLines, unit_parents: dict[str, str | None], employed: dict[str, list[str]]):
        self._lines = lines
        self._employed = employed
        self._children: dict[str, list[str]] = {}
        for code, parent in unit_parents.items():
            if parent is not None:
                self._children.setdefault(parent, []).append(code)
        self._found: dict[str, str | None] = {}  # a unit that is not a key has nobody

    def has_people(self, code: str) -> bool:
        self._derive(code)
        return code in self._found

    def lowest(self, code: str) -> str | None:
        self._derive(code)
        return self._found[code]

    def _derive(self, code: str) -> None:
        # Units are visited bottom-up with an explicit stack: trees can be deep.
        order, stack = [], [code]
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(self._children.get(node, []))
        for node in reversed(order):
            if node in self._found:
                continue
            people = self._employed.get(node, []) + [
                self._found[c] for c in self._children.get(node, []) if c in self._found
            ]
            if not people:
                continue
            found = people[0]
            for person in people[1:]:
                found = self._lines.common_leader(found, person)
            self._found[node] = found


def _derived_leader(code: str, current_leader: str | None, lines: _LeaderLines, above_all: _AboveAll) -> str | None:
    """Rules 3 and 4 of ``plan_unit_leaders``: the leader the personnel-leader lines give."""
    if not above_all.has_people(code):
        # Nobody employed in or below the unit: it keeps its leader while they are in the file.
        return current_leader if current_leader in lines.in_file else None
    lowest = above_all.lowest(code)
    if current_leader in lines.in_file and lines.in_line_of(lowest, current_leader):
        # The current leader is above (or is) everyone in the unit: it stays theirs.
        return current_leader
    if lowest is not None and lowest not in lines.leads_someone:
        # One person alone (or people all in one line): the unit is led from above them.
        return lines.leader_of.get(lowest)
    return lowest
