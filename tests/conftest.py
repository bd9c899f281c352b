"""Personas and clients shared by the whole suite.

Each persona is a user holding one Orchestre role; the director runs
``director_service``, the official is linked to an ElectedOfficial.
"""

import pytest
from django.test import Client

from smartcity.base.roles import Role
from tests import factories
from tests.db import flush_by_delete, restore_migration_data
from tests.world import LEAD_USERNAME, build_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A database kept with --reuse-db may come back from a run that ended
    on a transactional test (which empties every table): put back the rows
    the data migrations made. On PostgreSQL, transactional tests are
    flushed by DELETE rather than TRUNCATE (tests/db.py)."""
    flush_by_delete()
    with django_db_blocker.unblock():
        restore_migration_data()
        from programmes import taxonomy

        taxonomy.forget()
        _MIGRATED_TAXONOMY[:] = [taxonomy.vocabulary()]


@pytest.fixture(autouse=True)
def migrated_rows(request):
    """Roles and domains come from data migrations; a transactional test
    empties every table, before and after it: put them back on both sides,
    so that the tests around it, in any order, find them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper") if marker else request.getfixturevalue("transactional_db")
    restore_migration_data()
    yield


_MIGRATED_TAXONOMY: list = []


@pytest.fixture(autouse=True)
def fresh_taxonomy():
    """The vocabulary of phases and health levels is kept per process
    (``programmes.taxonomy``), loaded once for the session from the migrated
    rows; a test that changes it gets the migrated one back afterwards, so
    that its rolled-back values never reach the next test and every page's
    query count stays that of a warm process."""
    from programmes import taxonomy

    if _MIGRATED_TAXONOMY:
        taxonomy.keep(_MIGRATED_TAXONOMY[0])
    yield
    if _MIGRATED_TAXONOMY:
        taxonomy.keep(_MIGRATED_TAXONOMY[0])


@pytest.fixture
def lead(db):
    return factories.UserFactory(username=LEAD_USERNAME, role=Role.LEAD.value)


@pytest.fixture
def director_service(db, director):
    return factories.ServiceFactory(name="Service des mobilités", acronym="MOB", director=director)


@pytest.fixture
def director(db):
    return factories.UserFactory(username="director-user", role=Role.DIRECTOR.value)


@pytest.fixture
def other_service(db):
    return factories.ServiceFactory(name="Service de la culture", acronym="CUL")


@pytest.fixture
def official(db):
    user = factories.UserFactory(username="official-user", role=Role.OFFICIAL.value)
    factories.ElectedOfficialFactory(user=user)
    return user


@pytest.fixture
def viewer(db):
    return factories.UserFactory(username="viewer-user", role=Role.VIEWER.value)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lead_client(lead):
    return _client_for(lead)


@pytest.fixture
def director_client(director, director_service):
    return _client_for(director)


@pytest.fixture
def official_client(official):
    return _client_for(official)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def persona_client(request, db):
    """Parametrise with a role name (or "anonymous") to get its client."""
    name = request.param
    if name == "anonymous":
        return Client()
    if name == "director":
        service = request.getfixturevalue("director_service")
        return _client_for(service.director)
    return _client_for(request.getfixturevalue(name))


@pytest.fixture
def world(db, director_service, other_service, lead):
    """The permission matrix's portfolio (tests/world.py), built for one test."""
    return build_world(lead=lead, director_service=director_service, other_service=other_service)
