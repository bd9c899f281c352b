"""Partner relationships and data (issue 15): one reminder per agreement
expiry with time frozen, the expiry window, relationship kind changes and
the portfolio's moves, the data register and the portfolio's data filter,
writes refused to everyone but the lead, flat query counts."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Partner
from programmes import rules, selectors, services
from programmes.models import Agreement, DataAsset, ProjectPartner, RelationshipKind
from programmes.tasks import send_agreement_reminders
from smartcity.base.concurrency import StaleEditError, token_of
from smartcity.base.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)
FROZEN = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC)


def _agreement(end: datetime.date | None, *, status="in_force", title="Convention", **extra) -> Agreement:
    return Agreement.objects.create(title=title, kind="data_sharing", status=status, end_date=end, **extra)


# Reminders -------------------------------------------------------------------


def test_one_reminder_per_agreement_expiry_with_time_frozen(mailoutbox, settings):
    settings.ORCHESTRE_AGREEMENT_EXPIRY_DAYS = 60
    factories.UserFactory(username="lead-a", role=Role.LEAD.value, email="lead-a@example.org")
    factories.UserFactory(username="lead-b", role=Role.LEAD.value, email="lead-b@example.org")
    factories.UserFactory(username="viewer-x", role=Role.VIEWER.value, email="viewer@example.org")
    with time_machine.travel(FROZEN, tick=False) as traveller:
        soon = _agreement(TODAY + datetime.timedelta(days=20), title="Données de mobilité")
        soon.partners.add(factories.PartnerFactory(name="Mobilis Test"))
        _agreement(TODAY + datetime.timedelta(days=200), title="Lointaine")
        _agreement(TODAY + datetime.timedelta(days=10), status="draft", title="Brouillon")
        _agreement(TODAY - datetime.timedelta(days=3), title="Déjà finie")

        assert send_agreement_reminders() == 1
        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert sorted(message.to) == ["lead-a@example.org", "lead-b@example.org"]
        assert "Données de mobilité" in message.subject
        assert "Mobilis Test" in message.body
        assert soon.get_absolute_url() in message.body

        # Run again the same day, then the next days: nothing more.
        assert send_agreement_reminders() == 0
        traveller.shift(datetime.timedelta(days=1))
        assert services.agreement_reminders_send() == 0
        assert len(mailoutbox) == 1

        # Renewed to a new end date that comes into the window: one new reminder.
        soon.refresh_from_db()
        soon = services.agreement_update(
            agreement=soon, token=token_of(soon), data={"end_date": TODAY + datetime.timedelta(days=45)}
        )
        assert services.agreement_reminders_send() == 1
        assert services.agreement_reminders_send() == 0
        assert len(mailoutbox) == 2


def test_a_failed_send_is_retried_next_run(mailoutbox, settings, monkeypatch):
    factories.UserFactory(username="lead-c", role=Role.LEAD.value, email="lead-c@example.org")
    agreement = _agreement(timezone.localdate() + datetime.timedelta(days=5))
    from django.core.mail import EmailMultiAlternatives

    def refuse(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    assert services.agreement_reminders_send() == 0
    agreement.refresh_from_db()
    assert agreement.expiry_reminded_for is None
    monkeypatch.undo()
    assert services.agreement_reminders_send() == 1


def test_the_reminder_has_its_beat_entry(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["agreement-expiry-reminders"]
    assert entry["task"] == send_agreement_reminders.name


# Expiry window ---------------------------------------------------------------


def test_expiry_flag_follows_the_configured_window(settings, viewer_client):
    settings.ORCHESTRE_AGREEMENT_EXPIRY_DAYS = 30
    today = timezone.localdate()
    at_edge = _agreement(today + datetime.timedelta(days=30), title="Au bord")
    beyond = _agreement(today + datetime.timedelta(days=31), title="Au-delà")
    overdue = _agreement(today - datetime.timedelta(days=1), title="Dépassée")
    ended = _agreement(today + datetime.timedelta(days=5), status="ended", title="Close")
    assert [rules.agreement_expiry(a, today) for a in (at_edge, beyond, overdue, ended)] == [
        "expiring",
        "",
        "overdue",
        "",
    ]
    flagged = viewer_client.get(reverse("programmes:agreement_list") + "?expiring=1").content.decode()
    assert "Au bord" in flagged and "Dépassée" in flagged
    assert "Au-delà" not in flagged and "Close" not in flagged
    page = viewer_client.get(at_edge.get_absolute_url()).content.decode()
    assert 'class="alert alert-warning"' in page
    page = viewer_client.get(beyond.get_absolute_url()).content.decode()
    assert 'class="alert alert-warning"' not in page


# Relationship kinds over time ------------------------------------------------------


def test_changing_the_kind_closes_one_period_and_opens_the_next():
    link = factories.ProjectPartnerFactory(
        relationship=RelationshipKind.CLIENT_SUPPLIER, start_date=datetime.date(2020, 1, 1)
    )
    following = services.project_partner_change_kind(
        link=link, relationship=RelationshipKind.CO_CONSTRUCTION, changed_on=datetime.date(2022, 5, 1)
    )
    link.refresh_from_db()
    assert link.end_date == datetime.date(2022, 5, 1)
    assert (following.start_date, following.end_date, following.relationship) == (
        datetime.date(2022, 5, 1),
        None,
        RelationshipKind.CO_CONSTRUCTION,
    )
    for kwargs in (
        {"relationship": RelationshipKind.PARTNERSHIP, "changed_on": datetime.date(2022, 5, 1)},  # not after start
        {"relationship": RelationshipKind.CO_CONSTRUCTION, "changed_on": datetime.date(2023, 1, 1)},  # same kind
        {"relationship": RelationshipKind.PARTNERSHIP, "changed_on": timezone.localdate() + datetime.timedelta(2)},
    ):
        with pytest.raises(ValidationError):
            services.project_partner_change_kind(link=following, **kwargs)
    with pytest.raises(ValidationError):  # the closed period cannot change again
        services.project_partner_change_kind(
            link=link, relationship=RelationshipKind.FUNDING, changed_on=datetime.date(2023, 1, 1)
        )
    assert ProjectPartner.objects.filter(project=link.project, partner=link.partner).count() == 2


def _path(partner, kinds_and_years):
    project = factories.ProjectFactory()
    link = factories.ProjectPartnerFactory(
        project=project, partner=partner, relationship=kinds_and_years[0][0], start_date=datetime.date(2018, 1, 1)
    )
    for kind, year in kinds_and_years[1:]:
        link = services.project_partner_change_kind(link=link, relationship=kind, changed_on=datetime.date(year, 6, 1))
    return project


def test_relationship_moves_count_by_year_and_category(viewer_client):
    company = factories.PartnerFactory(category=Partner.Category.COMPANY)
    lab = factories.PartnerFactory(category=Partner.Category.RESEARCH)
    cs, co, pa = RelationshipKind.CLIENT_SUPPLIER, RelationshipKind.CO_CONSTRUCTION, RelationshipKind.PARTNERSHIP
    _path(company, [(cs, None), (co, 2021), (pa, 2023)])
    _path(company, [(cs, None), (pa, 2023)])
    _path(lab, [(co, None), (pa, 2021)])
    _path(lab, [(cs, None)])  # never moved
    # A parallel kind (funding alongside, the first link still running) is not a move.
    running = factories.ProjectPartnerFactory(partner=lab, relationship=cs, start_date=datetime.date(2019, 1, 1))
    factories.ProjectPartnerFactory(
        project=running.project,
        partner=lab,
        relationship=RelationshipKind.FUNDING,
        start_date=datetime.date(2022, 1, 1),
    )
    # A planned move (starting next year) is not one yet.
    planned = factories.ProjectPartnerFactory(
        partner=company, relationship=cs, start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2030, 1, 1)
    )
    factories.ProjectPartnerFactory(
        project=planned.project, partner=company, relationship=pa, start_date=datetime.date(2030, 1, 1)
    )

    moves = selectors.relationship_moves()
    assert moves["categories"] == [Partner.Category.RESEARCH.label, Partner.Category.COMPANY.label]
    assert [(r["year"], r["cells"], r["total"]) for r in moves["rows"]] == [
        (2021, [1, 1], 2),
        (2023, [0, 2], 2),
    ]
    assert moves["column_totals"] == [1, 3]
    assert moves["total"] == 4
    assert moves["moved_pairs"] == 3
    assert sorted((t["from"], t["to"], t["n"]) for t in moves["transitions"]) == sorted(
        [
            (str(cs.label), str(co.label), 1),
            (str(co.label), str(pa.label), 2),
            (str(cs.label), str(pa.label), 1),
        ]
    )
    page = viewer_client.get(reverse("programmes:relationship_moves")).content.decode()
    assert page.count("<rect") == 2


def test_the_partner_page_shows_each_project_path(viewer_client):
    partner = factories.PartnerFactory()
    cs, co, pa = RelationshipKind.CLIENT_SUPPLIER, RelationshipKind.CO_CONSTRUCTION, RelationshipKind.PARTNERSHIP
    project = _path(partner, [(cs, None), (co, 2021), (pa, 2023)])
    page = viewer_client.get(partner.get_absolute_url()).content.decode()
    path = page[page.index('id="link-paths"') :]
    path = path[: path.index("</ul>")]
    assert project.code in path
    labels = [str(k.label) for k in (cs, co, pa)]
    positions = [path.index(label) for label in labels]
    assert positions == sorted(positions)


# Data assets -----------------------------------------------------------------


def test_the_portfolio_filters_projects_by_who_holds_their_data(viewer_client):
    operator = factories.PartnerFactory(category=Partner.Category.DELEGATED_OPERATOR)
    uses, produces, _neither, city_data = (factories.ProjectFactory() for _ in range(4))
    gtfs = DataAsset.objects.create(name="GTFS", holder="delegated_operator", holder_partner=operator)
    gtfs.used_by.add(uses)
    counts = DataAsset.objects.create(name="Comptages", holder="delegated_operator", holder_partner=operator)
    counts.produced_by.add(produces)
    DataAsset.objects.create(name="Arbres", holder="city").used_by.add(city_data)

    page = viewer_client.get(reverse("programmes:project_list") + "?data_holder=delegated_operator").content.decode()
    listed = set(re.findall(r'href="/projets/(\d+)/"', page))
    assert listed == {str(uses.pk), str(produces.pk)}
    page = viewer_client.get(reverse("programmes:project_list") + f"?data_asset={gtfs.pk}").content.decode()
    assert set(re.findall(r'href="/projets/(\d+)/"', page)) == {str(uses.pk)}


def test_data_asset_rules_and_register_filters(viewer_client):
    with pytest.raises(ValidationError) as error:
        services.data_asset_create(
            data={"name": "Traces", "holder": "partner", "personal_data": True, "open_data": "open"}
        )
    assert set(error.value.message_dict) == {"holder_partner", "open_data"}
    DataAsset.objects.create(name="Signalements", holder="citizens", personal_data=True)
    DataAsset.objects.create(name="Cadastre solaire", holder="city", open_data="open")
    page = viewer_client.get(reverse("programmes:data_asset_list") + "?personal_data=1").content.decode()
    assert "Signalements" in page and "Cadastre solaire" not in page


def test_a_stale_agreement_edit_is_refused():
    agreement = _agreement(None)
    opened = token_of(agreement)
    services.agreement_update(agreement=agreement, token=opened, data={"title": "Première"})
    with pytest.raises(StaleEditError):
        services.agreement_update(agreement=agreement, token=opened, data={"title": "Seconde"})
    agreement.refresh_from_db()
    assert agreement.title == "Première"


# Who writes --------------------------------------------------------------------


def test_bad_input_re_renders_and_changes_nothing(lead_client):
    response = lead_client.post(reverse("programmes:data_asset_create"), {"name": "", "holder": "partner"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not DataAsset.objects.exists()


@pytest.mark.parametrize("persona", ["director_client", "official_client", "viewer_client"])
def test_only_the_lead_writes_agreements_and_data(request, persona):
    client = request.getfixturevalue(persona)
    agreement = _agreement(None, title="Intacte")
    asset = DataAsset.objects.create(name="Intact", holder="city")
    link = factories.ProjectPartnerFactory(relationship=RelationshipKind.CLIENT_SUPPLIER)
    posts = [
        (reverse("programmes:agreement_create"), {"title": "X", "kind": "research", "status": "draft"}),
        (reverse("programmes:agreement_update", args=[agreement.pk]), {"title": "Changée", "kind": "research"}),
        (reverse("programmes:data_asset_create"), {"name": "Y", "holder": "city"}),
        (reverse("programmes:data_asset_update", args=[asset.pk]), {"name": "Changé", "holder": "city"}),
        (
            reverse("programmes:project_partner_change", args=[link.project_id, link.pk]),
            {"relationship": "partnership", "changed_on": "2024-01-01"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    assert list(Agreement.objects.values_list("title", flat=True)) == ["Intacte"]
    assert list(DataAsset.objects.values_list("name", flat=True)) == ["Intact"]
    assert ProjectPartner.objects.count() == 1


# Query counts at two scales ---------------------------------------------------------


def _grow(n: int) -> None:
    """``n`` more of everything the pages read."""
    for i in range(DataAsset.objects.count(), DataAsset.objects.count() + n):
        partner = factories.PartnerFactory()
        project = factories.ProjectFactory()
        link = factories.ProjectPartnerFactory(
            project=project,
            partner=partner,
            relationship=RelationshipKind.CLIENT_SUPPLIER,
            start_date=datetime.date(2019, 1, 1),
        )
        services.project_partner_change_kind(
            link=link, relationship=RelationshipKind.PARTNERSHIP, changed_on=datetime.date(2020 + i % 4, 3, 1)
        )
        agreement = _agreement(timezone.localdate() + datetime.timedelta(days=10 + i), title=f"Convention {i}")
        agreement.partners.add(partner, factories.PartnerFactory())
        agreement.projects.add(project)
        agreement.services.add(project.lead_service)
        asset = DataAsset.objects.create(
            name=f"Jeu {i}",
            holder="partner",
            holder_partner=partner,
            agreement=agreement,
            holder_service=project.lead_service,
        )
        asset.produced_by.add(project)
        asset.used_by.add(factories.ProjectFactory(), factories.ProjectFactory())


def _pages() -> list[str]:
    agreement = Agreement.objects.order_by("pk").first()
    asset = DataAsset.objects.order_by("pk").first()
    project = asset.produced_by.first()
    return [
        reverse("programmes:agreement_list"),
        agreement.get_absolute_url(),
        reverse("programmes:data_asset_list"),
        asset.get_absolute_url(),
        reverse("programmes:relationship_moves"),
        project.get_absolute_url(),
        project.lead_service.get_absolute_url(),
        reverse("programmes:project_list") + "?data_holder=partner",
    ]


def test_the_new_pages_cost_the_same_queries_at_two_scales(lead_client):
    _grow(2)
    small = {}
    for url in _pages():
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(url).status_code == 200, url
        small[url] = len(queries.captured_queries)
    _grow(6)
    large = {}
    for url in _pages():
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(url).status_code == 200, url
        large[url] = len(queries.captured_queries)
    assert small == large


def test_data_assets_are_on_the_link_map():
    from smartcity.site.map import graph as g

    operator = factories.PartnerFactory(category=Partner.Category.DELEGATED_OPERATOR)
    maker, user = factories.ProjectFactory(), factories.ProjectFactory()
    asset = DataAsset.objects.create(name="GTFS", holder="delegated_operator", holder_partner=operator)
    asset.produced_by.add(maker)
    asset.used_by.add(user)
    DataAsset.objects.create(name="Orphelin", holder="city")  # no project: not drawn
    graph = g.build_graph()
    key = f"data:{asset.pk}"
    assert [n.key for n in graph.of_type("data")] == [key]
    edges = {(e.source, e.target, e.kind) for e in graph.edges}
    assert {
        (f"project:{maker.pk}", key, "produces"),
        (f"project:{user.pk}", key, "uses"),
        (key, f"partner:{operator.pk}", "holder"),
    } <= edges
