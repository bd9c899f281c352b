"""The editable lists (issue 13): phases and health levels keep a fixed
meaning (stage, severity) the rules read; an archived value stays on old
records and leaves the pickers; the lead's pages cost the same queries
whatever the data; the vocabulary kept per process follows every save."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from programmes import rules, services, taxonomy
from programmes.filters import ProjectFilter
from programmes.forms import ProjectForm, StatusReportForm
from programmes.models import HealthOption, PhaseOption, Project, Severity, Stage
from tests import factories

pytestmark = pytest.mark.django_db


def _option(model, code):
    return model.objects.get(code=code)


def _codes(choices):
    return [code for code, _label in choices]


def test_a_phase_added_as_closed_ends_its_projects_and_a_renamed_one_shows_its_new_label():
    suspended = services.taxonomy_option_create(model=PhaseOption, data={"label": "Suspendu", "stage": Stage.CLOSED})
    project = factories.ProjectFactory(phase=suspended.code)
    running = factories.ProjectFactory(phase="pilot")
    assert suspended.code in rules.closed_phases()
    assert not rules.is_active(project) and project.is_closed
    assert list(Project.objects.active().filter(pk__in=[project.pk, running.pk])) == [running]

    pilot = _option(PhaseOption, "pilot")
    services.taxonomy_option_update(option=pilot, token=str(pilot.version), data={"label": "Prototype"})
    running.refresh_from_db()
    assert running.get_phase_display() == "Prototype"
    # Given back its built-in label, the value is translated again (stored blank).
    pilot.refresh_from_db()
    with translation.override("fr"):
        services.taxonomy_option_update(option=pilot, token=str(pilot.version), data={"label": "Expérimentation"})
        pilot.refresh_from_db()
        assert pilot.label == "" and str(pilot) == "Expérimentation"
    with translation.override("en"):
        assert str(pilot) == "Pilot"


def test_an_archived_phase_stays_on_its_project_and_leaves_the_pickers(lead_client):
    project = factories.ProjectFactory(phase="pilot")
    services.taxonomy_option_set_archived(option=_option(PhaseOption, "pilot"), archived=True)

    assert "pilot" not in _codes(ProjectForm().fields["phase"].choices)
    assert "pilot" in _codes(ProjectForm(instance=project).fields["phase"].choices)  # its own value
    assert "pilot" not in _codes(ProjectFilter().form.fields["phase"].choices)
    page = lead_client.get(project.get_absolute_url()).content.decode()
    assert "Expérimentation" in page  # the old record still shows it
    # A new project cannot take it; the project holding it saves unchanged.
    data = {
        "programme": project.programme_id,
        "code": "NEW-1",
        "name": "Nouveau",
        "lead_service": project.lead_service_id,
        "phase": "pilot",
        "budget_planned": "0",
        "budget_spent": "0",
    }
    assert "phase" in ProjectForm(data).errors
    assert "phase" not in ProjectForm({**data, "code": project.code}, instance=project).errors

    services.taxonomy_option_set_archived(option=_option(PhaseOption, "pilot"), archived=False)
    assert "pilot" in _codes(ProjectForm().fields["phase"].choices)


def test_health_levels_keep_their_severity_and_archived_ones_leave_the_report_form():
    watch = services.taxonomy_option_create(
        model=HealthOption, data={"label": "Sous surveillance", "severity": Severity.WARNING, "color": "#aa7700"}
    )
    assert watch.code in rules.attention_health()
    assert taxonomy.health_colour(watch.code) == "#aa7700"
    project = factories.ProjectFactory(health="at_risk")
    services.taxonomy_option_set_archived(option=_option(HealthOption, "at_risk"), archived=True)

    offered = _codes(StatusReportForm(project=factories.ProjectFactory(), latest=None).fields["health"].choices)
    assert watch.code in offered and "at_risk" not in offered and "unknown" not in offered
    own = _codes(StatusReportForm(project=project, latest=None).fields["health"].choices)
    assert "at_risk" in own  # the project's own level stays offered
    assert "at_risk" in rules.attention_health()  # archived, it keeps its meaning


def test_the_vocabulary_kept_in_a_process_follows_a_save_made_elsewhere():
    taxonomy.vocabulary()
    with CaptureQueriesContext(connection) as ctx:
        taxonomy.phase_label("study")
    assert len(ctx) == 0  # kept: no query
    # Another process saved a label: its row changed and the version moved.
    PhaseOption.objects.filter(code="study").update(label="Étude amont")
    assert taxonomy.phase_label("study") == "Étude"
    cache.set(taxonomy.VERSION_KEY, "another-process")
    taxonomy._check_version()  # what every request starts with
    assert taxonomy.phase_label("study") == "Étude amont"


def test_the_lead_adds_renames_orders_and_archives_through_the_pages(lead_client):
    url = reverse("programmes:taxonomy")
    response = lead_client.post(
        reverse("programmes:taxonomy_create", args=["domaines"]),
        {"name": "Eau", "description": "", "color": "#0055aa", "icon": "drop"},
    )
    assert response.status_code == 302
    domain = factories.DomainFactory._meta.model.objects.get(name="Eau")
    assert (domain.slug, domain.icon) == ("eau", "drop")
    project = factories.ProjectFactory(domains=[domain])
    assert (
        'href="/static/img/domain-icons.svg#drop"'
        in lead_client.get(project.programme.get_absolute_url()).content.decode()
    )

    study = _option(PhaseOption, "study")
    lead_client.post(reverse("programmes:taxonomy_move", args=["phases", study.pk]), {"direction": "up"})
    assert _codes(taxonomy.phase_choices())[:2] == ["study", "emergence"]

    edit = reverse("programmes:taxonomy_update", args=["phases", study.pk])
    assert lead_client.post(edit, {"label": "Étude préalable", "token": study.version}).status_code == 302
    # A second save from the same opened form is refused, nothing overwritten.
    assert lead_client.post(edit, {"label": "Autre", "token": study.version}).status_code == 409
    assert str(_option(PhaseOption, "study")) == "Étude préalable"

    lead_client.post(reverse("programmes:taxonomy_archive", args=["domaines", domain.pk]), {"archived": "1"})
    domain.refresh_from_db()
    assert domain.is_archived
    assert domain not in ProjectForm().fields["domains"].queryset
    assert domain in ProjectForm(instance=project).fields["domains"].queryset  # kept on its project
    page = lead_client.get(url).content.decode()
    assert "Étude préalable" in page and "Eau" in page


def _grow(n: int) -> None:
    for i in range(n):
        factories.DomainFactory()
        services.taxonomy_option_create(model=PhaseOption, data={"label": f"Phase {n}-{i}", "stage": Stage.ACTIVE})
        services.taxonomy_option_create(
            model=HealthOption, data={"label": f"Niveau {n}-{i}", "severity": Severity.GOOD, "color": "#123456"}
        )
        factories.ProjectFactory(domains=[factories.DomainFactory()])


def _count(client, url) -> int:
    client.get(url)  # a save forgets the vocabulary: the first read reloads it
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


# Pinned: session + user + groups (role) are 3; domains with their project
# counts, phases, health levels, projects by phase and by health are 5.
TAXONOMY_PAGES = {
    "lists": (lambda: reverse("programmes:taxonomy"), 8),
    "new phase": (lambda: reverse("programmes:taxonomy_create", args=["phases"]), 3),
    "edit health level": (
        lambda: reverse("programmes:taxonomy_update", args=["meteo", _option(HealthOption, "at_risk").pk]),
        4,
    ),
    "edit domain": (lambda: reverse("programmes:taxonomy_update", args=["domaines", _first_domain()]), 4),
}


def _first_domain() -> int:
    return factories.DomainFactory._meta.model.objects.order_by("pk").values_list("pk", flat=True).first()


def test_the_lists_pages_cost_the_same_queries_at_two_scales(lead_client):
    _grow(1)
    small = {name: _count(lead_client, url()) for name, (url, _n) in TAXONOMY_PAGES.items()}
    _grow(6)
    large = {name: _count(lead_client, url()) for name, (url, _n) in TAXONOMY_PAGES.items()}
    assert small == large == {name: n for name, (_url, n) in TAXONOMY_PAGES.items()}


def test_the_api_takes_the_leads_levels_and_refuses_archived_ones(director, director_service):
    from django.test import Client

    from smartcity.base.tokens import api_token_create

    _token, secret = api_token_create(user=director, name="test", scope="write")
    project = factories.ProjectFactory(lead_service=director_service)
    watch = services.taxonomy_option_create(
        model=HealthOption, data={"label": "Sous surveillance", "severity": Severity.WARNING, "color": "#aa7700"}
    )
    services.taxonomy_option_set_archived(option=_option(HealthOption, "at_risk"), archived=True)
    url = reverse("api:project-reports", kwargs={"pk": project.pk})
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "content_type": "application/json"}
    assert Client().post(url, {"health": "at_risk", "progress": 40}, **auth).status_code == 400
    response = Client().post(url, {"health": watch.code, "progress": 40}, **auth)
    assert response.status_code == 201, response.content
    assert response.json()["health"] == watch.code
    project.refresh_from_db()
    assert project.health == watch.code


def test_an_archived_health_level_leaves_the_charts_and_tables_until_a_project_holds_it(official_client):
    """Overview, dashboard table and chart, roll-ups, the pack's summary and
    chart: an archived level no active project holds is no empty column or
    row; one still held stays listed."""
    from governance import charts
    from governance.selectors import summarise_portfolio
    from programmes.cycles import current_window
    from programmes.rollups import rollup_of
    from programmes.selectors import portfolio_counts

    level = _option(HealthOption, "at_risk")
    services.taxonomy_option_update(option=level, token=str(level.version), data={"label": "Niveau-témoin"})
    level.refresh_from_db()
    services.taxonomy_option_set_archived(option=level, archived=True)
    domain = factories.DomainFactory()
    project = factories.ProjectFactory(health="on_track", domains=[domain])
    projects = Project.objects.filter(pk=project.pk)
    row = {"health": "on_track", "phase": project.phase, "domains": [domain.name], "budget_planned": "0",
           "budget_spent": "0", "stale": False, "freshness": "fresh", "active": True}  # fmt: skip

    def listed() -> dict[str, bool]:
        summary = summarise_portfolio([row])
        chart = charts.pack_health(summary)
        dashboard = official_client.get(reverse("governance:dashboard")).content.decode()
        return {
            "overview": "at_risk" in _codes((v, label) for v, label, _n in portfolio_counts()["health_rows"]),
            "roll-up": "at_risk" in [v for v, _label, _n in rollup_of(projects, window=current_window()).health_rows],
            "dashboard": "Niveau-témoin" in dashboard,
            "pack summary": "at_risk" in summary["by_health"],
            "pack chart": "Niveau-témoin" in [str(label) for label, _colour in chart["legend"]],
        }

    assert not any(listed().values()), listed()
    Project.objects.filter(pk=project.pk).update(health="at_risk")
    row["health"] = "at_risk"
    assert all(listed().values()), listed()
