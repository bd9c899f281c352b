"""Status reporting: cycles, freshness, who may report, and the reads behind
the reporting pages (issue 4). Writes live in ``reporting_services.py``.

Freshness of a project's health, against the open cycle ``[start, end)`` of
length L months:

* **fresh**: reported since the cycle started (``last_reported_at >= start``);
* **due**: last reported in the cycle before (``start - L <= last < start``);
* **stale**: reported earlier than that, or never;
* **closed**: closed, abandoned or archived projects are never due.

It is computed from the project's own fields and one cycle window fetched
once per request (context processor ``programmes.context_processors.reporting``),
so a list costs no query per row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.roles import Role, role_of

from .models import CLOSED_PHASES, Health, Project, ReminderLog, ReportingCycle, StatusReport

# --- Cycle windows ----------------------------------------------------------


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` plus whole calendar months, in local time (31 Jan + 1 = 28/29 Feb)."""
    local = timezone.localtime(moment)
    shifted = local.replace(tzinfo=None) + relativedelta(months=months)
    return timezone.make_aware(shifted, timezone.get_current_timezone())


def month_start(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.datetime(local.year, local.month, 1), timezone.get_current_timezone())


def last_day_before(moment: datetime.datetime) -> datetime.date:
    return (timezone.localtime(moment) - datetime.timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class CycleWindow:
    """The reporting window in force. ``cycle`` is None when no cycle has
    been opened yet (the default calendar month is used) or when the open
    cycle's end has passed and the beat task has not rolled it over yet."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    length_months: int
    remind_days_before_end: int = 7
    cycle: ReportingCycle | None = field(default=None, compare=False)

    @property
    def last_day(self) -> datetime.date:
        """The window's last calendar day (``ends_at`` is exclusive)."""
        return last_day_before(self.ends_at)

    @property
    def length_label(self) -> str:
        try:
            return str(ReportingCycle.Length(self.length_months).label)
        except ValueError:
            return str(self.length_months)

    @property
    def previous_starts_at(self) -> datetime.datetime:
        return add_months(self.starts_at, -self.length_months)

    @property
    def remind_from(self) -> datetime.datetime:
        return self.ends_at - datetime.timedelta(days=self.remind_days_before_end)


def window_for(cycle: ReportingCycle | None, now: datetime.datetime | None = None) -> CycleWindow:
    """The window in force at ``now`` given the open cycle (or none)."""
    now = now or timezone.now()
    if cycle is None:
        start = month_start(now)
        return CycleWindow(start, add_months(start, 1), ReportingCycle.Length.MONTHLY)
    if now < cycle.ends_at:
        return CycleWindow(
            cycle.starts_at, cycle.ends_at, cycle.length_months, cycle.remind_days_before_end, cycle=cycle
        )
    # The planned end has passed: roll forward in whole lengths, as the beat
    # task will, so that freshness never depends on the beat being on time.
    start, end = cycle.starts_at, cycle.ends_at
    while end <= now:
        start, end = end, add_months(end, cycle.length_months)
    return CycleWindow(start, end, cycle.length_months, cycle.remind_days_before_end)


def open_cycle() -> ReportingCycle | None:
    return ReportingCycle.objects.filter(closed_at__isnull=True).order_by("-starts_at").first()


def current_window(now: datetime.datetime | None = None) -> CycleWindow:
    """One query: the window in force now."""
    return window_for(open_cycle(), now)


def request_window(request: HttpRequest) -> CycleWindow:
    """The window in force, fetched once per request and shared by the view,
    its selectors and the templates (context processor)."""
    if not hasattr(request, "_reporting_window"):
        request._reporting_window = current_window()
    return request._reporting_window


# --- Freshness -----------------------------------------------------------------


class Freshness:
    FRESH = "fresh"
    DUE = "due"
    STALE = "stale"
    CLOSED = "closed"

    LABELS = {
        FRESH: _("Up to date"),
        DUE: _("Report due"),
        STALE: _("Stale"),
        CLOSED: _("Closed"),
    }


@dataclass(frozen=True)
class FreshnessInfo:
    state: str
    last_reported_at: datetime.datetime | None
    due_by: datetime.date | None

    @property
    def label(self) -> str:
        return str(Freshness.LABELS[self.state])

    @property
    def is_fresh(self) -> bool:
        return self.state == Freshness.FRESH

    @property
    def is_due(self) -> bool:
        return self.state in (Freshness.DUE, Freshness.STALE)

    @property
    def is_stale(self) -> bool:
        return self.state == Freshness.STALE


def is_reportable(project: Project) -> bool:
    """Closed, abandoned and archived projects take no more reports."""
    return not project.is_archived and project.phase not in CLOSED_PHASES


def freshness_of(project: Project, window: CycleWindow) -> FreshnessInfo:
    """Reads only the project's own fields: no query."""
    last = project.last_reported_at
    if not is_reportable(project):
        return FreshnessInfo(Freshness.CLOSED, last, None)
    if last is not None and last >= window.starts_at:
        return FreshnessInfo(Freshness.FRESH, last, None)
    if last is not None and last >= window.previous_starts_at:
        return FreshnessInfo(Freshness.DUE, last, window.last_day)
    return FreshnessInfo(Freshness.STALE, last, window.last_day)


def stale_q(window: CycleWindow, *, prefix: str = "") -> Q:
    """``Freshness.STALE`` as a Q on Project, the SQL twin of ``freshness_of``:
    a reportable project (neither archived nor closed) never reported, or not
    since the previous cycle started. ``prefix`` reaches the project through
    a join, e.g. "projects__". The portfolio filter, the officials' dashboard,
    the agenda proposals and the meeting pack use it; the badges (lists, map,
    pages) use ``freshness_of``."""
    reportable = Q(**{f"{prefix}is_archived": False}) & ~Q(**{f"{prefix}phase__in": CLOSED_PHASES})
    unreported = Q(**{f"{prefix}last_reported_at__isnull": True}) | Q(
        **{f"{prefix}last_reported_at__lt": window.previous_starts_at}
    )
    return reportable & unreported


# --- Who may report --------------------------------------------------------


def can_report(user: AbstractBaseUser | AnonymousUser, project: Project) -> bool:
    """A director reports on the projects their service leads; the lead on
    any project. Closed or archived projects take no report. Costs no query
    when ``project.lead_service`` is loaded (the role is cached per user)."""
    if not user.is_authenticated or not is_reportable(project):
        return False
    role = role_of(user)
    if role == Role.LEAD:
        return True
    return role == Role.DIRECTOR and project.lead_service.director_id == user.pk


def reportable_projects(*, user: AbstractBaseUser) -> QuerySet[Project]:
    """The projects a director files in the "My service" report: active
    projects led by a service they direct (a person may direct several)."""
    return (
        Project.objects.active()
        .filter(lead_service__director=user, lead_service__is_archived=False)
        .select_related("lead_service")
        .annotate(latest_report_id=latest_report_id_subquery())
        .order_by("lead_service__name", "code")
    )


def _latest_report(project_ref) -> QuerySet[StatusReport]:
    return StatusReport.objects.filter(project=project_ref).order_by("-created_at", "-pk")


def latest_report_id_subquery() -> Subquery:
    """Annotate projects with the id of their latest report (or None)."""
    return Subquery(_latest_report(OuterRef("pk")).values("pk")[:1])


def latest_reports(*, projects: list[Project]) -> dict[int, StatusReport]:
    """The latest report of each project, keyed by project id, in one query.
    Projects must come from a queryset annotated with ``latest_report_id``."""
    ids = [p.latest_report_id for p in projects if getattr(p, "latest_report_id", None)]
    reports = StatusReport.objects.select_related("author").in_bulk(ids)
    return {r.project_id: r for r in reports.values()}


def latest_report_of(project: Project) -> StatusReport | None:
    return _latest_report(project.pk).select_related("author").first()


# --- The lead's digest and reporting rates ------------------------------


@dataclass
class ServiceDigest:
    service: object
    director: object
    reported: list[Project] = field(default_factory=list)
    missing: list[Project] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.reported) + len(self.missing)


@dataclass
class HealthChange:
    project: Project
    before: str
    after: str

    @property
    def before_label(self) -> str:
        return str(Health(self.before).label)

    @property
    def after_label(self) -> str:
        return str(Health(self.after).label)


def cycle_digest(*, starts_at: datetime.datetime, ends_at: datetime.datetime) -> dict:
    """Who reported in ``[starts_at, ends_at)``, who did not, and which
    projects changed health since the cycle started. One query."""
    in_window = StatusReport.objects.filter(project=OuterRef("pk"), created_at__gte=starts_at, created_at__lt=ends_at)
    projects = (
        Project.objects.active()
        .select_related("lead_service", "lead_service__director")
        .annotate(
            reported_in_cycle=Exists(in_window),
            health_before=Subquery(
                _latest_report(OuterRef("pk")).filter(created_at__lt=starts_at).values("health")[:1]
            ),
            health_after=Subquery(_latest_report(OuterRef("pk")).filter(created_at__lt=ends_at).values("health")[:1]),
        )
        .order_by("lead_service__name", "code")
    )
    by_service: dict[int, ServiceDigest] = {}
    changes: list[HealthChange] = []
    for project in projects:
        service = project.lead_service
        entry = by_service.setdefault(service.pk, ServiceDigest(service=service, director=service.director))
        (entry.reported if project.reported_in_cycle else entry.missing).append(project)
        before = project.health_before or Health.UNKNOWN
        after = project.health_after or Health.UNKNOWN
        if after != before and project.reported_in_cycle:
            changes.append(HealthChange(project=project, before=before, after=after))
    services = list(by_service.values())
    return {
        "services": services,
        "reported_services": [s for s in services if not s.missing],
        "missing_services": [s for s in services if s.missing],
        "changes": changes,
        "n_projects": sum(s.total for s in services),
        "n_reported": sum(len(s.reported) for s in services),
    }


@dataclass
class ServiceRate:
    service: object
    cells: list[tuple[int, int]]  # (reported, total) per cycle, oldest first

    @property
    def rates(self) -> list[int | None]:
        return [round(100 * r / t) if t else None for r, t in self.cells]


def recent_cycles(*, limit: int = 6) -> list[ReportingCycle]:
    return list(ReportingCycle.objects.select_related("closed_by").order_by("-starts_at")[:limit])


def reporting_rates(*, cycles: list[ReportingCycle]) -> list[ServiceRate]:
    """Per service, the share of its active led projects reported in each of
    ``cycles`` (newest first in, oldest first out). Two queries.

    Measured against today's active projects: a project closed since counts
    for no cycle, one created since counts for every one (an approximation
    the lead reads as a trend, not an audit)."""
    if not cycles:
        return []
    ordered = sorted(cycles, key=lambda c: c.starts_at)
    projects = list(Project.objects.active().select_related("lead_service").order_by("lead_service__name"))
    reported: dict[int, set[int]] = defaultdict(set)
    rows = StatusReport.objects.filter(
        created_at__gte=ordered[0].starts_at, project__in=[p.pk for p in projects]
    ).values_list("project_id", "created_at")
    for project_id, created_at in rows:
        for index, cycle in enumerate(ordered):
            if cycle.starts_at <= created_at < cycle.effective_end:
                reported[index].add(project_id)
    per_service: dict[int, tuple[object, list[int]]] = {}
    for project in projects:
        per_service.setdefault(project.lead_service_id, (project.lead_service, []))[1].append(project.pk)
    result = []
    for service, ids in per_service.values():
        cells = [(len(reported[i] & set(ids)), len(ids)) for i in range(len(ordered))]
        result.append(ServiceRate(service=service, cells=cells))
    return result


def unconfirmed_emails(*, older_than: datetime.timedelta = datetime.timedelta(hours=1)) -> QuerySet[ReminderLog]:
    """Claimed but never confirmed: the worker may have died before sending."""
    return ReminderLog.objects.filter(
        status=ReminderLog.Status.CLAIMED, claimed_at__lt=timezone.now() - older_than
    ).select_related("recipient", "cycle")
