"""The address a request came from, for throttling failed sign-ins.

Behind reverse proxies (SAMTALE_PROXY_COUNT of them) the address is the one the outermost
trusted proxy saw, read from the right of X-Forwarded-For; anything further left could have
been typed by the client. An IPv6 client usually holds a whole /64 network, so it counts as
that network: otherwise one guesser would have 2^64 addresses to spread attempts over."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR") or None
    proxies = settings.SAMTALE_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    if address is None:
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)
