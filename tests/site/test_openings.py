"""Issue 14: openings for the least engaged services (the rule with known
inputs, then read from the portfolio), the engagement index on a service's
page, the lead's home blocks, and flat query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import AcculturationChange, AwarenessAction, Service
from programmes.cycles import current_window
from smartcity.site.openings import LAGGING_INDEX, Portfolio, openings_for, wants_openings
from smartcity.site.selectors import service_openings
from tests import factories

# --- The rule, pure ------------------------------------------------------------


def test_a_direction_that_leads_nothing_wants_no_openings():
    assert wants_openings(is_direction=False, led=0, index=0)
    assert not wants_openings(is_direction=True, led=0, index=0)
    assert wants_openings(is_direction=True, led=1, index=10)
    assert not wants_openings(is_direction=False, led=0, index=LAGGING_INDEX)
    assert wants_openings(is_direction=False, led=0, index=LAGGING_INDEX - 1)


def _portfolio() -> Portfolio:
    # Services: 1 (lagging, under direction 10, peer of 2), 2 (peer, leads
    # culture projects), 3 (elsewhere). Domains: 100 culture, 200 mobility.
    return Portfolio(
        project_domains={11: {100}, 12: {100}, 13: {100}, 21: {200}, 22: {200}},
        project_lead={11: 2, 12: 3, 13: 3, 21: 3, 22: 3},
        project_contributors={12: {3, 2}, 21: {1}},
        project_partners={11: {501}, 12: {501, 502}, 21: {503}},
        parent={1: 10, 2: 10, 3: None, 10: None},
        level={1: 1, 2: 3, 3: 5, 10: 2},
        first_level={2: 1, 3: 1, 10: 2},
        topics=[("2026-01-01", 21), ("2026-02-01", 13)],
    )


def test_openings_use_the_service_and_its_peers_domains():
    result = openings_for(1, _portfolio())
    # Culture weighs 1 (project 11 led by peer 2), mobility 1 (joins 21): both kept.
    assert result.domains == [100, 200]
    assert not result.from_peers
    # Peer-led 11 first; then fewest contributors: 13 and 22 (none), 12 (two); 21 is already joined.
    assert result.projects == [11, 13, 22]
    assert result.peers == [2, 3]  # both started at level 1 and moved up; the peer first
    assert result.topics == [0, 1]
    assert result.partners == [501, 502, 503]  # the heaviest (first) domain's partners first


def test_a_service_with_no_project_borrows_its_peers_domains():
    portfolio = _portfolio()
    portfolio.project_contributors = {12: {3, 2}}
    result = openings_for(1, portfolio, per_kind=2)
    assert result.from_peers and result.domains == [100]
    assert result.projects == [11, 13]
    assert result.topics == [1]


def test_a_service_alone_gets_no_domain_openings():
    result = openings_for(99, _portfolio())
    assert result.domains == [] and result.projects == [] and result.partners == [] and result.topics == []


# --- Read from the portfolio ---------------------------------------------------


@pytest.mark.django_db
def test_openings_are_read_from_the_portfolio():
    culture = factories.DomainFactory(name="Culture test", slug="culture-test")
    direction = factories.ServiceFactory(name="Direction culture", kind=Service.Kind.DIRECTION)
    lagging = factories.ServiceFactory(name="Spectacle", parent=direction, acculturation=1)
    peer = factories.ServiceFactory(name="Bibliothèques", parent=direction, acculturation=3)
    AcculturationChange.objects.create(service=peer, level=1, changed_on=datetime.date(2024, 1, 1), reason="r")
    AcculturationChange.objects.create(service=peer, level=3, changed_on=datetime.date(2025, 1, 1), reason="r")
    project = factories.ProjectFactory(lead_service=peer, domains=[culture], name="Prêt sans contact")
    partner = factories.PartnerFactory(name="Lumen")
    factories.ProjectPartnerFactory(project=project, partner=partner)
    meeting = factories.MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=10))
    item = factories.AgendaItemFactory(meeting=meeting, title="Billetterie unique")
    item.projects.add(project)

    rows = {row.service: row for row in service_openings(current_window())}
    assert direction not in rows  # a direction that leads nothing
    row = rows[lagging]
    assert [d.name for d in row.domains] == ["Culture test"] and row.openings.from_peers
    assert row.projects == [project]
    assert row.partners == [partner]
    assert row.peers == [peer]
    assert [t["title"] for t in row.topics] == ["Billetterie unique"]


# --- Pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_service_page_shows_its_engagement_index(viewer_client):
    service = factories.ServiceFactory(name="Éclairage")
    for _ in range(3):
        factories.ProjectFactory(lead_service=service)
    page = viewer_client.get(service.get_absolute_url()).content.decode()
    section = page[page.index('id="engagement-title"') : page.index("</section>", page.index('id="engagement-title"'))]
    # 3 projects led (20 points), none reported, nothing else: index 20.
    assert "20/100" in section, section
    assert "3 → 20,0/20" in section.replace("\xa0", " "), section


@pytest.mark.django_db
def test_lead_home_shows_openings_and_the_next_awareness_action(lead_client, viewer_client):
    lagging = factories.ServiceFactory(name="Service endormi")
    today = timezone.localdate()
    action = AwarenessAction.objects.create(
        kind="workshop", held_on=today + datetime.timedelta(days=5), title="Atelier données des écoles"
    )
    action.services.add(lagging)
    AwarenessAction.objects.create(
        kind="visit",
        held_on=today - datetime.timedelta(days=30),
        title="Visite passée",
        next_step="Envoyer la fiche d'utilité",
        next_step_on=today + datetime.timedelta(days=2),
    )
    page = lead_client.get(reverse("home")).content.decode()
    assert "Service endormi" in page
    assert page.index("Envoyer la fiche d&#x27;utilité") < page.index("Atelier données des écoles")  # soonest first
    assert "Atelier données des écoles" not in viewer_client.get(reverse("home")).content.decode()


def _grow(n):
    for _ in range(n):
        direction = factories.ServiceFactory(kind=Service.Kind.DIRECTION)
        service = factories.ServiceFactory(parent=direction)
        peer = factories.ServiceFactory(parent=direction)
        AcculturationChange.objects.create(service=peer, level=1, changed_on=datetime.date(2024, 1, 1), reason="r")
        project = factories.ProjectFactory(lead_service=peer, domains=[factories.DomainFactory()])
        factories.ProjectPartnerFactory(project=project)
        item = factories.AgendaItemFactory(meeting=factories.MeetingFactory())
        item.projects.add(project)
        action = AwarenessAction.objects.create(kind="demo", held_on=timezone.localdate(), title="Démo")
        action.services.add(service, peer)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("site:engagement"), reverse("home")])
def test_openings_pages_query_count_does_not_grow(lead_client, url):
    _grow(2)
    with CaptureQueriesContext(connection) as small:
        assert lead_client.get(url).status_code == 200
    _grow(5)
    with CaptureQueriesContext(connection) as large:
        assert lead_client.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.django_db
def test_service_page_query_count_does_not_grow(viewer_client):
    service = factories.ServiceFactory()

    def grow(n):
        for _ in range(n):
            project = factories.ProjectFactory(lead_service=service)
            factories.ProjectPartnerFactory(project=project)
            action = AwarenessAction.objects.create(kind="demo", held_on=timezone.localdate(), title="Démo")
            action.services.add(service)

    grow(1)
    with CaptureQueriesContext(connection) as small:
        assert viewer_client.get(service.get_absolute_url()).status_code == 200
    grow(4)
    with CaptureQueriesContext(connection) as large:
        assert viewer_client.get(service.get_absolute_url()).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


# --- The service's usefulness sheet ---------------------------------------------


def _sheet_world():
    from decimal import Decimal

    from governance.models import Decision
    from programmes.models import Indicator, IndicatorValue, UsefulnessSheet

    culture = factories.DomainFactory(name="Culture fiche", slug="culture-fiche")
    direction = factories.ServiceFactory(name="Direction fiche", kind=Service.Kind.DIRECTION)
    lagging = factories.ServiceFactory(name="Spectacle fiche", parent=direction, acculturation=1)
    peer = factories.ServiceFactory(name="Archives fiche", parent=direction, acculturation=4)
    AcculturationChange.objects.create(service=peer, level=1, changed_on=datetime.date(2024, 1, 1), reason="r")
    project = factories.ProjectFactory(lead_service=peer, domains=[culture], name="Numérisation fiche")
    UsefulnessSheet.objects.create(project=project, changed="Fonds consultables en ligne")
    indicator = Indicator.objects.create(
        project=project, name="Fonds numérisés", unit="%", baseline=Decimal(6), baseline_on=datetime.date(2024, 1, 1)
    )
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2025, 6, 1), value=Decimal(19))
    factories.ProjectPartnerFactory(project=project, partner=factories.PartnerFactory(name="Lumen fiche"))
    own = factories.ProjectFactory(lead_service=lagging, domains=[culture], name="Billetterie fiche")
    decision = factories.DecisionFactory(text="Étendre la billetterie aux théâtres")
    decision.projects.add(own)
    return lagging, Decision


@pytest.mark.django_db
def test_service_sheet_shows_projects_peers_partners_and_decisions(director_client):
    lagging, _ = _sheet_world()
    response = director_client.get(reverse("site:service_sheet", args=[lagging.pk]))
    page = response.content.decode()
    for text in (
        "Numérisation fiche",
        "Fonds consultables en ligne",
        "Fonds numérisés",
        "Archives fiche",
        "Lumen fiche",
        "Étendre la billetterie aux théâtres",
        "Billetterie fiche",
    ):
        assert text in page, text
    assert "<polyline" in page
    # The project with proof comes before the one without.
    assert page.index("Numérisation fiche") < page.index("Billetterie fiche")


@pytest.mark.django_db
def test_service_sheet_query_count_does_not_grow(viewer_client):
    lagging, _ = _sheet_world()
    url = reverse("site:service_sheet", args=[lagging.pk])
    with CaptureQueriesContext(connection) as small:
        assert viewer_client.get(url).status_code == 200
    _grow(4)
    _sheet_world_more(lagging)
    with CaptureQueriesContext(connection) as large:
        assert viewer_client.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def _sheet_world_more(service):
    from decimal import Decimal

    from programmes.models import Indicator, IndicatorValue, UsefulnessSheet

    domain = service.parent.children.exclude(pk=service.pk).first().led_projects.first().domains.first()
    for i in range(3):
        project = factories.ProjectFactory(domains=[domain])
        UsefulnessSheet.objects.create(project=project, changed="x")
        indicator = Indicator.objects.create(project=project, name=f"I{i}")
        IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2025, 1, 1), value=Decimal(i))
        decision = factories.DecisionFactory()
        decision.projects.add(service.led_projects.first())
