"""The plan's form: the three parts as rows the employee adds and removes, read from and written
to plain field names (``fa-0-text``, ``goal-1-act-0-from``) that are also the fields' ids, so an
error is tied to its field and the error summary links to it.

The rows live in a ``raw`` document (``RawContent``) with the content's shape
(``samtale.plans.content.PlanContent``), with the text as typed and each row's ``prefix``. Adding
or removing a row changes only that document and shows the form again: nothing is saved until the
employee saves.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from samtale.plans.content import MAX_ROWS, Activity, PlanContent, point_text, span_form
from samtale.plans.links import Links

# The as-typed form data: the content's shape with every value a string as typed ("uge 10–16",
# "4.4.2027"), each row's ``prefix`` (its fields' names start with it) and, once checked, its
# ``errors``. Deliberately looser than ``PlanContent``: it is what the employee posted, not yet
# content; ``content.normalise_content`` reads it into content, or into messages.
type RawContent = dict[str, Any]

FOCUS_FIELDS = ("id", "text")
TOPIC_FIELDS = ("id", "text", "responsible", "responsible_name", "by")
GOAL_FIELDS = ("id", "text", "measure", "milestones", "serves")
ACTIVITY_FIELDS = ("id", "type", "text", "from", "to", "starts", "follow_up_how", "follow_up_when", "course")


def _count(data: Mapping[str, Any], key: str) -> int:
    try:
        return max(0, min(int(data.get(key, 0)), MAX_ROWS))
    except (TypeError, ValueError):
        return 0


def _row(data: Mapping[str, Any], prefix: str, fields: tuple[str, ...]) -> dict[str, Any]:
    return {"prefix": prefix, **{field: str(data.get(f"{prefix}-{field}", "")) for field in fields}}


def raw_from_post(data: Mapping[str, Any]) -> RawContent:
    focus_areas = []
    for i in range(_count(data, "fa-count")):
        row = _row(data, f"fa-{i}", FOCUS_FIELDS)
        row["must_improve"] = bool(data.get(f"fa-{i}-must_improve"))
        focus_areas.append(row)
    topics = [_row(data, f"topic-{i}", TOPIC_FIELDS) for i in range(_count(data, "topic-count"))]
    goals = []
    for i in range(_count(data, "goal-count")):
        goal = _row(data, f"goal-{i}", GOAL_FIELDS)
        getlist = getattr(data, "getlist", None)
        chosen = getlist(f"goal-{i}-competences") if getlist else data.get(f"goal-{i}-competences", [])
        goal["competences"] = [str(value) for value in chosen] if isinstance(chosen, list) else [str(chosen)]
        goal["activities"] = [
            _row(data, f"goal-{i}-act-{j}", ACTIVITY_FIELDS) for j in range(_count(data, f"goal-{i}-act-count"))
        ]
        goals.append(goal)
    return {"focus_areas": focus_areas, "follow_up_topics": topics, "goals": goals}


def raw_from_content(content: PlanContent, *, reference: date, links: Links | None = None) -> RawContent:
    """The stored content as the form shows it, dates and weeks as the employee writes them
    ("uge 8", "uge 10–16", "4.4.2027", read from ``reference`` as when saving); an empty plan
    gets one empty row in each required part, so the form can be filled in without adding rows
    first."""

    def typed(value: Any) -> str:
        return point_text(str(value or ""), reference=reference, typed=True)

    def activity(item: Activity) -> dict[str, Any]:
        start, end = span_form(str(item.get("from") or ""), str(item.get("to") or ""), reference=reference)
        course = str(item.get("course") or "")
        return {
            **item,
            "from": start,
            "to": end,
            "follow_up_when": typed(item.get("follow_up_when")),
            "course": links.course_typed(course) if links is not None else course,
        }

    raw: RawContent = {
        "focus_areas": [dict(item) for item in content.get("focus_areas", [])],
        "follow_up_topics": [{**item, "by": typed(item.get("by"))} for item in content.get("follow_up_topics", [])],
        "goals": [
            {
                **goal,
                "competences": list(goal.get("competences", [])),
                "serves": goal.get("serves", ""),
                "activities": [activity(a) for a in goal.get("activities", [])],
            }
            for goal in content.get("goals", [])
        ],
    }
    if not raw["focus_areas"]:
        raw["focus_areas"].append(_empty("fa"))
    if not raw["goals"]:
        raw["goals"].append(_empty("goal"))
    for goal in raw["goals"]:
        if not goal["activities"]:
            goal["activities"].append(_empty("act"))
    return renumber(raw)


def _empty(kind: str) -> dict[str, Any]:
    if kind == "fa":
        return {**dict.fromkeys(FOCUS_FIELDS, ""), "must_improve": False}
    if kind == "topic":
        return dict.fromkeys(TOPIC_FIELDS, "")
    if kind == "goal":
        return {**dict.fromkeys(GOAL_FIELDS, ""), "competences": [], "activities": [dict.fromkeys(ACTIVITY_FIELDS, "")]}
    return dict.fromkeys(ACTIVITY_FIELDS, "")


def renumber(raw: RawContent) -> RawContent:
    """Give every row the prefix of its place."""
    for i, row in enumerate(raw["focus_areas"]):
        row["prefix"] = f"fa-{i}"
    for i, row in enumerate(raw["follow_up_topics"]):
        row["prefix"] = f"topic-{i}"
    for i, goal in enumerate(raw["goals"]):
        goal["prefix"] = f"goal-{i}"
        for j, activity in enumerate(goal["activities"]):
            activity["prefix"] = f"goal-{i}-act-{j}"
    return raw


def apply_row_action(raw: RawContent, *, add: str = "", remove: str = "") -> tuple[RawContent, str]:
    """Add or remove one row; returns the document and the id of the field to put the focus on
    (the new row's first field, or the part's heading after a removal)."""
    parts = {"fa": "focus_areas", "topic": "follow_up_topics", "goal": "goals"}
    focus = ""
    if add in parts and len(raw[parts[add]]) < MAX_ROWS:
        raw[parts[add]].append(_empty(add))
        focus = f"{add}-{len(raw[parts[add]]) - 1}-{'type' if add == 'act' else 'text'}"
    elif add.startswith("goal-") and add.endswith("-act"):
        goal = _goal(raw, add.split("-")[1])
        if goal is not None and len(goal["activities"]) < MAX_ROWS:
            goal["activities"].append(_empty("act"))
            focus = f"{add}-{len(goal['activities']) - 1}-type"
    elif remove:
        bits = remove.split("-")
        if len(bits) == 2 and bits[0] in parts:
            rows = raw[parts[bits[0]]]
            index = _index(bits[1], len(rows))
            if index is not None:
                rows.pop(index)
                focus = f"{parts[bits[0]]}-heading"
        elif len(bits) == 4 and bits[0] == "goal" and bits[2] == "act":
            goal = _goal(raw, bits[1])
            index = _index(bits[3], len(goal["activities"])) if goal is not None else None
            if goal is not None and index is not None:
                goal["activities"].pop(index)
                focus = f"goal-{bits[1]}-heading"
    return renumber(raw), focus


def _index(text: str, length: int) -> int | None:
    return int(text) if text.isdigit() and int(text) < length else None


def _goal(raw: RawContent, text: str) -> dict[str, Any] | None:
    index = _index(text, len(raw["goals"]))
    return raw["goals"][index] if index is not None else None


FIELD_LABELS = {
    "text": lambda: _("Text"),
    "responsible": lambda: _("Who is responsible"),
    "responsible_name": lambda: _("Name"),
    "by": lambda: _("By when"),
    "measure": lambda: _("What will be true when it is reached"),
    "milestones": lambda: _("Milestones"),
    "type": lambda: _("Type"),
    "from": lambda: _("When: from"),
    "to": lambda: _("When: to"),
    "starts": lambda: _("Who starts it"),
    "follow_up_how": lambda: _("How it is followed up"),
    "follow_up_when": lambda: _("When it is followed up"),
    "competences": lambda: _("Competences it builds"),
    "serves": lambda: _("Serves"),
    "course": lambda: _("Course from the catalogue"),
}


def error_label(key: str) -> str:
    """ "Goal 1, activity 2: When: to" for ``goal-0-act-1-to``."""
    bits = key.split("-")
    if key == "follow_up":
        return _("The follow-up conversation")
    field = FIELD_LABELS.get(bits[-1], lambda: bits[-1])()
    if bits[0] == "fa":
        where = pgettext("development plan", "Focus area %(number)d") % {"number": int(bits[1]) + 1}
    elif bits[0] == "topic":
        where = _("Topic to follow up %(number)d") % {"number": int(bits[1]) + 1}
    elif len(bits) >= 5:
        where = _("Goal %(goal)d, activity %(activity)d") % {"goal": int(bits[1]) + 1, "activity": int(bits[3]) + 1}
    else:
        where = _("Goal %(number)d") % {"number": int(bits[1]) + 1}
    return f"{where}: {field}"


def attach_errors(raw: RawContent, errors: dict[str, list[str]]) -> None:
    """Put each message on its row, by field, for the template."""
    rows = [*raw["focus_areas"], *raw["follow_up_topics"]]
    for goal in raw["goals"]:
        rows += [goal, *goal["activities"]]
    for row in rows:
        prefix = row["prefix"] + "-"
        row["errors"] = {
            key[len(prefix) :]: messages
            for key, messages in errors.items()
            if key.startswith(prefix) and "-" not in key[len(prefix) :]
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment or suggestion"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The employee is told by e-mail that you have commented; the e-mail holds only a link."),
    )


class ActivityTypeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    is_course = forms.BooleanField(
        label=gettext_lazy("Counts as a course"),
        required=False,
        help_text=gettext_lazy("Samtale points it out when a plan's activities are only courses."),
    )


class ActivityTypeRenameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("New name"), max_length=100)
