"""Issue 12: "no select with more than a few dozen options". Every form that
offers services, partners or projects offers them through a type-ahead
picker (``smartcity.base.forms.Picker``): the page lists the chosen records
and a bounded number of others, and costs the same queries for a city of 5
as for one of 60 of each."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Agreement, SmartCityPlan
from smartcity.base.forms import PICK_FIRST
from tests import factories

pytestmark = pytest.mark.django_db

SERVICE, PARTNER, PROJECT = "partners:service_pick", "partners:partner_pick", "programmes:project_pick"
# form (URL name and how to find its record) -> the pickers it must show
FORMS = {
    "governance:action_add": ("meeting", [SERVICE, PROJECT]),
    "governance:agenda_item_add": ("meeting", [PROJECT]),
    "governance:decision_add": ("meeting", [PROJECT]),
    "governance:attendance_edit": ("meeting", [PARTNER]),
    "programmes:agreement_create": (None, [PARTNER, SERVICE, PROJECT]),
    "programmes:agreement_update": ("agreement", [PARTNER, PROJECT]),
    "programmes:data_asset_create": (None, [PARTNER, SERVICE, PROJECT]),
    "programmes:objective_create": (None, [PROJECT, "programmes:programme_pick"]),
    "partners:interaction_create": ("partner", [SERVICE]),
    "partners:awareness_create": (None, [SERVICE]),
}


def grow(n: int) -> None:
    factories.ServiceFactory.create_batch(n)
    factories.PartnerFactory.create_batch(n)
    factories.ProjectFactory.create_batch(n)


@pytest.fixture
def records():
    meeting = factories.MeetingFactory()
    partner = factories.PartnerFactory()
    agreement = Agreement.objects.create(title="Convention de données", kind="data_sharing")
    agreement.partners.add(partner)
    agreement.projects.add(factories.ProjectFactory())
    SmartCityPlan.objects.create(
        title="Plan", period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2030, 12, 31)
    )
    return {"meeting": meeting, "partner": partner, "agreement": agreement}


def _page(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def _longest_select(page: str) -> int:
    return max((s.count("<option") for s in re.findall(r"<select.*?</select>", page, re.S)), default=0)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_form_offers_long_lists_through_pickers(name, lead_client, records):
    key, sources = FORMS[name]
    url = reverse(name, args=[records[key].pk] if key else [])
    grow(5)
    small, page = _page(lead_client, url)
    for source in sources:
        assert f'data-picker="{reverse(source)}"' in page, source
    grow(60)
    large, page = _page(lead_client, url)
    assert _longest_select(page) <= PICK_FIRST + 1 + 2  # the bounded list, the empty choice, the record's own
    assert small == large
