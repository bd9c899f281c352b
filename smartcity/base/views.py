import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import DeferredTask


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # pragma: no cover - depends on the outage
        return False, exc.__class__.__name__


def _check_migrations() -> tuple[bool, str]:
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # pragma: no cover
        return False, exc.__class__.__name__
    return (not pending, "ok" if not pending else f"{len(pending)} pending")


def _check_cache() -> tuple[bool, str]:
    try:
        if hasattr(cache, "client"):  # django-redis hides errors from get/set: ask Redis itself
            cache.client.get_client(write=True).ping()
        cache.set("health-check", "1", 5)
        return cache.get("health-check") == "1", "ok"
    except Exception as exc:
        return False, exc.__class__.__name__


def _check_broker(app) -> tuple[bool, str]:
    if app.conf.task_always_eager:
        return True, "in-process"
    return _probe_broker(app)


def _probe_broker(app) -> tuple[bool, str]:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=HEALTH_DEADLINE)
        return True, "ok"
    except Exception as exc:
        return False, exc.__class__.__name__


# Each outside service (cache, broker) gets this long, in parallel, so that
# the whole check answers within a second whichever of them hangs.
HEALTH_DEADLINE = 0.5


def _with_deadlines(checks: dict[str, Callable[[], tuple[bool, str]]]) -> dict[str, tuple[bool, str]]:
    """Run each check in its own daemon thread; one still running at the
    deadline reads as ``(False, "timeout")`` and is left to finish alone."""
    results: dict[str, tuple[bool, str]] = {}

    def run(name: str, check: Callable[[], tuple[bool, str]]) -> None:
        try:
            results[name] = check()
        except Exception as exc:  # pragma: no cover - the checks catch their own
            results[name] = (False, exc.__class__.__name__)

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in checks.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + HEALTH_DEADLINE
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, (False, "timeout")) for name in checks}


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when the database is usable and migrated,
    503 otherwise. The cache and broker are checked separately, each within
    ``HEALTH_DEADLINE``, and reported, but do not fail the check: the site
    keeps working without them. The count of deferred tasks is shown to
    staff only."""
    from celery import current_app

    # Celery's current app is per thread: resolve it here, not in the check's.
    app = current_app._get_current_object()
    outside = _with_deadlines({"cache": _check_cache, "broker": lambda: _check_broker(app)})
    database = _check_database()
    migrations = _check_migrations() if database[0] else (False, "database down")
    healthy = database[0] and migrations[0]
    payload = {
        "status": "ok" if healthy else "error",
        "database": database[1],
        "migrations": migrations[1],
        "cache": outside["cache"][1],
        "broker": outside["broker"][1],
    }
    if getattr(request.user, "is_staff", False):
        payload["deferred_tasks"] = DeferredTask.objects.count() if database[0] else None
    return JsonResponse(payload, status=200 if healthy else 503)


def _database_down(exc: BaseException | None) -> bool:
    """The exception, or one it was raised from, says the database cannot
    be reached."""
    from django.db import InterfaceError, OperationalError

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After while the database is unreachable (a
    PostgreSQL restart): the load balancer and the user know to retry.
    Rendered without the request context, which may need the database, in
    the language the person chose (the error may happen after the locale
    middleware has let go of it, when the session is saved)."""
    import sys

    from django.template import loader

    from .middleware import chosen_language

    language = chosen_language(request)
    down = _database_down(sys.exc_info()[1])
    with translation.override(language):
        body = loader.get_template("503.html" if down else "500.html").render()
    response = HttpResponse(body, status=503 if down else 500)
    if down:
        response["Retry-After"] = "5"
    response["Content-Language"] = language
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


class RateLimitedPasswordResetView(PasswordResetView):
    """Password reset, at most ``ORCHESTRE_PASSWORD_RESET_PER_ADDRESS``
    requests per address and ``ORCHESTRE_PASSWORD_RESET_PER_CLIENT`` per
    client address in ``ORCHESTRE_PASSWORD_RESET_WINDOW`` seconds. Past a
    limit no e-mail is sent and the answer is the usual one, so that the
    limit tells nothing about which accounts exist."""

    def form_valid(self, form):
        import hashlib

        from .security import client_ip, over_limit, security_log

        window = settings.ORCHESTRE_PASSWORD_RESET_WINDOW
        address = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()[:32]
        client = client_ip(self.request) or "unknown"
        by_address = over_limit(
            f"reset:address:{address}", limit=settings.ORCHESTRE_PASSWORD_RESET_PER_ADDRESS, window=window
        )
        by_client = over_limit(
            f"reset:client:{client}", limit=settings.ORCHESTRE_PASSWORD_RESET_PER_CLIENT, window=window
        )
        if by_address or by_client:
            security_log.warning("password reset throttled ip=%s by_address=%s", client, by_address)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
