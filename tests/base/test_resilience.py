"""The site keeps working without Redis; /health/ tells the load balancer
the truth; a backup restores into an empty database."""

import io
import json
import time

import pytest
from celery import current_app
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse

from smartcity.base import views as smartcity_views
from tests import factories
from tests.url_rules import RULES

CLOSED_PORT = "redis://127.0.0.1:1/6"  # nothing listens on port 1
REDIS_DOWN_CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CLOSED_PORT,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}


@pytest.fixture
def redis_down():
    """Cache and Celery broker pointed at a closed port."""
    saved = {key: current_app.conf[key] for key in ("broker_url", "task_always_eager")}
    current_app.conf.update(broker_url=CLOSED_PORT, task_always_eager=False)
    current_app.pool.force_close_all()
    # override_settings(CACHES=…) makes Django rebuild its cache handlers.
    with override_settings(CACHES=REDIS_DOWN_CACHES, CELERY_BROKER_URL=CLOSED_PORT):
        yield
    current_app.conf.update(**saved)
    current_app.pool.force_close_all()


# --- Redis down ------------------------------------------------------------------


# One page of each kind: the cache and the broker are reached from the same
# few places (sessions are in the database, the reporting window and the
# import progress in the cache, enqueue on commit), so one of each is enough.
PAGE_KINDS = [
    "home",  # the lead's portfolio
    "programmes:project_list",  # filtered, paginated list
    "programmes:project_detail",  # detail page with sections from the layers above
    "programmes:project_create",  # form page
    "programmes:service_report",  # the director's report (per-row forms)
    "programmes:reporting_overview",  # reporting window, digest
    "partners:service_detail",  # organisation page
    "governance:meeting_pack",  # the meeting pack
    "governance:dashboard",  # the officials' dashboard (charts)
    "site:map",  # the link map
    "imports:job_detail",  # import progress (read from the cache)
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGE_KINDS)
def test_each_kind_of_page_renders_with_redis_down(redis_down, world, url_name, lead_client, director_client):
    assert caches["default"]._server == [CLOSED_PORT] or CLOSED_PORT in str(caches["default"]._server)
    rule = RULES[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world)) + rule.query
    for persona, client in (("lead", lead_client), ("director", director_client)):
        if persona in rule.get:
            assert client.get(url).status_code < 400, f"{url} as {persona}"


@pytest.mark.django_db
def test_cache_outage_reads_as_a_miss(redis_down):
    cache = caches["default"]
    assert cache.set("k", "v") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["k"]) == {}
    with pytest.raises(Exception):  # noqa: B017 - /health/ wants the real error
        cache.client.get_client(write=True).ping()


@pytest.mark.django_db
def test_enqueue_with_broker_down_keeps_the_task(redis_down, django_capture_on_commit_callbacks):
    from smartcity.base.models import DeferredTask
    from smartcity.base.queue import enqueue

    with django_capture_on_commit_callbacks(execute=True):
        enqueue("smartcity.tasks.resend_deferred_tasks")
    assert DeferredTask.objects.filter(task_name="smartcity.tasks.resend_deferred_tasks").count() == 1


# --- /health/ --------------------------------------------------------------------


@pytest.mark.django_db
def test_health_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["migrations"] == "ok"
    assert body["cache"] == "ok" and "deferred_tasks" not in body  # statuses only, for anyone
    staff = factories.UserFactory(username="ops", is_staff=True)
    client.force_login(staff)
    assert client.get("/health/").json()["deferred_tasks"] == 0


@pytest.mark.django_db
def test_health_reports_redis_down_but_stays_up(client, redis_down):
    started = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - started < 1
    assert response.status_code == 200
    body = response.json()
    assert body["cache"] != "ok" and body["broker"] != "ok"


@pytest.mark.django_db
def test_health_answers_within_a_second_when_the_broker_hangs(client, monkeypatch):
    def hanging(app):
        time.sleep(3)
        return True, "ok"

    monkeypatch.setattr(smartcity_views, "_probe_broker", hanging)
    eager = current_app.conf.task_always_eager
    current_app.conf.update(task_always_eager=False)
    try:
        started = time.monotonic()
        response = client.get("/health/")
        assert time.monotonic() - started < 1
    finally:
        current_app.conf.update(task_always_eager=eager)
    body = response.json()
    assert response.status_code == 200 and body["broker"] == "timeout" and body["database"] == "ok"


@pytest.mark.django_db
def test_health_fails_when_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("fake", False)])
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 pending"


@pytest.mark.django_db
def test_health_fails_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(smartcity_views, "_check_database", lambda: (False, "OperationalError"))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "OperationalError",
        "migrations": "database down",
        "cache": "ok",
        "broker": "in-process",
    }


# --- backup and restore -----------------------------------------------------------

BACKED_UP_APPS = ["auth", "smartcity", "partners", "programmes", "governance", "otp_totp"]


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in BACKED_UP_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label != "auth.Permission"
    }


@pytest.mark.django_db(transaction=True)
def test_backup_round_trip_into_an_empty_database(tmp_path):
    """The documented backup (docs/operations.md): dumpdata with natural
    keys, flush, loaddata; every table comes back with the same rows, every
    value of every row, times to the microsecond, and every link ("Backups"
    says what a restore renumbers). One demo build for both checks."""
    import datetime

    from django.utils import timezone

    from programmes.models import Project

    call_command("seed_demo", "--quiet-accounts", stdout=io.StringIO())
    moment = timezone.now().replace(microsecond=123456)
    Project.objects.filter(pk=Project.objects.order_by("pk").first().pk).update(updated_at=moment)
    before = _counts()
    assert before["programmes.Project"] > 10 and before["auth.User"] >= 5
    snapshot = _snapshot()

    path = tmp_path / "backup.json"
    call_command("backup_data", "--output", str(path))
    call_command("flush", "--no-input", verbosity=0)
    assert _counts()["programmes.Project"] == 0

    call_command("restore_backup", str(path), stdout=io.StringIO())
    assert _counts() == before
    after = _snapshot()
    assert Project.objects.filter(updated_at=moment).count() == 1
    assert set(after) == set(snapshot)
    for label in snapshot:
        assert after[label] == snapshot[label], label
    assert isinstance(moment, datetime.datetime)
    assert json.loads(path.read_text())
    with pytest.raises(CommandError):  # never on top of live data
        call_command("restore_backup", str(path), stdout=io.StringIO())


@pytest.mark.django_db
def test_database_outage_answers_503_with_retry_after(lead, monkeypatch):
    from django.db import OperationalError
    from django.test import Client

    import programmes.views

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(programmes.views.selectors, "project_list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    response = client.get("/projets/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "redémarre" in response.content.decode()

    monkeypatch.setattr(programmes.views.selectors, "project_list", lambda: 1 / 0)
    assert client.get("/projets/").status_code == 500


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["load", "save"])
@pytest.mark.parametrize(
    ("language", "text"), [("fr", "La base de données redémarre"), ("en", "The database is restarting")]
)
def test_database_outage_in_the_session_layer_answers_503_in_the_users_language(
    lead, monkeypatch, where, language, text
):
    """The session is read inside the locale middleware but saved outside
    it: either way the person gets a 503 in their language, and the next
    request works."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError
    from django.test import Client

    from smartcity.base.security import SESSION_LAST_SEEN

    client = Client(raise_request_exception=False)
    client.force_login(lead)
    client.get("/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        # The idle-timeout middleware records the last visit once a minute,
        # which saves the session after the view.
        session = client.session
        session[SESSION_LAST_SEEN] = session[SESSION_LAST_SEEN] - 120
        session.save()
        patch.setattr(SessionStore, where, broken)
        response = client.get("/projets/")
        assert response.status_code == 503 and response["Retry-After"] == "5"
        html = response.content.decode()
        other = "restarting" if language == "fr" else "redémarre"
        assert text in html and other not in html and f'<html lang="{language}">' in html
    assert client.get("/projets/").status_code == 200


def _snapshot() -> dict[str, list]:
    """Every row of every backed-up table, in primary-key order; the links
    of auto-created many-to-many tables as (left, right) pairs."""
    rows: dict[str, list] = {}
    for label in BACKED_UP_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label == "auth.Permission":
                continue
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
            # Content types are rebuilt by migrate (new ids): compared by natural key.
            for field in model._meta.fields:
                if field.is_relation and field.related_model is ContentType:
                    for row in rows[model._meta.label]:
                        row[field.attname] = ContentType.objects.values_list("app_label", "model").get(
                            pk=row[field.attname]
                        )
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through._meta.auto_created:
                    names = [f.attname for f in through._meta.fields if f.is_relation]
                    pairs = through.objects.values_list(*names)
                    rows[f"{model._meta.label}.{field.name}"] = sorted(pairs)
    return rows
