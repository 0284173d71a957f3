"""The address a request came from, for throttling failed sign-ins.

Behind reverse proxies (SAMTALE_PROXY_COUNT of them) the address is the one the outermost
trusted proxy saw, read from the right of X-Forwarded-For; anything further left could have
been typed by the client."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    proxies = settings.SAMTALE_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
