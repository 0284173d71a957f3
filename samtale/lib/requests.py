"""The request a signed-in page gets, as the type checker should see it: the user is a
``User`` (``login_required`` made sure), and ``htmx`` is set by django-htmx's middleware."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from samtale.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def query_uuid(request: HttpRequest, name: str) -> UUID | None:
    """A UUID given in the query string (``?unit=…``), or None when it is missing or is not one: a
    link typed wrong is a page without that choice (or a 404 where the choice is the page), never a
    database error."""
    try:
        return UUID(request.GET.get(name, "").strip())
    except ValueError:
        return None
