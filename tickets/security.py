"""Where a request comes from, for counting failed sign-ins per client address."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or, when CLIENT_IP_HEADER names the header a trusted
    reverse proxy sets (X-Forwarded-For), the entry TRUSTED_PROXY_COUNT from its end: the
    address your outermost proxy saw. Entries further left are whatever the client wrote and
    never count; a header too short or not an address falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    if not settings.CLIENT_IP_HEADER:
        return remote
    key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    hops = [hop.strip() for hop in request.META.get(key, "").split(",") if hop.strip()]
    if len(hops) < settings.TRUSTED_PROXY_COUNT:
        return remote
    candidate = hops[-settings.TRUSTED_PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
