"""Query counts of the workspace pages, pinned at two data sizes: the count
must not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import AcculturationChange
from programmes.models import DataAsset
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def focus(director_service):
    """The entities every page below looks at; ``grow`` adds projects around them."""
    return {
        "service": director_service,
        "partner": factories.PartnerFactory(),
        "domain": factories.DomainFactory(slug="focus"),
        "official": factories.ElectedOfficialFactory(),
        "programme": factories.ProgrammeFactory(),
        "import_job": factories.ImportJobFactory(),
    }


def grow(focus, n):
    """Add ``n`` projects, each linked to the focus entities and to fresh ones."""
    committee_meeting = factories.MeetingFactory()
    focus.setdefault("projects", [])
    for _ in range(n):
        project = factories.ProjectFactory(
            programme=focus["programme"],
            lead_service=focus["service"],
            sponsor=focus["official"],
            domains=[focus["domain"], factories.DomainFactory()],
        )
        project.contributing_services.add(factories.ServiceFactory(), factories.ServiceFactory())
        factories.ProjectPartnerFactory(project=project, partner=focus["partner"])
        factories.ProjectPartnerFactory(project=project)
        factories.StatusReportFactory(project=project)
        factories.MilestoneFactory(project=project)
        # Data the service's projects produce, held by another service (its
        # page names the holder of each: one query for all of them).
        asset = DataAsset.objects.create(
            name=f"Données {project.code}", holder="city", holder_service=factories.ServiceFactory()
        )
        asset.produced_by.add(project)
        decision = factories.DecisionFactory(meeting=committee_meeting)
        decision.projects.add(project)
        factories.ContactPersonFactory(partner=focus["partner"])
        AcculturationChange.objects.create(
            service=focus["service"], level=2, previous_level=1, changed_on=datetime.date(2024, 1, 1), reason="Atelier"
        )
        focus["projects"].append(project)
    focus["official"].domains.add(focus["domain"])
    job = focus["import_job"]
    job.report["rows"] = job.report.get("rows", []) + [
        {"line": i, "key": f"p{i}", "action": "create", "errors": []} for i in range(n)
    ]
    job.save()


PAGES = {
    "project_list": lambda f: reverse("programmes:project_list"),
    "project_list_filtered": lambda f: (
        reverse("programmes:project_list")
        + f"?q=projet&domain=focus&service={f['service'].pk}&partner={f['partner'].pk}&stale=1&sort=-name"
    ),
    "project_export_csv": lambda f: reverse("programmes:project_export") + "?format=csv",
    "project_detail": lambda f: reverse("programmes:project_detail", args=[f["projects"][0].pk]),
    "project_update": lambda f: reverse("programmes:project_update", args=[f["projects"][0].pk]),
    "programme_detail": lambda f: reverse("programmes:programme_detail", args=[f["programme"].pk]),
    "domain_detail": lambda f: reverse("programmes:domain_detail", args=["focus"]),
    "service_list": lambda f: reverse("partners:service_list"),
    "service_list_filtered": lambda f: reverse("partners:service_list") + "?domain=focus&active=1&q=service",
    "service_export_xlsx": lambda f: reverse("partners:service_export") + "?format=xlsx",
    "service_detail": lambda f: reverse("partners:service_detail", args=[f["service"].pk]),
    "service_acculturation": lambda f: reverse("partners:service_acculturation", args=[f["service"].pk]),
    "partner_list": lambda f: reverse("partners:partner_list"),
    "partner_list_filtered": lambda f: (
        reverse("partners:partner_list") + "?category=company&relationship=partnership&active=1&domain=focus"
    ),
    "partner_export_csv": lambda f: reverse("partners:partner_export") + "?format=csv",
    "partner_detail": lambda f: reverse("partners:partner_detail", args=[f["partner"].pk]),
    "import_job": lambda f: reverse("imports:job_detail", args=[f["import_job"].pk]),
    "partner_import": lambda f: reverse("partners:partner_import"),
    "official_detail": lambda f: reverse("governance:official_detail", args=[f["official"].pk]),
}

# Measured on PostgreSQL; the same on SQLite. Includes the session, user and
# role queries of every signed-in request.
# Pages showing a health badge read the reporting cycle once (freshness).
EXPECTED = {
    "domain_detail": 15,  # +2: its roll-up (issue 13); +3: the COUNTs of the paged projects, services and partners
    "import_job": 4,
    "official_detail": 11,  # +1: the paged list's COUNT
    "partner_detail": 12,  # + interactions, agreements, data assets, trajectories (issue 15)
    "partner_export_csv": 3,
    "partner_import": 4,
    "partner_list": 6,
    "partner_list_filtered": 7,
    "programme_detail": 11,  # +2: its roll-up (issue 13); +1: the paged list's COUNT; +1 documents
    "project_detail": 23,  # + indicators (14), objectives and idea (13), documents, milestones, data (15)
    "project_export_csv": 6,
    "project_list": 14,  # + the data-holder filter (issue 15)
    "project_list_filtered": 19,  # the chosen service and partner read by their pickers (one query each)
    "project_update": 18,  # pickers: the chosen records, then the first few of each list (bounded)
    "service_detail": 22,  # + engagement index (4), awareness (1), issue 14; paged COUNT; data and agreements (15)
    "service_export_xlsx": 3,
    "service_list": 7,
    "service_list_filtered": 8,
}
# A reader sees the project page without the link forms and their choices.
EXPECTED_VIEWER_PROJECT_DETAIL = 19


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow(page, lead_client, focus):
    grow(focus, 2)
    small = _count(lead_client, PAGES[page](focus))
    grow(focus, 6)
    large = _count(lead_client, PAGES[page](focus))
    print(f"QUERIES {page} {small} {large}")
    assert small == large, f"{page}: {small} queries with 2 projects, {large} with 8"
    if page in EXPECTED:
        assert large == EXPECTED[page]


def test_project_detail_for_a_reader(viewer_client, focus):
    grow(focus, 2)
    url = PAGES["project_detail"](focus)
    small = _count(viewer_client, url)
    grow(focus, 6)
    assert small == _count(viewer_client, url) == EXPECTED_VIEWER_PROJECT_DETAIL
