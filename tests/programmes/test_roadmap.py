"""The roadmap (issue 13): one bar per dated project in the period, one
diamond per milestone drawn (late ones marked), the same data as a table,
filters, A4 landscape print, and a query count that does not grow."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from programmes.roadmap import ROWS_PER_CHART, Period, roadmap_chart, roadmap_charts
from tests import factories
from tests.svg import assert_svg_numbers_are_valid

pytestmark = pytest.mark.django_db

URL = reverse("programmes:roadmap")


def _chart_svg(html: str) -> str:
    """Every part of the chart (one per A4 page), without the legend."""
    return "".join(re.findall(r'<svg class="roadmap-svg".*?</svg>', html, re.S))


@pytest.fixture
def portfolio(director_service, other_service):
    today = timezone.localdate()
    year = datetime.timedelta(days=365)
    programme = factories.ProgrammeFactory(name="Données partagées")
    other_programme = factories.ProgrammeFactory(name="Mobilités douces")
    domain = factories.DomainFactory(slug="energie-test")
    a = factories.ProjectFactory(
        programme=programme, lead_service=director_service, start_date=today - year, end_date=today + year
    )
    a.domains.add(domain)
    b = factories.ProjectFactory(programme=programme, lead_service=other_service, start_date=today, end_date=None)
    b.contributing_services.add(director_service)
    c = factories.ProjectFactory(
        programme=other_programme, lead_service=other_service, start_date=today - year, end_date=today + 2 * year
    )
    factories.ProjectFactory(programme=other_programme, start_date=None, end_date=None)  # no dates: not drawn
    factories.ProjectFactory(programme=programme, start_date=today, end_date=today + year, is_archived=True)
    day = datetime.timedelta(days=1)
    factories.MilestoneFactory(project=a, title="Pilote lancé", due_date=today - 30 * day, reached_on=today - 20 * day)
    factories.MilestoneFactory(project=a, title="Appel d'offres", due_date=today - 10 * day)  # late
    factories.MilestoneFactory(project=b, title="Mise en service", due_date=today + 60 * day)
    factories.MilestoneFactory(project=c, title="Abandonné", due_date=today - 5 * day, status="cancelled")
    factories.MilestoneFactory(project=c, title="Trop loin", due_date=today + 20 * year)
    return {"programme": programme, "domain": domain, "a": a, "b": b, "c": c, "service": director_service}


def test_bars_and_diamonds_for_known_data_and_the_same_data_as_a_table(viewer_client, portfolio):
    with translation.override("fr"):
        html = viewer_client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    svg = _chart_svg(html)
    assert_svg_numbers_are_valid(svg)
    assert svg.count('class="bar ') == 3
    assert (
        len(re.findall(r'<polygon class="ms ms-(?:done|planned|late)"', svg)) == 3
    )  # cancelled and far off: not drawn
    assert svg.count('class="ms ms-late"') == 1 and svg.count('class="ms ms-done"') == 1
    assert svg.count('class="bar h-unknown open"') == 1  # b has no end date
    assert svg.count('class="group-label"') == 2
    table = html[html.index('class="table table-sm roadmap-table"') :]
    assert table.count("<tr>") == 1 + 3
    assert "Appel d'offres" in table or "Appel d&#x27;offres" in table
    assert table.count("milestone-late") == 1
    assert "Abandonné" in table  # the cancelled one is listed, marked cancelled


def test_filters_narrow_the_roadmap(viewer_client, portfolio):
    def codes(query):
        response = viewer_client.get(URL + query)
        return {row["project"].code for row in response.context["chart"]["rows"]}

    a, b, c = (portfolio[k].code for k in "abc")
    assert codes("") == {a, b, c}
    assert codes(f"?programme={portfolio['programme'].pk}") == {a, b}
    assert codes(f"?domain={portfolio['domain'].slug}") == {a}
    assert codes(f"?service={portfolio['service'].pk}") == {a, b}  # leads a, contributes to b
    far = timezone.localdate() + datetime.timedelta(days=365 * 3)
    assert codes(f"?start={far.isoformat()}") == {b}  # no end date: still running; a and c have ended
    response = viewer_client.get(URL + "?start=2026-05-01&end=2026-01-01")
    assert response.status_code == 200 and response.context["form"].errors["end"]


def test_geometry_clips_bars_to_the_period():
    project = factories.ProjectFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2030, 12, 31))
    project.roadmap_milestones = []
    period = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    chart = roadmap_chart([project], period=period, today=datetime.date(2025, 7, 1))
    bar = chart["rows"][0]["bar"]
    assert bar["x"] == chart["left"] and bar["x"] + bar["width"] == pytest.approx(chart["right"], abs=0.2)
    assert chart["left"] < chart["today_x"] < chart["right"]


def test_a_long_roadmap_is_cut_into_page_sized_charts():
    projects = [factories.ProjectFactory(start_date=datetime.date(2025, 3, 1)) for _ in range(ROWS_PER_CHART + 1)]
    for project in projects:
        project.roadmap_milestones = []
    period = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    whole = roadmap_charts(projects, period=period, today=datetime.date(2025, 7, 1))
    assert [len(chart["rows"]) for chart in whole["charts"]] == [ROWS_PER_CHART, 1]
    assert whole["n_bars"] == ROWS_PER_CHART + 1
    assert len(whole["charts"][1]["groups"]) == 1  # the programme is named again on the next page


def test_printable_on_a4_landscape(viewer_client, portfolio):
    html = viewer_client.get(URL).content.decode()
    assert "css/roadmap.css" in html
    css = Path(finders.find("css/roadmap.css")).read_text()
    assert re.search(r"@media print\s*{\s*@page\s*{\s*size:\s*A4 landscape", css)


def _grow(n, programme=None, domain=None, service=None):
    programme = programme or factories.ProgrammeFactory()
    domain = domain or factories.DomainFactory()
    service = service or factories.ServiceFactory()
    today = timezone.localdate()
    for i in range(n):
        project = factories.ProjectFactory(
            programme=programme, lead_service=service, start_date=today, end_date=today + datetime.timedelta(days=99)
        )
        project.domains.add(domain)
        project.contributing_services.add(factories.ServiceFactory())
        factories.MilestoneFactory(project=project, due_date=today - datetime.timedelta(days=i + 1))
        factories.MilestoneFactory(project=project, due_date=today + datetime.timedelta(days=i + 1))
    return programme, domain, service


@pytest.mark.parametrize("filtered", [False, True])
def test_query_count_does_not_grow(viewer_client, django_assert_num_queries, filtered):
    programme, domain, service = _grow(2)
    query = f"?programme={programme.pk}&domain={domain.slug}&service={service.pk}" if filtered else ""
    with CaptureQueriesContext(connection) as small:
        viewer_client.get(URL + query)
    _grow(12, programme, domain, service)
    with django_assert_num_queries(len(small)):
        response = viewer_client.get(URL + query)
    assert len(response.context["chart"]["rows"]) >= 12


def test_a_page_of_projects_at_a_time_with_totals_over_all(viewer_client, portfolio, monkeypatch):
    from programmes import views

    monkeypatch.setattr(views, "ROADMAP_PAGE_SIZE", 2)
    first, second = viewer_client.get(URL), viewer_client.get(URL + "?page=2")
    assert len(first.context["chart"]["rows"]) == 2 and len(second.context["chart"]["rows"]) == 1
    assert first.context["totals"] == {"milestones": 3, "late": 1}  # cancelled and far-off ones left out
    assert "?page=2" in first.content.decode()
