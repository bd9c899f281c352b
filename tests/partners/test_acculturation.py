"""The five-level acculturation scale: the lead records a level with a date
and a reason, every change is kept and shown as the service's trajectory;
the old four levels migrate onto the new five (tests/site/test_migrations.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import services
from partners.models import AcculturationChange, AcculturationLevel, Service
from smartcity.base.concurrency import StaleEditError, token_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_scale_has_five_documented_levels():
    assert [v for v, _label in AcculturationLevel.choices] == [1, 2, 3, 4, 5]
    assert set(AcculturationLevel.descriptions()) == {1, 2, 3, 4, 5}


def test_recording_a_level_keeps_history_and_sets_the_service():
    service = factories.ServiceFactory(acculturation=1)
    services.acculturation_change_record(
        service=service,
        token=token_of(service),
        data={"level": 2, "changed_on": datetime.date(2024, 3, 1), "reason": "Présentation"},
    )
    service.refresh_from_db()
    services.acculturation_change_record(
        service=service,
        token=token_of(service),
        data={"level": 4, "changed_on": datetime.date(2025, 1, 10), "reason": "Contribue au projet X"},
    )
    service.refresh_from_db()
    assert service.acculturation == 4
    changes = list(service.acculturation_changes.order_by("changed_on"))
    assert [(c.previous_level, c.level) for c in changes] == [(1, 2), (2, 4)]
    assert [c.direction for c in changes] == [1, 1]


def test_a_back_dated_change_does_not_move_the_current_level():
    service = factories.ServiceFactory(acculturation=1)
    services.acculturation_change_record(
        service=service,
        token=token_of(service),
        data={"level": 3, "changed_on": datetime.date(2025, 1, 1), "reason": "a"},
    )
    service.refresh_from_db()
    services.acculturation_change_record(
        service=service,
        token=token_of(service),
        data={"level": 2, "changed_on": datetime.date(2024, 1, 1), "reason": "b"},
    )
    service.refresh_from_db()
    assert service.acculturation == 3


def test_future_date_and_stale_token_are_refused():
    service = factories.ServiceFactory(acculturation=1)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        services.acculturation_change_record(
            service=service, token=token_of(service), data={"level": 2, "changed_on": tomorrow, "reason": "x"}
        )
    opened = token_of(service)
    services.acculturation_change_record(
        service=service, token=opened, data={"level": 3, "changed_on": datetime.date(2024, 1, 1), "reason": "x"}
    )
    with pytest.raises(StaleEditError):
        services.acculturation_change_record(
            service=service, token=opened, data={"level": 2, "changed_on": datetime.date(2024, 2, 1), "reason": "y"}
        )
    assert AcculturationChange.objects.filter(service=service).count() == 1


def test_a_level_changed_in_the_service_form_is_kept_too():
    service = factories.ServiceFactory(acculturation=2)
    services.service_update(service=service, token=token_of(service), data={"acculturation": 5})
    change = AcculturationChange.objects.get(service=service)
    assert (change.previous_level, change.level) == (2, 5)


def test_lead_records_a_level_and_the_page_shows_the_trajectory(lead_client, viewer_client):
    service = factories.ServiceFactory(acculturation=1)
    url = reverse("partners:service_acculturation", args=[service.pk])
    assert lead_client.get(url).status_code == 200
    response = lead_client.post(
        url, {"level": 3, "changed_on": "2024-05-02", "reason": "Atelier données", "token": token_of(service)}
    )
    assert response.status_code == 302
    page = viewer_client.get(service.get_absolute_url()).content.decode()
    assert "Atelier données" in page
    assert "2024-05-02" in page
    assert url not in page  # readers do not see the lead's button
    assert Service.objects.get(pk=service.pk).acculturation == 3


def test_archived_service_has_no_level_form(lead_client):
    service = factories.ServiceFactory(is_archived=True)
    assert lead_client.get(reverse("partners:service_acculturation", args=[service.pk])).status_code == 404
