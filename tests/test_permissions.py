"""URL × role matrix (after pretix's test_permissions): every URL pattern of
the project, every persona, GET and POST."""

import hashlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from tests.access import ANONYMOUS, EVERYONE, Rule
from tests.governance.access_rules import RULES as GOVERNANCE
from tests.partners.access_rules import RULES as PARTNERS
from tests.programmes.access_rules import RULES as PROGRAMMES
from tests.smartcity.access_rules import RULES as SMARTCITY

RULES: dict[str, Rule] = {**SMARTCITY, **PROGRAMMES, **PARTNERS, **GOVERNANCE}

# Third-party URL trees with their own access control.
SKIPPED_NAMESPACES = {"admin"}
PERSONAS = ["anonymous", "lead", "director", "official", "viewer"]
APPS_WATCHED = ["programmes", "partners", "governance", "auth", "smartcity"]


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


def database_fingerprint() -> str:
    """A digest of every row of the watched apps: any write changes it."""
    digest = hashlib.sha256()
    for app_label in APPS_WATCHED:
        for model in apps.get_app_config(app_label).get_models():
            for row in model.objects.order_by("pk").values_list():
                digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def world(db, director_service, other_service, lead):
    """A small portfolio touching every model, seen from each persona."""
    domain = factories.DomainFactory(slug="mobilite")
    official = factories.ElectedOfficialFactory()
    own_project = factories.ProjectFactory(lead_service=director_service, domains=[domain], sponsor=official)
    project = factories.ProjectFactory(lead_service=other_service, domains=[domain])
    contributor = factories.ServiceFactory()
    project.contributing_services.add(contributor)
    partner = factories.PartnerFactory()
    partner_link = factories.ProjectPartnerFactory(project=project, partner=partner)
    contact = factories.ContactPersonFactory(partner=partner)
    factories.StatusReportFactory(project=project)
    factories.MilestoneFactory(project=project)
    meeting = factories.MeetingFactory()
    committee = meeting.committee
    committee.members.add(official)
    item = factories.AgendaItemFactory(meeting=meeting)
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Second point")
    decision = factories.DecisionFactory(meeting=meeting)
    action = factories.ActionItemFactory(meeting=meeting)
    held_meeting = factories.MeetingFactory(committee=committee, status="held")
    approved_meeting = factories.MeetingFactory(committee=committee, status="approved")
    import_job = factories.ImportJobFactory(created_by=lead)
    return {
        "domain": domain,
        "domain2": factories.DomainFactory(),
        "contributor": contributor,
        "partner_link": partner_link,
        "contact": contact,
        "import_job": import_job,
        "official": official,
        "project": project,
        "own_project": own_project,
        "service": other_service,
        "own_service": director_service,
        "partner": partner,
        "committee": committee,
        "meeting": meeting,
        "agenda_item": item,
        "decision": decision,
        "action": action,
        "held_meeting": held_meeting,
        "approved_meeting": approved_meeting,
        "lead": lead,
    }


def _expect(persona: str, allowed: frozenset[str], response) -> None:
    if persona in allowed:
        assert response.status_code < 400, f"{persona} should be allowed, got {response.status_code}"
    elif persona == ANONYMOUS and response.status_code != 405:
        assert response.status_code == 302 and "/compte/login/" in response["Location"], (
            f"anonymous should be sent to sign-in, got {response.status_code}"
        )
    else:
        assert response.status_code in (403, 405), f"{persona} should be refused, got {response.status_code}"


@pytest.mark.parametrize("persona_client", PERSONAS, indirect=True, ids=PERSONAS)
@pytest.mark.parametrize("url_name", ALL_URL_NAMES)
def test_get(url_name, persona_client, world, request):
    persona = request.node.callspec.params["persona_client"]
    rule = RULES[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world)) + rule.query
    _expect(persona, rule.get, persona_client.get(url))


@pytest.mark.parametrize("persona_client", PERSONAS, indirect=True, ids=PERSONAS)
@pytest.mark.parametrize("url_name", [n for n in ALL_URL_NAMES if RULES.get(n) and RULES[n].post != EVERYONE])
def test_post(url_name, persona_client, world, request):
    persona = request.node.callspec.params["persona_client"]
    rule = RULES[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world)) + rule.query
    before = database_fingerprint()
    response = persona_client.post(url, rule.post_data(world))
    _expect(persona, rule.post, response)
    if persona not in rule.post:
        assert database_fingerprint() == before, f"a refused POST by {persona} changed the database"


@pytest.mark.parametrize("persona_client", PERSONAS, indirect=True, ids=PERSONAS)
@pytest.mark.parametrize("url_name", ALL_URL_NAMES)
def test_head_answers_like_get(url_name, persona_client, world, request):
    persona = request.node.callspec.params["persona_client"]
    rule = RULES[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world)) + rule.query
    response = persona_client.head(url)
    _expect(persona, rule.get, response)
    assert not response.content, "HEAD must not send a body"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("persona_client", PERSONAS, indirect=True, ids=PERSONAS)
@pytest.mark.parametrize("url_name", ALL_URL_NAMES)
def test_other_methods_change_nothing(url_name, persona_client, method, world, request):
    """PUT, PATCH and DELETE are refused (or, on Django's form views which
    treat PUT as POST, answered like a POST) and never write."""
    persona = request.node.callspec.params["persona_client"]
    rule = RULES[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world)) + rule.query
    before = database_fingerprint()
    response = getattr(persona_client, method)(url)
    assert response.status_code < 500
    if persona not in rule.post:
        _expect(persona, frozenset(), response) if response.status_code >= 300 else None
        assert response.status_code >= 300 or url_name == "set_language", (
            f"{method.upper()} by {persona} was accepted with {response.status_code}"
        )
    assert database_fingerprint() == before, f"{method.upper()} by {persona} changed the database"
