"""Issue 14: the awareness-action log. The lead records, edits and archives
actions; nobody else writes (the URL matrix checks every persona); bad
input and stale edits change nothing; the log's query count stays flat."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import AwarenessAction
from partners.selectors import next_awareness_steps
from tests import factories


def _data(service, **extra):
    return {
        "kind": "workshop",
        "held_on": "2026-03-02",
        "title": "Atelier",
        "services": [service.pk],
        "people": "9",
        "note": "Intérêt",
        "next_step": "Relancer",
        "next_step_on": "2026-04-01",
        **extra,
    }


@pytest.mark.django_db
def test_lead_records_an_action_with_the_services_it_reached(lead_client):
    service = factories.ServiceFactory()
    response = lead_client.post(reverse("partners:awareness_create"), _data(service))
    assert response.status_code == 302
    action = AwarenessAction.objects.get()
    assert list(action.services.all()) == [service] and action.people == 9 and action.recorded_by is not None
    assert "Atelier" in lead_client.get(service.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_director_may_not_record_an_action(director_client):
    service = factories.ServiceFactory()
    assert director_client.post(reverse("partners:awareness_create"), _data(service)).status_code == 403
    assert not AwarenessAction.objects.exists()


@pytest.mark.django_db
def test_a_next_step_before_the_action_is_refused_and_nothing_is_saved(lead_client):
    service = factories.ServiceFactory()
    response = lead_client.post(reverse("partners:awareness_create"), _data(service, next_step_on="2026-01-01"))
    assert response.status_code == 200
    assert "next_step_on" in response.context["form"].errors
    assert not AwarenessAction.objects.exists()


@pytest.mark.django_db
def test_a_stale_edit_is_refused(lead_client):
    service = factories.ServiceFactory()
    action = AwarenessAction.objects.create(kind="demo", held_on=datetime.date(2026, 1, 5), title="Démo")
    token = action.updated_at.isoformat()
    url = reverse("partners:awareness_update", args=[action.pk])
    assert lead_client.post(url, _data(service, title="Première", token=token)).status_code == 302
    response = lead_client.post(url, _data(service, title="Seconde", token=token))
    assert response.status_code == 409
    action.refresh_from_db()
    assert action.title == "Première"


@pytest.mark.django_db
def test_next_steps_mix_planned_actions_and_next_steps_soonest_first():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    AwarenessAction.objects.create(kind="visit", held_on=today + 9 * day, title="Visite")
    AwarenessAction.objects.create(
        kind="demo", held_on=today - 40 * day, title="Démo", next_step="Relancer", next_step_on=today + 3 * day
    )
    AwarenessAction.objects.create(
        kind="demo", held_on=today - 90 * day, title="Vieille", next_step="Oublié", next_step_on=today - day
    )
    AwarenessAction.objects.create(kind="training", held_on=today + 20 * day, title="Archivée", is_archived=True)
    steps = next_awareness_steps(today=today)
    assert [(s["what"], s["planned"]) for s in steps] == [("Relancer", False), ("Visite", True)]


@pytest.mark.django_db
def test_awareness_log_query_count_does_not_grow(viewer_client):
    def grow(n):
        for _ in range(n):
            action = AwarenessAction.objects.create(
                kind="demo",
                held_on=timezone.localdate(),
                title="Démo",
                next_step="Suite",
                next_step_on=timezone.localdate() + datetime.timedelta(days=3),
            )
            action.services.add(factories.ServiceFactory(), factories.ServiceFactory())

    url = reverse("partners:awareness_list")
    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert viewer_client.get(url).status_code == 200
    grow(6)
    with CaptureQueriesContext(connection) as large:
        assert viewer_client.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
