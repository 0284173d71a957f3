"""Error pages in the site's layout and the user's language."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that is too old (the session ended, or the browser kept the page):
    nothing was saved, and the person is told how to go on, in their language."""
    return render(request, "errors/403.html", {"form_expired": True}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be in what the context processors need.
    return HttpResponse(render_to_string("errors/500.html"), status=500)
