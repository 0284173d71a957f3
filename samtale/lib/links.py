"""Links to pages, worked out once per process (``TEMPLATES`` ``builtins``).

Every page has the navigation and the header's links, twenty ``{% url %}`` and ``reverse()`` a
page, and a list has a link or two a row: each one walked Django's URL resolver again, together a
tenth of a small page's time. An address whose arguments are uuids or whole numbers (or none:
every page of Samtale) is kept as a pattern, the address of stand-in values of the same kinds cut
where they stand, and each call puts its own values in their place: the URL converters of both
kinds accept any value of their kind and write it as ``str()`` does, so the address is the one
``reverse()`` gives. A pattern is kept per URL configuration, prefix, language and app instance,
and only if two sets of stand-ins cut the address alike. Any other argument, and keyword
arguments, go to Django's ``reverse()``. Django's ``{% url %}`` tag is replaced here by the same
tag using ``link``.

    {% url "dashboards:home" %}           (kept)
    {% url "plans:detail" plan.uuid %}    (kept as a pattern)
    {% url "guide_topic" topic=key %}     (Django's)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from uuid import UUID

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()


def link(name: str, *args: Any, current_app: str | None = None) -> str:
    """``reverse(name, args=args, current_app=current_app)``, kept per process when the arguments
    are uuids or whole numbers, or none (``keeps``)."""
    if keeps(args):
        kinds = tuple(isinstance(arg, UUID) for arg in args)
        pieces = _pattern(name, kinds, get_urlconf(), get_script_prefix(), get_language(), current_app)
        if pieces is not None:
            url = [pieces[0]]
            for arg, piece in zip(args, pieces[1:], strict=True):
                url += (str(arg), piece)
            return "".join(url)
    return reverse(name, args=args, current_app=current_app)


def keeps(args: tuple[Any, ...]) -> bool:
    """Whether an address with these arguments may be kept as a pattern: uuids, and whole numbers
    from zero (a negative number has no address)."""
    return all(isinstance(arg, UUID) or (type(arg) is int and arg >= 0) for arg in args)


# Kept by the URL configuration, the prefix the site is served under, the language (for URLs in
# the language's words) and the app instance (a namespace with several).
@lru_cache(maxsize=1024)
def _pattern(
    name: str, kinds: tuple[bool, ...], urlconf: Any, _prefix: str, _language: str | None, current_app: str | None
) -> tuple[str, ...] | None:
    """The address cut at each argument, from stand-ins of these kinds (True: a uuid, False: a
    number): the pieces between the arguments (without arguments, the address alone). Two sets of
    stand-ins, long numbers and the smallest, must cut the address alike, or it is not kept
    (None): a converter that writes a number its own way (zero-padded), or a pattern that refuses
    some values, shows there."""
    cuts = []
    for stand_ins in (
        [_long(uuid, i) for i, uuid in enumerate(kinds)],
        [_short(uuid, i) for i, uuid in enumerate(kinds)],
    ):
        values = [UUID(value) if uuid else int(value) for value, uuid in zip(stand_ins, kinds, strict=True)]
        try:
            rest = reverse(name, urlconf=urlconf, args=values, current_app=current_app)
        except NoReverseMatch:
            return None
        pieces = []
        for value in stand_ins:
            before, found, rest = rest.partition(value)
            if not found or value in rest:
                return None
            pieces.append(before)
        cuts.append((*pieces, rest))
    return cuts[0] if cuts[0] == cuts[1] else None


def _long(uuid: bool, position: int) -> str:
    return f"5a3c1e00-0000-4000-8000-{position:012d}" if uuid else f"9753108642{position:02d}"


def _short(uuid: bool, position: int) -> str:
    return f"00000000-0000-4000-8000-{position:012x}" if uuid else str(position)


@receiver(setting_changed)
def _forget(**_: Any) -> None:
    """A test that changes the URL configuration gets its addresses, not those kept before."""
    _pattern.cache_clear()


class KeptURLNode(defaulttags.URLNode):
    """Django's ``URLNode``, keeping addresses as ``link`` does."""

    def render(self, context: template.Context) -> str:
        if self.kwargs:
            return super().render(context)
        name = self.view_name.resolve(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        if not isinstance(name, str) or not keeps(args):
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)  # as Django's tag finds it
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        try:
            url = link(name, *args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""  # as Django's tag does
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag(name="url")
def url_tag(parser: template.base.Parser, token: template.base.Token) -> KeptURLNode:
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
