"""Roll-ups: what a set of projects adds up to, for a programme, a domain,
an objective or the whole plan. The arithmetic lives here only; every page
that shows a roll-up calls this module.

The rules (stated on the pages, ``templates/programmes/partials/rollup.html``):

* **budgets** (planned, committed, spent) add up over the projects that are
  not archived, abandoned and closed ones included: money spent stays spent;
* **progress** is the mean of the projects' progress weighted by their
  planned budget, over the projects neither archived nor abandoned (a closed
  project counts at its last progress). A project with no planned budget (0)
  weighs nothing in that figure and is counted apart (``n_unbudgeted``);
  when no project of the set has a planned budget, the plain mean is shown
  instead and the page says so (``progress_rule``);
* **health** and **reporting freshness** count the active projects only
  (``rules.active_q``, ``rules.fresh_q``/``due_q``/``new_q``/``stale_q``);
* **milestones**: not reached, on active projects, late (due before today)
  or due within the next 30 days (today included).

Each roll-up costs two aggregate queries (projects, milestones) however
many projects and groups there are: the figures are summed in SQL, grouped
by the programme, domain or objective.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from . import taxonomy
from .cycles import CycleWindow
from .models import Milestone, Objective, Phase, Project, SmartCityPlan
from .rules import active_q, due_q, fresh_q, new_q, stale_q

DUE_SOON_DAYS = 30
ZERO = Decimal(0)


class ProgressRule:
    BUDGET = "budget"  # weighted by planned budget
    MEAN = "mean"  # no project has a planned budget: the plain mean
    NONE = "none"  # no project to measure


@dataclass
class Rollup:
    n_projects: int = 0
    n_active: int = 0
    budget_planned: Decimal = ZERO
    budget_committed: Decimal = ZERO
    budget_spent: Decimal = ZERO
    n_measured: int = 0  # projects in the progress figure (neither archived nor abandoned)
    progress_sum: int = 0
    weighted_sum: Decimal = ZERO
    weight: Decimal = ZERO
    n_unbudgeted: int = 0
    health: dict[str, int] = field(default_factory=dict)
    fresh: int = 0
    due: int = 0
    new: int = 0
    stale: int = 0
    milestones_late: int = 0
    milestones_soon: int = 0

    @property
    def progress_rule(self) -> str:
        if self.weight > 0:
            return ProgressRule.BUDGET
        if self.n_measured:
            return ProgressRule.MEAN
        return ProgressRule.NONE

    @property
    def progress(self) -> int | None:
        """The progress shown, in whole per cent (half up), or None."""
        rule = self.progress_rule
        if rule == ProgressRule.BUDGET:
            value = self.weighted_sum / self.weight
        elif rule == ProgressRule.MEAN:
            value = Decimal(self.progress_sum) / self.n_measured
        else:
            return None
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def plain_mean(self) -> int | None:
        if not self.n_measured:
            return None
        return int((Decimal(self.progress_sum) / self.n_measured).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def committed_ratio(self) -> int | None:
        return _ratio(self.budget_committed, self.budget_planned)

    @property
    def spent_ratio(self) -> int | None:
        return _ratio(self.budget_spent, self.budget_planned)

    @property
    def health_rows(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.health.get(value, 0)) for value, label in taxonomy.health_shown(self.health)]

    @property
    def n_reportable(self) -> int:
        return self.fresh + self.due + self.new + self.stale


def _ratio(part: Decimal, whole: Decimal) -> int | None:
    if not whole:
        return None
    return int((100 * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _project_aggregates(p: str, window: CycleWindow) -> dict[str, Any]:
    """The aggregate expressions over projects reached through ``p``
    ("" on Project, "project__" from a table that points to projects)."""
    kept = Q(**{f"{p}is_archived": False})
    measured = kept & ~Q(**{f"{p}phase": Phase.ABANDONED})
    budgeted = measured & Q(**{f"{p}budget_planned__gt": 0})
    active = active_q(p)
    pk = f"{p}pk"
    money = DecimalField(max_digits=20, decimal_places=2)
    aggregates: dict[str, Any] = {
        "n_projects": Count(pk, filter=kept),
        "n_active": Count(pk, filter=active),
        "budget_planned": Sum(f"{p}budget_planned", filter=kept, default=ZERO),
        "budget_committed": Sum(f"{p}budget_committed", filter=kept, default=ZERO),
        "budget_spent": Sum(f"{p}budget_spent", filter=kept, default=ZERO),
        "n_measured": Count(pk, filter=measured),
        "progress_sum": Sum(f"{p}progress", filter=measured, default=0),
        "weighted_sum": Sum(
            ExpressionWrapper(F(f"{p}progress") * F(f"{p}budget_planned"), output_field=money),
            filter=budgeted,
            default=ZERO,
        ),
        "weight": Sum(f"{p}budget_planned", filter=budgeted, default=ZERO),
        "n_unbudgeted": Count(pk, filter=measured & Q(**{f"{p}budget_planned": 0})),
        "fresh": Count(pk, filter=fresh_q(window, prefix=p)),
        "due": Count(pk, filter=due_q(window, prefix=p)),
        "new": Count(pk, filter=new_q(window, prefix=p)),
        "stale": Count(pk, filter=stale_q(window, prefix=p)),
    }
    for value, _label in taxonomy.health_choices():
        aggregates[f"health_{value}"] = Count(pk, filter=active & Q(**{f"{p}health": value}))
    # Prefixed: an aggregate may not take the name of a field it sums.
    return {f"r_{name}": expression for name, expression in aggregates.items()}


def _milestone_aggregates(today: datetime.date) -> dict[str, Any]:
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return {
        "r_milestones_late": Count("pk", filter=Q(due_date__lt=today)),
        "r_milestones_soon": Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
    }


def _open_milestones() -> QuerySet[Milestone]:
    return Milestone.objects.filter(reached_on__isnull=True).filter(active_q("project__"))


def _fill(rollup: Rollup, row: dict[str, Any]) -> Rollup:
    for name, value in row.items():
        name = name.removeprefix("r_")
        if name.startswith("health_"):
            rollup.health[name.removeprefix("health_")] = value
        elif hasattr(rollup, name):
            setattr(rollup, name, value if value is not None else getattr(rollup, name))
    return rollup


# Grouped roll-ups: (rows to aggregate, prefix to the project, key of the
# group in those rows, key of the group from a milestone).
_GROUPS = {
    "programme": (lambda: Project.objects.all(), "", "programme_id", "project__programme_id"),
    "domain": (lambda: Project.domains.through.objects.all(), "project__", "domain_id", "project__domains"),
    "objective": (lambda: Objective.projects.through.objects.all(), "project__", "objective_id", "project__objectives"),
}


def rollups_by(
    group: str,
    *,
    keys: Iterable[int] | None = None,
    window: CycleWindow,
    today: datetime.date | None = None,
) -> dict[int, Rollup]:
    """A roll-up per programme, domain or objective (``group``), keyed by
    its id; ``keys`` limits the groups. Two queries. A group without any
    project is absent: use ``.get(pk, Rollup())``."""
    today = today or timezone.localdate()
    rows, p, key, milestone_key = _GROUPS[group]
    qs, milestones = rows(), _open_milestones()
    if keys is not None:
        keys = list(keys)
        qs = qs.filter(**{f"{key}__in": keys})
        milestones = milestones.filter(**{f"{milestone_key}__in": keys})
    result: dict[int, Rollup] = {}
    for row in qs.values(key).annotate(**_project_aggregates(p, window)).order_by():
        result[row.pop(key)] = _fill(Rollup(), row)
    for row in milestones.values(milestone_key).annotate(**_milestone_aggregates(today)).order_by():
        group_pk = row.pop(milestone_key)
        if group_pk in result:
            _fill(result[group_pk], row)
    return result


def rollup_of(projects: QuerySet[Project], *, window: CycleWindow, today: datetime.date | None = None) -> Rollup:
    """One roll-up over a set of projects, each counted once. Two queries."""
    today = today or timezone.localdate()
    rollup = _fill(
        Rollup(), Project.objects.filter(pk__in=projects.values("pk")).aggregate(**_project_aggregates("", window))
    )
    return _fill(
        rollup, _open_milestones().filter(project__in=projects.values("pk")).aggregate(**_milestone_aggregates(today))
    )


def plan_projects(plan: SmartCityPlan) -> QuerySet[Project]:
    """The projects serving any live objective of ``plan``, each once."""
    links = Objective.projects.through.objects.filter(objective__plan=plan, objective__is_archived=False)
    return Project.objects.filter(pk__in=links.values("project_id"))


def rollup_of_plan(plan: SmartCityPlan, *, window: CycleWindow, today: datetime.date | None = None) -> Rollup:
    return rollup_of(plan_projects(plan), window=window, today=today)


# Targets: how far from baseline to target ---------------------------------


@dataclass(frozen=True)
class TargetGap:
    """Where a target stands. ``current`` is the latest measure, or the
    baseline when none was taken (``measured`` says which); ``gap`` is what
    remains to reach the target (0 once reached), in the target's unit;
    ``share`` the part of the way from baseline to target already done, in
    whole per cent (None when baseline and target are equal)."""

    current: Decimal
    measured: bool
    gap: Decimal
    share: int | None
    reached: bool

    @property
    def bar(self) -> int:
        """``share`` held within 0–100, for a progress bar."""
        return max(0, min(100, self.share or 0))


def target_gap(target) -> TargetGap:
    """For a target that goes up (target above baseline) or down (below)."""
    measured = target.current_value is not None
    current = target.current_value if measured else target.baseline
    rising = target.target_value >= target.baseline
    reached = current >= target.target_value if rising else current <= target.target_value
    gap = ZERO if reached else abs(target.target_value - current)
    span = target.target_value - target.baseline
    share = None
    if span:
        share = int((100 * (current - target.baseline) / span).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return TargetGap(current=current, measured=measured, gap=gap, share=share, reached=reached)
