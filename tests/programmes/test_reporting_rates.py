"""The reporting rate per service and cycle, counted by the database."""

import datetime

import pytest
from django.utils import timezone

from programmes import selectors
from programmes.models import ReportingCycle
from tests import factories

pytestmark = pytest.mark.django_db


def test_rates_count_each_active_project_once_per_cycle(lead_client):
    now = timezone.now()
    earlier = ReportingCycle.objects.create(
        starts_at=now - datetime.timedelta(days=40),
        ends_at=now - datetime.timedelta(days=10),
        closed_at=now - datetime.timedelta(days=10),
    )
    current = ReportingCycle.objects.create(
        starts_at=now - datetime.timedelta(days=10), ends_at=now + datetime.timedelta(days=20)
    )
    service = factories.ServiceFactory(name="Service des eaux")
    quiet = factories.ServiceFactory(name="Service calme")
    twice, once, _never = (factories.ProjectFactory(lead_service=service) for _ in range(3))
    factories.ProjectFactory(lead_service=quiet)
    closed = factories.ProjectFactory(lead_service=service, phase="closed")
    for project, days in ((twice, 30), (twice, 5), (twice, 4), (once, 2), (closed, 3)):
        factories.StatusReportFactory(project=project, created_at=now - datetime.timedelta(days=days))

    rates = selectors.reporting_rates(cycles=[current, earlier])
    assert [(r.service.name, r.cells) for r in rates] == [
        ("Service calme", [(0, 1), (0, 1)]),
        ("Service des eaux", [(1, 3), (2, 3)]),  # oldest cycle first; two reports count once; closed not at all
    ]
    assert rates[1].labels == [("33 %", "(1/3)"), ("67 %", "(2/3)")]
    html = lead_client.get("/suivi/").content.decode()
    assert "67 % <span" in html and "(2/3)" in html
