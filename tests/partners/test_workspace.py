"""Editing services, partners and contacts; their lists' filters and exports."""

import datetime

import pytest
from django.urls import reverse

from partners import services
from partners.models import ContactPerson, Partner, Service
from smartcity.base.concurrency import StaleEditError, token_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_service_create_view_and_case_insensitive_uniqueness(lead_client):
    factories.ServiceFactory(acronym="MOB")
    url = reverse("partners:service_create")
    response = lead_client.post(url, {"name": "Mobilité bis", "acronym": "mob", "kind": "service", "acculturation": 1})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Service.objects.count() == 1
    response = lead_client.post(url, {"name": "Voirie", "acronym": "VOI", "kind": "service", "acculturation": 2})
    assert response.status_code == 302
    assert Service.objects.filter(acronym="VOI").exists()


def test_service_cannot_be_its_own_parent():
    direction = factories.ServiceFactory(kind="direction")
    child = factories.ServiceFactory(parent=direction)
    with pytest.raises(Exception) as exc:
        services.service_update(service=direction, token=token_of(direction), data={"parent": child})
    assert "parent" in str(exc.value)


def test_partner_stale_edit_is_refused_with_changes(lead_client):
    partner = factories.PartnerFactory(name="Avant", city="Lyon")
    opened = token_of(partner)
    url = reverse("partners:partner_update", args=[partner.pk])
    first = {"name": "Avant", "category": "company", "city": "Grenoble", "token": opened}
    assert lead_client.post(url, first).status_code == 302
    response = lead_client.post(url, {**first, "city": "Rennes"})
    assert response.status_code == 409
    changes = {c.field: c for c in response.context["changes"]}
    assert list(changes) == ["city"]
    assert (changes["city"].theirs, changes["city"].yours) == ("Grenoble", "Rennes")
    assert Partner.objects.get(pk=partner.pk).city == "Grenoble"


def test_service_stale_edit_is_refused():
    service = factories.ServiceFactory()
    opened = token_of(service)
    services.service_update(service=service, token=opened, data={"email": "a@example.org"})
    with pytest.raises(StaleEditError):
        services.service_update(service=service, token=opened, data={"email": "b@example.org"})


def test_a_history_that_cannot_be_diffed_still_refuses_a_stale_save(monkeypatch):
    """When the history cannot tell what moved, every field is compared with
    what the stale form sends: a different value is refused, never let through."""
    service = factories.ServiceFactory()
    opened = token_of(service)
    services.service_update(service=service, token=opened, data={"email": "a@example.org"})

    def cannot_diff(*args, **kwargs):
        raise ValueError("untracked")

    monkeypatch.setattr(type(service.history.first()), "diff_against", cannot_diff)
    with pytest.raises(StaleEditError):
        services.service_update(service=service, token=opened, data={"email": "b@example.org"})
    service.refresh_from_db()
    assert service.email == "a@example.org"
    # The same value as the saved one overwrites nothing: it goes through.
    services.service_update(service=service, token=opened, data={"email": "a@example.org"})


def test_archive_partner_hides_it_but_keeps_it(lead_client, viewer_client):
    partner = factories.PartnerFactory(name="Archivé SA")
    response = lead_client.post(reverse("partners:partner_archive", args=[partner.pk]))
    assert response.status_code == 302
    assert Partner.objects.get(pk=partner.pk).is_archived
    names = [p.name for p in viewer_client.get(reverse("partners:partner_list")).context["partners"]]
    assert "Archivé SA" not in names
    archived = viewer_client.get(reverse("partners:partner_list") + "?archived=1").context["partners"]
    assert [p.name for p in archived] == ["Archivé SA"]


def test_contact_create_edit_archive(lead_client):
    partner = factories.PartnerFactory()
    url = reverse("partners:contact_create", args=[partner.pk])
    response = lead_client.post(url, {"first_name": "Ada", "last_name": "Lovelace", "email": "pas-un-mail"})
    assert response.status_code == 200 and "email" in response.context["form"].errors
    response = lead_client.post(url, {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"})
    assert response.status_code == 302
    contact = ContactPerson.objects.get()
    lead_client.post(reverse("partners:contact_archive", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.is_archived


def test_partner_filters(viewer_client):
    active_project = factories.ProjectFactory(phase="pilot")
    closed_project = factories.ProjectFactory(phase="closed")
    research = factories.PartnerFactory(category="research", name="Laboratoire des réseaux")
    company = factories.PartnerFactory(category="company", name="Société")
    idle = factories.PartnerFactory(category="company", name="Dormant")
    factories.ProjectPartnerFactory(project=active_project, partner=research, relationship="co_construction")
    factories.ProjectPartnerFactory(project=closed_project, partner=company, relationship="client_supplier")

    def names(query):
        response = viewer_client.get(reverse("partners:partner_list") + query)
        return {p.name for p in response.context["partners"]}

    assert names("?category=research") == {research.name}
    assert names("?relationship=client_supplier") == {company.name}
    assert names("?active=1") == {research.name}
    assert names("?active=0") == {company.name, idle.name}
    assert names("?q=laboratoire") == {research.name}


def test_service_filters(viewer_client):
    domain = factories.DomainFactory(slug="energie-t")
    lead, contributor, _idle = (
        factories.ServiceFactory(name="Énergie", acculturation=3),
        factories.ServiceFactory(name="Bâtiments", acculturation=3),
        factories.ServiceFactory(name="Sommeil", acculturation=1),
    )
    project = factories.ProjectFactory(lead_service=lead, domains=[domain])
    project.contributing_services.add(contributor)

    def names(query):
        response = viewer_client.get(reverse("partners:service_list") + query)
        return {s.name for s in response.context["services"]}

    assert names("?domain=energie-t") == {"Énergie", "Bâtiments"}
    assert names("?active=0") == {"Sommeil"}
    assert names("?q=bâtiments") == {"Bâtiments"}
    assert names("?acculturation=1") == {"Sommeil"}


def test_partner_and_service_exports(viewer_client):
    factories.PartnerFactory(name="+33 Conseil", category="company")
    factories.ServiceFactory(name="@Service", acronym="ATS")
    body = viewer_client.get(reverse("partners:partner_export") + "?format=csv").content.decode("utf-8-sig")
    assert "'+33 Conseil" in body
    response = viewer_client.get(reverse("partners:service_export") + "?format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_partner_page_shows_trajectory_services_and_domains(viewer_client):
    domain = factories.DomainFactory(name="Données")
    service = factories.ServiceFactory(name="Service Données")
    partner = factories.PartnerFactory()
    project = factories.ProjectFactory(lead_service=service, domains=[domain])
    factories.ProjectPartnerFactory(
        project=project, partner=partner, relationship="partnership", start_date=datetime.date(2025, 1, 1)
    )
    factories.ProjectPartnerFactory(
        project=project,
        partner=partner,
        relationship="client_supplier",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    response = viewer_client.get(partner.get_absolute_url())
    body = response.content.decode()
    assert service.get_absolute_url() in body and domain.get_absolute_url() in body
    steps = response.context["trajectory"]
    assert [(s["kind"], s["ongoing"]) for s in steps] == [("client_supplier", False), ("partnership", True)]


def test_official_edit_and_archive(lead_client):
    from partners.models import ElectedOfficial

    official = factories.ElectedOfficialFactory()
    url = reverse("governance:official_update", args=[official.pk])
    response = lead_client.post(url, {"first_name": "Claire", "last_name": "", "delegation": "x"})
    assert response.status_code == 200 and "last_name" in response.context["form"].errors
    domain = factories.DomainFactory()
    response = lead_client.post(
        url,
        {
            "first_name": "Claire",
            "last_name": "Neuve",
            "delegation": "Culture",
            "domains": [domain.pk],
            "token": token_of(official),
        },
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.last_name == "Neuve" and list(official.domains.all()) == [domain]
    lead_client.post(reverse("governance:official_archive", args=[official.pk]))
    assert not ElectedOfficial.objects.get(pk=official.pk).is_active
