"""Measure the reporting burden: a director with five led projects reports
on all of them. Figures are printed (run with -s) and asserted."""

import datetime
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from programmes.models import StatusReport
from smartcity.base.roles import Role
from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting():
    # transaction=True flushes the tables between tests, the roles' groups too.
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    director = factories.UserFactory(
        username="paul.arnaud", role=Role.DIRECTOR.value, first_name="Paul", last_name="Arnaud"
    )
    service = factories.ServiceFactory(name="Service Transports en commun", acronym="TC", director=director)
    other = factories.ServiceFactory(name="Service de la culture", acronym="CUL")
    month_ago = timezone.now() - datetime.timedelta(days=40)
    projects = []
    for i in range(5):
        project = factories.ProjectFactory(lead_service=service, phase="pilot", name=f"Projet mobilité {i + 1}")
        factories.StatusReportFactory(
            project=project, author=director, health="on_track", progress=10 + i, created_at=month_ago
        )
        project.last_reported_at = month_ago
        project.health, project.progress = "on_track", 10 + i
        project.save()
        projects.append(project)
    theirs = factories.ProjectFactory(lead_service=other, phase="pilot")
    return {"director": director, "projects": projects, "theirs": theirs}


class Counter:
    """Counts top-level page loads (document requests) and form submissions."""

    def __init__(self, page):
        self.loads, self.submits, self.xhr = [], [], []
        page.on("request", self.on_request)

    def on_request(self, request):
        if request.resource_type == "document" and request.frame.parent_frame is None:
            (self.submits if request.method == "POST" else self.loads).append(request.url)
        elif request.resource_type in ("xhr", "fetch"):
            self.xhr.append(request.url)


def test_a_director_reports_on_five_projects_in_one_page_load_and_one_submit(live_server, page, setting):
    projects = setting["projects"]
    login(page, live_server, "paul.arnaud")
    counter = Counter(page)
    started = time.perf_counter()

    page.goto(f"{live_server.url}/mon-service/rapport/")
    healths = ["on_track", "at_risk", "off_track", "at_risk", "on_track"]
    for i, project in enumerate(projects):
        page.select_option(f"#id_p{project.pk}-health", healths[i])
        page.fill(f"#id_p{project.pk}-progress", str(30 + 10 * i))
    page.fill(f"#id_p{projects[0].pk}-comment", "Marché notifié, travaux en janvier.")
    page.fill(f"#id_p{projects[1].pk}-next_milestone", "Comité technique")
    page.fill(f"#id_p{projects[1].pk}-next_milestone_date", "2027-01-15")
    with page.expect_navigation():
        page.click("#report-submit")
    elapsed = time.perf_counter() - started

    report_page_loads = [u for u in counter.loads if u.endswith("/mon-service/rapport/")]
    print(
        f"\nBURDEN: report page loads={len(report_page_loads)} submits={len(counter.submits)} "
        f"page loads incl. landing after submit={len(counter.loads)} seconds={elapsed:.2f}"
    )
    assert len(report_page_loads) == 1
    assert len(counter.submits) == 1
    assert page.url.endswith("/mon-service/")
    assert "5" in page.locator(".alert-success").inner_text()
    assert StatusReport.objects.filter(author=setting["director"]).count() == 10
    for i, project in enumerate(projects):
        project.refresh_from_db()
        assert (project.health, project.progress) == (healths[i], 30 + 10 * i)

    # Another service's project: refused, whatever the door.
    theirs = setting["theirs"]
    response = page.goto(f"{live_server.url}/projets/{theirs.pk}/rapport/")
    assert response.status == 403
    response = page.goto(f"{live_server.url}/projets/{theirs.pk}/modifier/")
    assert response.status == 403
    theirs.refresh_from_db()
    assert theirs.version == 1
    response = page.goto(f"{live_server.url}/admin/programmes/project/{theirs.pk}/change/")
    assert response.status in (302, 403) or "/login/" in page.url

    # The timeline on the project page, with who reported.
    page.goto(f"{live_server.url}/projets/{projects[1].pk}/")
    chart = page.locator("figure.timeline svg[role=img]")
    assert chart.count() == 1
    assert page.locator("figure.timeline g.m-at_risk").count() == 1
    assert page.locator("figure.timeline g.m-on_track").count() == 1
    assert "Paul Arnaud" in page.locator("#reports-title + .table-responsive table").inner_text()


def test_no_change_is_ticked_then_sent_once_and_a_keyboard_only_walk(live_server, page, setting):
    projects = setting["projects"]
    login(page, live_server, "paul.arnaud")
    counter = Counter(page)
    started = time.perf_counter()
    page.goto(f"{live_server.url}/mon-service/rapport/")

    # "No change" is a checkbox, as the instructions say: ticking saves nothing.
    page.check(f"#id_p{projects[0].pk}-no_change")
    assert page.locator(f"#row-p{projects[0].pk}.is-no-change").count() == 1
    assert StatusReport.objects.filter(project=projects[0]).count() == 1

    # Keyboard only: change the second row, Space on the third row's
    # "no change" box, then Tab to the submit button and Enter.
    page.focus(f"#id_p{projects[1].pk}-health")
    page.keyboard.press("ArrowDown")  # on_track -> at_risk
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    third_box = f"document.activeElement.id === 'id_p{projects[2].pk}-no_change'"
    presses = 0
    while not page.evaluate(third_box) and presses < 40:
        page.keyboard.press("Tab")
        presses += 1
    assert page.evaluate(third_box), "the third row's no-change box is not reachable with Tab"
    page.keyboard.press("Space")
    assert page.is_checked(f"#id_p{projects[2].pk}-no_change")
    for _ in range(80):
        if page.evaluate("document.activeElement.id") == "report-submit":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "report-submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # an impatient second press sends nothing more
    elapsed = time.perf_counter() - started
    print(
        f"\nKEYBOARD: page loads incl. landing after submit={len(counter.loads)} submits={len(counter.submits)} "
        f"xhr={len(counter.xhr)} seconds={elapsed:.2f}"
    )
    assert len(counter.submits) == 1 and len(counter.xhr) == 0
    assert page.url.endswith("/mon-service/"), page.locator("main").inner_text()[:600]
    assert "3 points enregistrés" in page.locator("main").inner_text()
    for project in projects:
        project.refresh_from_db()
    assert [StatusReport.objects.filter(project=p).count() for p in projects] == [2, 2, 2, 1, 1]
    assert (projects[1].health, projects[1].progress) == ("at_risk", 45)
    assert StatusReport.objects.filter(project=projects[0], is_no_change=True).count() == 1


AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


def _axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_reporting_pages_pass_axe(live_server, page, setting):
    login(page, live_server, "paul.arnaud")
    projects = setting["projects"]
    problems = {}
    for path in ("/mon-service/", "/mon-service/rapport/", f"/projets/{projects[0].pk}/", "/suivi/"):
        page.goto(live_server.url + path)
        problems[path] = _axe_violations(page)
    page.goto(live_server.url + "/mon-service/rapport/")
    page.fill(f"#id_p{projects[0].pk}-progress", "150")
    with page.expect_navigation():
        page.click("#report-submit")
    problems["report form with an error"] = _axe_violations(page)
    assert not any(problems.values()), problems
