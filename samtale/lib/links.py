"""Links to pages, worked out once per process (``TEMPLATES`` ``builtins``).

Every page has the navigation and the header's links, twenty ``{% url %}`` and ``reverse()`` of
names without arguments, and a list has a link or two a row: each one walked Django's URL
resolver again, together a tenth of a small page's time. An address without arguments depends
only on the name, the URL configuration and the prefix the site is served under, so it is kept by
those. An address whose arguments are uuids or whole numbers (every object's page in Samtale) is
kept as a pattern, the address of stand-in values of the same kinds, and each call puts its own
values in their place: the URL converters of both kinds accept any value of their kind and write
it as ``str()`` does, so the address is the one ``reverse()`` gives. Any other argument, and
keyword arguments, go to Django's ``reverse()``. Django's ``{% url %}`` tag is replaced here by
the same tag using ``link``. Each app namespace in Samtale has one instance, so the
``current_app`` Django's tag passes changes nothing.

    {% url "dashboards:home" %}           (kept)
    {% url "plans:detail" plan.uuid %}    (kept as a pattern)
    {% url "guide_topic" topic=key %}     (Django's)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from uuid import UUID

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


def link(name: str, *args: Any) -> str:
    """``reverse(name, args=args)``, kept per process when the arguments are uuids or whole
    numbers (``keeps``)."""
    if not args:
        return _reversed(name, get_urlconf(), get_script_prefix())
    if not keeps(args):
        return reverse(name, args=args)
    pieces = _pattern(name, tuple(isinstance(arg, UUID) for arg in args), get_urlconf(), get_script_prefix())
    if pieces is None:
        return reverse(name, args=args)
    url = [pieces[0]]
    for arg, piece in zip(args, pieces[1:], strict=True):
        url += (str(arg), piece)
    return "".join(url)


def keeps(args: tuple[Any, ...]) -> bool:
    """Whether an address with these arguments is kept as a pattern: uuids, and whole numbers from
    zero (a negative number has no address)."""
    return all(isinstance(arg, UUID) or (type(arg) is int and arg >= 0) for arg in args)


@lru_cache(maxsize=1024)
def _reversed(name: str, urlconf: Any, _prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


@lru_cache(maxsize=1024)
def _pattern(name: str, kinds: tuple[bool, ...], urlconf: Any, _prefix: str) -> tuple[str, ...] | None:
    """The address of stand-ins for arguments of these kinds (True: a uuid, False: a number), cut
    at each stand-in: the pieces between the arguments. None if the address does not show each
    stand-in once, in order."""
    stand_ins = [_stand_in(uuid, i) for i, uuid in enumerate(kinds)]
    values = [UUID(stand_in) if uuid else int(stand_in) for stand_in, uuid in zip(stand_ins, kinds, strict=True)]
    rest = reverse(name, urlconf=urlconf, args=values)
    pieces = []
    for stand_in in stand_ins:
        before, found, rest = rest.partition(stand_in)
        if not found or stand_in in rest:
            return None
        pieces.append(before)
    return (*pieces, rest)


def _stand_in(uuid: bool, position: int) -> str:
    return f"5a3c1e00-0000-4000-8000-{position:012d}" if uuid else f"9753108642{position:02d}"


class KeptURLNode(defaulttags.URLNode):
    """Django's ``URLNode``, keeping addresses as ``link`` does."""

    def render(self, context: template.Context) -> str:
        if self.kwargs:
            return super().render(context)
        name = self.view_name.resolve(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        if not isinstance(name, str) or not keeps(args):
            return super().render(context)
        try:
            url = link(name, *args)
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
