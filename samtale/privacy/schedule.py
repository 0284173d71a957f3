"""The retention schedule: how long each kind of record is kept, counted from what, and the floor and
ceiling the code keeps whatever the organisation sets (docs/trust.md § Erasure and retention).

The defaults are the trust rules': a preparation 12 months after the conversation; the minutes and
the plan 5 years after the round closes, and at most 12 months after employment ends. The
organisation sets its own periods in ``SAMTALE_RETENTION`` ("preparations=6,emails=30"); a period
outside its floor or ceiling, or an unknown kind, stops the server at start-up (a system check), so
a typo can neither keep records for ever nor delete them at once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import checks
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

MONTHS, DAYS = "months", "days"


@dataclass(frozen=True)
class Rule:
    key: str
    label: str | Promise
    what: str | Promise
    counts_from: str | Promise
    default: int
    floor: int
    ceiling: int
    unit: str = MONTHS


RULES = (
    Rule(
        "preparations",
        _("Preparations"),
        _("The employee's and the leader's preparation for a conversation."),
        _("after the conversation (after the round closes, if it was never held)"),
        12,
        1,
        24,
    ),
    Rule(
        "conversations",
        _("Conversations and plans"),
        _(
            "The conversation with its invitation, time, place and attendees, special topics, minutes and "
            "open items, the must-improve notice, the plan with every version, signature and comment, its "
            "progress, departures and follow-up."
        ),
        _("after the round closes"),
        60,
        12,
        120,
    ),
    Rule(
        "after_employment",
        _("After employment ends"),
        _(
            "At the latest, everything above about a person who has left; then their person record, roles "
            "and account, once no one else's kept record names them."
        ),
        _("after the last day of employment"),
        12,
        0,
        60,
    ),
    Rule(
        "survey_invitations",
        _("Evaluation invitations"),
        _("Who was asked to answer an evaluation. The answers are anonymous and stay with the evaluation."),
        _("after the round closes"),
        12,
        1,
        60,
    ),
    Rule(
        "emails",
        _("Outgoing e-mails"),
        _("The e-mails Samtale sent (or cancelled), with what they said."),
        _("after they were sent"),
        90,
        7,
        365,
        DAYS,
    ),
    Rule(
        "imports",
        _("Organisation imports"),
        _(
            "The record of an organisation import with its preview. The file itself is erased when it is "
            "applied, or a day after its preview."
        ),
        _("after the upload"),
        12,
        1,
        36,
    ),
    Rule(
        "audit",
        _("Audit trail"),
        _("Who read or changed what and when, and what retention and erasure deleted (never the content)."),
        _("after the event"),
        60,
        24,
        120,
    ),
)
RULE = {rule.key: rule for rule in RULES}


def _configured(raw: str) -> tuple[dict[str, int], list[str]]:
    """The periods in ``SAMTALE_RETENTION`` and the errors in it."""
    periods: dict[str, int] = {}
    errors: list[str] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        key, _sep, value = part.partition("=")
        key = key.strip()
        rule = RULE.get(key)
        if rule is None:
            errors.append(f"unknown kind of record {key!r} (known: {', '.join(RULE)})")
            continue
        try:
            number = int(value)
        except ValueError:
            errors.append(f"{key}: {value.strip()!r} is not a whole number of {rule.unit}")
            continue
        if not rule.floor <= number <= rule.ceiling:
            errors.append(f"{key}: {number} {rule.unit} is outside {rule.floor}–{rule.ceiling} {rule.unit}")
            continue
        periods[key] = number
    return periods, errors


@checks.register()
def retention_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    _periods, errors = _configured(settings.SAMTALE_RETENTION)
    return [checks.Error(f"SAMTALE_RETENTION: {error}", id="samtale.privacy.E001") for error in errors]


def period(key: str) -> int:
    """The period kept for a kind of record, in its rule's unit."""
    periods, _errors = _configured(settings.SAMTALE_RETENTION)
    return periods.get(key, RULE[key].default)


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def cutoff(key: str, today: date) -> date:
    """Records of this kind whose clock started before this day are due."""
    rule, amount = RULE[key], period(key)
    return today - timedelta(days=amount) if rule.unit == DAYS else months_before(today, amount)


def cutoff_moment(key: str, today: date) -> datetime:
    """``cutoff`` as the local midnight that starts it, for the clocks kept as times."""
    return datetime.combine(cutoff(key, today), time.min, tzinfo=timezone.get_current_timezone())


def kept_until(key: str, start: date | datetime | None) -> date | None:
    """The last day a record whose clock started at ``start`` is kept (None: its clock has not
    started, e.g. the round is still open)."""
    if start is None:
        return None
    if isinstance(start, datetime):
        start = timezone.localdate(start)
    rule, amount = RULE[key], period(key)
    return start + timedelta(days=amount) if rule.unit == DAYS else months_after(start, amount)


def described(key: str) -> str:
    """The period in words: "12 months", "5 years", "90 days"."""
    amount = period(key)
    if RULE[key].unit == DAYS:
        return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}
    if amount >= 24 and amount % 12 == 0:
        return ngettext("%(n)d year", "%(n)d years", amount // 12) % {"n": amount // 12}
    return ngettext("%(n)d month", "%(n)d months", amount) % {"n": amount}


def kind_label(key: str) -> str:
    """The name of a kind of record that retention deletes (the people who left have no period
    of their own: they follow ``after_employment``)."""
    return str(RULE[key].label) if key in RULE else str(_("People who have left"))
