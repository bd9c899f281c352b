"""The lead's workspace, driven in Chromium: create a project, link two
services and a partner, find it with a filter, see it on the partner's page,
export the list, import a partner file with a bad row (nothing created) and
then a good one. (The link-map part of the walk is tested with the map.)"""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from partners.models import Partner
from programmes.models import Project
from smartcity.base.roles import Role
from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city():
    # A transactional test before this one may have flushed the groups the
    # roles migration created.
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return {
        "lead": factories.UserFactory(username="cheffe", role=Role.LEAD.value),
        "programme": factories.ProgrammeFactory(name="Ville des données"),
        "lead_service": factories.ServiceFactory(name="Service Mobilités", acronym="MOB"),
        "helper1": factories.ServiceFactory(name="Service Données", acronym="DATA"),
        "helper2": factories.ServiceFactory(name="Service Voirie", acronym="VOI"),
        "partner": factories.PartnerFactory(name="Université d'Orvalle", category="higher_education"),
        "domain": factories.DomainFactory(slug="mobilite", name="Mobilité"),
    }


def pick(page, select_id: str, typed: str, label: str) -> None:
    """Type in a picker's combobox (static/js/picker.js) and choose ``label``."""
    page.fill(f"#{select_id}-search", typed)
    page.locator(f"#{select_id} ~ .picker-combo .picker-option", has_text=label).first.click()


def test_lead_walk(page, live_server, city, tmp_path):
    login(page, live_server, "cheffe")

    # Create a project, picking in the type-ahead lists (keyboard for one).
    page.goto(f"{live_server.url}/projets/")
    page.get_by_role("link", name="New project").or_(page.get_by_role("link", name="Nouveau projet")).click()
    pick(page, "id_programme", "données", "Ville des données")
    page.fill("#id_code", "MOB-900")
    page.fill("#id_name", "Navettes à la demande")
    page.fill("#id_lead_service-search", "mob")
    expect(page.locator("#id_lead_service ~ .picker-combo [role=option]")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lead_service-search")).to_have_value("Service Mobilités")
    page.check("#id_domains_0")
    page.locator("form.edit-form button.btn-primary").click()
    expect(page.locator("h1")).to_have_text("Navettes à la demande")
    project = Project.objects.get(code="MOB-900")

    # Link two services and a partner without leaving the page (htmx).
    links = page.locator("#links")
    for label in ("Service Données", "Service Voirie"):
        pick(page, "id_service", label.split()[-1], label)
        page.locator("form[action$='/services/'] button[type=submit]:not([name=_pick]):not([aria-hidden])").click()
        expect(links.get_by_role("link", name=label)).to_be_visible()
    pick(page, "id_link-partner", "orvalle", "Université d'Orvalle")
    page.select_option("#id_link-relationship", value="co_construction")
    page.fill("#id_link-role", "Recherche")
    page.locator("form[action$='/partenaires/'] button[type=submit]:not([name=_pick]):not([aria-hidden])").click()
    expect(links.get_by_role("link", name="Université d'Orvalle", exact=True)).to_be_visible()
    assert page.url.endswith(f"/projets/{project.pk}/"), "htmx swapped the block, the page stayed"
    assert set(project.contributing_services.values_list("acronym", flat=True)) == {"DATA", "VOI"}

    # Find it with a filter (the filter lives in the URL).
    factories.ProjectFactory(code="ZZZ-1", name="Un autre projet")
    page.goto(f"{live_server.url}/projets/")
    pick(page, "id_partner", "orvalle", "Université d'Orvalle")
    page.locator("form.filter-form button[type=submit]").click()
    assert f"partner={city['partner'].pk}" in page.url
    table = page.locator("table")
    expect(table.get_by_role("link", name="MOB-900")).to_be_visible()
    expect(table.get_by_role("link", name="ZZZ-1")).to_have_count(0)

    # Export the filtered list.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter en CSV").click()
    exported = (tmp_path / "export.csv").as_posix()
    download_info.value.save_as(exported)
    with open(exported, encoding="utf-8-sig") as handle:
        text = handle.read()
    assert "MOB-900" in text and "ZZZ-1" not in text

    # See it on the link map, focused, with its services and partner around it.
    page.goto(f"{live_server.url}/carte/?focus=project:{project.pk}&depth=1")
    expect(page.locator(f'#link-map a.node[data-key="project:{project.pk}"]')).to_have_class(re.compile("focused"))
    expect(page.locator(f'#link-map a.node[data-key="partner:{city["partner"].pk}"]')).to_have_count(1)

    # See it on the partner's page.
    page.goto(f"{live_server.url}{city['partner'].get_absolute_url()}")
    partner_projects = page.locator("#partner-projects")
    expect(partner_projects.get_by_role("link", name="MOB-900 — Navettes à la demande")).to_be_visible()

    # Import a partner file with one bad row: rejected, nothing created.
    bad = tmp_path / "partenaires.csv"
    bad.write_text("name;category;city\nLabo Nouveau;research;Orvalle\nSans catégorie;inconnue;Lyon\n", "utf-8")
    page.goto(f"{live_server.url}/partenaires/import/")
    page.set_input_files("#id_file", bad.as_posix())
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#import-errors")).to_contain_text("inconnue")
    expect(page.locator("form[action$='/confirmer/']")).to_have_count(0)
    assert not Partner.objects.filter(name="Labo Nouveau").exists()

    # Then a good one: preview, confirm, created.
    good = tmp_path / "partenaires-ok.csv"
    good.write_text(
        "name;category;city;contact_first_name;contact_last_name\nLabo Nouveau;research;Orvalle;Ada;Lovelace\n",
        "utf-8",
    )
    page.goto(f"{live_server.url}/partenaires/import/")
    page.set_input_files("#id_file", good.as_posix())
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#import-actions")).to_contain_text("Labo Nouveau — Ada Lovelace")
    assert not Partner.objects.filter(name="Labo Nouveau").exists()
    page.locator("form[action$='/confirmer/'] button").click()
    expect(page.locator("#import-status")).to_be_visible()
    partner = Partner.objects.get(name="Labo Nouveau")
    assert partner.contacts.get().last_name == "Lovelace"


def test_links_work_without_javascript(browser, live_server, city):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    project = factories.ProjectFactory(lead_service=city["lead_service"])
    login(page, live_server, "cheffe")
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    # Search, then pick: the page comes back with the matches in the list.
    page.fill("#id_service_q", "données")
    page.locator("button[name=_pick][value=service]").click()
    page.wait_for_load_state()
    assert not project.contributing_services.exists()
    page.select_option("#id_service", label="Service Données")
    page.locator("form[action$='/services/'] button[type=submit]:not([name=_pick]):not([aria-hidden])").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].endswith(project.get_absolute_url())
    expect(page.locator("#links").get_by_role("link", name="Service Données")).to_be_visible()
    page.select_option("#id_domain", label="Mobilité")
    page.locator("form[action$='/domaines/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert list(project.domains.values_list("slug", flat=True)) == ["mobilite"]
    context.close()
