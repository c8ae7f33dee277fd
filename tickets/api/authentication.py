from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from tickets.services.api_keys import api_key_check


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; the request then acts as the key's user."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as 'Authorization: Bearer <API key>'.")
            )
        api_key = api_key_check(header[1].decode("latin-1"))
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("This API key is unknown or was revoked."))
        if not api_key.user.is_active:
            # The key acts with its user's rights, and a deactivated account has none left.
            raise exceptions.AuthenticationFailed(
                _(
                    "This API key acts as %(user)s, whose account is deactivated, so the key "
                    "no longer works. Ask a supervisor for a key of an active account."
                )
                % {"user": api_key.user.get_username()},
                code="account_inactive",
            )
        return api_key.user, api_key

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "tickets.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An Aftersales API key."}
