"""Milestones (issue 13): the late rule, who may edit them (the lead on any
project, the director of the lead service on their own, from the project
page and from the report page), stale edits refused, bad input shown."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes import rules, services
from programmes.models import Milestone
from smartcity.base.concurrency import StaleEditError
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)


def test_late_rule_in_python_and_sql_agree():
    project = factories.ProjectFactory()
    cases = {
        "planned, due yesterday": ({"due_date": TODAY - DAY}, True),
        "planned, due today": ({"due_date": TODAY}, False),
        "planned, due tomorrow": ({"due_date": TODAY + DAY}, False),
        "done after its date": ({"due_date": TODAY - 9 * DAY, "reached_on": TODAY - DAY}, False),
        "cancelled": ({"due_date": TODAY - 9 * DAY, "status": "cancelled"}, False),
    }
    made = {name: factories.MilestoneFactory(project=project, title=name, **kw) for name, (kw, _) in cases.items()}
    late_in_sql = set(Milestone.objects.filter(rules.late_q(TODAY)).values_list("title", flat=True))
    for name, (_, late) in cases.items():
        assert rules.is_late(made[name], TODAY) is late, name
        assert (name in late_in_sql) is late, name
    # Through a join, as the roll-ups count them per project.
    assert project.__class__.objects.filter(rules.late_q(TODAY, prefix="milestones__")).count() == 1


@pytest.fixture
def milestones(director_service, other_service):
    own = factories.ProjectFactory(lead_service=director_service)
    other = factories.ProjectFactory(lead_service=other_service)
    return {
        "own": factories.MilestoneFactory(project=own, title="Pose des capteurs"),
        "other": factories.MilestoneFactory(project=other, title="Ouverture"),
    }


def _edit_data(milestone, **changes):
    data = {
        "title": milestone.title,
        "due_date": milestone.due_date.isoformat(),
        "status": milestone.status,
        "reached_on": "",
        "token": str(milestone.version),
    }
    return {**data, **changes}


def _state(milestone):
    milestone.refresh_from_db()
    return (milestone.title, milestone.due_date, milestone.status, milestone.reached_on, milestone.version)


def test_the_director_marks_their_own_milestone_done_from_the_report_page(director_client, milestones):
    own = milestones["own"]
    page = director_client.get(reverse("programmes:project_report", args=[own.project_id]))
    form_action = reverse("programmes:milestone_update", args=[own.pk]) + "?next=report"
    assert form_action in page.content.decode()
    response = director_client.post(form_action, _edit_data(own, status="done"))
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:project_report", args=[own.project_id]) + "#milestones"
    own.refresh_from_db()
    assert own.status == "done" and own.reached_on == timezone.localdate()
    assert own.history.first().history_user.username == "director-user"


def test_the_director_moves_a_date_and_the_lead_edits_any_project(director_client, lead_client, milestones):
    own, other = milestones["own"], milestones["other"]
    moved = own.due_date + datetime.timedelta(days=30)
    url = reverse("programmes:milestone_update", args=[own.pk])
    assert director_client.post(url, _edit_data(own, due_date=moved.isoformat())).status_code == 302
    own.refresh_from_db()
    assert own.due_date == moved
    url = reverse("programmes:milestone_update", args=[other.pk])
    assert lead_client.post(url, _edit_data(other, title="Ouverture au public")).status_code == 302
    other.refresh_from_db()
    assert other.title == "Ouverture au public"
    create = reverse("programmes:milestone_create", args=[other.project_id])
    response = lead_client.post(create, {"title": "Bilan", "due_date": "2030-01-31", "status": "planned"})
    assert response.status_code == 302
    assert other.project.milestones.filter(title="Bilan").exists()


def test_a_director_on_another_service_project_is_refused_and_nothing_changes(director_client, director, milestones):
    other = milestones["other"]
    before = _state(other)
    update = reverse("programmes:milestone_update", args=[other.pk])
    assert director_client.get(update).status_code == 403
    assert director_client.post(update, _edit_data(other, status="done")).status_code == 403
    create = reverse("programmes:milestone_create", args=[other.project_id])
    assert (
        director_client.post(create, {"title": "X", "due_date": "2030-01-01", "status": "planned"}).status_code == 403
    )
    assert _state(other) == before
    assert other.project.milestones.count() == 1
    # The service refuses too, whatever calls it.
    with pytest.raises(PermissionDenied):
        services.milestone_update(milestone=other, by=director, token="1", data={"status": "cancelled"})
    assert _state(other) == before


def test_no_edit_link_for_those_who_may_not_edit(director_client, viewer_client, milestones):
    other = milestones["other"]
    page = director_client.get(reverse("programmes:project_detail", args=[other.project_id])).content.decode()
    assert "Ouverture" in page
    assert reverse("programmes:milestone_update", args=[other.pk]) not in page
    own = milestones["own"]
    page = director_client.get(reverse("programmes:project_detail", args=[own.project_id])).content.decode()
    assert reverse("programmes:milestone_update", args=[own.pk]) in page
    page = viewer_client.get(reverse("programmes:project_detail", args=[own.project_id])).content.decode()
    assert reverse("programmes:milestone_update", args=[own.pk]) not in page


def test_a_stale_edit_is_refused_and_shows_what_changed(lead_client, director_client, milestones):
    own = milestones["own"]
    opened = _edit_data(own)  # both open the form at the same version
    url = reverse("programmes:milestone_update", args=[own.pk])
    assert director_client.post(url, {**opened, "status": "done"}).status_code == 302
    after_first = _state(own)
    response = lead_client.post(url, {**opened, "due_date": "2031-03-01"})
    assert response.status_code == 409
    assert _state(own) == after_first
    assert {change.field for change in response.context["changes"]} == {"status", "reached_on"}
    with pytest.raises(StaleEditError):
        services.milestone_update(
            milestone=own, by=milestones["own"].project.lead_service.director, token="1", data={"status": "planned"}
        )


def test_bad_input_re_renders_with_errors_and_changes_nothing(lead_client, milestones):
    own = milestones["own"]
    before = _state(own)
    url = reverse("programmes:milestone_update", args=[own.pk])
    response = lead_client.post(url, _edit_data(own, reached_on="2026-01-01"))  # a done date, still planned
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert response.context["form"].errors["reached_on"]
    response = lead_client.post(url, _edit_data(own, due_date="31/02/2026", title=""))
    assert set(response.context["form"].errors) >= {"due_date", "title"}
    assert _state(own) == before


def test_late_milestones_are_flagged_on_the_project_page(viewer_client):
    project = factories.ProjectFactory(budget_planned=9000, budget_committed=7000, budget_spent=3000)
    today = timezone.localdate()
    factories.MilestoneFactory(project=project, title="En retard", due_date=today - DAY)
    factories.MilestoneFactory(project=project, title="Fait", due_date=today - DAY, reached_on=today - DAY)
    page = viewer_client.get(reverse("programmes:project_detail", args=[project.pk])).content.decode()
    assert page.count("milestone-late") == 1
    # The three budgets, planned / committed / spent.
    assert "9 000 € / 7 000 € / 3 000 €" in page.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("page", ["milestone_update", "project_report", "service_report", "project_detail"])
def test_pages_with_milestones_cost_the_same_queries_with_more_of_them(
    director_client, milestones, django_assert_num_queries, page
):
    own = milestones["own"]
    url = {
        "milestone_update": reverse("programmes:milestone_update", args=[own.pk]),
        "project_report": reverse("programmes:project_report", args=[own.project_id]),
        "service_report": reverse("programmes:service_report"),
        "project_detail": reverse("programmes:project_detail", args=[own.project_id]),
    }[page]
    with CaptureQueriesContext(connection) as small:
        director_client.get(url)
    for i in range(6):
        factories.MilestoneFactory(project=own.project, due_date=timezone.localdate() - datetime.timedelta(days=i + 1))
        factories.MilestoneFactory(project=factories.ProjectFactory(lead_service=own.project.lead_service))
    with django_assert_num_queries(len(small)):
        director_client.get(url)
