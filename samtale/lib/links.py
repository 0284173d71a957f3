"""Links to pages without arguments, worked out once per process (``TEMPLATES`` ``builtins``).

Every page has the navigation and the header's links, twenty ``{% url %}`` and ``reverse()`` of
names without arguments, and each one walks Django's URL resolver again: together a tenth of a
small page's time. Their address depends only on the name, the URL configuration and the prefix
the site is served under, so it is kept by those. Django's ``{% url %}`` tag is replaced here by
the same tag that keeps an address without arguments; with arguments it is Django's. Each app
namespace in Samtale has one instance, so the ``current_app`` Django's tag passes changes nothing.

    {% url "dashboards:home" %}      (kept)
    {% url "plans:detail" plan.uuid %}  (Django's)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


def link(name: str) -> str:
    """``reverse(name)`` for a page without arguments, kept per process."""
    return _reversed(name, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=1024)
def _reversed(name: str, urlconf: Any, _prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


class KeptURLNode(defaulttags.URLNode):
    """Django's ``URLNode``, keeping the address of a name without arguments."""

    def render(self, context: template.Context) -> str:
        if self.args or self.kwargs:
            return super().render(context)
        name = self.view_name.resolve(context)
        if not isinstance(name, str):
            return super().render(context)
        try:
            url = link(name)
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
