"""How the API knows who calls: a personal token (``Authorization: Bearer
orch_…``) or the browser's session; what a token's scope allows; how often
a token may call."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from smartcity.base.models import ApiToken
from smartcity.base.tokens import api_token_for_secret


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        token = api_token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class TokenScope(permissions.BasePermission):
    """A read token reads; only a write token (or a session) writes."""

    message = _("This token may only read.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or not isinstance(request.auth, ApiToken):
            return True
        return request.auth.can_write


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Calls per token (ORCHESTRE_API_TOKEN_RATE, e.g. "1000/hour"); a
    session is not throttled here."""

    scope = "token"

    def get_rate(self) -> str:
        return settings.ORCHESTRE_API_TOKEN_RATE

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            return f"throttle_token_{request.auth.pk}"
        return None


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the personal token in the OpenAPI schema (bearer)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Personal API token (orch_…)"}
