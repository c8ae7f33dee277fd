from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from tickets.models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Requests per API key (or per dashboard user) at API_THROTTLE_RATE."""

    scope = "api_key"

    def get_rate(self) -> str:
        # DRF copies the rates when the class is defined; read them per request instead, so a
        # changed setting (or a test's override) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
