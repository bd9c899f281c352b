"""The public face (issue 15): an anonymous visitor reaches the public
pages and the open data, and nothing else, by any URL or parameter; what
they see holds no private project, no person, no internal note."""

import contextlib
import csv
import io
import json
import re

import jsonschema
import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from programmes.models import Project
from tests import factories
from tests.test_permissions import ALL_URL_NAMES
from tests.url_rules import RULES
from tests.world import build_world

# Public by design (sign-in, password reset, language, health) and issue 15's pages.
PUBLIC_URL_NAMES = {
    "health",
    "login",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # A committee's calendar feed, behind its secret token.
    "governance:committee_feed",
    "site:public_portfolio",
    "site:public_project",
    "site:public_links",
    "site:public_data",
    "site:public_projects_json",
    "site:public_projects_csv",
    "site:public_schema_json",
}
ISSUE_15_PAGES = sorted(name for name in PUBLIC_URL_NAMES if name.startswith("site:public_"))
# Strings that must never reach an anonymous visitor.
SECRETS = {
    "private project": "Projet confidentiel Zéphyr",
    "archived public project": "Ancien projet Bruine",
    "contact first name": "Ondinette",
    "contact last name": "Secretnom",
    "contact e-mail": "ondinette.secret@partenaire.example",
    "contact phone": "06 99 88 77 66",
    "contact note": "NOTE-INTERNE-CONTACT",
    "status report comment": "COMMENTAIRE-INTERNE-METEO",
    "official's name": "Sponsorine",
    "official's e-mail": "sponsorine@ville.example",
    "archived partner": "Partenaire Retiré SA",
    "lead's e-mail": "lead-secret@ville.example",
}
TAMPERING = ["", "?id={private}", "?pk={private}", "?page=999", "?page=-1", "?page=x", "?format=json", "?is_public=0",
             "?domaine=mobilite", "?domaine=%27%3B--", "?q=Zéphyr", "?project={private}"]  # fmt: skip


@pytest.fixture(scope="module")
def boundary(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world["lead"].email = SECRETS["lead's e-mail"]
        world["lead"].save()
        public = world["public_project"]
        official = factories.ElectedOfficialFactory(first_name="Sponsorine", email=SECRETS["official's e-mail"])
        Project.objects.filter(pk=public.pk).update(sponsor=official, name="Jardins connectés")
        private = factories.ProjectFactory(name=SECRETS["private project"], domains=[world["domain"]])
        archived = factories.ProjectFactory(
            name=SECRETS["archived public project"], is_public=True, is_archived=True, domains=[world["domain"]]
        )
        partner = factories.PartnerFactory(name="Coopérative Lumen")
        factories.ProjectPartnerFactory(project=public, partner=partner)
        factories.ProjectPartnerFactory(
            project=public, partner=factories.PartnerFactory(name=SECRETS["archived partner"], is_archived=True)
        )
        factories.ContactPersonFactory(
            partner=partner,
            first_name=SECRETS["contact first name"],
            last_name=SECRETS["contact last name"],
            email=SECRETS["contact e-mail"],
            phone=SECRETS["contact phone"],
            notes=SECRETS["contact note"],
        )
        factories.StatusReportFactory(project=public, comment=SECRETS["status report comment"])
        world.update(private=private, archived=archived, lumen=partner)
        yield world
        transaction.set_rollback(True)


def _leaks(body: str) -> list[str]:
    return [label for label, secret in SECRETS.items() if secret.lower() in body.lower()]


def _variants(name: str, world) -> list[str]:
    """The rule's own address, and the same with every id replaced by a
    private project's, an archived public project's and a contact's."""
    kwargs = RULES[name].kwargs(world)
    urls = [reverse(name, kwargs=kwargs) + RULES[name].query]
    for other in (world["private"].pk, world["archived"].pk, world["contact"].pk):
        swapped = {key: (other if isinstance(value, int) else value) for key, value in kwargs.items()}
        if swapped != kwargs:
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(name, kwargs=swapped))
    return urls


@pytest.mark.django_db
def test_anonymous_reaches_only_the_public_urls_and_they_leak_nothing(boundary):
    client = Client()
    answered = set()
    for name in ALL_URL_NAMES:
        for url in _variants(name, boundary):
            for query in TAMPERING if name in PUBLIC_URL_NAMES else [""]:
                response = client.get(url + query.format(private=boundary["private"].pk))
                assert response.status_code < 500, url
                if response.status_code == 200:
                    answered.add(name)
                    assert name in PUBLIC_URL_NAMES, f"{url} answers an anonymous visitor"
                    body = b"".join(response) if response.streaming else response.content
                    assert not _leaks(body.decode()), f"{url}{query} shows {_leaks(body.decode())}"
                else:
                    assert response.status_code in (302, 401, 403, 404, 405), url
                    if response.status_code == 302:
                        assert "/compte/login/" in response["Location"] or name == "set_language", url
    assert set(ISSUE_15_PAGES) <= answered


@pytest.mark.django_db
def test_a_private_or_archived_project_has_no_public_page(boundary):
    client = Client()
    for project in (boundary["private"], boundary["archived"]):
        assert client.get(reverse("site:public_project", args=[project.pk])).status_code == 404
    page = client.get(reverse("site:public_project", args=[boundary["public_project"].pk]))
    assert page.status_code == 200
    assert "Jardins connectés" in page.content.decode()
    assert "Coopérative Lumen" in page.content.decode()
    assert "public" in page["Cache-Control"] and "max-age" in page["Cache-Control"]


@pytest.mark.django_db
def test_the_open_data_follows_its_schema_and_states_its_licence(boundary):
    client = Client()
    schema = json.loads(client.get(reverse("site:public_schema_json")).content)
    data = json.loads(client.get(reverse("site:public_projects_json")).content)
    jsonschema.validate(data, schema)
    assert "Etalab" in data["licence"]["name"]
    assert [p["name"] for p in data["projects"]] == ["Jardins connectés"]
    assert {p["name"] for p in data["projects"][0]["partners"]} == {"Coopérative Lumen"}
    public = boundary["public_project"]
    assert data["projects"][0]["domains"] == [d.slug for d in public.domains.filter(is_archived=False)]
    assert data["projects"][0]["url"] == "http://testserver" + reverse("site:public_project", args=[public.pk])
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("site:public_projects_csv")).content.decode())))
    assert list(rows[0]) == list(schema["properties"]["projects"]["items"]["properties"])
    assert [row["code"] for row in rows] == [boundary["public_project"].code]
    assert "Etalab" in client.get(reverse("site:public_data")).content.decode()


@pytest.mark.django_db
def test_the_language_switch_works_without_signing_in(boundary):
    client = Client()
    assert 'lang="fr"' in client.get(reverse("site:public_portfolio")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("site:public_portfolio")})
    body = client.get(reverse("site:public_portfolio")).content.decode()
    assert 'lang="en"' in body and "Open data" in body


def _grow(n: int, domain) -> None:
    for _ in range(n):
        project = factories.ProjectFactory(is_public=True, domains=[domain, factories.DomainFactory()])
        factories.ProjectPartnerFactory(project=project)
        factories.ProjectPartnerFactory(project=project)


@pytest.mark.django_db
def test_public_pages_query_count_is_flat(boundary):
    client = Client()
    urls = [reverse(name, kwargs=RULES[name].kwargs(boundary)) for name in ISSUE_15_PAGES]
    urls.append(reverse("site:public_portfolio") + "?domaine=mobilite")
    urls.append(reverse("site:public_links") + "?domaine=mobilite")  # the map, narrowed to one domain

    def counts():
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    _grow(2, boundary["domain"])
    small = counts()
    _grow(12, boundary["domain"])
    assert counts() == small
    assert max(small.values()) <= 6, small


def test_the_allow_list_names_no_person():
    from smartcity.site.public.fields import PROJECT_FIELDS, RELATED_FIELDS

    assert not {"sponsor", "contacts", "status_reports", "budget_spent", "health"} & {*PROJECT_FIELDS, *RELATED_FIELDS}
    assert not [name for name in PROJECT_FIELDS if re.search("name$|email|phone|note|comment", name) and name != "name"]


def _svg(body: str) -> str:
    match = re.search(r"<svg[^>]*public-map.*?</svg>", body, re.S)
    assert match, "the links page draws no map"
    return match.group(0)


@pytest.mark.django_db
def test_the_map_of_public_links_draws_public_projects_and_organisations_only(boundary):
    archived_domain = factories.DomainFactory(name="Domaine Éteint", is_archived=True)
    boundary["public_project"].domains.add(archived_domain)
    client = Client()
    for query in ("", "?domaine=mobilite"):
        svg = _svg(client.get(reverse("site:public_links") + query).content.decode())
        assert "Jardins connectés" in svg and "Coopérative Lumen" in svg and boundary["domain"].name in svg
        assert reverse("site:public_project", args=[boundary["public_project"].pk]) in svg
        for absent in (SECRETS["private project"], SECRETS["archived partner"], "Domaine Éteint", "Sponsorine"):
            assert absent not in svg, (query, absent)
        assert reverse("site:public_project", args=[boundary["private"].pk]) not in svg


@pytest.mark.django_db
def test_the_map_draws_at_most_one_page_of_projects(boundary, monkeypatch):
    from smartcity.site.public import views

    _grow(4, boundary["domain"])
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    for query in ("", "?page=2", "?domaine=mobilite"):
        svg = _svg(Client().get(reverse("site:public_links") + query).content.decode())
        assert 1 <= svg.count("t-project") <= 3, query


@pytest.mark.django_db
def test_public_pages_show_the_domains_icons_as_decoration_at_the_same_query_cost(boundary):
    """A domain's icon, shown on the internal pages, shows on the public ones
    too: decorative (the name follows it), read with the domains (no query
    more)."""
    client = Client()
    domain, public = boundary["domain"], boundary["public_project"]
    urls = [
        reverse("site:public_portfolio"),
        reverse("site:public_portfolio") + f"?domaine={domain.slug}",
        reverse("site:public_links"),
        reverse("site:public_project", args=[public.pk]),
    ]

    def pages():
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            found[url] = (len(queries), response.content.decode())
        return found

    type(domain).objects.filter(pk=domain.pk).update(icon="")
    before = pages()
    type(domain).objects.filter(pk=domain.pk).update(icon="bus")
    after = pages()
    for url in urls:
        assert "domain-icons.svg#bus" not in before[url][1], url
        icons = re.findall(r'<svg class="domain-icon"[^>]*><use href="[^"]*domain-icons\.svg#bus"', after[url][1])
        assert icons and all('aria-hidden="true"' in icon for icon in icons), url
        assert after[url][0] == before[url][0], url
