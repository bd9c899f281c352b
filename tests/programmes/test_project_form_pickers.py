"""The project form's pickers (type-ahead searches, with a "search, then
pick" fallback without JavaScript) and the partners added while creating or
editing a project, a new one included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from programmes import services
from programmes.models import Project, ProjectPartner
from smartcity.base.pickers import PICK_LIMIT
from tests import factories

pytestmark = pytest.mark.django_db

PICKS = {
    "partners:service_pick": factories.ServiceFactory,
    "partners:partner_pick": factories.PartnerFactory,
    "programmes:programme_pick": factories.ProgrammeFactory,
    "programmes:project_pick": factories.ProjectFactory,
}


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


def test_search_finds_every_word_and_skips_archived(lead_client):
    wanted = factories.PartnerFactory(name="Université d’Orvalle — laboratoire des réseaux", city="Orvalle")
    factories.PartnerFactory(name="Université de Ponteille")
    factories.PartnerFactory(name="Laboratoire des réseaux archivé", is_archived=True)
    data = lead_client.get(reverse("partners:partner_pick") + "?q=univ+RÉSEAUX").json()
    assert [r["value"] for r in data["results"]] == [str(wanted.pk)]
    assert data["results"][0]["label"] == wanted.name
    assert "Orvalle" in data["results"][0]["detail"]
    assert data["more"] is False


def test_search_ignores_accents(lead_client):
    wanted = factories.ServiceFactory(name="Service Énergie et écoles", acronym="ÉNÉ")
    factories.ServiceFactory(name="Service Eau")
    for typed in ("energie ecoles", "ÉNERGIE", "ene"):
        data = lead_client.get(reverse("partners:service_pick"), {"q": typed}).json()
        assert [r["value"] for r in data["results"]] == [str(wanted.pk)], typed


def test_official_search_matches_the_delegation(lead_client):
    official = factories.ElectedOfficialFactory(delegation="Eau et assainissement")
    factories.ElectedOfficialFactory(delegation="Culture")
    factories.ElectedOfficialFactory(delegation="Eau potable", is_active=False)
    data = lead_client.get(reverse("partners:official_pick") + "?q=eau").json()
    assert [r["value"] for r in data["results"]] == [str(official.pk)]


@pytest.mark.parametrize("name", sorted(PICKS))
def test_search_is_bounded_and_its_query_count_flat(name, viewer_client):
    """A reader may search too (the filters of the lists use the pickers);
    the answer holds at most PICK_LIMIT rows, says there are more, and costs
    the same queries for 3 records as for 40."""
    url = reverse(name)
    PICKS[name].create_batch(3)
    small, response = _count(viewer_client, url)
    assert response.json()["more"] is False
    PICKS[name].create_batch(PICK_LIMIT + 20)
    large, response = _count(viewer_client, url + "?q=" + "x" * 5000)
    assert response.json() == {"results": [], "more": False}
    large, response = _count(viewer_client, url)
    data = response.json()
    assert len(data["results"]) == PICK_LIMIT and data["more"] is True
    assert small == large
    _again, again = _count(viewer_client, url)
    assert again.json() == data  # a stable order


def test_search_refuses_anonymous(client):
    response = client.get(reverse("partners:partner_pick"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- The project form -------------------------------------------------------


@pytest.fixture
def form_data():
    programme = factories.ProgrammeFactory()
    service = factories.ServiceFactory(name="Service de l’eau")
    return {
        "programme": programme.pk,
        "code": "EAU-042",
        "name": "Capteurs de fuites",
        "lead_service": service.pk,
        "phase": "study",
        "budget_planned": "1000",
        "budget_spent": "0",
    }


def test_create_with_partners_and_a_new_one(lead_client, form_data):
    known = factories.PartnerFactory(name="Régie des eaux d’Orvalle")
    data = {
        **form_data,
        "partner_1": known.pk,
        "relationship_1": "delegated_operator",
        "new_partner_name": "Start-up Hydrosonde",
        "new_partner_category": "company",
        "new_partner_relationship": "partnership",
    }
    response = lead_client.post(reverse("programmes:project_create"), data)
    assert response.status_code == 302
    project = Project.objects.get(code="EAU-042")
    created = Partner.objects.get(name="Start-up Hydrosonde")
    assert created.category == "company"
    links = set(ProjectPartner.objects.filter(project=project).values_list("partner_id", "relationship"))
    assert links == {(known.pk, "delegated_operator"), (created.pk, "partnership")}


INVALID = {
    "a partner without its kind": {"partner_1": "KNOWN", "relationship_1": ""},
    "a kind without its partner": {"relationship_2": "funding"},
    "the same partner twice with one kind": {
        "partner_1": "KNOWN",
        "relationship_1": "funding",
        "partner_2": "KNOWN",
        "relationship_2": "funding",
    },
    "a new partner that exists (other case)": {
        "new_partner_name": "RÉGIE DES EAUX D’ORVALLE",
        "new_partner_category": "company",
        "new_partner_relationship": "funding",
    },
    "a new partner without category": {"new_partner_name": "Nouvelle", "new_partner_relationship": "funding"},
    "a new partner's kind without a name": {"new_partner_relationship": "funding"},
    "a project invalid, its new partner valid": {
        "code": "",
        "new_partner_name": "Start-up Hydrosonde",
        "new_partner_category": "company",
        "new_partner_relationship": "partnership",
    },
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_partners_change_nothing(case, lead_client, form_data):
    known = factories.PartnerFactory(name="Régie des eaux d’Orvalle")
    extra = {k: known.pk if v == "KNOWN" else v for k, v in INVALID[case].items()}
    before = (Project.objects.count(), Partner.objects.count(), ProjectPartner.objects.count())
    response = lead_client.post(reverse("programmes:project_create"), {**form_data, **extra})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert (Project.objects.count(), Partner.objects.count(), ProjectPartner.objects.count()) == before


def test_service_refusing_the_new_partner_leaves_no_project(form_data):
    """The form checks first; the service is the last guard, in the same
    transaction as the project."""
    from django.core.exceptions import ValidationError

    from partners.models import Service
    from programmes.models import Programme

    data = {
        **form_data,
        "programme": Programme.objects.get(pk=form_data["programme"]),
        "lead_service": Service.objects.get(pk=form_data["lead_service"]),
    }
    with pytest.raises(ValidationError) as raised:
        services.project_create(
            data=data, new_partner={"name": "Inconnue", "category": "not-a-category", "relationship": "funding"}
        )
    assert "new_partner_name" in raised.value.error_dict
    assert not Project.objects.filter(code="EAU-042").exists()
    assert not Partner.objects.filter(name="Inconnue").exists()


def test_edit_adds_a_partner_and_refuses_an_existing_link(lead_client):
    link = factories.ProjectPartnerFactory(relationship="funding")
    project, partner = link.project, link.partner
    other = factories.PartnerFactory()
    url = reverse("programmes:project_update", args=[project.pk])
    form = lead_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("domains", "contributing_services")}
    data.update({"programme": project.programme_id, "lead_service": project.lead_service_id})
    refused = lead_client.post(url, {**data, "partner_1": partner.pk, "relationship_1": "funding"})
    assert refused.status_code == 200 and "partner_1" in refused.context["form"].errors
    saved = lead_client.post(url, {**data, "partner_1": other.pk, "relationship_1": "data_provider"})
    assert saved.status_code == 302
    assert project.partner_links.filter(partner=other, relationship="data_provider").exists()


def test_search_then_pick_without_javascript(lead_client, form_data):
    """The picker's search button sends the form back: nothing is saved, what
    was typed stays, the matching partners are offered, no error is shown."""
    factories.PartnerFactory.create_batch(40)
    wanted = factories.PartnerFactory(name="Fab lab des Tanneurs")
    data = {**form_data, "name": "Gardé tel quel", "partner_1_q": "tanneurs", "_pick": "partner_1"}
    response = lead_client.post(reverse("programmes:project_create"), data)
    assert response.status_code == 200
    assert not Project.objects.filter(code="EAU-042").exists()
    html = response.content.decode()
    assert f'<option value="{wanted.pk}">Fab lab des Tanneurs</option>' in html
    assert 'value="Gardé tel quel"' in html
    assert not response.context["form"].errors


def test_form_lists_a_bounded_number_of_records_whatever_the_city(lead_client):
    """The form no longer carries every service and partner: its size and
    query count stay the same from 5 to 60 of each."""
    url = reverse("programmes:project_create")
    factories.ServiceFactory.create_batch(5)
    factories.PartnerFactory.create_batch(5)
    small, response = _count(lead_client, url)
    factories.ServiceFactory.create_batch(55)
    factories.PartnerFactory.create_batch(55)
    large, response = _count(lead_client, url)
    assert small == large
    assert response.content.decode().count("<option") < 250


def test_link_forms_search_then_pick_without_javascript(lead_client):
    """On the project page, a picker's search links nothing and offers the matches."""
    project = factories.ProjectFactory()
    factories.ServiceFactory.create_batch(35)
    wanted = factories.ServiceFactory(name="Service des Tanneurs")
    url = reverse("programmes:project_service_link", args=[project.pk])
    response = lead_client.post(url, {"service": "", "service_q": "tanneurs", "_pick": "service", "role": "lead"})
    assert response.status_code == 200
    assert f'<option value="{wanted.pk}">Service des Tanneurs</option>' in response.content.decode()
    assert not project.contributing_services.exists()
    project.refresh_from_db()
    assert project.lead_service_id != wanted.pk


def test_enter_in_a_text_field_saves_rather_than_searches(lead_client):
    """Without JavaScript, Enter submits with a form's first submit button:
    in every form that has a picker and a field to type in (the partner
    link's role, dates), that first button saves, not a picker's search."""
    import re

    project = factories.ProjectFactory()
    pages = [
        reverse("programmes:project_create"),
        reverse("programmes:project_update", args=[project.pk]),
        reverse("programmes:project_detail", args=[project.pk]),
    ]
    checked = 0
    for url in pages:
        for form in re.findall(r"<form\b.*?</form>", lead_client.get(url).content.decode(), flags=re.S):
            typed = re.search(r'<input (?![^>]*type="(?:search|hidden|checkbox|radio)")[^>]*>', form)
            if 'name="_pick"' not in form or not typed:
                continue
            first_button = re.search(r'<button [^>]*type="submit"[^>]*>', form).group(0)
            assert 'name="_pick"' not in first_button, (url, first_button)
            checked += 1
    assert checked >= 3  # the creation form, the edit form, the project page's partner link
