"""The long project lists inside the domain, programme, official and service
pages come in pages of 25, in a stable order, each list paging on its own,
for the same number of queries at 30 projects as at 60."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartcity.base.pagination import LIST_PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    """One programme, domain, official and service holding every project;
    grown in place by ``_grow``."""
    return {
        "programme": factories.ProgrammeFactory(),
        "domain": factories.DomainFactory(slug="pages"),
        "official": factories.ElectedOfficialFactory(),
        "service": factories.ServiceFactory(),
        "n": 0,
    }


def _grow(city, total):
    while city["n"] < total:
        city["n"] += 1
        project = factories.ProjectFactory(
            code=f"P-{city['n']:03d}",
            programme=city["programme"],
            lead_service=city["service"],
            sponsor=city["official"],
            domains=[city["domain"]],
        )
        project.contributing_services.add(factories.ServiceFactory())


PAGES = {
    "programme": (lambda c: reverse("programmes:programme_detail", args=[c["programme"].pk]), "page"),
    "domain": (lambda c: reverse("programmes:domain_detail", args=["pages"]), "page"),
    "official": (lambda c: reverse("governance:official_detail", args=[c["official"].pk]), "page"),
    "service": (lambda c: reverse("partners:service_detail", args=[c["service"].pk]), "led_page"),
}


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def _codes(html):
    return [part.split("<")[0] for part in html.split('/">P-')[1:]]


def test_pages_are_stable_and_flat(city, viewer_client):
    """All four pages in one walk (the data is the costly part)."""
    _grow(city, 30)
    small = {}
    for name, (url_of, param) in PAGES.items():
        url = url_of(city)
        small[name], first = _get(viewer_client, url)
        _n, second = _get(viewer_client, f"{url}?{param}=2")
        first_codes, second_codes = set(_codes(first)), set(_codes(second))
        assert len(first_codes) == LIST_PAGE_SIZE, name
        assert not first_codes & second_codes, name
        assert first_codes | second_codes == {f"{i:03d}" for i in range(1, 31)}, name
        assert f"{param}=2#" in first and "1–25" in first, name
    _grow(city, 60)
    for name, (url_of, param) in PAGES.items():
        large, _html = _get(viewer_client, f"{url_of(city)}?{param}=2")
        assert small[name] == large, f"{name}: {small[name]} queries at 30 projects, {large} at 60"


def test_a_services_two_lists_page_apart(city, viewer_client):
    _grow(city, 30)
    contributor = factories.ServiceFactory()
    for project in city["programme"].projects.order_by("code")[:27]:
        project.contributing_services.add(contributor)
    url = reverse("partners:service_detail", args=[contributor.pk])
    _n, html = _get(viewer_client, url + "?contributed_page=2")
    assert "contributed_page=1#contributed-projects" in html
    assert "led_page" not in html  # it leads nothing: one page, no links
