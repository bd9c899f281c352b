"""Single sign-on with OpenID Connect (authorization code flow with PKCE),
through mozilla-django-oidc, on only when ``OIDC_RP_CLIENT_ID`` is set.

A person signs in with the account they already have at the city's
provider (ProConnect, Keycloak, Azure AD…). The provider's **verified**
e-mail is matched, case-insensitively, to one active Orchestre account;
nothing else links accounts. An unknown e-mail is refused, unless
``ORCHESTRE_OIDC_CREATE_USERS`` is on: then an account is created
*inactive*, with no role, and the person is told to ask the lead, who
activates it and gives it a role (a stranger never reads the portfolio).
The second-factor rules of local sign-ins apply after an SSO sign-in too
(``security._on_login``): Orchestre cannot tell whether the provider
asked for a second factor.

Endpoints come from ``OIDC_OP_*`` or, when only ``OIDC_ISSUER`` is given,
from its discovery document (read once, on the first sign-in).
"""

import logging
from functools import lru_cache

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .security import client_ip

security_log = logging.getLogger("orchestre.security")

# Setting name in mozilla-django-oidc → key of the discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


@lru_cache(maxsize=4)
def _discovery(issuer: str) -> dict:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    return response.json()


def oidc_setting(name: str, *default):
    """A mozilla-django-oidc setting; an endpoint not set is read from the
    issuer's discovery document."""
    value = getattr(settings, name, None)
    if not value and name in DISCOVERED and getattr(settings, "OIDC_ISSUER", ""):
        return _discovery(settings.OIDC_ISSUER)[DISCOVERED[name]]
    return import_from_settings(name, *default)


def _off(request: HttpRequest) -> HttpResponseRedirect:
    messages.info(request, _("Single sign-on is not set up here: sign in with your password."))
    return HttpResponseRedirect(reverse("login"))


class OrchestreOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django builds every backend at each sign-in, local ones too: the
        # provider's settings (maybe its discovery document) are read only
        # when a provider's answer comes back (``authenticate``).
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def authenticate(self, request, **kwargs):
        if not sso_enabled() or request is None or "code" not in request.GET:
            return None
        try:
            super().__init__()
        except requests.RequestException as exc:
            security_log.error("sso provider unreachable: %s", exc)
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims) -> bool:
        if not claims.get("email"):
            return False
        if settings.ORCHESTRE_OIDC_REQUIRE_VERIFIED_EMAIL and claims.get("email_verified") is not True:
            security_log.warning(
                "sso refused: e-mail not verified email=%r ip=%s", claims.get("email"), client_ip(self.request)
            )
            return False
        return True

    def filter_users_by_claims(self, claims):
        users = get_user_model().objects.filter(email__iexact=claims["email"].strip())
        if not users.exists():
            security_log.warning("sso refused: no account email=%r ip=%s", claims["email"], client_ip(self.request))
        return users

    def create_user(self, claims):
        if not settings.ORCHESTRE_OIDC_CREATE_USERS:
            return None
        user = get_user_model().objects.create_user(
            self.get_username(claims),
            email=claims["email"].strip(),
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("usual_name") or claims.get("family_name") or "")[:150],
            is_active=False,
        )
        security_log.warning("sso account created inactive user=%s email=%r", user.pk, user.email)
        return user

    def update_user(self, user, claims):
        return user


class RequestView(OIDCAuthenticationRequestView):
    http_method_names = ["get", "head"]

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the endpoints are read in get()

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def get(self, request: HttpRequest):
        if not sso_enabled():
            return _off(request)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException as exc:
            security_log.error("sso provider unreachable: %s", exc)
            messages.error(request, _("The sign-in provider cannot be reached: sign in with your password."))
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    http_method_names = ["get", "head"]

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def get(self, request: HttpRequest):
        if not sso_enabled():
            return _off(request)
        return super().get(request)

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            message = _("Your account is waiting for the smart-city lead to activate it and give it a role.")
        elif "code" not in self.request.GET:
            message = _("Single sign-on did not complete: sign in again.")
        else:
            message = _(
                "Single sign-on did not open a session: no Orchestre account has this verified e-mail address. "
                "Ask the smart-city lead, or sign in with your password."
            )
        messages.error(self.request, message)
        return HttpResponseRedirect(reverse("login"))


urlpatterns = [
    path("connexion/", login_not_required(RequestView.as_view()), name="oidc_authentication_init"),
    path("retour/", login_not_required(CallbackView.as_view()), name="oidc_authentication_callback"),
]
