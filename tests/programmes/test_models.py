import datetime

import pytest
from django.db import IntegrityError, transaction

from partners.models import Domain
from programmes.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_seven_domains_are_seeded_by_migration():
    assert set(Domain.objects.values_list("slug", flat=True)) >= {
        "mobilite",
        "habitat",
        "energie",
        "environnement",
        "gouvernance",
        "education",
        "culture",
    }


def test_end_date_before_start_date_is_refused_by_the_database():
    project = factories.ProjectFactory(start_date=datetime.date(2026, 5, 1))
    project.end_date = datetime.date(2026, 4, 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        project.save()


def test_progress_above_100_is_refused_by_the_database():
    project = factories.ProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(progress=101)


def test_negative_budget_is_refused_by_the_database():
    project = factories.ProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(budget_spent=-1)


def test_project_changes_are_kept_in_history():
    project = factories.ProjectFactory(name="Avant")
    project.name = "Après"
    project.save()
    assert [h.name for h in project.history.order_by("history_date")] == ["Avant", "Après"]


def test_active_excludes_closed_and_archived_projects():
    kept = factories.ProjectFactory(phase="pilot")
    factories.ProjectFactory(phase="closed")
    factories.ProjectFactory(phase="pilot", is_archived=True)
    assert list(Project.objects.active()) == [kept]
