"""History pages (issue 13): who changed what, when, old → new in words
(field names, choice labels, names of related records, many-to-many),
paginated, linked from each page, at a query cost that does not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from simple_history.models import HistoricalRecords

from governance import services as governance_services
from partners import services as partner_services
from programmes import services
from smartcity.base.concurrency import token_of
from smartcity.base.history import PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db


class _As:
    """Writes recorded under ``user``, as the history middleware does for a request."""

    def __init__(self, user):
        self.user = user

    def __enter__(self):
        HistoricalRecords.context.request = type("R", (), {"user": self.user})()

    def __exit__(self, *exc):
        del HistoricalRecords.context.request


def _edit(project, **data):
    project.refresh_from_db()
    return services.project_update(project=project, token=token_of(project), data=data)


def _text(client, url):
    with translation.override("fr"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    return response.content.decode()


def test_a_project_change_reads_in_words(lead, director_client, director_service, other_service):
    lead.first_name, lead.last_name = "Ysaline", "Corbelin"
    lead.save()
    domain = factories.DomainFactory(name="Énergie partagée")
    project = factories.ProjectFactory(lead_service=director_service, phase="study", is_public=False)
    with _As(lead):
        _edit(project, phase="pilot", lead_service=other_service, is_public=True, end_date=datetime.date(2027, 3, 31))
        services.project_domain_link(project=project, domain=domain)
    page = _text(director_client, reverse("programmes:project_history", args=[project.pk]))
    assert "Ysaline Corbelin" in page
    for label, old, new in [
        ("Phase", "Étude", "Expérimentation"),
        ("Service pilote", director_service.name, other_service.name),
        ("Public", "non", "oui"),
        ("Date de fin", "—", "31/03/2027"),
        ("Domaines", "—", "Énergie partagée"),
    ]:
        assert f"<dt>{label}</dt>" in page, label
        chunk = page[page.index(f"<dt>{label}</dt>") :][:400]
        assert old in chunk and new in chunk and chunk.index(old) < chunk.index(new), (label, chunk)
    assert "version" not in page.lower()


def test_milestone_changes_show_on_the_project_history(lead, viewer_client):
    project = factories.ProjectFactory()
    milestone = factories.MilestoneFactory(project=project, title="Pose des capteurs")
    with _As(lead):
        services.milestone_update(
            milestone=milestone,
            by=lead,
            token=token_of(milestone),
            data={"status": "done", "reached_on": datetime.date(2026, 5, 4)},
        )
    page = _text(viewer_client, reverse("programmes:project_history", args=[project.pk]))
    section = page[page.index('id="related-history-title"') :]
    assert "Pose des capteurs" in section and "Prévu" in section and "Atteint" in section


def test_history_is_paginated(lead, viewer_client):
    project = factories.ProjectFactory()
    with _As(lead):
        for i in range(PAGE_SIZE + 3):
            _edit(project, name=f"Nom {i}")
    url = reverse("programmes:project_history", args=[project.pk])
    first = viewer_client.get(url)
    assert len(first.context["entries"]) == PAGE_SIZE
    assert first.context["page"].has_next()
    second = viewer_client.get(url + "?page=2")
    # The oldest edit on page 2 is diffed against the creation record, on page 2 too.
    assert [e.kind for e in second.context["entries"]][-1] == "created"
    assert second.context["entries"][-2].changes[0].new == "Nom 0"


def test_every_history_page_is_linked_from_its_object(viewer_client, lead):
    project = factories.ProjectFactory()
    partner = factories.PartnerFactory(city="Orvalle")
    service = factories.ServiceFactory()
    meeting = factories.MeetingFactory(place="Salle A")
    with _As(lead):
        partner_services.partner_update(partner=partner, token=token_of(partner), data={"city": "Orvalle-Sud"})
        partner_services.service_update(service=service, token=token_of(service), data={"description": "Référent"})
        governance_services.meeting_update(meeting=meeting, token=token_of(meeting), data={"place": "Salle B"})
        services.programme_update(
            programme=project.programme, token=token_of(project.programme), data={"description": "Révisé"}
        )
    pages = [
        (project.get_absolute_url(), reverse("programmes:project_history", args=[project.pk]), None),
        (
            project.programme.get_absolute_url(),
            reverse("programmes:programme_history", args=[project.programme_id]),
            "Révisé",
        ),
        (partner.get_absolute_url(), reverse("partners:partner_history", args=[partner.pk]), "Orvalle-Sud"),
        (service.get_absolute_url(), reverse("partners:service_history", args=[service.pk]), "Référent"),
        (meeting.get_absolute_url(), reverse("governance:meeting_history", args=[meeting.pk]), "Salle B"),
    ]
    for detail, history, change in pages:
        assert history in _text(viewer_client, detail), detail
        if change:
            assert change in _text(viewer_client, history), history


def test_the_lead_meets_no_dead_end_admin_link(lead_client):
    page = lead_client.get(reverse("programmes:portfolio")).content.decode()
    assert reverse("admin:index") not in page


def _grow_history(project, lead, n):
    """``n`` edits, each of a plain field, a foreign key and a many-to-many."""
    with _As(lead):
        for _ in range(n):
            _edit(project, lead_service=factories.ServiceFactory(), sponsor=factories.ElectedOfficialFactory())
            services.project_domain_link(project=project, domain=factories.DomainFactory())


@pytest.mark.parametrize("view", ["programmes:project_history", "partners:partner_history"])
def test_history_query_count_does_not_grow(lead, viewer_client, django_assert_num_queries, view):
    project = factories.ProjectFactory()
    partner = factories.PartnerFactory()
    target = project if view == "programmes:project_history" else partner
    url = reverse(view, args=[target.pk])

    def grow(n):
        _grow_history(project, lead, n)
        with _As(lead):
            for i in range(n):
                factories.MilestoneFactory(project=project)
                partner_services.partner_update(partner=partner, token=token_of(partner), data={"city": f"V{i}"})
                partner.refresh_from_db()

    grow(2)
    with CaptureQueriesContext(connection) as small:
        viewer_client.get(url)
    grow(12)
    with django_assert_num_queries(len(small)):
        viewer_client.get(url)
