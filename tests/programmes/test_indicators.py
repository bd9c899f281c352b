"""Issue 14: indicators and proof of usefulness. The trend geometry for
known data; who may record a value (the lead; the director of the project's
lead service; another director is refused and nothing changes); the
usefulness sheet with known values; the code list shipped as data; flat
query counts of the new pages and of the pages that now show indicators."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Indicator, IndicatorCode, IndicatorValue, UsefulnessSheet
from programmes.trends import trend
from smartcity.base.roles import Role
from tests import factories

D = datetime.date

# --- The trend line ------------------------------------------------------------


def test_trend_of_known_values():
    t = trend(
        [(D(2024, 1, 1), Decimal(10)), (D(2025, 1, 1), Decimal(20)), (D(2024, 7, 1), Decimal(15))],
        direction="up",
        width=100,
        height=30,
    )
    # Sorted by date; x over 366 days inside a 5-px margin (5 + 90 × 182 / 366 = 49.75);
    # y: 20 at the top, 10 at the bottom.
    assert t.dots == [(5.0, 25.0), (49.8, 15.0), (95.0, 5.0)]
    assert t.points == "5.0,25.0 49.8,15.0 95.0,5.0"
    assert (t.first, t.last, t.change, t.better) == (Decimal(10), Decimal(20), Decimal(10), True)
    assert trend([(D(2024, 1, 1), Decimal(10)), (D(2025, 1, 1), Decimal(20))], direction="down").better is False


def test_trend_with_a_target_and_edge_cases():
    t = trend([(D(2024, 1, 1), Decimal(10)), (D(2025, 1, 1), Decimal(20))], target=Decimal(30), width=100, height=30)
    assert t.target_y == 5.0 and t.dots[-1][1] == 15.0  # the target sets the top
    assert trend([]).dots == [] and trend([]).points == ""
    one = trend([(D(2024, 1, 1), Decimal(7))], width=100, height=30)
    assert one.dots == [(50.0, 15.0)] and one.change is None and one.better is None


def test_the_code_list_ships_as_data(db):
    assert IndicatorCode.objects.filter(framework="iso37120").count() >= 10
    assert IndicatorCode.objects.filter(framework="iso37122").exists()
    assert IndicatorCode.objects.filter(framework="u4ssc").exists()
    assert not IndicatorCode.objects.filter(name="").exists()


# --- Who records a value ---------------------------------------------------------


@pytest.fixture
def indicator(db, director_service):
    project = factories.ProjectFactory(lead_service=director_service)
    return Indicator.objects.create(
        project=project,
        name="Pertes d'eau",
        unit="%",
        direction="down",
        baseline=Decimal(21),
        baseline_on=D(2024, 1, 1),
    )


def _post_value(client, indicator, **extra):
    url = reverse("programmes:indicator_value_create", args=[indicator.project_id, indicator.pk])
    prefix = f"ind{indicator.pk}"
    data = {f"{prefix}-measured_on": "2025-01-01", f"{prefix}-value": "18.5", f"{prefix}-source": "Relevé", **extra}
    return client.post(url + "?next=/mon-service/rapport/", data)


def test_director_records_a_value_on_their_own_project(director_client, indicator):
    response = _post_value(director_client, indicator)
    assert response.status_code == 302 and response["Location"] == "/mon-service/rapport/"
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("18.5") and value.recorded_by.username == "director-user"


def test_another_director_is_refused_and_nothing_changes(client, indicator):
    other = factories.UserFactory(username="other-director", role=Role.DIRECTOR.value)
    factories.ServiceFactory(director=other)
    client.force_login(other)
    assert _post_value(client, indicator).status_code == 403
    assert (
        client.get(reverse("programmes:indicator_value_create", args=[indicator.project_id, indicator.pk])).status_code
        == 403
    )
    assert not IndicatorValue.objects.exists()


def test_lead_records_anywhere_and_bad_input_changes_nothing(lead_client, indicator):
    assert _post_value(lead_client, indicator).status_code == 302
    again = _post_value(lead_client, indicator, **{f"ind{indicator.pk}-value": "17"})  # same date
    assert again.status_code == 200 and again.context["form"].errors
    junk = _post_value(
        lead_client,
        indicator,
        **{f"ind{indicator.pk}-value": "beaucoup", f"ind{indicator.pk}-measured_on": "2025-02-01"},
    )
    assert junk.status_code == 200 and "value" in junk.context["form"].errors
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("18.5")]


def test_an_unsafe_next_is_ignored(lead_client, indicator):
    url = reverse("programmes:indicator_value_create", args=[indicator.project_id, indicator.pk])
    prefix = f"ind{indicator.pk}"
    response = lead_client.post(
        url + "?next=https://evil.example/", {f"{prefix}-measured_on": "2025-01-01", f"{prefix}-value": "1"}
    )
    assert response["Location"].startswith(f"/projets/{indicator.project_id}/")


def test_report_page_shows_the_director_their_indicators(director_client, indicator):
    IndicatorValue.objects.create(indicator=indicator, measured_on=D(2025, 1, 1), value=Decimal(18))
    page = director_client.get(reverse("programmes:service_report")).content.decode()
    assert "Pertes d&#x27;eau" in page and f'name="ind{indicator.pk}-value"' in page and "<polyline" in page


# --- The usefulness sheet ---------------------------------------------------------


def test_sheet_shows_known_values(viewer_client, indicator):
    project = indicator.project
    UsefulnessSheet.objects.create(
        project=project,
        changed="Fuites réparées en deux jours",
        for_whom="Les abonnés",
        cost=Decimal("180000"),
        lessons="Commencer par les quartiers anciens",
    )
    IndicatorValue.objects.create(indicator=indicator, measured_on=D(2025, 1, 1), value=Decimal("18.5"))
    partner = factories.PartnerFactory(name="Aquaterra")
    factories.ProjectPartnerFactory(project=project, partner=partner)
    response = viewer_client.get(reverse("programmes:usefulness_sheet", args=[project.pk]))
    page = response.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    for text in (
        "Fuites réparées en deux jours",
        "Les abonnés",
        "180 000 €",
        "Commencer par les quartiers anciens",
        "Aquaterra",
        "Pertes d&#x27;eau",
        "18,5",
        "21",
    ):
        assert text in page, text
    assert "<polyline" in page and "text-bg-success" in page  # lower is better, and it went down
    assert reverse("programmes:usefulness_sheet_edit", args=[project.pk]) not in page  # not the lead


def test_lead_writes_the_sheet_and_a_stale_save_is_refused(lead_client, indicator):
    project = indicator.project
    url = reverse("programmes:usefulness_sheet_edit", args=[project.pk])
    assert lead_client.post(url, {"changed": "Un", "for_whom": "", "lessons": ""}).status_code == 302
    sheet = UsefulnessSheet.objects.get()
    token = sheet.updated_at.isoformat()
    assert lead_client.post(url, {"changed": "Deux", "token": token}).status_code == 302
    assert lead_client.post(url, {"changed": "Trois", "token": token}).status_code == 409
    sheet.refresh_from_db()
    assert sheet.changed == "Deux"


# --- Query counts at two scales ---------------------------------------------------


def _grow(service, n):
    projects = []
    for i in range(n):
        project = factories.ProjectFactory(lead_service=service, domains=[factories.DomainFactory()])
        UsefulnessSheet.objects.create(project=project, changed="x", cost=Decimal(100))
        factories.ProjectPartnerFactory(project=project)
        for k in range(2):
            indicator = Indicator.objects.create(
                project=project, name=f"I{i}-{k}", target=Decimal(5), code=IndicatorCode.objects.first()
            )
            for m in range(3):
                IndicatorValue.objects.create(indicator=indicator, measured_on=D(2024, 1 + m, 1), value=Decimal(m))
        projects.append(project)
    return projects


@pytest.mark.parametrize(
    "page",
    ["usefulness_summary", "usefulness_sheet", "project_detail", "service_report", "project_report"],
)
def test_query_count_does_not_grow(director_client, director_service, page):
    first = _grow(director_service, 1)[0]

    def url():
        if page in ("usefulness_summary", "service_report"):
            return reverse(f"programmes:{page}")
        return reverse(f"programmes:{page}", args=[first.pk])

    with CaptureQueriesContext(connection) as small:
        assert director_client.get(url()).status_code == 200
    _grow(director_service, 4)
    more = Indicator.objects.create(project=first, name="Encore")
    IndicatorValue.objects.create(indicator=more, measured_on=D(2024, 5, 1), value=Decimal(1))
    with CaptureQueriesContext(connection) as large:
        assert director_client.get(url()).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
