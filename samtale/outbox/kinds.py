"""The kinds of e-mail Samtale sends. Each app registers a builder for its kinds in its
``emails.py`` (imported when the app is ready); the outbox calls it at delivery time, in
the recipient's language, so a link or token is made fresh when the message leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from samtale.outbox.models import OutboxMessage

# A builder returns the message to send, or None when there is nothing to send any more
# (the account it was about is gone): the message is then cancelled.
Builder = Callable[["OutboxMessage"], EmailMultiAlternatives | None]

_builders: dict[str, Builder] = {}


class UnknownKind(Exception):
    pass


def register(kind: str) -> Callable[[Builder], Builder]:
    def decorator(builder: Builder) -> Builder:
        if kind in _builders and _builders[kind] is not builder:
            raise ValueError(f"e-mail kind {kind!r} is registered twice")
        _builders[kind] = builder
        return builder

    return decorator


def builder_for(kind: str) -> Builder:
    try:
        return _builders[kind]
    except KeyError:
        raise UnknownKind(kind) from None


# The HTML part's button (emails/base.html), inline: many mail programs drop a style sheet.
BUTTON_STYLE = (
    "display: inline-block; background: #004d99; color: #ffffff; text-decoration: none; font-weight: 600; "
    "padding: 12px 20px; border-radius: 4px"
)


def render_email(template_dir: str, context: dict, *, to: str) -> EmailMultiAlternatives:
    """A text and HTML e-mail from ``<template_dir>/subject.txt``, ``body.txt`` and ``body.html``;
    the HTML part extends ``emails/base.html`` (the organisation, a button, why the reader got it)."""
    context = {
        "base_url": settings.BASE_URL,
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_logo": f"{settings.BASE_URL}/logo/" if settings.ORGANISATION_LOGO else "",
        "button_style": BUTTON_STYLE,
        **context,
    }
    subject = " ".join(render_to_string(f"{template_dir}/subject.txt", context).split())
    text = render_to_string(f"{template_dir}/body.txt", context)
    html = render_to_string(f"{template_dir}/body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message
