"""``{% load privacy %}``: a record's retention in words, where people see the record (the plan, the
preparation), so the pages below privacy show it without importing it."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samtale.privacy.schedule import RULE, described, kept_until

register = template.Library()


@register.simple_tag
def kept_note(kind: str, start: date | datetime | None = None, left: date | None = None) -> str:
    """ "Kept until 1 March 2031 (5 years after the round closes)." — or, before the clock has
    started, how long it will be kept; never past 12 months (by default) after ``left``, the end of
    employment."""
    until = kept_until(kind, start)
    if left is not None:
        latest = kept_until("after_employment", left)
        until = min(until, latest) if until and latest else (until or latest)
    period = f"{described(kind)} {RULE[kind].counts_from}"
    if until is None:
        return _("Kept %(period)s, then deleted.") % {"period": period}
    return _("Kept until %(day)s (%(period)s), then deleted.") % {
        "day": date_format(until, "DATE_FORMAT"),
        "period": period,
    }
