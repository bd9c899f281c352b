"""The lead's workspace on projects: services, forms, concurrency, links,
filters, search and exports."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from programmes import services
from programmes.models import Project, ProjectPartner
from smartcity.base.concurrency import StaleEditError
from tests import factories

pytestmark = pytest.mark.django_db


def _form_data(project, **extra):
    data = {
        "programme": project.programme_id,
        "code": project.code,
        "name": project.name,
        "summary": project.summary,
        "lead_service": project.lead_service_id,
        "phase": project.phase,
        "budget_planned": "0",
        "budget_spent": "0",
        "token": project.version,
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# Services ----------------------------------------------------------------


def test_project_create_sets_links_and_keeps_lead_out_of_contributors():
    lead, other = factories.ServiceFactory(), factories.ServiceFactory()
    domain = factories.DomainFactory()
    project = services.project_create(
        data={
            "programme": factories.ProgrammeFactory(),
            "code": "X-1",
            "name": "Nouveau",
            "lead_service": lead,
            "contributing_services": [lead, other],
            "domains": [domain],
        }
    )
    assert list(project.contributing_services.all()) == [other]
    assert list(project.domains.all()) == [domain]
    assert project.version == 1


def test_project_create_validates_and_writes_nothing():
    before = Project.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            data={
                "programme": factories.ProgrammeFactory(),
                "code": "X-2",
                "name": "Dates à l'envers",
                "lead_service": factories.ServiceFactory(),
                "start_date": datetime.date(2026, 5, 1),
                "end_date": datetime.date(2026, 1, 1),
            }
        )
    assert exc.value.message_dict
    assert Project.objects.count() == before


def test_project_update_bumps_version():
    project = factories.ProjectFactory()
    updated = services.project_update(project=project, token=project.version, data={"name": "Renommé"})
    assert updated.version == 2
    assert Project.objects.get(pk=project.pk).name == "Renommé"


def test_stale_update_is_refused_with_the_changes():
    project = factories.ProjectFactory(name="Avant")
    opened = project.version
    services.project_update(project=project, token=opened, data={"name": "Leur titre", "summary": "Leur résumé"})
    with pytest.raises(StaleEditError) as exc:
        services.project_update(project=project, token=opened, data={"name": "Mon titre", "summary": "Mon résumé"})
    changes = {c.field: c for c in exc.value.changes}
    assert set(changes) == {"name", "summary"}
    assert changes["name"].theirs == "Leur titre"
    assert changes["name"].yours == "Mon titre"
    fresh = Project.objects.get(pk=project.pk)
    assert (fresh.name, fresh.summary, fresh.version) == ("Leur titre", "Leur résumé", 2)


def test_linking_bumps_version_so_an_open_form_is_refused():
    project = factories.ProjectFactory()
    opened = project.version
    domain = factories.DomainFactory(name="Ajouté")
    services.project_domain_link(project=project, domain=domain)
    # The form opened earlier carries the old (empty) set of domains.
    with pytest.raises(StaleEditError) as exc:
        services.project_update(project=project, token=opened, data={"name": "x", "domains": []})
    assert [(c.field, c.theirs, c.yours) for c in exc.value.changes] == [("domains", "Ajouté", "—")]
    assert list(Project.objects.get(pk=project.pk).domains.all()) == [domain]


def test_new_lead_keeps_the_old_one_as_contributor():
    project = factories.ProjectFactory()
    old, new = project.lead_service, factories.ServiceFactory()
    project.contributing_services.add(new)
    services.project_service_link(project=project, service=new, as_lead=True)
    project.refresh_from_db()
    assert project.lead_service == new
    assert list(project.contributing_services.all()) == [old]


def test_lead_service_cannot_be_unlinked():
    project = factories.ProjectFactory()
    with pytest.raises(ValidationError):
        services.project_service_unlink(project=project, service=project.lead_service)


def test_archive_keeps_the_row_and_its_history():
    project = factories.ProjectFactory()
    services.project_archive(project=project)
    project.refresh_from_db()
    assert project.is_archived
    assert project.history.count() >= 2


def test_partner_link_is_typed_and_unique_per_kind():
    project, partner = factories.ProjectFactory(), factories.PartnerFactory()
    services.project_partner_link(project=project, partner=partner, relationship="client_supplier")
    services.project_partner_link(project=project, partner=partner, relationship="partnership")
    with pytest.raises(ValidationError):
        services.project_partner_link(project=project, partner=partner, relationship="partnership")
    assert ProjectPartner.objects.filter(project=project).count() == 2


# Views -------------------------------------------------------------------


def test_create_form_rerenders_with_field_errors(lead_client):
    project = factories.ProjectFactory()
    url = reverse("programmes:project_create")
    data = _form_data(project, code="", budget_planned="-5", token="")
    response = lead_client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "code" in form.errors and "budget_planned" in form.errors
    assert Project.objects.count() == 1


def test_create_then_redirect(lead_client):
    template = factories.ProjectFactory()
    response = lead_client.post(reverse("programmes:project_create"), _form_data(template, code="NEW-9", token=""))
    created = Project.objects.get(code="NEW-9")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()


def test_edit_with_stale_version_shows_what_changed(lead_client):
    project = factories.ProjectFactory(name="Avant")
    url = reverse("programmes:project_update", args=[project.pk])
    mine = _form_data(project, name="Le mien")
    assert lead_client.post(url, _form_data(project, name="Le leur")).status_code == 302
    response = lead_client.post(url, mine)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Le leur" in body and "Le mien" in body
    assert Project.objects.get(pk=project.pk).name == "Le leur"


def test_link_partner_without_javascript_redirects_back(lead_client):
    project, partner = factories.ProjectFactory(), factories.PartnerFactory()
    url = reverse("programmes:project_partner_link", args=[project.pk])
    data = {"link-partner": partner.pk, "link-relationship": "funding", "link-role": "Financeur"}
    response = lead_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(project.get_absolute_url())
    assert ProjectPartner.objects.get(project=project).role == "Financeur"


def test_link_service_with_htmx_returns_the_links_block(lead_client):
    project, service = factories.ProjectFactory(), factories.ServiceFactory(name="Service ajouté")
    url = reverse("programmes:project_service_link", args=[project.pk])
    response = lead_client.post(url, {"service": service.pk, "role": "contributor"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<section") and "Service ajouté" in body
    assert "<html" not in body
    assert service in project.contributing_services.all()


def test_invalid_link_form_shows_errors_in_place(lead_client):
    project = factories.ProjectFactory()
    url = reverse("programmes:project_partner_link", args=[project.pk])
    response = lead_client.post(url, {"link-relationship": "nope"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["partner_form"].errors
    assert not ProjectPartner.objects.exists()


def test_unlink_domain(lead_client):
    domain = factories.DomainFactory()
    project = factories.ProjectFactory(domains=[domain])
    url = reverse("programmes:project_domain_unlink", args=[project.pk, domain.pk])
    assert lead_client.post(url).status_code == 302
    assert not project.domains.exists()


def test_link_forms_are_not_shown_to_others(viewer_client):
    project = factories.ProjectFactory()
    body = viewer_client.get(project.get_absolute_url()).content.decode()
    assert reverse("programmes:project_service_link", args=[project.pk]) not in body
    assert reverse("programmes:project_update", args=[project.pk]) not in body


# Filters, search, exports ----------------------------------------------


@pytest.fixture
def portfolio():
    mob = factories.DomainFactory(slug="mobilite-t", name="Mobilité T")
    cul = factories.DomainFactory(slug="culture-t", name="Culture T")
    lead_a, lead_b, helper = factories.ServiceFactory(), factories.ServiceFactory(), factories.ServiceFactory()
    official = factories.ElectedOfficialFactory()
    partner = factories.PartnerFactory()
    a = factories.ProjectFactory(
        name="Vélos partagés électriques", lead_service=lead_a, domains=[mob], sponsor=official, phase="pilot"
    )
    a.contributing_services.add(helper)
    factories.ProjectPartnerFactory(project=a, partner=partner)
    b = factories.ProjectFactory(
        name="Médiathèque numérique",
        lead_service=lead_b,
        domains=[cul, mob],
        health="at_risk",
        last_reported_at=timezone.now(),
    )
    c = factories.ProjectFactory(name="Archives", lead_service=lead_b, is_archived=True)
    return {
        "a": a,
        "b": b,
        "c": c,
        "mob": mob,
        "cul": cul,
        "helper": helper,
        "lead_b": lead_b,
        "partner": partner,
        "official": official,
    }


def _codes(client, query):
    response = client.get(reverse("programmes:project_list") + query)
    assert response.status_code == 200
    return {p.code for p in response.context["projects"]}


def test_filters(viewer_client, portfolio):
    a, b = portfolio["a"].code, portfolio["b"].code
    assert _codes(viewer_client, "") == {a, b}
    assert _codes(viewer_client, "?domain=mobilite-t") == {a, b}
    assert _codes(viewer_client, "?domain=culture-t") == {b}
    assert _codes(viewer_client, f"?service={portfolio['helper'].pk}") == {a}
    assert _codes(viewer_client, f"?lead_service={portfolio['lead_b'].pk}") == {b}
    assert _codes(viewer_client, f"?partner={portfolio['partner'].pk}") == {a}
    assert _codes(viewer_client, f"?sponsor={portfolio['official'].pk}") == {a}
    assert _codes(viewer_client, "?phase=pilot") == {a}
    assert _codes(viewer_client, "?health=at_risk") == {b}
    assert _codes(viewer_client, "?stale=1") == {a}
    assert _codes(viewer_client, "?stale=0") == {b}
    assert _codes(viewer_client, "?archived=1") == {portfolio["c"].code}
    # An archived project is never stale, as its badge says (freshness "closed").
    assert _codes(viewer_client, "?archived=1&stale=1") == set()
    assert _codes(viewer_client, "?archived=1&stale=0") == {portfolio["c"].code}
    assert _codes(viewer_client, f"?programme={portfolio['a'].programme_id}") == {a}


def test_sorting_and_pagination(viewer_client, portfolio):
    response = viewer_client.get(reverse("programmes:project_list") + "?sort=-name")
    names = [p.name for p in response.context["projects"]]
    assert names == sorted(names, reverse=True)
    assert response.context["page"].paginator.count == 2


def test_search_uses_french_stemming_on_postgresql(viewer_client, portfolio):
    # "vélo" finds "Vélos" (substring on every backend); "électrique partagé"
    # is no substring of "Vélos partagés électriques": only French stemming
    # (PostgreSQL) finds it.
    assert _codes(viewer_client, "?q=vélo") == {portfolio["a"].code}
    if connection.vendor == "postgresql":
        assert _codes(viewer_client, "?q=électrique partagé") == {portfolio["a"].code}
        assert _codes(viewer_client, "?q=médiathèques") == {portfolio["b"].code}
    assert _codes(viewer_client, "?q=zzzz") == set()


def test_search_fallback_without_postgresql(monkeypatch, portfolio):
    from smartcity.base import search

    monkeypatch.setattr(search.connection, "vendor", "sqlite")
    qs = search.text_search(Project.objects.all(), "média", fields=["name"])
    assert {p.code for p in qs} == {portfolio["b"].code}


def test_export_follows_filters_and_neutralises(viewer_client, portfolio):
    Project.objects.filter(pk=portfolio["b"].pk).update(name="=HYPERLINK(1)")
    url = reverse("programmes:project_export") + "?domain=culture-t&format=xlsx"
    response = viewer_client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    csv_response = viewer_client.get(reverse("programmes:project_export") + "?format=csv")
    text = csv_response.content.decode("utf-8-sig")
    assert portfolio["a"].code in text and "'=HYPERLINK(1)" in text


def test_stale_save_that_overwrites_nothing_goes_through():
    project = factories.ProjectFactory(name="Avant")
    opened = project.version
    services.project_update(project=project, token=opened, data={"name": "Même titre"})
    saved = services.project_update(project=project, token=opened, data={"name": "Même titre", "summary": "Ajouté"})
    assert (saved.summary, saved.version) == ("Ajouté", 3)


def test_health_and_progress_follow_reports_not_the_edit_form(lead_client):
    """The lead corrects health and progress by filing a report; the edit
    form does not offer them and the service ignores them."""
    project = factories.ProjectFactory(health="on_track", progress=30)
    form_page = lead_client.get(reverse("programmes:project_update", args=[project.pk]))
    assert "health" not in form_page.context["form"].fields
    assert "progress" not in form_page.context["form"].fields
    response = lead_client.post(
        reverse("programmes:project_update", args=[project.pk]),
        _form_data(project, name="Renommé", health="off_track", progress="90"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.health, project.progress) == ("Renommé", "on_track", 30)


def test_programme_create_edit_archive(lead_client):
    from programmes.models import Programme

    url = reverse("programmes:programme_create")
    response = lead_client.post(url, {"name": "P", "start_date": "2026-05-01", "end_date": "2026-01-01"})
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    assert lead_client.post(url, {"name": "Ville sobre"}).status_code == 302
    programme = Programme.objects.get(name="Ville sobre")
    edit = reverse("programmes:programme_update", args=[programme.pk])
    token = programme.updated_at.isoformat()
    assert lead_client.post(edit, {"name": "Ville sobre et durable", "token": token}).status_code == 302
    assert lead_client.post(edit, {"name": "Autre nom", "token": token}).status_code == 409
    lead_client.post(reverse("programmes:programme_archive", args=[programme.pk]))
    programme.refresh_from_db()
    assert (programme.name, programme.is_archived) == ("Ville sobre et durable", True)


def test_archive_asks_first_and_project_leaves_the_list(lead_client):
    project = factories.ProjectFactory()
    url = reverse("programmes:project_archive", args=[project.pk])
    assert lead_client.get(url).status_code == 200
    assert not Project.objects.get(pk=project.pk).is_archived
    lead_client.post(url)
    listed = lead_client.get(reverse("programmes:project_list")).context["projects"]
    assert project not in list(listed)
    assert lead_client.get(project.get_absolute_url()).status_code == 200
