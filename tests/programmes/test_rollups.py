"""Roll-up arithmetic (programmes/rollups.py) with known inputs and known
totals: budgets, the budget-weighted progress and its zero-budget rule,
health, reporting freshness, milestones; grouped by programme, domain and
objective, and once over the whole plan."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from programmes import rollups
from programmes.cycles import current_window
from programmes.models import Objective, SmartCityPlan
from programmes.rules import freshness_of
from tests import factories

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(scope="module")
def portfolio(django_db_setup, django_db_blocker):
    """Six projects of one programme, in two domains, serving one objective."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        programme = factories.ProgrammeFactory()
        d1, d2 = factories.DomainFactory(), factories.DomainFactory()
        now = timezone.now()

        def project(**kw):
            return factories.ProjectFactory(programme=programme, domains=[d1], **kw)

        p = {
            "a": project(
                budget_planned=100_000,
                budget_committed=50_000,
                budget_spent=20_000,
                progress=50,
                health="on_track",
                phase="pilot",
                last_reported_at=now,
            ),
            "b": project(budget_planned=300_000, progress=10, health="at_risk", phase="study"),
            "c": project(budget_planned=0, progress=90, health="off_track", phase="deployment"),
            "d": project(budget_planned=50_000, budget_spent=10_000, progress=30, phase="abandoned"),
            "e": project(budget_planned=999_999, progress=99, is_archived=True),
            "f": project(
                budget_planned=100_000, budget_committed=100_000, budget_spent=100_000, progress=100, phase="closed"
            ),
        }
        p["b"].domains.add(d2)  # counts in both domains
        late = TODAY - datetime.timedelta(days=1)
        factories.MilestoneFactory(project=p["a"], due_date=late)  # late
        factories.MilestoneFactory(project=p["a"], due_date=TODAY)  # due soon (today)
        factories.MilestoneFactory(project=p["b"], due_date=TODAY + datetime.timedelta(days=30))  # due soon
        factories.MilestoneFactory(project=p["b"], due_date=TODAY + datetime.timedelta(days=31))  # later
        factories.MilestoneFactory(project=p["b"], due_date=late, reached_on=late)  # reached
        factories.MilestoneFactory(project=p["d"], due_date=late)  # abandoned project: not counted
        plan = SmartCityPlan.objects.create(
            title="Plan", period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2030, 12, 31)
        )
        o1 = Objective.objects.create(plan=plan, code="O1", title="Un")
        o2 = Objective.objects.create(plan=plan, code="O2", title="Deux")
        o1.projects.set(list(p.values()))
        o2.projects.set([p["a"], p["c"]])
        yield SimpleNamespace(programme=programme, d1=d1, d2=d2, p=p, plan=plan, o1=o1, o2=o2)
        transaction.set_rollback(True)


def _check_full_set(r: rollups.Rollup) -> None:
    # Budgets: all but the archived project, the abandoned one included.
    assert r.n_projects == 5
    assert r.budget_planned == Decimal(550_000)
    assert r.budget_committed == Decimal(150_000)
    assert r.budget_spent == Decimal(130_000)
    assert r.committed_ratio == 27  # 150/550 = 27.3
    assert r.spent_ratio == 24  # 130/550 = 23.6
    # Progress weighted by planned budget over a, b, f (c has no budget,
    # d is abandoned, e archived): (50×100k + 10×300k + 100×100k) / 500k = 36.
    assert r.progress_rule == rollups.ProgressRule.BUDGET
    assert r.progress == 36
    assert r.n_unbudgeted == 1
    assert r.plain_mean == 63  # (50 + 10 + 90 + 100) / 4 = 62.5, half up
    # Health of the active projects only (a, b, c).
    assert r.n_active == 3
    assert r.health == {"unknown": 0, "on_track": 1, "at_risk": 1, "off_track": 1}
    assert r.milestones_late == 1
    assert r.milestones_soon == 2


@pytest.mark.django_db
def test_a_programme_rolls_up_its_projects(portfolio):
    window = current_window()
    result = rollups.rollups_by("programme", keys=[portfolio.programme.pk], window=window, today=TODAY)
    _check_full_set(result[portfolio.programme.pk])


@pytest.mark.django_db
def test_an_objective_and_a_domain_roll_up_the_same_projects(portfolio):
    window = current_window()
    by_objective = rollups.rollups_by("objective", keys=[portfolio.o1.pk, portfolio.o2.pk], window=window, today=TODAY)
    _check_full_set(by_objective[portfolio.o1.pk])
    _check_full_set(rollups.rollups_by("domain", keys=[portfolio.d1.pk], window=window, today=TODAY)[portfolio.d1.pk])
    o2 = by_objective[portfolio.o2.pk]
    # a (100k, 50 %) and c (no budget): the weighted figure is a's alone.
    assert (o2.n_projects, o2.budget_planned, o2.progress, o2.n_unbudgeted, o2.plain_mean) == (2, 100_000, 50, 1, 70)
    d2 = rollups.rollups_by("domain", keys=[portfolio.d2.pk], window=window, today=TODAY)[portfolio.d2.pk]
    assert (d2.n_projects, d2.budget_planned, d2.progress, d2.milestones_soon) == (1, 300_000, 10, 1)


@pytest.mark.django_db
def test_the_plan_counts_a_project_serving_two_objectives_once(portfolio):
    _check_full_set(rollups.rollup_of_plan(portfolio.plan, window=current_window(), today=TODAY))


@pytest.mark.django_db
def test_without_any_planned_budget_progress_is_the_plain_mean(portfolio):
    projects = [factories.ProjectFactory(budget_planned=0, progress=v) for v in (20, 45)]
    r = rollups.rollup_of(
        type(projects[0]).objects.filter(pk__in=[p.pk for p in projects]), window=current_window(), today=TODAY
    )
    assert r.progress_rule == rollups.ProgressRule.MEAN
    assert r.progress == 33  # 32.5, half up
    assert r.n_unbudgeted == 2


def test_an_empty_rollup_says_there_is_nothing_to_measure():
    r = rollups.Rollup()
    assert r.progress_rule == rollups.ProgressRule.NONE
    assert r.progress is None and r.committed_ratio is None


@pytest.mark.django_db
def test_freshness_counts_agree_with_the_badges(portfolio):
    window = current_window()
    r = rollups.rollups_by("programme", keys=[portfolio.programme.pk], window=window)[portfolio.programme.pk]
    states = [freshness_of(p, window).state for p in portfolio.programme.projects.filter(is_archived=False)]
    assert (r.fresh, r.due, r.new, r.stale) == tuple(states.count(s) for s in ("fresh", "due", "new", "stale"))
    assert r.fresh == 1 and r.n_reportable == r.n_active


@pytest.mark.parametrize(
    ("baseline", "target", "current", "gap", "share", "reached"),
    [
        ("18", "25", "21", "4", 43, False),  # rising: 3 of 7
        ("210", "160", "195", "35", 30, False),  # falling: 15 of 50
        ("210", "160", "150", "0", 120, True),  # beyond the target
        ("45", "200", None, "155", 0, False),  # not measured: from the baseline
        ("5", "5", "5", "0", None, True),  # nothing to move
    ],
)
def test_a_targets_gap(baseline, target, current, gap, share, reached):
    t = SimpleNamespace(
        baseline=Decimal(baseline),
        target_value=Decimal(target),
        current_value=Decimal(current) if current else None,
    )
    result = rollups.target_gap(t)
    assert (result.gap, result.share, result.reached) == (Decimal(gap), share, reached)
    assert 0 <= result.bar <= 100


@pytest.mark.django_db
def test_a_negative_committed_budget_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    from programmes.models import Project

    project = factories.ProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(budget_committed=-1)
