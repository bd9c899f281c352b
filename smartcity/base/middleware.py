"""Session security: timeouts, disabled accounts, second factor.

Runs after AuthenticationMiddleware and OTPMiddleware. For a signed-in user:

- a disabled account is signed out at once;
- a session idle longer than ``ORCHESTRE_SESSION_IDLE_TIMEOUT`` or older than
  ``ORCHESTRE_SESSION_ABSOLUTE_TIMEOUT`` since sign-in is ended;
- a user with a second factor who has not entered a code yet is sent to the
  code page, and a lead without one (when the city requires it) to enrolment.

The last-seen time is written back at most once a minute, so that reading
pages does not cost a session write each time.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .security import SESSION_AUTH_AT, SESSION_LAST_SEEN, SESSION_OTP_STATE, security_log

LAST_SEEN_RESOLUTION = 60

# Pages a half-signed-in user (second factor pending) may still reach.
OTP_EXEMPT_URL_NAMES = {"otp_verify", "otp_setup", "logout", "set_language", "health", "login"}


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.user.is_authenticated:
            return self._check(request)
        return None

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_active:
            security_log.warning("session ended: account disabled user=%s", user.pk)
            logout(request)
            return redirect(settings.LOGIN_URL)

        now = int(timezone.now().timestamp())
        session = request.session
        auth_at = session.setdefault(SESSION_AUTH_AT, now)
        last_seen = session.get(SESSION_LAST_SEEN, now)
        if now - last_seen > settings.ORCHESTRE_SESSION_IDLE_TIMEOUT:
            return self._expire(request, "idle", _("Your session ended after a period of inactivity."))
        if now - auth_at > settings.ORCHESTRE_SESSION_ABSOLUTE_TIMEOUT:
            return self._expire(request, "absolute", _("Your session has reached its maximum length."))
        if now - last_seen >= LAST_SEEN_RESOLUTION or SESSION_LAST_SEEN not in session:
            session[SESSION_LAST_SEEN] = now

        state = session.get(SESSION_OTP_STATE)
        if (
            state in ("verify", "enrol")
            and not user.is_verified()
            and request.resolver_match.view_name not in OTP_EXEMPT_URL_NAMES
        ):
            target = reverse("otp_verify" if state == "verify" else "otp_setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return None

    def _expire(self, request: HttpRequest, kind: str, message: str) -> HttpResponse:
        security_log.info("session ended: %s timeout user=%s", kind, request.user.pk)
        next_url = request.get_full_path()
        logout(request)
        messages.info(request, message, fail_silently=True)
        login_url = reverse(settings.LOGIN_URL)
        if request.method in ("GET", "HEAD"):
            return redirect(f"{login_url}?{urlencode({'next': next_url})}")
        return redirect(login_url)


def chosen_language(request: HttpRequest) -> str:
    """The language the person chose (language cookie), else French. Read
    from the request alone, so that an error page can use it without the
    database."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


class LocaleMiddleware:
    """French unless the person chose otherwise.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not
    consulted: the city works in French, whatever language a workstation
    was installed in. The language switch (set_language) stores the choice
    in the language cookie, which is honoured here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
