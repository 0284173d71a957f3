"""The design system's small parts every template has (``TEMPLATES`` ``builtins``): a state as a
coloured tag that also says it in words, and an icon from the system's sprite.

    {% status conversation.status conversation.get_status_display %}
    {% icon "check" %}

A colour never carries meaning alone (WCAG 1.4.1): the tag's words do; the colour helps the eye
find what is done, what waits on someone and what went wrong."""

from __future__ import annotations

from functools import cache, lru_cache

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeData, SafeString

from samtale.lib.charts import Tick, scale_ticks, scale_x

register = template.Library()

# The stored value of a state (conversation, plan, follow-up, round, evaluation) → the design
# system's badge tone. Values shared between models mean the same stage, so one table serves all.
TONES = {
    "held": "success",
    "signed": "success",
    "scheduled": "info",
    "submitted": "info",
    "launched": "info",
    "open": "info",
    "changes_asked": "warning",
    "not_held": "warning",
    # A competence registration, a seat request.
    "agreed": "success",
    "to_settle": "warning",
    "leader_missing": "info",
    "requested": "info",
    "approved": "info",
    "enrolled": "success",
    "completed": "success",
    "waiting": "warning",
    "declined": "warning",
}


@register.simple_tag(name="status")
def status(value: str, label: str) -> SafeString:
    """``label`` as a tag coloured by the state ``value`` (grey when nothing needs the eye)."""
    if not label:
        return SafeString("")
    return _status(str(value), str(label), isinstance(label, SafeData))


@lru_cache(maxsize=1024)
def _status(value: str, label: str, safe: bool) -> SafeString:
    """A few states in two languages: made once each (a list of a hundred rows shows three a row).
    ``safe`` keeps a label marked safe apart from the same text to escape."""
    tone = TONES.get(value)
    return format_html(
        '<span class="{}">{}</span>', f"badge badge-{tone}" if tone else "badge", SafeString(label) if safe else label
    )


@register.filter(name="scale_x")
def scale_x_filter(value: float) -> int:
    """Where an answer (1 to 5) lies on the scale of the 360 report's picture."""
    return scale_x(value)


@register.simple_tag(name="scale_ticks")
def scale_ticks_tag() -> list[Tick]:
    """The ticks 1 to 5 of the 360 report's scale: ``{% scale_ticks as ticks %}``."""
    return scale_ticks()


@register.simple_tag(name="sort_query")
def sort_query(key: str, current: str, base: dict[str, str]) -> str:
    """The query string that sorts a list by the column ``key``: ascending, or descending when it
    is sorted ascending by that column already (the page's other filters kept)."""
    wanted = f"-{key}" if current == key else key
    return urlencode({**base, "sort": wanted})


@cache
def _sprite() -> str:
    return static("dkfds/icons.svg")


@register.simple_tag(name="icon")
def icon(name: str) -> SafeString:
    """The design system's icon ``name``, decorative: the words beside it say what it means."""
    return format_html(
        '<svg class="icon-svg" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>', _sprite(), name
    )
