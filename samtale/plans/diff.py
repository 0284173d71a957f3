"""What changed between two versions of a plan, part by part ("A change after signing is an
amendment: a new version with a reason, shown with what changed in words",
docs/domain.md § The plan).

Items are matched by their ``id`` (content.py keeps ids across saves and amendments), so an item
whose text changed is one change, not a removal and an addition. Every change says in words what
happened (added, removed, changed, and which field), so the page never relies on colour alone.

What is compared is each item's lines as ``readable.readable_content`` writes them for the page
and the PDF, so a change reads in the same words as the plan (a week as "uge 16", a type by its
name, who is responsible as "Lederen" or by the name written): "What someone typed comes back as
they would write it …, in their language, wherever it is shown: form, page, comparison of
versions, PDF" (docs/domain.md § Dates, weeks and words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from samtale.plans.content import follow_up_point, reference_date, version_content
from samtale.plans.links import link_labels
from samtale.plans.models import PlanVersion
from samtale.plans.readable import ReadableItem, ReadablePlan, activity_type_labels, readable_content

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

PARTS = (
    ("focus_areas", _("Focus areas for the coming year")),
    ("follow_up_topics", _("Topics to follow up")),
    ("goals", _("Goals and activities")),
)
# The label of each line an item has (``lines()`` of the readable items), by the stored field's name.
FIELDS = {
    "text": _("Text"),
    "must_improve": _("Must improve"),
    "responsible": _("Responsible"),
    "by": _("By when"),
    "measure": _("What will be true when it is reached"),
    "milestones": _("Milestones"),
    "type": _("Type of activity"),
    "from": _("When: from"),
    "to": _("When: to"),
    "starts": _("Who starts it"),
    "follow_up_how": _("How it is followed up"),
    "follow_up_when": _("Followed up when"),
    "competences": _("Competences it builds"),
    "serves": _("Serves"),
    "course": _("Course from the catalogue"),
}


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


def _fields(old: ReadableItem, new: ReadableItem) -> list[FieldChange]:
    """The lines that read differently, in the item's own order."""
    before = old.lines()
    return [
        FieldChange(name, str(FIELDS[name]), before.get(name, ""), words)
        for name, words in new.lines().items()
        if before.get(name, "") != words
    ]


def _by_id[Item: ReadableItem](items: Sequence[Item]) -> dict[str, Item]:
    return {item.id or str(index): item for index, item in enumerate(items)}


def _compare(
    old_items: Sequence[ReadableItem], new_items: Sequence[ReadableItem], *, context: str = ""
) -> list[Change]:
    old, new = _by_id(old_items), _by_id(new_items)
    changes = []
    for key, item in new.items():
        if key not in old:
            changes.append(Change(ADDED, item.text, context=context))
        elif fields := _fields(old[key], item):
            changes.append(Change(CHANGED, item.text, fields, context=context))
    changes += [Change(REMOVED, item.text, context=context) for key, item in old.items() if key not in new]
    return changes


def content_diff(old: ReadablePlan, new: ReadablePlan) -> list[PartChanges]:
    """Per part, what ``new`` adds, removes and changes against ``old``, both as people read them
    (``readable.readable_content``, with the same labels and reference)."""
    parts = []
    for key, label in PARTS:
        old_items: Sequence[ReadableItem] = getattr(old, key)
        new_items: Sequence[ReadableItem] = getattr(new, key)
        changes = _compare(old_items, new_items)
        if key == "goals":
            # Activities by their ids, under the goal they belong to now.
            old_goals = _by_id(old.goals)
            for goal_id, goal in _by_id(new.goals).items():
                before = old_goals[goal_id].activities if goal_id in old_goals else ()
                changes += _compare(before, goal.activities, context=goal.text)
            new_ids = set(_by_id(new.goals))
            for goal_id, goal in old_goals.items():
                if goal_id not in new_ids:
                    changes += _compare(goal.activities, (), context=goal.text)
        parts.append(PartChanges(key, str(label), changes))
    return parts


def version_diff(previous: PlanVersion, version: PlanVersion) -> VersionDiff:
    """What ``version`` changes against ``previous``: both read from the same conversation date,
    with the same names for the types."""
    reference = reference_date(version.plan)
    labels = activity_type_labels(version_content(previous), version_content(version))
    links = link_labels(version_content(previous), version_content(version))
    old, new = (
        readable_content(
            version_content(v), labels=labels, reference=reference, follow_up=follow_up_point(v), links=links
        )
        for v in (previous, version)
    )
    follow_up = (
        FieldChange("follow_up", str(_("Follow-up conversation")), old.follow_up, new.follow_up)
        if old.follow_up != new.follow_up
        else None
    )
    return VersionDiff(parts=content_diff(old, new), follow_up=follow_up)
