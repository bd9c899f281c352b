"""The lead opens the link map, focuses a project and walks to a partner."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from partners.models import Domain
from smartcity.base.roles import Role
from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_focus_a_project_then_open_a_partner(live_server, page):
    factories.UserFactory(username="lead-browser", role=Role.LEAD.value)
    mobility = Domain.objects.get_or_create(slug="mobilite", defaults={"name": "Mobilité"})[0]
    project = factories.ProjectFactory(code="MOB-0042", name="Navettes autonomes", domains=[mobility])
    other = factories.ProjectFactory(code="MOB-0043", name="Vélos partagés", domains=[mobility])
    partner = factories.PartnerFactory(name="Transdev Orvalle")
    factories.ProjectPartnerFactory(project=project, partner=partner)
    factories.ProjectPartnerFactory(project=other, partner=factories.PartnerFactory(name="Autre partenaire"))

    login(page, live_server, "lead-browser")
    page.goto(f"{live_server.url}/carte/")
    expect(
        page.get_by_role("heading", name="Carte des liens").or_(page.get_by_role("heading", name="Link map"))
    ).to_be_visible()
    expect(page.locator("#link-map a.node")).not_to_have_count(0)

    # Focus the project from the list under the map (a plain link: no JS needed).
    page.locator("#map-list li", has_text="MOB-0042").locator("a.map-focus-link").click()
    expect(page).to_have_url(re.compile(r"focus=project%3A\d+|focus=project:\d+"))
    focused = page.locator(f'#link-map a.node[data-key="project:{project.pk}"]')
    expect(focused).to_have_class(re.compile("focused"))
    # Only its neighbours are drawn: the other project's partner is gone.
    expect(page.locator(f'#link-map a.node[data-key="partner:{partner.pk}"]')).to_have_count(1)
    expect(page.locator("#link-map a.node", has_text="Autre partenaire")).to_have_count(0)

    # With JavaScript, hovering a node lights its links up.
    page.locator(f'#link-map a.node[data-key="partner:{partner.pk}"] path').hover()
    expect(page.locator("#link-map")).to_have_class(re.compile("is-highlighting"))

    # The partner's shape is a link to its page.
    page.locator(f'#link-map a.node[data-key="partner:{partner.pk}"] path').click()
    expect(page).to_have_url(f"{live_server.url}{partner.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Transdev Orvalle")).to_be_visible()


AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


def test_map_pages_pass_axe(live_server, browser):
    """WCAG 2.1 A/AA rules of axe-core on the map, its tables, the matrices and the orphans."""
    factories.UserFactory(username="lead-axe", role=Role.LEAD.value)
    project = factories.ProjectFactory(domains=[Domain.objects.get(slug="mobilite")])
    factories.ProjectPartnerFactory(project=project)
    factories.PartnerFactory()  # an orphan
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    page = context.new_page()
    login(page, live_server, "lead-axe")
    for url in (
        "/carte/",
        f"/carte/?focus=project:{project.pk}&depth=2",
        "/carte/tableaux/",
        "/carte/matrices/",
        "/carte/orphelins/",
    ):
        page.goto(live_server.url + url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run({runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
        problems = [(v["id"], v["nodes"][0]["target"]) for v in result["violations"]]
        assert problems == [], f"{url}: {problems}"
    context.close()
