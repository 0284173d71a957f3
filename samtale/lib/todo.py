"""One thing a person has to do in Samtale, as their start page lists it (``samtale.dashboards.todo``)
and each app finds it (``todo_for_*`` in the apps' selectors). The reminders e-mail a person about
some of the same things on chosen days; both are read from the same rules (the apps' ``*_q`` and
queryset functions), so a reminder never points at something the start page does not show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ToDo:
    kind: str  # what kind of thing, e.g. "plan.sign" (the tests match reminders to these)
    text: str  # what to do, in the reader's language
    url: str
    due: date | None = None
    late: bool = False  # the date has passed
    ref: int | None = None  # the primary key of the object it is about (conversation, plan, item …)
    icon: str = "arrow-forward"  # one of the design system's icons
    at: datetime | None = None  # a booked time (a conversation), shown instead of "by <due>"

    @property
    def sort_key(self) -> tuple[int, date, str]:
        return (0 if self.late else 1, self.due or date.max, self.text)


def due_state(due: date | None, today: date) -> bool:
    """Whether a thing with this date is late today."""
    return due is not None and due < today
