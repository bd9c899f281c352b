"""Status reporting (issue 4): freshness, reports, concurrency, permissions,
query counts."""

import datetime
import logging
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from programmes import cycles, rules
from programmes import services as reporting_services
from programmes.models import Project, ReportingCycle, StatusReport
from tests import factories
from tests.svg import assert_svg_numbers_are_valid

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REPORT_URL = "/mon-service/rapport/"


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


def row(project, **values) -> dict:
    """A report-form row for ``project``, prefixed like the page does."""
    prefix = f"p{project.pk}"
    latest = project.status_reports.order_by("-created_at", "-pk").first()
    data = {f"{prefix}-based_on": str(latest.pk) if latest else ""}
    data.update({f"{prefix}-{k}": v for k, v in values.items()})
    return data


def led_projects(service, n, **kwargs):
    return [factories.ProjectFactory(lead_service=service, phase="pilot", **kwargs) for _ in range(n)]


# --- Freshness at cycle boundaries -------------------------------------------------


def test_default_window_is_the_calendar_month_in_paris_time():
    window = cycles.window_for(None, paris(2026, 11, 30, 23, 59))
    assert window.starts_at == paris(2026, 11, 1)
    assert window.ends_at == paris(2026, 12, 1)
    assert window.previous_starts_at == paris(2026, 10, 1)


def test_freshness_at_the_cycle_boundaries_with_time_frozen():
    with time_machine.travel(paris(2026, 11, 1, 0, 30), tick=False):
        reporting_services.cycle_roll_over()  # opens November
    cycle = ReportingCycle.objects.get()
    assert (cycle.starts_at, cycle.ends_at) == (paris(2026, 11, 1), paris(2026, 12, 1))
    just_in = factories.ProjectFactory(phase="pilot", last_reported_at=paris(2026, 11, 1, 0, 0))
    just_before = factories.ProjectFactory(phase="pilot", last_reported_at=paris(2026, 10, 31, 23, 59, 59))
    october_first = factories.ProjectFactory(phase="pilot", last_reported_at=paris(2026, 10, 1, 0, 0))
    september = factories.ProjectFactory(phase="pilot", last_reported_at=paris(2026, 9, 30, 23, 59))
    never = factories.ProjectFactory(phase="pilot")
    closed = factories.ProjectFactory(phase="closed")
    archived = factories.ProjectFactory(phase="pilot", is_archived=True)
    created_in_november = factories.ProjectFactory(phase="pilot")
    Project.objects.exclude(pk=created_in_november.pk).update(created_at=paris(2026, 9, 1))
    Project.objects.filter(pk=created_in_november.pk).update(created_at=paris(2026, 11, 1, 0, 0))
    projects = [
        Project.objects.get(pk=p.pk)
        for p in (just_in, just_before, october_first, september, never, closed, archived, created_in_november)
    ]

    def states(now):
        window = cycles.window_for(cycles.open_cycle(), now)
        infos = [rules.freshness_of(p, window) for p in projects]
        # The SQL twins say the same as freshness_of, project by project.
        for state, q in (
            ("fresh", rules.fresh_q(window)),
            ("due", rules.due_q(window)),
            ("new", rules.new_q(window)),
            ("stale", rules.stale_q(window)),
        ):
            in_sql = set(Project.objects.filter(q).values_list("pk", flat=True))
            assert in_sql == {p.pk for p, info in zip(projects, infos, strict=True) if info.state == state}, state
        return [info.state for info in infos]

    assert states(paris(2026, 11, 30, 23, 59, 59)) == [
        *["fresh", "due", "due", "stale", "stale", "closed", "closed"],
        "new",
    ]
    # One second later the next cycle is in force, even before the beat rolls it over.
    assert states(paris(2026, 12, 1, 0, 0, 0)) == [
        *["due", "stale", "stale", "stale", "stale", "closed", "closed"],
        "stale",
    ]
    with time_machine.travel(paris(2026, 12, 1, 0, 5), tick=False):
        closed_cycle = reporting_services.cycle_roll_over()
    assert closed_cycle == cycle
    assert states(paris(2026, 12, 1, 0, 5)) == [
        *["due", "stale", "stale", "stale", "stale", "closed", "closed"],
        "stale",
    ]
    assert cycles.open_cycle().starts_at == paris(2026, 12, 1)


def test_a_new_project_is_new_until_the_end_of_the_cycle_not_stale(viewer_client):
    with time_machine.travel(paris(2026, 11, 1, 0, 30), tick=False):
        reporting_services.cycle_roll_over()
    with time_machine.travel(paris(2026, 11, 10, 9, 0), tick=False):
        project = factories.ProjectFactory(phase="pilot", created_at=timezone.now())
        window = cycles.current_window()
        info = rules.freshness_of(project, window)
        assert (info.state, info.is_stale, info.is_due) == ("new", False, True)
        assert info.due_by == datetime.date(2026, 11, 30)
        assert not Project.objects.filter(rules.stale_q(window)).exists()
        html = viewer_client.get(project.get_absolute_url()).content.decode()
    assert "premier rapport attendu d’ici le 30/11/2026" in html
    assert "jamais renseignée" not in html


def test_roll_over_skips_whole_cycles_when_the_beat_was_down_and_is_idempotent():
    with time_machine.travel(paris(2026, 1, 10), tick=False):
        reporting_services.cycle_roll_over()
    with time_machine.travel(paris(2026, 4, 15), tick=False):
        reporting_services.cycle_roll_over()
        reporting_services.cycle_roll_over()
    assert ReportingCycle.objects.filter(closed_at__isnull=True).count() == 1
    assert cycles.open_cycle().starts_at == paris(2026, 4, 1)


def test_cycle_length_and_early_start_by_the_lead(lead):
    with time_machine.travel(paris(2026, 11, 10), tick=False):
        cycle = reporting_services.cycle_update_settings(length_months=3, remind_days_before_end=10)
        assert (cycle.starts_at, cycle.ends_at) == (paris(2026, 11, 1), paris(2027, 2, 1))
    with time_machine.travel(paris(2026, 12, 5, 9), tick=False):
        new = reporting_services.cycle_start_next(by=lead)
    cycle.refresh_from_db()
    assert cycle.closed_at == paris(2026, 12, 5, 9) and cycle.closed_by == lead
    assert (new.starts_at, new.ends_at, new.length_months) == (paris(2026, 12, 5, 9), paris(2027, 3, 5, 9), 3)


def test_stale_health_looks_different_from_fresh_health(lead_client):
    now = timezone.now()
    fresh = factories.ProjectFactory(phase="pilot", health="on_track", last_reported_at=now)
    stale = factories.ProjectFactory(
        phase="pilot", health="on_track", last_reported_at=now - datetime.timedelta(days=120)
    )
    html = lead_client.get("/projets/").content.decode()
    fresh_row = html[html.index(fresh.code) : html.index(fresh.code) + 1200]
    stale_row = html[html.index(stale.code) : html.index(stale.code) + 1200]
    assert "health-stale" not in fresh_row.split("</tr>")[0]
    assert "health-stale" in stale_row.split("</tr>")[0]
    assert "périmée depuis" in stale_row.split("</tr>")[0]


# --- Filing reports -------------------------------------------------------------------


def test_a_director_reports_on_all_projects_in_one_submit(director_client, director, director_service):
    projects = led_projects(director_service, 3)
    factories.StatusReportFactory(project=projects[2], health="at_risk", progress=30, next_milestone="Marché")
    data = {
        **row(projects[0], health="on_track", progress="10", comment="Démarrage"),
        **row(
            projects[1], health="off_track", progress="55", next_milestone="Recette", next_milestone_date="2027-01-15"
        ),
        **row(projects[2], no_change="on", health="at_risk", progress="30", next_milestone="Marché"),
    }
    response = director_client.post(REPORT_URL, data)
    assert response.status_code == 302 and response["Location"] == "/mon-service/"
    for project in projects:
        project.refresh_from_db()
    assert [(p.health, p.progress) for p in projects] == [("on_track", 10), ("off_track", 55), ("at_risk", 30)]
    assert all(p.last_reported_at is not None for p in projects)
    repeat = projects[2].status_reports.order_by("-created_at", "-pk").first()
    assert repeat.is_no_change and repeat.author == director and repeat.next_milestone == "Marché"
    assert StatusReport.objects.filter(author=director).count() == 3


def test_an_untouched_row_files_nothing(director_client, director_service):
    touched, untouched = led_projects(director_service, 2)
    factories.StatusReportFactory(project=untouched, health="on_track", progress=40)
    data = {
        **row(touched, health="at_risk", progress="5"),
        **row(untouched, health="on_track", progress="40"),
    }
    assert director_client.post(REPORT_URL, data).status_code == 302
    assert untouched.status_reports.count() == 1
    assert touched.status_reports.count() == 1


def test_one_invalid_row_saves_nothing_and_says_which_row(director_client, director_service):
    good, bad = led_projects(director_service, 2)
    data = {
        **row(good, health="on_track", progress="20"),
        **row(bad, health="on_track", progress="150", comment="x" * 501),
    }
    response = director_client.post(REPORT_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rien n'a été enregistré" in html.replace("&#x27;", "'")
    assert f'href="#row-p{bad.pk}"' in html and f'href="#row-p{good.pk}"' not in html
    assert f'id="id_p{bad.pk}-progress-error"' in html and f'id="id_p{bad.pk}-comment-error"' in html
    assert 'aria-invalid="true"' in html
    assert StatusReport.objects.count() == 0
    good.refresh_from_db()
    assert good.last_reported_at is None


def test_a_milestone_date_needs_a_milestone_and_health_is_required(director_client, director_service):
    (project,) = led_projects(director_service, 1)
    response = director_client.post(REPORT_URL, row(project, progress="20", next_milestone_date="2027-01-01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_p{project.pk}-health-error"' in html
    assert f'id="id_p{project.pk}-next_milestone-error"' in html
    assert StatusReport.objects.count() == 0


def test_no_change_with_htmx_answers_the_row(director_client, director_service):
    (project,) = led_projects(director_service, 1)
    before = factories.StatusReportFactory(project=project, health="at_risk", progress=35)
    url = reverse("programmes:project_report_no_change", args=[project.pk])
    response = director_client.post(url, {"based_on": before.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Sans changement" in response.content.decode()
    project.refresh_from_db()
    assert (project.health, project.progress) == ("at_risk", 35)
    assert project.status_reports.count() == 2


def test_the_lead_reports_through_the_project_page(lead_client, lead, other_service):
    (project,) = led_projects(other_service, 1)
    url = reverse("programmes:project_report", args=[project.pk])
    assert lead_client.get(url).status_code == 200
    response = lead_client.post(url, row(project, health="off_track", progress="12"))
    assert response.status_code == 302
    assert project.status_reports.get().author == lead


def test_the_project_page_shows_the_timeline_and_who_reported(viewer_client, director):
    project = factories.ProjectFactory(phase="pilot")
    start = timezone.now() - datetime.timedelta(days=90)
    for i, (health, progress) in enumerate([("on_track", 10), ("at_risk", 30), ("off_track", 35)]):
        factories.StatusReportFactory(
            project=project,
            health=health,
            progress=progress,
            author=director,
            created_at=start + datetime.timedelta(days=30 * i),
        )
    html = viewer_client.get(project.get_absolute_url()).content.decode()
    assert 'role="img"' in html and "<polyline" in html
    assert html.count('<g class="m-') == 3
    assert 'aria-labelledby="timeline-svg-title timeline-svg-desc"' in html
    assert_svg_numbers_are_valid(html)  # in French too
    assert director.get_full_name() in html
    assert "Faire le point sur ce projet" not in html  # a viewer may not report


# --- Concurrency ---------------------------------------------------------------------


def test_a_report_based_on_an_older_report_is_refused_with_the_newer_one_shown(director_client, director_service, lead):
    (project,) = led_projects(director_service, 1)
    first = factories.StatusReportFactory(project=project, health="on_track", progress=10)
    stale_form = row(project, health="at_risk", progress="20")  # opened in tab 1
    # Meanwhile, somebody else files a report (tab 2, or the lead).
    reporting_services.status_report_submit(
        project=project,
        author=lead,
        health="off_track",
        progress=15,
        comment="Retard fournisseur",
        based_on_id=first.pk,
    )
    response = director_client.post(REPORT_URL, stale_form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ouverture de cette page" in html and "Retard fournisseur" in html
    project.refresh_from_db()
    assert (project.health, project.progress) == ("off_track", 15)
    assert project.status_reports.count() == 2
    # The re-shown form is based on the newer report: sending it again is a knowing decision.
    newer = project.status_reports.order_by("-created_at", "-pk").first()
    assert f'value="{newer.pk}"' in html
    assert director_client.post(REPORT_URL, row(project, health="at_risk", progress="20")).status_code == 302
    assert project.status_reports.count() == 3


def test_two_no_change_clicks_on_the_same_report_file_one(director_client, director_service):
    (project,) = led_projects(director_service, 1)
    before = factories.StatusReportFactory(project=project)
    url = reverse("programmes:project_report_no_change", args=[project.pk])
    first = director_client.post(url, {"based_on": before.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "À jour jusqu’au" in first
    second = director_client.post(url, {"based_on": before.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "Déjà enregistré" in second and "alert-danger" not in second
    assert project.status_reports.count() == 2


def test_a_resubmitted_report_form_files_nothing_twice_and_says_so(director_client, director_service):
    a, b = led_projects(director_service, 2)
    factories.StatusReportFactory(project=a, health="on_track", progress=10)
    factories.StatusReportFactory(project=b, health="on_track", progress=10)
    form = {**row(a, no_change="on"), **row(b, health="at_risk", progress="20")}
    first = director_client.post(REPORT_URL, form, follow=True).content.decode()
    assert "2 points enregistrés" in first and "À jour jusqu’au" in first
    second = director_client.post(REPORT_URL, form, follow=True).content.decode()
    assert "2 points étaient déjà enregistrés" in second
    assert "après l'ouverture" not in second and "alert-danger" not in second
    assert (a.status_reports.count(), b.status_reports.count()) == (2, 2)


def test_a_different_report_on_the_same_base_is_still_a_conflict(director_client, director_service):
    (project,) = led_projects(director_service, 1)
    factories.StatusReportFactory(project=project, health="on_track", progress=10)
    form = row(project, health="at_risk", progress="20")
    director_client.post(REPORT_URL, form)
    other = {**form, f"p{project.pk}-progress": "25"}
    html = director_client.post(REPORT_URL, other).content.decode()
    assert "alert-danger" in html
    assert project.status_reports.count() == 2


def test_the_project_report_confirmation_says_what_and_until_when(lead_client, director_service):
    (project,) = led_projects(director_service, 1)
    url = reverse("programmes:project_report", args=[project.pk])
    html = lead_client.post(url, row(project, health="at_risk", progress="30"), follow=True).content.decode()
    assert f"{project.code} : point enregistré (À surveiller, 30 % réalisé)" in html
    assert "À jour jusqu’au" in html


def test_the_service_refuses_a_conflict_whole(director, director_service):
    a, b = led_projects(director_service, 2)
    report_b = factories.StatusReportFactory(project=b)
    factories.StatusReportFactory(project=b, created_at=timezone.now() + datetime.timedelta(seconds=1))
    rows = [
        reporting_services.ReportRow(project_id=a.pk, health="on_track", progress=1),
        reporting_services.ReportRow(project_id=b.pk, health="on_track", progress=1, based_on_id=report_b.pk),
    ]
    with pytest.raises(reporting_services.ReportConflict) as info:
        reporting_services.status_reports_submit(author=director, rows=rows)
    assert list(info.value.newer) == [b.pk]
    assert a.status_reports.count() == 0


# --- Crafted submissions ----------------------------------------------------------


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.WARNING, logger="orchestre.security")
    return caplog


def _assert_refused(response, security_log, before_count):
    assert response.status_code == 403
    assert StatusReport.objects.count() == before_count
    assert any("access refused" in r.getMessage() for r in security_log.records)


def test_a_director_cannot_report_on_another_services_project(
    director_client, director_service, other_service, security_log
):
    (mine,) = led_projects(director_service, 1)
    (theirs,) = led_projects(other_service, 1)
    data = {**row(mine, health="on_track", progress="10"), **row(theirs, health="off_track", progress="90")}
    _assert_refused(director_client.post(REPORT_URL, data), security_log, 0)
    theirs.refresh_from_db()
    assert theirs.health == "unknown"


def test_a_director_cannot_open_or_post_another_services_project_report(director_client, other_service, security_log):
    (theirs,) = led_projects(other_service, 1)
    report = factories.StatusReportFactory(project=theirs)
    url = reverse("programmes:project_report", args=[theirs.pk])
    assert director_client.get(url).status_code == 403
    _assert_refused(director_client.post(url, row(theirs, health="off_track", progress="90")), security_log, 1)
    no_change = reverse("programmes:project_report_no_change", args=[theirs.pk])
    _assert_refused(director_client.post(no_change, {"based_on": report.pk}), security_log, 1)


def test_extra_fields_are_refused(director_client, director_service, security_log):
    (mine,) = led_projects(director_service, 1)
    for extra in ({f"p{mine.pk}-name": "Renommé"}, {f"p{mine.pk}-lead_service": "1"}, {"phase": "closed"}):
        data = {**row(mine, health="on_track", progress="10"), **extra}
        _assert_refused(director_client.post(REPORT_URL, data), security_log, 0)
    mine.refresh_from_db()
    assert mine.phase == "pilot" and not mine.name.startswith("Renommé")
    url = reverse("programmes:project_report_no_change", args=[mine.pk])
    _assert_refused(director_client.post(url, {"based_on": "", "progress": "99"}), security_log, 0)


@pytest.mark.parametrize("change", [{"is_archived": True}, {"phase": "closed"}, {"phase": "abandoned"}])
def test_an_archived_or_closed_project_takes_no_report(director_client, director_service, security_log, change):
    (mine,) = led_projects(director_service, 1)
    factories.StatusReportFactory(project=mine)
    Project.objects.filter(pk=mine.pk).update(**change)
    _assert_refused(director_client.post(REPORT_URL, row(mine, health="off_track", progress="1")), security_log, 1)
    url = reverse("programmes:project_report", args=[mine.pk])
    assert director_client.get(url).status_code == 403
    no_change = reverse("programmes:project_report_no_change", args=[mine.pk])
    _assert_refused(director_client.post(no_change, {"based_on": mine.status_reports.get().pk}), security_log, 1)


def test_a_director_of_several_services_reports_on_all_of_them(director_client, director, director_service):
    second = factories.ServiceFactory(director=director)
    (a,) = led_projects(director_service, 1)
    (b,) = led_projects(second, 1)
    data = {**row(a, health="on_track", progress="10"), **row(b, health="at_risk", progress="20")}
    assert director_client.post(REPORT_URL, data).status_code == 302
    assert StatusReport.objects.count() == 2


def test_official_and_viewer_cannot_report(official_client, viewer_client, director_service):
    (mine,) = led_projects(director_service, 1)
    for client in (official_client, viewer_client):
        assert client.post(REPORT_URL, row(mine, health="on_track", progress="1")).status_code == 403
        url = reverse("programmes:project_report", args=[mine.pk])
        assert client.post(url, row(mine, health="on_track", progress="1")).status_code == 403
    assert StatusReport.objects.count() == 0


def test_the_service_itself_refuses_an_author_who_may_not_report(viewer, director_service):
    (mine,) = led_projects(director_service, 1)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reporting_services.status_report_submit(project=mine, author=viewer, health="on_track", progress=1)


# --- Query counts --------------------------------------------------------------------


def _portfolio(service, n):
    other = factories.ServiceFactory()
    domain = factories.DomainFactory()
    for project in led_projects(service, n, domains=[domain]):
        factories.StatusReportFactory(project=project)
        Project.objects.filter(pk=project.pk).update(last_reported_at=timezone.now())
        contributed = factories.ProjectFactory(lead_service=other, domains=[domain])
        contributed.contributing_services.add(service)


@pytest.mark.parametrize("url", ["/mon-service/", REPORT_URL, "/"])
def test_director_pages_cost_the_same_queries_at_3_and_15_projects(
    director_client, director_service, django_assert_num_queries, url
):
    _portfolio(director_service, 3)
    director_client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert director_client.get(url).status_code == 200
    _portfolio(director_service, 12)
    with django_assert_num_queries(len(small)):
        response = director_client.get(url)
    assert response.status_code == 200
    assert len(small) <= 12
    print(f"\nQUERIES {url}: {len(small)} at 3 and at 15 led projects")


def test_reporting_overview_costs_the_same_queries_at_two_sizes(
    lead_client, director_service, django_assert_num_queries
):
    with time_machine.travel(paris(2026, 9, 5), tick=False):
        reporting_services.cycle_roll_over()
    for month in (10, 11):
        with time_machine.travel(paris(2026, month, 1, 1), tick=False):
            reporting_services.cycle_roll_over()
    _portfolio(director_service, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead_client.get("/suivi/")
    with CaptureQueriesContext(connection) as small:
        assert lead_client.get("/suivi/").status_code == 200
    _portfolio(factories.ServiceFactory(), 12)
    with django_assert_num_queries(len(small)):
        lead_client.get("/suivi/")
    print(f"\nQUERIES /suivi/: {len(small)} at 3 and at 15 projects")


def test_project_detail_costs_the_same_queries_with_3_or_12_reports(viewer_client, django_assert_num_queries):
    project = factories.ProjectFactory(phase="pilot")
    for _ in range(3):
        factories.StatusReportFactory(project=project)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer_client.get(project.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        viewer_client.get(project.get_absolute_url())
    for _ in range(12):
        factories.StatusReportFactory(project=project)
    with django_assert_num_queries(len(small)):
        viewer_client.get(project.get_absolute_url())
    print(f"\nQUERIES project page: {len(small)} at 3 and 15 reports")


def test_rows_already_reported_with_one_click_are_left_out_of_the_submit(director_client, director_service):
    done, edited = led_projects(director_service, 2)
    before = factories.StatusReportFactory(project=done)
    url = reverse("programmes:project_report_no_change", args=[done.pk])
    director_client.post(url, {"based_on": before.pk}, HTTP_HX_REQUEST="true")
    # The htmx swap removed the first row's inputs: the form carries only the second.
    response = director_client.post(REPORT_URL, row(edited, health="at_risk", progress="5"))
    assert response.status_code == 302
    assert done.status_reports.count() == 2 and edited.status_reports.count() == 1


@pytest.mark.parametrize("url", ["/projets/", "/portefeuille/"])
def test_freshness_on_lists_costs_no_query_per_row(viewer_client, django_assert_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for i in range(n):
            last = None if i % 3 == 0 else timezone.now() - datetime.timedelta(days=40 * (i % 3))
            factories.ProjectFactory(phase="pilot", last_reported_at=last)

    add(3)
    viewer_client.get(url)
    with CaptureQueriesContext(connection) as small:
        html = viewer_client.get(url).content.decode()
    add(12)
    with django_assert_num_queries(len(small)):
        viewer_client.get(url)
    assert ("health-stale" in html) if url == "/projets/" else ("freshness-stale" in html)
    print(f"\nQUERIES {url}: {len(small)} at 3 and 15 projects")


def test_a_director_cannot_report_once_the_service_is_archived(director_client, director, director_service):
    projects = led_projects(director_service, 2)
    factories.StatusReportFactory(project=projects[1], health="at_risk", progress=30)
    type(director_service).objects.filter(pk=director_service.pk).update(is_archived=True)
    for project in projects:
        project.refresh_from_db()
        assert not rules.can_report(director, project)
    # The "My service" page, the one-page report and the project's report agree.
    page = director_client.get(reverse("programmes:my_service"))
    assert page.status_code == 200 and all(p.code not in page.content.decode() for p in projects)
    assert list(page.context["led_rows"]) == []
    report_page = director_client.get(REPORT_URL)
    assert report_page.status_code == 200 and report_page.context["forms"] == []
    before = StatusReport.objects.count()
    director_client.post(REPORT_URL, row(projects[0], health="on_track", progress="10"))
    assert director_client.get(reverse("programmes:project_report", args=[projects[0].pk])).status_code == 403
    post = director_client.post(reverse("programmes:project_report", args=[projects[0].pk]), row(projects[0]))
    assert post.status_code == 403
    no_change = director_client.post(reverse("programmes:project_report_no_change", args=[projects[1].pk]))
    assert no_change.status_code == 403
    assert StatusReport.objects.count() == before


def test_a_new_project_says_its_first_report_date_once_on_the_directors_pages(director_client, director_service):
    """The health badge already says "first report due by …": the reporting
    column and the report form do not repeat it, nor add "never reported"."""
    with time_machine.travel(paris(2026, 11, 1, 0, 30), tick=False):
        reporting_services.cycle_roll_over()
    with time_machine.travel(paris(2026, 11, 10, 9, 0), tick=False):
        factories.ProjectFactory(phase="pilot", lead_service=director_service, created_at=timezone.now())
        home = director_client.get(reverse("home")).content.decode()
        report = director_client.get(reverse("programmes:service_report")).content.decode()
    for page in (home, report):
        assert page.count("premier rapport attendu d’ici le 30/11/2026") == 1
        assert "Jamais renseigné" not in page
