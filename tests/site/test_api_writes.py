"""Writes through the API: the same person, the same change, the same
policy functions and services as the web."""

import pytest
from django.test import Client
from django.urls import reverse

from programmes.models import StatusReport
from smartcity.base.tokens import api_token_create
from tests import factories

pytestmark = pytest.mark.django_db


def bearer(user, scope="write"):
    _token, secret = api_token_create(user=user, name="test", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def reports_url(project):
    return reverse("api:project-reports", kwargs={"pk": project.pk})


def test_director_reports_on_own_project_with_a_write_token(director, director_service):
    project = factories.ProjectFactory(lead_service=director_service)
    response = Client().post(
        reports_url(project),
        {"health": "at_risk", "progress": 40, "comment": "API"},
        content_type="application/json",
        **bearer(director),
    )
    assert response.status_code == 201, response.content
    project.refresh_from_db()
    assert (project.health, project.progress) == ("at_risk", 40)
    assert StatusReport.objects.get(project=project).author == director


def test_director_may_not_report_on_another_service_project(director):
    project = factories.ProjectFactory()
    response = Client().post(reports_url(project), {"health": "at_risk", "progress": 40}, **bearer(director))
    assert response.status_code == 403
    assert not StatusReport.objects.exists()


def test_read_token_may_not_report(director, director_service):
    project = factories.ProjectFactory(lead_service=director_service)
    response = Client().post(reports_url(project), {"health": "at_risk", "progress": 40}, **bearer(director, "read"))
    assert response.status_code == 403


def test_report_on_archived_project_is_refused(director, director_service):
    project = factories.ProjectFactory(lead_service=director_service, is_archived=True)
    response = Client().post(reports_url(project), {"health": "at_risk", "progress": 40}, **bearer(director))
    assert response.status_code == 403


def test_report_based_on_an_older_report_is_a_conflict(director, director_service):
    project = factories.ProjectFactory(lead_service=director_service)
    first = factories.StatusReportFactory(project=project)
    factories.StatusReportFactory(project=project)
    response = Client().post(
        reports_url(project), {"health": "on_track", "progress": 50, "based_on": first.pk}, **bearer(director)
    )
    assert response.status_code == 409
    assert StatusReport.objects.filter(project=project).count() == 2


def test_report_needs_health_and_progress_or_no_change(director, director_service):
    project = factories.ProjectFactory(lead_service=director_service)
    client, auth = Client(), bearer(director)
    assert client.post(reports_url(project), {"comment": "?"}, **auth).status_code == 400
    assert client.post(reports_url(project), {"no_change": True}, **auth).status_code == 400
    factories.StatusReportFactory(project=project, health="off_track", progress=30)
    assert client.post(reports_url(project), {"no_change": True}, **auth).status_code == 201


def test_lead_updates_a_project_with_its_token(lead):
    project = factories.ProjectFactory(name="Avant")
    url = reverse("api:project-detail", kwargs={"pk": project.pk})
    client, auth = Client(), bearer(lead)
    body = {"name": "Après", "token": str(project.version)}
    response = client.patch(url, body, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Après"
    stale = client.patch(
        url, {"name": "Encore", "token": str(project.version)}, content_type="application/json", **auth
    )
    assert stale.status_code == 409
    assert stale.json()["changed"] == ["name"]
    project.refresh_from_db()
    assert project.name == "Après"
    assert client.patch(url, {"name": "Sans jeton"}, content_type="application/json", **auth).status_code == 400


def test_project_update_never_sets_health(lead):
    project = factories.ProjectFactory(health="on_track")
    url = reverse("api:project-detail", kwargs={"pk": project.pk})
    body = {"health": "off_track", "token": str(project.version)}
    Client().patch(url, body, content_type="application/json", **bearer(lead))
    project.refresh_from_db()
    assert project.health == "on_track"


def test_director_may_not_update_a_project(director, director_service):
    project = factories.ProjectFactory(lead_service=director_service, name="Avant")
    url = reverse("api:project-detail", kwargs={"pk": project.pk})
    body = {"name": "Après", "token": str(project.version)}
    assert Client().patch(url, body, content_type="application/json", **bearer(director)).status_code == 403
    project.refresh_from_db()
    assert project.name == "Avant"
