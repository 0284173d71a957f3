"""The request a signed-in page gets, as the type checker should see it: the user is a
``User`` (``login_required`` made sure), and ``htmx`` is set by django-htmx's middleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from samtale.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
