"""The engagement index: known inputs give known outputs; the facts come
from projects, reports, committees and partners; the page's query count
does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import ActionItem, Attendance
from programmes.cycles import current_window
from smartcity.site.engagement import Facts, engagement
from smartcity.site.selectors import engagement_facts
from tests import factories


def _points(result):
    return {t.key: t.points for t in result.terms}


def test_nothing_known_gives_zero():
    result = engagement(Facts())
    assert result.index == 0
    assert all(t.points == 0 for t in result.terms)
    assert sum(t.weight for t in result.terms) == 100


def test_everything_at_its_cap_gives_one_hundred():
    facts = Facts(led=3, contributed=5, fresh=3, invited=4, present=4, owned=4, closed=4, partners=5)
    assert engagement(facts).index == 100
    more = Facts(led=9, contributed=9, fresh=9, invited=9, present=9, owned=9, closed=9, partners=9)
    assert engagement(more).index == 100


def test_known_inputs_give_known_terms():
    facts = Facts(led=1, contributed=2, fresh=1, invited=4, present=2, owned=2, closed=1, partners=3)
    result = engagement(facts)
    assert _points(result) == {
        "led": 6.7,  # 20 × 1/3
        "contributed": 6.0,  # 15 × 2/5
        "fresh": 15.0,  # 15 × 1/1
        "attendance": 7.5,  # 15 × 2/4
        "owned": 5.0,  # 10 × 2/4
        "closed": 5.0,  # 10 × 1/2
        "partners": 9.0,  # 15 × 3/5
    }
    assert result.index == 54  # 54.2
    assert {t.key: t.shown for t in result.terms}["attendance"] == "2 / 4"


@pytest.mark.django_db
def test_facts_are_read_from_the_portfolio():
    service, other = factories.ServiceFactory(), factories.ServiceFactory()
    fresh = factories.ProjectFactory(lead_service=service)
    fresh.__class__.objects.filter(pk=fresh.pk).update(last_reported_at=timezone.now())
    factories.ProjectFactory(lead_service=service)
    factories.ProjectFactory(lead_service=service, is_archived=True)  # not active: not counted
    contributed = factories.ProjectFactory(lead_service=other)
    contributed.contributing_services.add(service)
    partner = factories.PartnerFactory()
    factories.ProjectPartnerFactory(project=fresh, partner=partner)
    factories.ProjectPartnerFactory(project=contributed, partner=partner)
    factories.ProjectPartnerFactory(project=contributed)
    meeting = factories.MeetingFactory()
    Attendance.objects.create(meeting=meeting, service=service, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=factories.MeetingFactory(), service=service, status=Attendance.Status.ABSENT)
    factories.ActionItemFactory(
        meeting=meeting, owner_service=service, status=ActionItem.Status.DONE, closed_at=timezone.now()
    )
    factories.ActionItemFactory(meeting=meeting, owner_service=service)
    factories.ActionItemFactory(
        meeting=meeting, owner_service=service, status=ActionItem.Status.CANCELLED, closed_at=timezone.now()
    )

    facts = engagement_facts(current_window())[service.pk]
    assert facts == Facts(led=2, contributed=1, fresh=1, invited=2, present=1, owned=2, closed=1, partners=2)
    # The service page reads one service's facts with its own queries: the same counts.
    assert engagement_facts(current_window(), service=service)[service.pk] == facts


@pytest.mark.django_db
def test_engagement_page_lists_least_engaged_first_and_documents_the_formula(viewer_client):
    busy, _idle = factories.ServiceFactory(name="Actif"), factories.ServiceFactory(name="Endormi")
    factories.ProjectFactory(lead_service=busy)
    page = viewer_client.get(reverse("site:engagement")).content.decode()
    assert page.index("Endormi") < page.index("Actif")
    assert "20" in page and "÷" in page


def _grow(n):
    for _ in range(n):
        service = factories.ServiceFactory()
        project = factories.ProjectFactory(lead_service=service, domains=[factories.DomainFactory()])
        project.contributing_services.add(factories.ServiceFactory())
        factories.ProjectPartnerFactory(project=project)
        meeting = factories.MeetingFactory()
        Attendance.objects.create(meeting=meeting, service=service)
        factories.ActionItemFactory(meeting=meeting, owner_service=service)


@pytest.mark.django_db
def test_engagement_page_query_count_does_not_grow(lead_client):
    url = reverse("site:engagement")
    _grow(2)
    with CaptureQueriesContext(connection) as small:
        assert lead_client.get(url).status_code == 200
    _grow(6)
    with CaptureQueriesContext(connection) as large:
        assert lead_client.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.django_db
def test_heat_map_cells_count_led_and_contributed_projects_per_domain(viewer_client):
    from smartcity.site.selectors import service_domain_heat

    mobility = factories.DomainFactory(name="Dom M", slug="dom-m")
    culture = factories.DomainFactory(name="Dom C", slug="dom-c")
    lead, helper = factories.ServiceFactory(name="A lead"), factories.ServiceFactory(name="B helper")
    for _ in range(2):
        project = factories.ProjectFactory(lead_service=lead, domains=[mobility])
        project.contributing_services.add(helper)
    factories.ProjectFactory(lead_service=lead, domains=[mobility], is_archived=True)
    domains, rows = service_domain_heat()
    by_name = {service.name: dict(zip([d.name for d in domains], cells, strict=True)) for service, cells in rows}
    assert by_name["A lead"]["Dom M"] == (6, 3)
    assert by_name["B helper"]["Dom M"] == (2, 1)
    assert by_name["A lead"]["Dom C"] == (0, 0)
    assert culture in domains
    assert viewer_client.get(reverse("site:engagement_heat_map")).status_code == 200


@pytest.mark.django_db
def test_heat_map_query_count_does_not_grow(lead_client):
    url = reverse("site:engagement_heat_map")
    _grow(2)
    with CaptureQueriesContext(connection) as small:
        assert lead_client.get(url).status_code == 200
    _grow(6)
    with CaptureQueriesContext(connection) as large:
        assert lead_client.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
