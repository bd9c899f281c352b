"""The three everyday journeys on the demo city, on a phone (375 px) and on
a desktop (1280 px): the lead logs a project with a partner that did not
exist yet, a service director reports on their project, an elected official
reads the dashboard and opens the last meeting. On every page: no sideways
scroll and no console error. Screenshots go to ORCHESTRE_SHOTS (default
/tmp/shots12/journeys) for a human to look at."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partners.models import Partner
from programmes.models import Project, StatusReport
from smartcity.site.demo.builder import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
SHOTS = Path(os.environ.get("ORCHESTRE_SHOTS", "/tmp/shots12")) / "journeys"


class Walk:
    """One signed-in browser at one size, checking every page it shows."""

    def __init__(self, browser, live_server, username: str) -> None:
        self.size, self.username, self.base = "phone", username, live_server.url
        self.context = browser.new_context(locale="fr-FR", viewport=SIZES["phone"])
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors: list[str] = []
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        login(self.page, live_server, username, DEMO_PASSWORD)

    def check(self, label: str) -> None:
        self.page.wait_for_load_state()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[self.size]["width"], f"{self.username} {label} at {self.size}: {width} px wide"
        assert not self.errors, f"{self.username} {label} at {self.size}: console errors {self.errors[:3]}"
        self.page.screenshot(path=str(SHOTS / f"{self.username}-{label}-{self.size}.png"))

    def resize(self, size: str) -> None:
        self.size = size
        self.page.set_viewport_size(SIZES[size])

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def demo_city():
    call_command("seed_demo", "--today", "2026-03-16", stdout=StringIO(), stderr=StringIO())
    SHOTS.mkdir(parents=True, exist_ok=True)


def _lead_logs_a_project(walk: Walk, n: int) -> None:
    page = walk.page
    page.goto(f"{walk.base}/projets/nouveau/")
    page.fill("#id_programme-search", "a")
    page.locator("#id_programme ~ .picker-combo .picker-option").first.click()
    page.fill("#id_code", f"PARC-{n}")
    page.fill("#id_name", f"Capteurs de fréquentation des parcs {n}")
    page.fill("#id_lead_service-search", "espaces verts")
    page.locator("#id_lead_service ~ .picker-combo .picker-option").first.click()
    page.locator("input[name=domains]").first.check()
    page.fill("#id_new_partner_name", f"Atelier Canopée {n}")
    page.select_option("#id_new_partner_category", "company")
    page.select_option("#id_new_partner_relationship", "co_construction")
    walk.check("project-form")
    page.locator("form.edit-form button.btn-primary").click()
    expect(page.locator("h1")).to_contain_text(f"Capteurs de fréquentation des parcs {n}")
    walk.check("project-created")
    project = Project.objects.get(code=f"PARC-{n}")
    partner = Partner.objects.get(name=f"Atelier Canopée {n}")
    assert project.partner_links.filter(partner=partner, relationship="co_construction").exists()


def _director_reports(walk: Walk, n: int) -> None:
    page = walk.page
    page.goto(f"{walk.base}/mon-service/rapport/")
    walk.check("report-form")
    before = StatusReport.objects.count()
    page.locator("input[type=checkbox][name$='-no_change']").nth(n).check()
    with page.expect_navigation():
        page.click("#report-submit")
    expect(page.locator(".alert-success")).to_be_visible()
    walk.check("reported")
    assert StatusReport.objects.count() == before + 1


def _official_reads_the_dashboard(walk: Walk, n: int) -> None:
    page = walk.page
    page.goto(f"{walk.base}/")
    walk.check("dashboard")
    page.get_by_role("link", name="Lire le relevé").or_(page.get_by_role("link", name="Read the minutes")).first.click()
    expect(page.locator("#decisions-title")).to_be_visible()
    walk.check("last-meeting")


JOURNEYS = [
    ("lead", _lead_logs_a_project),
    ("director.mobility", _director_reports),
    ("official", _official_reads_the_dashboard),
]


def test_three_journeys_on_phone_and_desktop(browser, live_server, demo_city):
    for username, journey in JOURNEYS:
        walk = Walk(browser, live_server, username)
        try:
            for n, size in enumerate(SIZES):
                walk.resize(size)
                journey(walk, n)
        finally:
            walk.close()
