"""Phone first: at 375 × 812 no reading page scrolls sideways, for the lead,
a director and an elected official, on the demo city; no console error.
Screenshots go to /tmp/shots12/ (ORCHESTRE_SHOTS overrides) for a human
to look at."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from governance.models import Committee, Meeting
from partners.models import Domain, ElectedOfficial, Partner, Service
from programmes.models import Programme, Project, UsefulnessSheet
from smartcity.site.demo.builder import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
SHOTS = Path(os.environ.get("ORCHESTRE_SHOTS", "/tmp/shots12"))


def _reading_pages() -> dict[str, list[tuple[str, str]]]:
    project = Project.objects.annotate(n=Count("partner_links")).order_by("-n", "pk").first()
    meeting = Meeting.objects.filter(status__in=["held", "approved"]).order_by("-starts_at").first()
    common = [
        ("home", reverse("home")),
        ("portfolio", reverse("programmes:portfolio")),
        ("project-list", reverse("programmes:project_list")),
        ("project", project.get_absolute_url()),
        ("dashboard", reverse("governance:dashboard")),
        ("committee", reverse("governance:committee_detail", args=[Committee.objects.first().pk])),
        ("meeting", reverse("governance:meeting_detail", args=[meeting.pk])),
        ("pack", reverse("governance:meeting_pack", args=[meeting.pk])),
        ("decisions", reverse("governance:decision_register")),
        ("services", reverse("partners:service_list")),
        ("service", Service.objects.order_by("pk").first().get_absolute_url()),
        ("partner", Partner.objects.annotate(n=Count("project_links")).order_by("-n").first().get_absolute_url()),
        ("programme", Programme.objects.order_by("pk").first().get_absolute_url()),
        ("domain", Domain.objects.order_by("pk").first().get_absolute_url()),
        ("official", ElectedOfficial.objects.order_by("pk").first().get_absolute_url()),
        ("matrices", reverse("site:matrix")),
        ("agreements", reverse("programmes:agreement_list")),  # issue 15
        ("data-register", reverse("programmes:data_asset_list")),
        ("relationship-moves", reverse("programmes:relationship_moves")),
    ]
    sheet = UsefulnessSheet.objects.order_by("project__code").first()
    common += [  # issue 14
        ("engagement", reverse("site:engagement")),
        ("usefulness", reverse("programmes:usefulness_summary")),
        ("usefulness-sheet", reverse("programmes:usefulness_sheet", args=[sheet.project_id])),
        ("service-sheet", reverse("site:service_sheet", args=[Service.objects.get(acronym="SPEC").pk])),
        ("roadmap", reverse("programmes:roadmap")),
        ("project-history", reverse("programmes:project_history", args=[project.pk])),
    ]
    return {
        "lead": [*common, ("reporting", reverse("programmes:reporting_overview"))],
        "director.mobility": [*common, ("my-report", reverse("programmes:service_report"))],
        "official": common,
    }


def test_reading_pages_fit_a_phone_for_every_role(browser, live_server):
    call_command("seed_demo", "--today", "2026-03-16", stdout=StringIO(), stderr=StringIO())
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide, errors = {}, {}
    for username, pages in _reading_pages().items():
        context = browser.new_context(locale="fr-FR", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(10_000)
        console = []
        page.on("console", lambda msg, console=console: console.append(msg.text) if msg.type == "error" else None)
        login(page, live_server, username, DEMO_PASSWORD)
        for label, path in pages:
            console.clear()
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, label, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[f"{username} {label}"] = width
            if console:
                errors[f"{username} {label}"] = console[:3]
            page.screenshot(path=str(SHOTS / f"{username}-{label}.png"), full_page=True)
        context.close()
    assert not too_wide, f"pages wider than 375 px: {too_wide}"
    assert not errors, f"console errors: {errors}"
