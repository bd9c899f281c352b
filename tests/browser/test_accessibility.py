"""axe-core on every main page, as each role sees it: no serious or
critical violation (WCAG 2.1 A/AA rules). Pages of later issues are one
line each in PAGES; a URL name that does not exist yet is skipped.

Also: the pages run under the real Content-Security-Policy without any
violation, and the sign-in form works with the keyboard alone.
"""

from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browser.conftest import CHROMIUM_ARGS, login  # noqa: F401

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# (persona, label, url_name, kwargs from the world fixture)
PAGES = [
    ("anonymous", "sign-in", "login", None),
    ("anonymous", "password reset", "password_reset", None),
    ("lead", "home (lead)", "home", None),
    ("director", "home (director)", "home", None),
    ("official", "home (official)", "home", None),
    ("viewer", "home (viewer)", "home", None),
    ("lead", "portfolio", "programmes:portfolio", None),
    ("lead", "project list", "programmes:project_list", None),
    ("lead", "project page", "programmes:project_detail", lambda w: {"pk": w["project"].pk}),
    ("lead", "programme page", "programmes:programme_detail", lambda w: {"pk": w["project"].programme_id}),
    ("lead", "domain page", "programmes:domain_detail", lambda w: {"slug": w["domain"].slug}),
    ("lead", "service list", "partners:service_list", None),
    ("lead", "service page", "partners:service_detail", lambda w: {"pk": w["service"].pk}),
    ("lead", "partner list", "partners:partner_list", None),
    ("lead", "partner page", "partners:partner_detail", lambda w: {"pk": w["partner"].pk}),
    ("official", "committee page", "governance:committee_detail", lambda w: {"pk": w["committee"].pk}),
    ("official", "meeting page", "governance:meeting_detail", lambda w: {"pk": w["meeting"].pk}),
    ("official", "dashboard", "governance:dashboard", None),
    ("official", "official page", "governance:official_detail", lambda w: {"pk": w["official"].pk}),
    ("viewer", "two-step verification set-up", "otp_setup", None),
    ("lead", "link map", "site:map", None),
    ("lead", "link map as tables", "site:map_tables", None),
    ("lead", "matrices", "site:matrix", None),
    ("lead", "orphans and bridges", "site:orphans", None),
    ("official", "meeting pack", "governance:meeting_pack", lambda w: {"pk": w["meeting"].pk}),
    ("official", "decision register", "governance:decision_register", None),
    ("director", "director's report", "programmes:service_report", None),
    ("lead", "reporting overview", "programmes:reporting_overview", None),
    ("lead", "project edit form", "programmes:project_update", lambda w: {"pk": w["project"].pk}),
    ("lead", "partner import", "partners:partner_import", None),
    ("lead", "webhooks", "site:webhooks", None),
    ("lead", "webhook delivery log", "site:webhook_detail", lambda w: {"pk": w["webhook"].pk}),
    ("lead", "project page with documents", "programmes:project_detail", lambda w: {"pk": w["own_project"].pk}),
    ("director", "document upload", "documents:add", lambda w: {"kind": "projet", "pk": w["own_project"].pk}),
    # Partner relationships and data (issue 15).
    ("lead", "agreements", "programmes:agreement_list", None),
    ("lead", "agreement page", "programmes:agreement_detail", lambda w: {"pk": w["agreement"].pk}),
    ("viewer", "data register", "programmes:data_asset_list", None),
    ("lead", "data asset page", "programmes:data_asset_detail", lambda w: {"pk": w["data_asset"].pk}),
    ("lead", "data asset form", "programmes:data_asset_create", None),
    ("official", "relationship moves", "programmes:relationship_moves", None),
    ("lead", "interaction form", "partners:interaction_create", lambda w: {"pk": w["partner"].pk}),
]
# Issue 14: engagement and openings, the awareness log, usefulness sheets and summary.
PAGES += [
    ("lead", "engagement and openings", "site:engagement", None),
    ("lead", "awareness actions", "partners:awareness_list", None),
    ("director", "service usefulness sheet", "site:service_sheet", lambda w: {"pk": w["service"].pk}),
    ("viewer", "project usefulness sheet", "programmes:usefulness_sheet", lambda w: {"pk": w["project"].pk}),
    ("official", "usefulness summary", "programmes:usefulness_summary", None),
    ("official", "roadmap", "programmes:roadmap", None),
    ("director", "project history", "programmes:project_history", lambda w: {"pk": w["project"].pk}),
    (
        "director",
        "report on one project, milestones",
        "programmes:project_report",
        lambda w: {"pk": w["own_project"].pk},
    ),
    # Issue 15: the public pages and the processing register.
    ("anonymous", "public portfolio", "site:public_portfolio", None),
    ("anonymous", "public project page", "site:public_project", lambda w: {"pk": w["public_project"].pk}),
    ("lead", "processing register", "site:gdpr_register", None),
    ("lead", "erase a person", "site:gdpr_erase", lambda w: {"kind": "contact", "pk": w["contact"].pk}),
]

USERNAMES = {"lead": "lead-user", "director": "director-user", "official": "official-user", "viewer": "viewer-user"}


def _url(live_server, world, url_name, kwargs) -> str:
    try:
        return live_server.url + reverse(url_name, kwargs=kwargs(world) if kwargs else None)
    except NoReverseMatch:
        pytest.fail(f"{url_name} is not a URL name: update PAGES")


@pytest.fixture
def personas(world, official, viewer):
    """The world plus every persona (the world already holds lead and director)."""
    return world


def _serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


PERSONAS_WALKED = sorted({persona for persona, *_ in PAGES})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", PERSONAS_WALKED)
def test_no_serious_accessibility_violation(browser, live_server, personas, persona):
    """Every page of PAGES, as its persona: no console error, no serious axe
    violation. One sign-in and one world per persona (a world per page cost
    two minutes); every page is checked, and every failure reported."""
    context = browser.new_context(bypass_csp=True, locale="fr-FR")  # axe is injected
    page = context.new_page()
    errors: list[str] = []
    failures: list[str] = []
    # Console errors of the page itself: a missing file, a script error, an
    # SVG attribute the browser rejects (French "9,6" once hid every bar).
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        if persona != "anonymous":
            login(page, live_server, USERNAMES[persona])
        for _persona, label, url_name, kwargs in (p for p in PAGES if p[0] == persona):
            url = _url(live_server, personas, url_name, kwargs)
            errors.clear()
            response = page.goto(url)
            if response.status >= 400:
                failures.append(f"{label}: HTTP {response.status}")
                continue
            # "load" (what goto waits for): every script, style and image is
            # in. No page loads more later (no htmx on load), so "networkidle"
            # would only add its 500 ms of silence per page.
            page.wait_for_load_state("load")
            if errors:
                failures.append(f"{label} ({url}): console errors {errors[:5]}")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            problems = _serious(result["violations"])
            if problems:
                failures.append(f"{label} ({url}):\n" + "\n".join(problems))
    finally:
        context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_csp_without_violation(browser, live_server, personas):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    try:
        login(page, live_server, "lead-user")
        for url_name, kwargs in [
            ("home", None),
            ("programmes:project_detail", lambda w: {"pk": w["project"].pk}),
            ("governance:meeting_detail", lambda w: {"pk": w["meeting"].pk}),
            ("otp_setup", None),
        ]:
            page.goto(_url(live_server, personas, url_name, kwargs))
            page.wait_for_load_state("load")
            assert page.evaluate("typeof htmx") == "object", "htmx did not load"
            assert page.evaluate("htmx.config.includeIndicatorStyles") is False
        violations = [m for m in messages if "Content Security Policy" in m]
        assert not violations, violations
        # The QR code (a data: image) is displayed.
        assert page.evaluate("document.querySelector('figure img').naturalWidth") > 0
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_only_sign_in(page, live_server, personas):
    page.goto(f"{live_server.url}/compte/login/")
    # The username field has the focus on arrival (autofocus), visibly.
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type("lead-user")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type("secret-password")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/compte/login/" not in page.url

    # On a signed-in page, the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')"), "skip link comes first"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_axe_check_can_fail(browser, live_server):
    """The harness itself: an image without text alternative is caught."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/compte/login/")
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        assert any(problem.startswith("image-alt") for problem in _serious(result["violations"]))
    finally:
        context.close()
