import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from tickets.models import ApiKey

logger = logging.getLogger(__name__)


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Requests per API key (or per dashboard user) at API_THROTTLE_RATE.

    The counters live in the cache (Redis in production). When the cache cannot be reached the
    request is let through with a logged warning: a throttle must not turn an outage of the
    cache into an outage of the API (every call a 500)."""

    scope = "api_key"

    def get_rate(self) -> str:
        # DRF copies the rates when the class is defined; read them per request instead, so a
        # changed setting (or a test's override) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 — any cache failure: fail open, loudly
            logger.warning("API throttling skipped: the cache cannot be reached (%s).", exc)
            return True

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
