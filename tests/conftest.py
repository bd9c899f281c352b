"""Personas and clients shared by the whole suite.

Each persona is a user holding one Orchestre role; the director runs
``director_service``, the official is linked to an ElectedOfficial.
"""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from smartcity.roles import Role
from tests import factories


@pytest.fixture(autouse=True)
def migrated_rows(request):
    """Roles and domains come from data migrations; a transactional test
    flushes them when it ends, so put them back before the next one."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        return
    request.getfixturevalue("_django_db_helper") if marker else request.getfixturevalue("transactional_db")
    importlib.import_module("smartcity.migrations.0002_roles").create_roles(apps, None)
    importlib.import_module("programmes.migrations.0002_seed_domains").seed_domains(apps, None)


@pytest.fixture
def lead(db):
    return factories.UserFactory(username="lead-user", role=Role.LEAD.value)


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
