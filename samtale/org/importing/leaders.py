"""The leaders the file names (personnel, daily and unit leaders): each one a row of the file,
nobody their own leader, and no loop of personnel leaders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from samtale.org.importing.rows import PersonRow
from samtale.org.importing.trees import find_loops

if TYPE_CHECKING:
    from samtale.org.importing.import_plan import ImportPlan


def check_leaders(
    rows: list[PersonRow], by_number: dict[str, PersonRow], plan: ImportPlan, heading: dict[str, str]
) -> None:
    leader_of: dict[str, str | None] = {}
    for row in rows:
        for column, label in (("personnel_leader_number", "personnel"), ("daily_leader_number", "daily")):
            leader = row.values.get(column)
            if not leader:
                continue
            if leader == row.employee_number:
                message = (
                    _("The person is their own personnel leader.")
                    if label == "personnel"
                    else _("The person is their own daily leader.")
                )
                plan.errors.append((row.line, message))
            elif leader not in by_number:
                plan.errors.append(
                    (
                        row.line,
                        _("%(column)s %(number)s is not in the file.") % {"column": heading[column], "number": leader},
                    )
                )
        if row.employee_number and by_number.get(row.employee_number) is row:
            leader = row.values.get("personnel_leader_number") or None
            leader_of[row.employee_number] = leader if leader != row.employee_number else None
    if "unit_leader_number" in plan.columns:
        for row in rows:
            leader = row.values.get("unit_leader_number")
            if leader and leader not in by_number:
                plan.errors.append(
                    (
                        row.line,
                        _("%(column)s %(number)s is not in the file.")
                        % {"column": heading["unit_leader_number"], "number": leader},
                    )
                )
    for loop in find_loops(leader_of):
        shown = " → ".join(
            _("%(number)s (line %(line)s)") % {"number": n, "line": by_number[n].line} for n in [*loop, loop[0]]
        )
        for number in loop:
            plan.errors.append(
                (by_number[number].line, _("Personnel leaders go round in a loop: %(loop)s.") % {"loop": shown})
            )
