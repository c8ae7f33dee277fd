from rest_framework.throttling import SimpleRateThrottle

from tickets.models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Requests per API key (or per dashboard user) at API_THROTTLE_RATE."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
