"""What changed between two versions of a plan, part by part ("A change after signing is an
amendment: a new version with a reason, shown with what changed in words",
docs/domain.md § The plan).

Items are matched by their ``id`` (content.py keeps ids across saves and amendments), so an item
whose text changed is one change, not a removal and an addition. Every change says in words what
happened (added, removed, changed, and which field), so the page never relies on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from samtale.plans.content import point_text, reference_date, version_content
from samtale.plans.models import BUILT_IN_ACTIVITY_TYPES, PlanVersion
from samtale.plans.readable import activity_type_labels

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

PARTS = (
    ("focus_areas", _("Focus areas for the coming year")),
    ("follow_up_topics", _("Topics to follow up")),
    ("goals", _("Goals and activities")),
)
FIELDS: dict[str, Any] = {
    "text": _("Text"),
    "must_improve": _("Must improve"),
    "responsible": _("Responsible"),
    "responsible_name": _("Responsible (name)"),
    "by": _("By when"),
    "measure": _("What will be true when it is reached"),
    "milestones": _("Milestones"),
    "type": _("Type of activity"),
    "from": _("When: from"),
    "to": _("When: to"),
    "starts": _("Who starts it"),
    "follow_up_how": _("How it is followed up"),
    "follow_up_when": _("Followed up when"),
}
# Stored as dates and weeks ("2027-W10"), shown as people read them ("uge 10").
WHEN_FIELDS = frozenset({"by", "from", "to", "follow_up_when"})


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class Change:
    kind: str  # ADDED, REMOVED or CHANGED
    label: str  # the item's text, as it reads now (or read, when removed)
    fields: list[FieldChange] = field(default_factory=list)
    context: str = ""  # for an activity: the goal it belongs to

    @property
    def kind_label(self) -> str:
        return str({ADDED: _("Added"), REMOVED: _("Removed"), CHANGED: _("Changed")}[self.kind])


@dataclass
class PartChanges:
    key: str
    label: str
    changes: list[Change]


@dataclass
class VersionDiff:
    parts: list[PartChanges]
    follow_up: FieldChange | None

    @property
    def is_empty(self) -> bool:
        return self.follow_up is None and not any(part.changes for part in self.parts)


def _text(value: Any, types: dict[str, str] | None = None) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if value is None:
        return ""
    if isinstance(value, str) and types and value in types:
        return types[value]
    if isinstance(value, str) and value in BUILT_IN_ACTIVITY_TYPES:
        return str(BUILT_IN_ACTIVITY_TYPES[value])
    return str(value)


def _fields(
    old: dict[str, Any],
    new: dict[str, Any],
    types: dict[str, str],
    reference: date,
    *,
    skip: tuple[str, ...] = ("id", "activities"),
) -> list[FieldChange]:
    # In the content's own order (FIELDS), not the stored key order: PostgreSQL's jsonb sorts keys.
    present = set(old) | set(new)
    names = [name for name in FIELDS if name in present] + sorted(present - set(FIELDS) - set(skip))

    def shown(name: str, value: Any) -> str:
        if name in WHEN_FIELDS and isinstance(value, str):
            return point_text(value, reference=reference)
        return _text(value, types)

    return [
        FieldChange(name, str(FIELDS.get(name, name)), shown(name, old.get(name)), shown(name, new.get(name)))
        for name in names
        if _text(old.get(name)) != _text(new.get(name))
    ]


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(item.get("id", index)): item for index, item in enumerate(items)}


def _compare(
    old_items: list[dict[str, Any]],
    new_items: list[dict[str, Any]],
    types: dict[str, str],
    reference: date,
    *,
    context: str = "",
) -> list[Change]:
    old, new = _by_id(old_items), _by_id(new_items)
    changes = []
    for key, item in new.items():
        if key not in old:
            changes.append(Change(ADDED, _text(item.get("text")), context=context))
        elif fields := _fields(old[key], item, types, reference):
            changes.append(Change(CHANGED, _text(item.get("text")), fields, context=context))
    changes += [
        Change(REMOVED, _text(item.get("text")), context=context) for key, item in old.items() if key not in new
    ]
    return changes


def content_diff(
    old: dict[str, Any], new: dict[str, Any], *, reference: date, types: dict[str, str] | None = None
) -> list[PartChanges]:
    """Per part, what ``new`` adds, removes and changes against ``old``; ``types`` names the
    activity types (by key or uuid) in the reader's language; dates and weeks are written as
    people read them from ``reference`` (``content.point_text``)."""
    types = types or {}
    parts = []
    for key, label in PARTS:
        old_items, new_items = old.get(key) or [], new.get(key) or []
        changes = _compare(old_items, new_items, types, reference)
        if key == "goals":
            # Activities by their ids, under the goal they belong to now.
            old_goals = _by_id(old_items)
            for goal_id, goal in _by_id(new_items).items():
                before = old_goals.get(goal_id, {}).get("activities") or []
                after = goal.get("activities") or []
                changes += _compare(before, after, types, reference, context=_text(goal.get("text")))
            new_ids = set(_by_id(new_items))
            for goal_id, goal in old_goals.items():
                if goal_id not in new_ids:
                    before = goal.get("activities") or []
                    changes += _compare(before, [], types, reference, context=_text(goal.get("text")))
        parts.append(PartChanges(key, str(label), changes))
    return parts


def _follow_up(version: PlanVersion) -> str:
    if version.follow_up_on:
        return version.follow_up_on.isoformat()
    return version.follow_up_week


def version_diff(previous: PlanVersion, version: PlanVersion) -> VersionDiff:
    """What ``version`` changes against ``previous``."""
    reference = reference_date(version.plan)
    before, after = _follow_up(previous), _follow_up(version)
    follow_up = (
        FieldChange(
            "follow_up",
            str(_("Follow-up conversation")),
            point_text(before, reference=reference),
            point_text(after, reference=reference),
        )
        if before != after
        else None
    )
    old, new = previous.content or {}, version.content or {}
    types = activity_type_labels(version_content(previous), version_content(version))
    return VersionDiff(parts=content_diff(old, new, reference=reference, types=types), follow_up=follow_up)
