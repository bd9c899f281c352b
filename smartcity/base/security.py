"""Security helpers and the security event log (OWASP ASVS V7).

Everything security-relevant is logged on the ``orchestre.security`` logger:
sign-in success and failure, sign-out, refused access (see
``smartcity.base.permissions.refuse``), role changes, accounts disabled, second
factor enrolment, and exports of personal data (``log_export``). Lines are
``key=value`` so that a SIEM can parse them; no password or token is ever
logged.
"""

import contextlib
import contextvars
import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

security_log = logging.getLogger("orchestre.security")

SESSION_AUTH_AT = "orchestre_auth_at"
SESSION_LAST_SEEN = "orchestre_last_seen"
SESSION_OTP_STATE = "orchestre_otp_state"


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind ``ORCHESTRE_TRUSTED_PROXIES`` reverse
    proxies, the address they saw (counted from the right of
    X-Forwarded-For, which only they can have written); otherwise
    REMOTE_ADDR, so that a client cannot choose its own address."""
    if request is None:
        return None
    proxies = settings.ORCHESTRE_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def _who(request: HttpRequest | None) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "user": getattr(user, "pk", None),
        "ip": client_ip(request),
    }


def log_export(request: HttpRequest, what: str, count: int) -> None:
    """Record an export of personal data (contacts, attendees, users…).

    Call it from every view that sends a file holding personal data::

        log_export(request, "partner contacts", len(rows))
    """
    who = _who(request)
    security_log.info(
        "personal data export user=%s ip=%s what=%r rows=%d path=%s",
        who["user"],
        who["ip"],
        what,
        count,
        request.path,
    )


def end_sessions_of(user: User) -> int:
    """Delete every live session of ``user``. Returns how many."""
    pk = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == pk:
            session.delete()
            ended += 1
    return ended


# --- signal receivers (connected by importing this module in AppConfig.ready) ---


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs) -> None:
    from django_otp import user_has_device

    from .roles import Role, role_of

    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session[SESSION_AUTH_AT] = now
        request.session[SESSION_LAST_SEEN] = now
        # Computed once per session, so that the second factor costs no
        # query on each request of users who have none.
        if user_has_device(user, confirmed=True):
            state = "verify"
        elif settings.ORCHESTRE_REQUIRE_2FA_FOR_LEADS and role_of(user) == Role.LEAD:
            state = "enrol"
        else:
            state = "none"
        request.session[SESSION_OTP_STATE] = state
    who = _who(request)
    security_log.info("sign-in success user=%s username=%s ip=%s", user.pk, user.get_username(), who["ip"])


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in ``credentials``.
    security_log.warning(
        "sign-in failure username=%r ip=%s",
        (credentials or {}).get("username", ""),
        client_ip(request),
    )


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs) -> None:
    security_log.info("sign-out user=%s ip=%s", getattr(user, "pk", None), client_ip(request))


@receiver(post_save, sender=User)
def _on_user_saved(sender, instance: User, created: bool, **kwargs) -> None:
    if created or instance.is_active:
        return
    ended = end_sessions_of(instance)
    if ended:
        security_log.warning("account disabled user=%s sessions_ended=%d", instance.pk, ended)


_role_change_source: contextvars.ContextVar[str | None] = contextvars.ContextVar("role_change_source", default=None)


@contextlib.contextmanager
def role_changes_by(source: str) -> Iterator[None]:
    """Role changes made inside are a known tool's (the demo builder on a
    demo database): logged at INFO with ``by=<source>``, not as warnings.
    Only for code that builds accounts itself, never around a request."""
    token = _role_change_source.set(source)
    try:
        yield
    finally:
        _role_change_source.reset(token)


@receiver(m2m_changed, sender=User.groups.through)
def _on_groups_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # group.user_set.add(user…)
        users, groups = sorted(pk_set or []), [instance.name]
    else:
        users = [instance.pk]
        groups = sorted(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    source = _role_change_source.get()
    if source:
        security_log.info(
            "role change action=%s users=%s groups=%s by=%s",
            action.removeprefix("post_"),
            users,
            groups or "all",
            source,
        )
        return
    security_log.warning(
        "role change action=%s users=%s groups=%s", action.removeprefix("post_"), users, groups or "all"
    )


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one more event under ``key`` in the cache for ``window``
    seconds; True once more than ``limit`` were counted. A cache outage
    counts nothing (the cache reads as empty): it never blocks anyone."""
    from django.core.cache import cache

    full_key = f"orchestre:limit:{key}"
    if cache.add(full_key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, timeout=window)
        count = 1
    return count > limit


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """The user name django-axes records for a sign-in attempt, cut to the
    length of a user name and without NUL: a 20 kB or NUL-bearing "user
    name" (the sign-in form does not enforce its max length before
    authenticating) must not fail the insert into its varchar(255) table."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return str(value or "").replace("\x00", "")[:150]
