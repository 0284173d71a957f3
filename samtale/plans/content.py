"""What a plan version says, as one canonical JSON document.

The shape (every list keeps the order the employee gave; every item has a random ``id`` that
stays the same across saves and amendments, so progress and comparisons can follow it)::

    {
      "focus_areas": [                       # part 1, required: at least one
        {"id": "…", "text": "…", "must_improve": false}
      ],
      "follow_up_topics": [                  # part 2, optional
        {"id": "…", "text": "…",
         "responsible": "employee" | "leader" | "other", "responsible_name": "…",   # the name when "other"
         "by": "2027-03-01" | "2027-W10" | ""}
      ],
      "goals": [                             # part 3, required: at least one
        {"id": "…", "text": "…",             # the development goal
         "measure": "…",                     # what will be true when it is reached
         "milestones": "…",
         "competences": ["<uuid hex>", …],   # the competences it builds (plans.links)
         "serves": "goal:<hex>" | "focus:<hex>" | "",   # the round's goal or unit's focus area it serves
         "activities": [                     # at least one per goal
           {"id": "…", "type": "<ActivityType key or uuid>", "text": "…",
            "from": "2027-03-01" | "2027-W10" | "", "to": "2027-04-30" | "2027-W16" | "",
            "starts": "…",                   # who starts it ("my leader")
            "follow_up_how": "…",            # "evaluated at a team meeting"
            "follow_up_when": "2027-05-01" | "2027-W17" | "",
            "course": "<uuid hex>" | ""}     # a course of the catalogue (plans.links)
         ]}
      ]
    }

The follow-up conversation's date or week is on the version itself (``follow_up_on`` /
``follow_up_week``) and is part of what is hashed and signed.

The same shape as types: ``PlanContent`` and its items below, read from a version through
``version_content``. How people read it, on the page, in the PDF and in the comparison of
versions: ``readable.readable_content``, the one place a plan's text is made readable (``ReadablePlan``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from samtale.lib import isoweek
from samtale.plans.models import ActivityType

if TYPE_CHECKING:
    from samtale.plans.links import Links
    from samtale.plans.models import Plan, PlanVersion

# Bump when the shape changes; it is part of what is hashed, so old signatures still verify.
CONTENT_FORMAT = 1


# The shape, as types ------------------------------------------------------------------------------
#
# Every key is always written: ``normalise_content`` gives each item all its fields ("" for a text
# or a point not given), so none is optional. A "point" is a date or a week in its stored form
# ("2027-03-01", "2027-W10") or "" (``parse_point``). The milestones are one text of the goal,
# not items.


class FocusArea(TypedDict):
    id: str
    text: str
    must_improve: bool  # "anything both agree must improve is stated plainly" (docs/domain.md § After the conversation)


class FollowUpTopic(TypedDict):
    id: str
    text: str
    responsible: str  # one of RESPONSIBLE, or "" while nobody is chosen (a draft may be saved so)
    responsible_name: str  # the name when "other", else ""
    by: str  # a point


# "from" is a keyword in Python, so this one is spelt the functional way.
Activity = TypedDict(
    "Activity",
    {
        "id": str,
        "type": str,  # an ActivityType: a built-in by its key, one of HR's by its uuid (activity_type_ref)
        "text": str,
        "from": str,  # when it runs: two points, or "" for either
        "to": str,
        "starts": str,  # who starts it
        "follow_up_how": str,
        "follow_up_when": str,  # a point
        # A course of the catalogue by its uuid's hex, or "" (written since issue 16; older content
        # has no such key, so readers use .get).
        "course": NotRequired[str],
    },
)


class Goal(TypedDict):
    id: str
    text: str
    measure: str
    milestones: str
    # Written since issue 16; older content has no such keys, so readers use .get.
    competences: NotRequired[list[str]]  # the competences it builds, by their uuids' hex
    serves: NotRequired[str]  # "goal:<hex>" (the round's goal), "focus:<hex>" (a unit's focus area) or ""
    activities: list[Activity]


class PlanContent(TypedDict):
    focus_areas: list[FocusArea]
    follow_up_topics: list[FollowUpTopic]
    goals: list[Goal]


def empty_content() -> PlanContent:
    return {"focus_areas": [], "follow_up_topics": [], "goals": []}


def version_content(version: PlanVersion) -> PlanContent:
    """What the version says. The database does not check the JSON's shape (the field's default
    is ``{}``), so readers of a part or an item's field use ``.get`` with a default: a document
    written by hand, as some tests do, reads as what it has."""
    return cast("PlanContent", version.content)


def follow_up_point(version: PlanVersion) -> str:
    """The follow-up conversation's date or week in its stored form ("2027-05-03", "2027-W18"),
    or "" when none is agreed yet."""
    if version.follow_up_on:
        return version.follow_up_on.isoformat()
    return version.follow_up_week


class CanonicalDocument(TypedDict):
    """What a signature covers: the content and the follow-up, with the plan and version they
    belong to."""

    format: int
    plan: str
    version: int
    content: PlanContent
    follow_up_on: str
    follow_up_week: str


def canonical_document(version: PlanVersion) -> CanonicalDocument:
    return {
        "format": CONTENT_FORMAT,
        "plan": str(version.plan.uuid),
        "version": version.number,
        "content": version_content(version),
        "follow_up_on": version.follow_up_on.isoformat() if version.follow_up_on else "",
        "follow_up_week": version.follow_up_week,
    }


def canonical_bytes(version: PlanVersion) -> bytes:
    """The version as bytes that are the same for the same plan, whatever the database or the
    order in which keys were stored."""
    return json.dumps(canonical_document(version), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def content_hash(version: PlanVersion) -> str:
    """SHA-256 of the canonical bytes, in hex: what a signature records."""
    return hashlib.sha256(canonical_bytes(version)).hexdigest()


# Validation and normalisation -------------------------------------------------------------------
#
# A draft may be saved incomplete (the employee writes over days); what is saved is always valid:
# texts within their limits, known choices, dates and weeks that exist, ranges that do not end
# before they start. The "required" rules (a focus area, a goal, an activity per goal …) are
# checked when the plan is handed in: ``plan_completeness_errors``.
#
# Errors are keyed by the form field's name (``goal-0-act-1-from``), which is also its id, so a
# page can tie each message to its field and link to it from the error summary.

TEXT_LIMITS = {
    "focus_area": 2000,
    "topic": 2000,
    "responsible_name": 200,
    "goal": 1000,
    "measure": 1000,
    "milestones": 2000,
    "activity": 1000,
    "starts": 200,
    "follow_up_how": 1000,
}
RESPONSIBLE = ("employee", "leader", "other")
MAX_ROWS = 50

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DANISH_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
# "4. april 2027", "4 April 2027", "4. apr. 2027": how the plan writes a date back, in either language.
_NAMED_DATE = re.compile(r"^(\d{1,2})\.?\s*([^\W\d_]+)\.?,?\s*(\d{4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "january", "jan"),
            ("februar", "february", "feb"),
            ("marts", "march", "mar"),
            ("april", "apr"),
            ("maj", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_HEX = re.compile(r"^[0-9a-f]{32}$")


class ContentError(ValidationError):
    """The content could not be saved; ``error_dict`` maps field names to messages."""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _id(value: Any) -> str:
    """An item keeps its id across saves (progress and comparisons follow it); a new item gets one."""
    value = _text(value)
    return value if _HEX.match(value) else uuid4().hex


def parse_point(text: str, *, reference: date) -> str:
    """A date ("2027-03-01", "1.3.2027", "1. marts 2027", "1 March 2027") or a single ISO week
    ("2027-W10", "uge 10") in its stored form; "" for nothing. Raises ValueError when the text is
    neither."""
    text = " ".join(text.split())
    if not text:
        return ""
    for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_DANISH_DATE, (3, 2, 1))):
        match = pattern.match(text)
        if match:
            year, month, day = (int(match[i]) for i in order)
            return date(year, month, day).isoformat()
    named = _NAMED_DATE.match(text)
    if named:
        month_number = _MONTHS.get(named[2].casefold())
        if month_number is None:
            raise ValueError(text)
        return date(int(named[3]), month_number, int(named[1])).isoformat()
    weeks = isoweek.parse_weeks(text, reference=reference)
    if weeks is None or weeks[0] != weeks[1]:
        raise ValueError(text)
    return weeks[0]


def parse_span(start: str, end: str, *, reference: date) -> tuple[str, str]:
    """When an activity runs: two points, or a range of weeks in the first field ("uge 10–16",
    with the second left empty). Raises ValueError naming the field that is wrong."""
    start, end = " ".join(start.split()), " ".join(end.split())
    if start and not end:
        try:
            weeks = isoweek.parse_weeks(start, reference=reference)
        except isoweek.WeekError:
            raise ValueError("from") from None
        if weeks is not None and weeks[0] != weeks[1]:
            return weeks
    try:
        first = parse_point(start, reference=reference)
    except (ValueError, isoweek.WeekError):
        raise ValueError("from") from None
    # The end is read on or after the start, as in one field ("uge 52–2" runs over the new year):
    # "uge 10" to "uge 16" written in week 12 is next year's weeks 10 to 16, not a range that ends
    # before it starts.
    after = max(reference, point_start(first)) if first else reference
    try:
        last = parse_point(end, reference=after)
    except (ValueError, isoweek.WeekError):
        raise ValueError("to") from None
    return first, last


def point_start(value: str) -> date:
    return isoweek.week_start(value) if isoweek.is_week(value) else date.fromisoformat(value)


def point_end(value: str) -> date:
    return isoweek.week_end(value) if isoweek.is_week(value) else date.fromisoformat(value)


# Written back --------------------------------------------------------------------------------------
#
# What the employee typed comes back as they would write it, never as it is stored: "uge 8",
# "uge 10–16", "4.4.2027" in the form; "4. april 2027" where it is read. The inverse of the parsing
# above: parse_point(point_text(x)) == x and parse_span(*span_form(a, b)) == (a, b), with the same
# reference date (the conversation's).


def point_text(value: str, *, reference: date, typed: bool = False) -> str:
    """A stored date or week in the current language: "uge 8", "4. april 2027" ("4 April 2027"
    in English); ``typed``, a date as it is typed in the form ("4.4.2027")."""
    if not value:
        return ""
    if isoweek.is_week(value):
        return isoweek.week_text(value, reference=reference)
    if typed:
        # Translators: a date as people type it, in Django's date format; Danish "j.n.Y" (4.4.2027).
        return date_format(date.fromisoformat(value), pgettext("date as typed", "j F Y"))
    # Translators: a date as people read it, in Django's date format; Danish "j. F Y" (4. april 2027).
    return date_format(date.fromisoformat(value), pgettext("date as read", "j F Y"))


def span_text(start: str, end: str, *, reference: date) -> str:
    """When an activity runs, for reading: "uge 10–16", "uge 52–2", "4. april 2027 – uge 16"."""
    if start and end and start != end:
        if isoweek.is_week(start) and isoweek.is_week(end):
            return isoweek.weeks_text(start, end, reference=reference)
        return f"{point_text(start, reference=reference)} – {point_text(end, reference=reference)}"
    if end and not start:
        return _("until %(end)s") % {"end": point_text(end, reference=reference)}
    return point_text(start, reference=reference)


def span_form(start: str, end: str, *, reference: date) -> tuple[str, str]:
    """When an activity runs, for the form's two fields: a range of weeks in the first ("uge
    10–16", as the help text suggests), else each point in its field."""
    if start and end and start != end and isoweek.is_week(start) and isoweek.is_week(end):
        text = isoweek.weeks_text(start, end, reference=reference)
        try:
            if isoweek.parse_weeks(text, reference=reference) == (start, end):
                return text, ""
        except isoweek.WeekError:
            pass
    return point_text(start, reference=reference, typed=True), point_text(end, reference=reference, typed=True)


def reference_date(plan: Plan) -> date:
    """The date a plan's weeks without a year are read from and written for: the conversation's
    (see ``normalise_content``)."""
    held_on: date | None = plan.conversation.held_on
    return held_on if held_on is not None else plan.due_on


def activity_type_ref(activity_type: ActivityType) -> str:
    """How the content names a type: a built-in by its key, one of HR's by its uuid."""
    return activity_type.key or activity_type.uuid.hex


# Normalising what the form posted -----------------------------------------------------------------


class _Reading:
    """What the form posted, read field by field: strings as typed, points read from
    ``reference``; every message kept under its field's name (``goal-0-act-1-from``), which is
    the row's ``prefix`` and the field."""

    def __init__(self, reference: date) -> None:
        self.reference = reference
        self.errors: dict[str, list[str]] = {}

    def error(self, row: Mapping[str, Any], field: str, message: str) -> None:
        self.errors.setdefault(f"{row['prefix']}-{field}", []).append(message)

    def text(self, row: Mapping[str, Any], field: str, limit: str) -> str:
        value = _text(row.get(field))
        if len(value) > TEXT_LIMITS[limit]:
            self.error(row, field, _("Write at most %(max)d characters.") % {"max": TEXT_LIMITS[limit]})
        return value

    def point(self, row: Mapping[str, Any], field: str) -> str:
        try:
            return parse_point(_text(row.get(field)), reference=self.reference)
        except (ValueError, isoweek.WeekError):
            self.error(row, field, _("Write a date (such as 1 March 2027) or a week (such as week 10)."))
            return ""

    def span(self, row: Mapping[str, Any]) -> tuple[str, str]:
        try:
            return parse_span(_text(row.get("from")), _text(row.get("to")), reference=self.reference)
        except ValueError as wrong:
            self.error(
                row,
                str(wrong),
                _("Write a date (such as 1 March 2027), a week (such as week 10) or weeks (such as weeks 10–16)."),
            )
            return "", ""


def _rows(raw: Mapping[str, Any], part: str) -> list[Mapping[str, Any]]:
    rows: list[Mapping[str, Any]] = raw.get(part, [])[:MAX_ROWS]
    return rows


def _focus_areas(raw: Mapping[str, Any], read: _Reading) -> list[FocusArea]:
    areas: list[FocusArea] = []
    for row in _rows(raw, "focus_areas"):
        area: FocusArea = {
            "id": _id(row.get("id")),
            "text": read.text(row, "text", "focus_area"),
            "must_improve": bool(row.get("must_improve")),
        }
        if area["text"] or area["must_improve"]:
            areas.append(area)
    return areas


def _topics(raw: Mapping[str, Any], read: _Reading) -> list[FollowUpTopic]:
    """Each topic "with who is responsible" (docs/domain.md § After the conversation): the
    employee, the leader, or someone else by name."""
    topics: list[FollowUpTopic] = []
    for row in _rows(raw, "follow_up_topics"):
        responsible = _text(row.get("responsible"))
        topic: FollowUpTopic = {
            "id": _id(row.get("id")),
            "text": read.text(row, "text", "topic"),
            "responsible": responsible,
            "responsible_name": read.text(row, "responsible_name", "responsible_name")
            if responsible == "other"
            else "",
            "by": read.point(row, "by"),
        }
        if not (topic["text"] or topic["responsible_name"] or topic["by"]):
            continue
        if responsible and responsible not in RESPONSIBLE:
            read.error(row, "responsible", _("Choose who is responsible."))
        if responsible == "other" and not topic["responsible_name"]:
            read.error(row, "responsible_name", _("Write the name of the person responsible."))
        topics.append(topic)
    return topics


def _course(act: Mapping[str, Any], read: _Reading, links: Links | None) -> str:
    """The course an activity names: typed by its code in the form, stored by its uuid's hex."""
    typed = _text(act.get("course"))
    if not typed:
        return ""
    if links is None:
        return typed if _HEX.match(typed) else ""
    ref = links.course_ref(typed)
    if ref is None:
        read.error(act, "course", _("No course in the catalogue has this code. Choose one from the list."))
        return ""
    return ref


def _activities(
    row: Mapping[str, Any],
    read: _Reading,
    *,
    types: AbstractSet[str],
    kept_types: AbstractSet[str],
    links: Links | None = None,
) -> list[Activity]:
    """A goal's activities: "when (e.g. weeks 10–16), who starts it (e.g. my leader), how it is
    followed up (e.g. evaluated at a team meeting), when (e.g. week 17)" (docs/domain.md § After
    the conversation), of a type from the catalogue (§ The plan)."""
    activities: list[Activity] = []
    for act in _rows(row, "activities"):
        start, end = read.span(act)
        activity: Activity = {
            "id": _id(act.get("id")),
            "type": _text(act.get("type")),
            "text": read.text(act, "text", "activity"),
            "from": start,
            "to": end,
            "starts": read.text(act, "starts", "starts"),
            "follow_up_how": read.text(act, "follow_up_how", "follow_up_how"),
            "follow_up_when": read.point(act, "follow_up_when"),
            "course": _course(act, read, links),
        }
        if not any(value for key, value in activity.items() if key != "id"):
            continue
        type_ = activity["type"]
        if type_ and type_ not in types and type_ not in kept_types:
            read.error(act, "type", _("Choose a type from the list."))
        if start and end and point_end(end) < point_start(start):
            read.error(act, "to", _("The end is before the start."))
        activities.append(activity)
    return activities


def _competences(row: Mapping[str, Any], read: _Reading, links: Links | None) -> list[str]:
    chosen = row.get("competences") or []
    refs = [value.strip() for value in chosen if isinstance(value, str) and value.strip()][:MAX_ROWS]
    known = links.competences if links is not None else None
    if known is not None and any(ref not in known for ref in refs):
        read.error(row, "competences", _("Choose the competences from the list."))
    return [ref for ref in dict.fromkeys(refs) if (ref in known if known is not None else _HEX.match(ref))]


def _serves(row: Mapping[str, Any], read: _Reading, links: Links | None) -> str:
    ref = _text(row.get("serves"))
    if not ref:
        return ""
    if links is not None and ref not in links.serves:
        read.error(row, "serves", _("Choose the goal or focus area from the list."))
        return ""
    kind, _sep, value = ref.partition(":")
    return ref if kind in ("goal", "focus") and _HEX.match(value) else ""


def _goals(
    raw: Mapping[str, Any],
    read: _Reading,
    *,
    types: AbstractSet[str],
    kept_types: AbstractSet[str],
    links: Links | None = None,
) -> list[Goal]:
    goals: list[Goal] = []
    for row in _rows(raw, "goals"):
        # The activities first: the messages keep the order they have always had on the page.
        activities = _activities(row, read, types=types, kept_types=kept_types, links=links)
        goal: Goal = {
            "id": _id(row.get("id")),
            "text": read.text(row, "text", "goal"),
            "measure": read.text(row, "measure", "measure"),
            "milestones": read.text(row, "milestones", "milestones"),
            "competences": _competences(row, read, links),
            "serves": _serves(row, read, links),
            "activities": activities,
        }
        if goal["text"] or goal["measure"] or goal["milestones"] or activities or goal["competences"] or goal["serves"]:
            goals.append(goal)
    return goals


def normalise_content(
    raw: Mapping[str, Any],
    *,
    reference: date,
    active_types: AbstractSet[str],
    kept_types: AbstractSet[str] = frozenset(),
    links: Links | None = None,
) -> PlanContent:
    """The content to store, from what the form posted (``raw`` has the shape of the content,
    with strings as typed and each row's ``prefix``, its field names' start: the form's
    ``RawContent``; content already stored reads back as itself). Empty rows are left out.
    ``reference`` is the conversation's date: a week without a year is the first such week after
    it. A type must be offered (``active_types``); one this version already had (``kept_types``)
    stays even if HR has since withdrawn it. What a goal or activity links to must be among
    ``links``' choices (``plans.links.link_choices``); without ``links`` only a well-formed reference
    is kept. Raises ``ContentError`` with every message at once."""
    read = _Reading(reference)
    content: PlanContent = {
        "focus_areas": _focus_areas(raw, read),
        "follow_up_topics": _topics(raw, read),
        "goals": _goals(raw, read, types=active_types, kept_types=kept_types, links=links),
    }
    if read.errors:
        raise ContentError(read.errors)
    return content


def plan_completeness_errors(content: PlanContent) -> list[str]:
    """What the plan still lacks before it can be handed in: at least one focus area, at least one
    goal, and one or more activities for each goal (docs/domain.md § After the conversation and
    § The plan). Empty when complete. The signing area calls this on submit."""
    errors: list[str] = []
    focus_areas = content.get("focus_areas", [])
    if not focus_areas:
        errors.append(_("Write at least one focus area for the coming year."))
    for number, area in enumerate(focus_areas, 1):
        if not area.get("text"):
            errors.append(pgettext("development plan", "Focus area %(number)d has no text.") % {"number": number})
    for number, topic in enumerate(content.get("follow_up_topics", []), 1):
        if not topic.get("text"):
            errors.append(_("Topic to follow up %(number)d has no text.") % {"number": number})
        if not topic.get("responsible"):
            errors.append(_("Topic to follow up %(number)d has nobody responsible.") % {"number": number})
    goals = content.get("goals", [])
    if not goals:
        errors.append(_("Write at least one development goal."))
    for number, goal in enumerate(goals, 1):
        if not goal.get("text"):
            errors.append(_("Goal %(number)d has no text.") % {"number": number})
        activities = goal.get("activities", [])
        if not activities:
            errors.append(_("Goal %(number)d has no activity.") % {"number": number})
        for act_number, activity in enumerate(activities, 1):
            if not activity.get("type"):
                errors.append(
                    _("Activity %(activity)d of goal %(goal)d has no type.") % {"goal": number, "activity": act_number}
                )
    return errors


def plan_quality_hints(content: PlanContent, *, course_types: AbstractSet[str]) -> list[str]:
    """Hints, not a gate (docs/domain.md § The plan): goals without a measurable outcome, activities
    without who starts them or when, and a plan whose activities are only courses (a MUS is "not a
    loose wish list of courses", docs/domain.md § The conversation — six phases)."""
    hints: list[str] = []
    activities: list[Activity] = []
    for number, goal in enumerate(content.get("goals", []), 1):
        if not goal.get("measure"):
            hints.append(
                _(
                    "Goal %(number)d does not say what will be true when it is reached. "
                    "A measurable outcome makes the follow-up easier."
                )
                % {"number": number}
            )
        for act_number, activity in enumerate(goal.get("activities", []), 1):
            activities.append(activity)
            if not activity.get("starts"):
                hints.append(
                    _("Activity %(activity)d of goal %(goal)d does not say who starts it.")
                    % {"goal": number, "activity": act_number}
                )
            if not (activity.get("from") or activity.get("to")):
                hints.append(
                    _("Activity %(activity)d of goal %(goal)d has no date or week.")
                    % {"goal": number, "activity": act_number}
                )
    typed = [a for a in activities if a.get("type")]
    if typed and all(a["type"] in course_types for a in typed):
        hints.append(
            _(
                "All the activities are courses. Development also comes from new tasks, projects, "
                "peer training, mentoring and challenges at work."
            )
        )
    return hints
