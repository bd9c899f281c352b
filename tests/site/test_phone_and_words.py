"""Small things seen on the demo at 375 px and 1280 px (issue 12): the
project's partners and the reporting overview's services become stacked
cards on a phone rather than clipped columns; budget columns read «Prévu»,
the public pages' open data «Données ouvertes»."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _stacked_cells(page: str, table_caption: str) -> list[str]:
    """The data-labels of the table whose caption is ``table_caption``,
    if it stacks on a phone."""
    match = re.search(r'<table class="[^"]*\btable-stack\b[^"]*">\s*<caption[^>]*>' + table_caption, page)
    assert match, table_caption
    body = page[match.end() : page.index("</table>", match.end())]
    return sorted(set(re.findall(r'data-label="([^"]+)"', body)))


def test_partners_and_reporting_tables_stack_on_a_phone(lead_client, director_service):
    project = factories.ProjectFactory(lead_service=director_service)
    factories.ProjectPartnerFactory(project=project)
    page = lead_client.get(project.get_absolute_url()).content.decode()
    assert _stacked_cells(page, "Partenaires du projet") == ["Dates", "Relation", "Rôle"]
    # The service picker has the column's width; the role select is not cut («Contributeu»).
    form = page[page.index('aria-label="Lier un service"') :]
    assert re.match(r'.*?<div class="row g-2 align-items-end"><div class="col-12">', form, re.S)
    page = lead_client.get(reverse("programmes:reporting_overview")).content.decode()
    assert _stacked_cells(page, "Suivi par service") == ["Directeur·rice", "Point fait", "Projets non renseignés"]


def test_a_directors_projects_and_a_meetings_actions_stack_on_a_phone(director_client, director_service, lead_client):
    factories.ProjectFactory(lead_service=director_service)
    page = director_client.get(reverse("home")).content.decode()
    assert _stacked_cells(page, "Projets pilotés par mon service") == ["Avancement", "Dernier point", "Météo", "Suivi"]
    action = factories.ActionItemFactory()
    page = lead_client.get(action.meeting.get_absolute_url()).content.decode()
    assert _stacked_cells(page, "Actions décidées lors de cette séance") == ["Responsable", "Statut", "Échéance"]


def test_budget_and_open_data_words(official_client):
    factories.ProjectFactory(domains=[factories.DomainFactory()])
    page = official_client.get(reverse("governance:dashboard")).content.decode()
    assert '<th scope="col">Prévu</th>' in page and '<th scope="col">Prévue</th>' not in page
    public = Client().get(reverse("site:public_portfolio")).content.decode()
    assert "Données ouvertes" in public and "Donnée ouverte<" not in public
