"""The units the file names, against the units in Samtale: each unit named the same way and under
the same parent on every row, every parent known, no loops, no deeper than Samtale holds; then
which units are new and which are renamed or moved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from samtale.org.importing.existing import Existing
from samtale.org.importing.reader import COLUMNS
from samtale.org.importing.rows import PersonRow
from samtale.org.importing.trees import depth_counter, find_loops
from samtale.org.models import MAX_DEPTH

if TYPE_CHECKING:
    from samtale.org.importing.import_plan import ImportPlan


@dataclass
class UnitSpec:
    code: str
    line: int
    name: str | None = None
    parent_code: str | None = None
    has_parent_column: bool = False
    leader_number: str | None = None  # named in the file's unit leader column


def plan_units(rows: list[PersonRow], plan: ImportPlan, existing: Existing) -> dict[str, UnitSpec]:
    """The units named in the file: consistent names and parents, known parents, no loops."""
    specs = _unit_specs(rows, plan)
    parents = _unit_parents(specs, existing, plan)
    _check_unit_loops(specs, parents, plan)
    if not plan.errors:
        _check_depth(specs, parents, plan)
    if not plan.errors:
        _plan_unit_changes(specs, existing, plan)
    plan.unit_parents = parents
    return specs


def _unit_specs(rows: list[PersonRow], plan: ImportPlan) -> dict[str, UnitSpec]:
    """Each unit as its first row names it; a later row that says otherwise is an error."""
    specs: dict[str, UnitSpec] = {}
    has_parent = "parent_unit_code" in plan.columns
    for row in rows:
        code = row.values.get("unit_code")
        if not code:
            continue
        spec = specs.get(code)
        if spec is None:
            specs[code] = UnitSpec(
                code=code,
                line=row.line,
                name=row.values.get("unit_name") or None,
                parent_code=row.values.get("parent_unit_code") or None,
                has_parent_column=has_parent,
                leader_number=row.values.get("unit_leader_number") or None,
            )
        else:
            _check_same_unit(spec, row, plan)
    return specs


def _check_same_unit(spec: UnitSpec, row: PersonRow, plan: ImportPlan) -> None:
    """A later row of a unit: the same leader, name and parent as before (or fills in what was blank)."""
    code = spec.code
    name = row.values.get("unit_name") or None
    parent = row.values.get("parent_unit_code") or None
    leader = row.values.get("unit_leader_number") or None
    has_name = "unit_name" in plan.columns
    if leader and spec.leader_number and leader != spec.leader_number:
        plan.errors.append(
            (
                row.line,
                _("Unit %(code)s is led by %(leader)s here but by %(other)s on line %(line)s.")
                % {"code": code, "leader": leader, "other": spec.leader_number, "line": spec.line},
            )
        )
    elif leader and not spec.leader_number:
        spec.leader_number = leader
    if has_name and name and spec.name and name != spec.name:
        plan.errors.append(
            (
                row.line,
                _("Unit %(code)s is called “%(name)s” here but “%(other)s” on line %(line)s.")
                % {"code": code, "name": name, "other": spec.name, "line": spec.line},
            )
        )
    elif has_name and name and not spec.name:
        spec.name = name
    if spec.has_parent_column and parent != spec.parent_code:
        plan.errors.append(
            (
                row.line,
                _("Unit %(code)s has the parent unit “%(parent)s” here but “%(other)s” on line %(line)s.")
                % {"code": code, "parent": parent or "–", "other": spec.parent_code or "–", "line": spec.line},
            )
        )


def _unit_parents(specs: dict[str, UnitSpec], existing: Existing, plan: ImportPlan) -> dict[str, str | None]:
    """Every unit code, in Samtale or in the file, -> its parent's code after the import. A new unit
    needs a name, and a parent must be in the file or in Samtale."""
    code_by_id = existing.unit_code_by_id
    parents: dict[str, str | None] = {
        code: (code_by_id.get(parent) if parent else None)
        for code, (_pk, _name, parent, _leader) in existing.unit_by_code.items()
    }
    for code, spec in specs.items():
        is_new = code not in existing.unit_by_code
        if is_new and not spec.name:
            plan.errors.append(
                (
                    spec.line,
                    _("Unit %(code)s is new, so it needs a unit name (%(column)s).")
                    % {"code": code, "column": " / ".join(COLUMNS["unit_name"])},
                )
            )
        if spec.has_parent_column:
            if spec.parent_code and spec.parent_code not in specs and spec.parent_code not in existing.unit_by_code:
                plan.errors.append(
                    (
                        spec.line,
                        _("The parent unit %(code)s is neither in the file nor in Samtale.")
                        % {"code": spec.parent_code},
                    )
                )
            parents[code] = spec.parent_code
        elif is_new:
            parents[code] = None
    return parents


def _check_unit_loops(specs: dict[str, UnitSpec], parents: dict[str, str | None], plan: ImportPlan) -> None:
    """A loop the file makes is reported once, on the line of its first unit in the file."""
    for loop in find_loops(parents):
        if not any(code in specs for code in loop):
            continue
        shown = " → ".join([*loop, loop[0]])
        for code in loop:
            if code in specs:
                plan.errors.append((specs[code].line, _("Units go round in a loop: %(loop)s.") % {"loop": shown}))
                break


def _check_depth(specs: dict[str, UnitSpec], parents: dict[str, str | None], plan: ImportPlan) -> None:
    """Samtale keeps each unit's path from the top; it holds at most MAX_DEPTH levels."""
    depth_of = depth_counter(parents)
    for code, spec in specs.items():
        if depth_of(code) >= MAX_DEPTH:
            plan.errors.append(
                (
                    spec.line,
                    _("Unit %(code)s lies %(depth)s levels down; Samtale holds at most %(max)s levels.")
                    % {"code": code, "depth": depth_of(code) + 1, "max": MAX_DEPTH},
                )
            )


def _plan_unit_changes(specs: dict[str, UnitSpec], existing: Existing, plan: ImportPlan) -> None:
    """The units to create, and the units renamed or moved (with the old values, for the preview)."""
    code_by_id = existing.unit_code_by_id
    for code, spec in specs.items():
        current = existing.unit_by_code.get(code)
        if current is None:
            plan.units_create.append(spec)
            continue
        pk, name, parent_id, _leader = current
        changes: dict[str, Any] = {}
        if spec.name and spec.name != name:
            changes.update(name=spec.name, old_name=name)
        old_parent = code_by_id.get(parent_id) if parent_id else None
        if spec.has_parent_column and spec.parent_code != old_parent:
            changes.update(parent_code=spec.parent_code, old_parent_code=old_parent)
        if changes:
            plan.units_change.append((pk, code, changes))
