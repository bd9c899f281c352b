"""The read API: every list endpoint costs the same number of queries at two
data sizes; filters and sorting are the web's; the schema validates; the docs
load their assets from this site."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LISTS = ["programme", "project", "service", "partner", "official", "committee", "meeting", "decision", "action"]


def grow(n):
    for _ in range(n):
        service = factories.ServiceFactory()
        project = factories.ProjectFactory(
            lead_service=service, sponsor=factories.ElectedOfficialFactory(), domains=[factories.DomainFactory()]
        )
        factories.ProjectPartnerFactory(project=project)
        factories.ProjectPartnerFactory(project=project)
        factories.MilestoneFactory(project=project)
        factories.StatusReportFactory(project=project)
        factories.StatusReportFactory(project=project, progress=40)
        meeting = factories.MeetingFactory()
        decision = factories.DecisionFactory(meeting=meeting)
        decision.projects.add(project)
        action = factories.ActionItemFactory(meeting=meeting, owner_service=service)
        action.projects.add(project)
        official = factories.ElectedOfficialFactory()
        official.domains.add(factories.DomainFactory())


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


@pytest.fixture(scope="module")
def list_query_counts(django_db_setup, django_db_blocker):
    """Every list's query count and answer at 2 rows, then at 10: the data
    built once for the module (a build per list cost two seconds each), in a
    transaction rolled back before any test runs: the counts are kept, not
    the rows."""
    from django.db import transaction
    from django.test import Client

    from smartcity.base.roles import Role

    with django_db_blocker.unblock(), transaction.atomic():
        client = Client()
        client.force_login(factories.UserFactory(role=Role.LEAD.value))
        urls = {name: reverse(f"api:{name}-list") for name in LISTS}
        grow(2)
        small = {name: _count(client, url) for name, url in urls.items()}
        grow(8)
        large = {name: _count(client, url) for name, url in urls.items()}
        transaction.set_rollback(True)
    return small, large


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_are_flat(list_query_counts, name):
    small, large = (counts[name] for counts in list_query_counts)
    assert small[1]["count"] >= 1
    assert large[1]["count"] >= 8
    assert small[0] == large[0], f"{name}: {small[0]} queries with 2 rows, {large[0]} with 10"


def test_project_shows_links_health_last_report_and_milestones(lead_client):
    project = factories.ProjectFactory(
        code="API-1", health="at_risk", budget_planned=1000, budget_committed=600, budget_spent=100
    )
    factories.ProjectPartnerFactory(project=project)
    factories.MilestoneFactory(project=project, title="Pose", due_date=datetime.date(2000, 1, 1))
    factories.MilestoneFactory(project=project, title="Annulé", due_date=datetime.date(2000, 1, 2), status="cancelled")
    factories.StatusReportFactory(project=project, progress=10, comment="ancien")
    latest = factories.StatusReportFactory(project=project, progress=60, comment="récent")
    row = lead_client.get(reverse("api:project-detail", kwargs={"pk": project.pk})).json()
    assert row["code"] == "API-1"
    assert row["health"] == "at_risk"
    budgets = (row["budget_planned"], row["budget_committed"], row["budget_spent"])
    assert budgets == ("1000.00", "600.00", "100.00")
    assert len(row["partner_links"]) == 1
    milestones = [(m["title"], m["status"], m["is_late"]) for m in row["milestones"]]
    assert milestones == [("Pose", "planned", True), ("Annulé", "cancelled", False)]
    assert row["last_report"]["id"] == latest.pk


def test_projects_filter_and_sort_like_the_web(lead_client):
    service = factories.ServiceFactory()
    factories.ProjectFactory(code="B-2", name="Bravo", lead_service=service, phase="study")
    factories.ProjectFactory(code="A-1", name="Alpha", phase="study")
    factories.ProjectFactory(code="C-3", name="Charlie", phase="deployment")
    factories.ProjectFactory(code="D-4", name="Delta", is_archived=True)
    url = reverse("api:project-list")
    codes = [p["code"] for p in lead_client.get(url, {"phase": "study", "sort": "-name"}).json()["results"]]
    assert codes == ["B-2", "A-1"]
    codes = [p["code"] for p in lead_client.get(url, {"lead_service": service.pk}).json()["results"]]
    assert codes == ["B-2"]
    assert "D-4" not in [p["code"] for p in lead_client.get(url).json()["results"]]
    assert [p["code"] for p in lead_client.get(url, {"archived": "1"}).json()["results"]] == ["D-4"]


def test_lists_are_paginated(lead_client):
    for _ in range(55):
        factories.PartnerFactory()
    first = lead_client.get(reverse("api:partner-list")).json()
    assert first["count"] == 55 and len(first["results"]) == 50 and first["next"]
    second = lead_client.get(first["next"]).json()
    assert len(second["results"]) == 5


def test_every_role_reads_anonymous_is_refused(client, director_client, official_client):
    url = reverse("api:project-list")
    assert director_client.get(url).status_code == 200
    assert official_client.get(url).status_code == 200
    assert client.get(url).status_code in (401, 403)


def test_read_endpoints_refuse_writes(lead_client):
    project = factories.ProjectFactory()
    url = reverse("api:project-detail", kwargs={"pk": project.pk})
    assert lead_client.delete(url).status_code == 405
    assert lead_client.post(reverse("api:project-list"), {}).status_code == 405


def test_schema_validates(lead_client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/v1/projects/" in schema["paths"]
    assert lead_client.get(reverse("api:schema")).status_code == 200


def test_docs_load_assets_from_this_site(lead_client):
    response = lead_client.get(reverse("api:docs"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    script = lead_client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
