"""URL × role matrix (after pretix's test_permissions): every URL pattern of
the project, every persona, GET (and HEAD) and POST; PUT, PATCH and DELETE
once per URL.

The world is built once per module (``shared_world``) inside a transaction
that is rolled back at the end; each case runs in a savepoint of its own
(pytest-django's ``db``), so a case that writes leaves nothing behind for
the next one, whatever the order.
"""

import hashlib

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from smartcity.base.roles import Role
from tests import factories
from tests.access import ANONYMOUS, EVERYONE
from tests.url_rules import RULES
from tests.world import build_world

# Third-party URL trees with their own access control.
SKIPPED_NAMESPACES = {"admin"}
PERSONAS = ["anonymous", "lead", "director", "official", "viewer"]
APPS_WATCHED = ["programmes", "partners", "governance", "auth", "smartcity", "site"]
# PUT, PATCH and DELETE reach the same branch of every view (neither GET nor
# POST): each persona sends one of them, so every method is tried on every URL.
OTHER_METHOD = {"anonymous": "put", "lead": "patch", "director": "delete", "official": "put", "viewer": "patch"}


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


ALL_URL_NAMES = sorted(_url_names())


def test_every_url_has_an_access_rule():
    missing = [name for name in ALL_URL_NAMES if name not in RULES]
    assert not missing, f"URLs without an access rule in tests/<app>/access_rules.py: {missing}"
    stale = [name for name in RULES if name not in ALL_URL_NAMES]
    assert not stale, f"Access rules for URLs that no longer exist: {stale}"


def _watched_tables() -> list[str]:
    return [
        model._meta.db_table
        for label in APPS_WATCHED
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def database_fingerprint() -> dict[str, str]:
    """What tells whether a request wrote to the watched apps' tables.

    On PostgreSQL, the rows this transaction inserted, updated and deleted
    per table (``pg_stat_xact_user_tables``), in one cheap query: stricter
    than a digest of the rows, since a write later undone still counts.
    Elsewhere, a digest of every table."""
    tables = _watched_tables()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
                [tables],
            )
            return {table: f"{ins}/{upd}/{dels}" for table, ins, upd, dels in cursor.fetchall()}
    digests = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from the models
            digests[table] = hashlib.sha256(repr(sorted(map(repr, cursor.fetchall()))).encode()).hexdigest()
    return digests


def changed_tables(before: dict[str, str]) -> list[str]:
    """Tables written since ``before`` (a table first written now appears
    only in the second reading on PostgreSQL)."""
    after = database_fingerprint()
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The world and a signed-in client per persona, built once for the
    module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        official = factories.UserFactory(username="official-user", role=Role.OFFICIAL.value)
        factories.ElectedOfficialFactory(user=official)
        users = {
            "lead": world["lead"],
            "director": world["director"],
            "official": official,
            "viewer": factories.UserFactory(username="viewer-user", role=Role.VIEWER.value),
        }
        clients = {"anonymous": Client()}
        for persona, user in users.items():
            clients[persona] = Client()
            clients[persona].force_login(user)
        yield world, clients
        transaction.set_rollback(True)


def _expect(persona: str, allowed: frozenset[str], response, *, api: bool = False) -> None:
    if persona in allowed:
        assert response.status_code < 400, f"{persona} should be allowed, got {response.status_code}"
    elif persona == ANONYMOUS and api:
        assert response.status_code in (401, 403), f"anonymous should be refused by the API, got {response.status_code}"
    elif persona == ANONYMOUS and response.status_code != 405:
        assert response.status_code == 302 and "/compte/login/" in response["Location"], (
            f"anonymous should be sent to sign-in, got {response.status_code}"
        )
    else:
        assert response.status_code in (403, 405), f"{persona} should be refused, got {response.status_code}"


def _url(url_name: str, world: dict) -> str:
    rule = RULES[url_name]
    return reverse(url_name, kwargs=rule.kwargs(world)) + rule.query


# The meeting pack's PDF takes WeasyPrint a second or more per render, and a
# HEAD renders it too. The access check comes before the render: one allowed
# GET renders the real PDF (REAL_PDF), every other request of the matrix gets
# a stub from the same function. tests/governance/test_pack_pdf.py checks the
# real PDF itself.
REAL_PDF = ("governance:meeting_pack_pdf", "official")


def _stub_pdf(context, **kwargs) -> bytes:
    return b"%PDF-1.7 stub of the permission matrix"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", ALL_URL_NAMES)
def test_get_and_head(url_name, persona, shared_world, monkeypatch):
    world, clients = shared_world
    url = _url(url_name, world)
    rule = RULES[url_name]
    if (url_name, persona) != REAL_PDF:
        monkeypatch.setattr("governance.pdf.render_pack", _stub_pdf)
    get = clients[persona].get(url)
    _expect(persona, rule.get, get, api=rule.api)
    if (url_name, persona) == REAL_PDF:
        assert get.content.startswith(b"%PDF-") and len(get.content) > 1000, "the real pack PDF"
    monkeypatch.setattr("governance.pdf.render_pack", _stub_pdf)
    head = clients[persona].head(url)
    _expect(persona, rule.get, head, api=rule.api)
    assert not head.content, "HEAD must not send a body"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", [n for n in ALL_URL_NAMES if RULES.get(n) and RULES[n].post != EVERYONE])
def test_post(url_name, persona, shared_world):
    world, clients = shared_world
    url = _url(url_name, world)
    rule = RULES[url_name]
    before = database_fingerprint()
    if rule.write_method == "post":
        response = clients[persona].post(url, rule.post_data(world))
    else:
        send = getattr(clients[persona], rule.write_method)
        response = send(url, rule.post_data(world), content_type="application/json")
    _expect(persona, rule.post, response, api=rule.api)
    if persona not in rule.post:
        assert not changed_tables(before), f"a refused POST by {persona} changed the database"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ALL_URL_NAMES)
def test_other_methods_change_nothing(url_name, shared_world):
    """PUT, PATCH and DELETE are refused (or, on Django's form views which
    treat PUT as POST, answered like a POST) and never write."""
    world, clients = shared_world
    url = _url(url_name, world)
    rule = RULES[url_name]
    before = database_fingerprint()
    for persona, method in OTHER_METHOD.items():
        response = getattr(clients[persona], method)(url)
        assert response.status_code < 500, f"{method.upper()} by {persona}: {response.status_code}"
        if persona not in rule.post:
            if response.status_code >= 300:
                _expect(persona, frozenset(), response, api=rule.api)
            assert response.status_code >= 300 or url_name == "set_language", (
                f"{method.upper()} by {persona} was accepted with {response.status_code}"
            )
    assert not changed_tables(before), "PUT, PATCH or DELETE changed the database"


@pytest.mark.django_db
def test_the_fingerprint_sees_a_write_and_only_a_write():
    """The matrix relies on it: a row written (even in a table untouched so
    far) is seen, a read is not."""
    before = database_fingerprint()
    list(apps.get_model("partners", "Partner").objects.all())
    assert changed_tables(before) == []
    factories.PartnerFactory()
    assert "partners_partner" in changed_tables(before)
