"""The plan's pages cost the same number of queries whatever the data: the
objectives page, the pipeline, an idea, "my ideas", and the programme and
domain pages with their roll-ups. And the plan page says what it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes import services
from programmes.models import Objective, SmartCityPlan, Target
from tests import factories


def build(size: int, *, lead, director_service) -> dict:
    programme = factories.ProgrammeFactory()
    domain = factories.DomainFactory()
    plan = SmartCityPlan.objects.filter().first() or SmartCityPlan.objects.create(
        title="Plan", period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2030, 12, 31)
    )
    projects = [
        factories.ProjectFactory(
            programme=programme, domains=[domain], budget_planned=1000 * (i + 1), progress=10 * i, health="at_risk"
        )
        for i in range(size)
    ]
    for project in projects:
        factories.MilestoneFactory(project=project)
        factories.StatusReportFactory(project=project)
    for i in range(size):
        objective = Objective.objects.create(plan=plan, code=f"O{size}-{i}", title=f"Objectif {i}")
        objective.projects.set(projects)
        objective.domains.set([domain])
        objective.programmes.set([programme])
        Target.objects.create(
            objective=objective, label="Cible", unit="%", baseline=1, target_value=9, target_date="2030-01-01"
        )
    partner = factories.PartnerFactory()
    ideas = []
    for i in range(size):
        idea = services.idea_propose(
            by=lead, data={"title": f"Idée {i}", "need": "x", "proposing_service": director_service}
        )
        idea.services_concerned.set([director_service])
        services.idea_move(idea=idea, to_state="under_study", reason="À voir", by=lead)
        services.proposal_record(by=lead, data={"title": f"Proposition {i}", "need": "x", "partner": partner})
        ideas.append(idea)
    return {"programme": programme, "domain": domain, "idea": ideas[0], "objective": objective}


PAGES = {
    "plan": lambda w: reverse("programmes:plan"),
    "objective": lambda w: reverse("programmes:objective_detail", args=[w["objective"].pk]),
    "pipeline": lambda w: reverse("programmes:idea_pipeline"),
    "pipeline filtered": lambda w: reverse("programmes:idea_pipeline") + "?state=under_study&kind=idea",
    "idea": lambda w: reverse("programmes:idea_detail", args=[w["idea"].pk]),
    "my ideas": lambda w: reverse("programmes:my_ideas"),
    "programme": lambda w: reverse("programmes:programme_detail", args=[w["programme"].pk]),
    "domain": lambda w: reverse("programmes:domain_detail", args=[w["domain"].slug]),
    "dashboard (the plan at a glance)": lambda w: reverse("governance:dashboard"),
}


# Pinned: session + user + groups (role) are 3 of them; a roll-up costs 2
# (projects, milestones), the reporting cycle 1.
EXPECTED = {
    "plan": 15,  # + every project of each objective as a plain link
    "objective": 8,  # the objective, its domains, programmes, targets, documents
    "pipeline": 4,
    "pipeline filtered": 4,
    "idea": 6,
    "my ideas": 4,
    "programme": 11,  # + the paged list's COUNT, the documents
    "domain": 14,  # + the paged lists' COUNTs
    "dashboard (the plan at a glance)": 18,
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.django_db
def test_the_plan_pages_cost_the_same_queries_at_two_scales(lead_client, lead, director_service):
    small = build(2, lead=lead, director_service=director_service)
    counts_small = {name: _count(lead_client, page(small)) for name, page in PAGES.items()}
    large = build(7, lead=lead, director_service=director_service)
    counts_large = {name: _count(lead_client, page(large)) for name, page in PAGES.items()}
    assert counts_small == counts_large == EXPECTED


@pytest.mark.django_db
def test_the_plan_page_shows_targets_gaps_rollups_and_the_rule(viewer_client, lead, director_service):
    build(2, lead=lead, director_service=director_service)
    response = viewer_client.get(reverse("programmes:plan"))
    page = response.content.decode()
    assert "Objectif 0" in page and "Objectif 1" in page
    # Progress weighted by budget: (1000 × 0 % + 2000 × 10 %) / 3000 = 6.67 → 7 %.
    rollup = response.context["rollup"]
    assert (rollup.progress_rule, rollup.progress) == ("budget", 7)
    assert [o.rollup.progress for o in response.context["objectives"]] == [7, 7]
    assert page.count('<details class="small text-body-secondary mt-1">') == 1  # the rule, stated once
    assert "#objective-" in page and "8\xa0%" not in page


@pytest.mark.django_db
def test_the_lead_edits_the_plan_objectives_and_targets_and_stale_edits_are_refused(lead_client, lead):
    assert (
        lead_client.post(
            reverse("programmes:plan_edit"),
            {"title": "Plan", "period_start": "2024-01-01", "period_end": "2023-01-01"},
        ).status_code
        == 200
    )  # the period ends before it starts: re-rendered, nothing saved
    assert not SmartCityPlan.objects.exists()
    lead_client.post(
        reverse("programmes:plan_edit"), {"title": "Plan", "period_start": "2024-01-01", "period_end": "2030-12-31"}
    )
    plan = SmartCityPlan.objects.get()
    project = factories.ProjectFactory()
    response = lead_client.post(
        reverse("programmes:objective_create"), {"code": "O1", "title": "Décarboner", "projects": [project.pk]}
    )
    assert response.status_code == 302
    objective = plan.objectives.get()
    assert list(objective.projects.all()) == [project]
    assert (
        lead_client.post(reverse("programmes:objective_create"), {"code": "O1", "title": "Doublon"}).status_code == 200
    )
    opened = objective.updated_at.isoformat()
    url = reverse("programmes:objective_update", args=[objective.pk])
    assert lead_client.post(url, {"code": "O1", "title": "Premier", "position": 0, "token": opened}).status_code == 302
    stale = lead_client.post(url, {"code": "O1", "title": "Second", "position": 0, "token": opened})
    assert stale.status_code == 409
    assert Objective.objects.get().title == "Premier"
    target = {"label": "Part modale", "unit": "%", "baseline": "18", "target_value": "25", "target_date": "2030-12-31"}
    lead_client.post(reverse("programmes:target_create", args=[objective.pk]), target)
    assert objective.targets.get().target_value == 25
