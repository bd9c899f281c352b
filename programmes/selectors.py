"""Reads for the portfolio and reporting pages. Each returns a queryset (or
plain data) with its joins in place, so that a page costs the same number of
queries whatever the data size."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Domain, ElectedOfficial, Partner, Service

from .cycles import CycleWindow
from .models import Health, Phase, Programme, Project, ProjectPartner, ReminderLog, ReportingCycle, StatusReport
from .rules import active_q


def project_list(*, include_archived: bool = False) -> QuerySet[Project]:
    qs = Project.objects.select_related("programme", "lead_service", "sponsor").prefetch_related("domains")
    if not include_archived:
        qs = qs.filter(is_archived=False)
    return qs


def project_detail(*, pk: int) -> QuerySet[Project]:
    return (
        Project.objects.filter(pk=pk)
        .select_related("programme", "lead_service", "sponsor")
        .prefetch_related(
            "domains",
            "contributing_services",
            Prefetch("partner_links", queryset=_partner_links()),
            "milestones",
            Prefetch(
                "status_reports",
                queryset=StatusReport.objects.select_related("author").order_by("-created_at")[:12],
                to_attr="recent_reports",
            ),
        )
    )


def _partner_links():
    return ProjectPartner.objects.select_related("partner")


def portfolio_counts() -> dict:
    """Figures for the portfolio overview: by health and by domain."""
    active = Project.objects.active()
    by_health = dict(active.values_list("health").annotate(n=Count("pk")).order_by())
    health_rows = [(value, label, by_health.get(value, 0)) for value, label in Health.choices]
    domains = Domain.objects.filter(is_archived=False).annotate(
        n_active=Count("projects", filter=active_q("projects__"))
    )
    return {"total": sum(by_health.values()), "health_rows": health_rows, "domains": domains}


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.filter(is_archived=False).annotate(
        n_projects=Count("projects", filter=Q(projects__is_archived=False))
    )


def domain_list() -> QuerySet[Domain]:
    return Domain.objects.annotate(n_projects=Count("projects", filter=Q(projects__is_archived=False)))


def service_projects(*, services: QuerySet[Service] | list[Service]) -> dict[str, QuerySet[Project]]:
    """The projects some services lead and contribute to."""
    base = project_list()
    return {
        "led": base.filter(lead_service__in=services),
        "contributed": base.filter(contributing_services__in=services).exclude(lead_service__in=services).distinct(),
    }


def project_export_rows(projects: QuerySet[Project]) -> tuple[list[str], list[list]]:
    """Header and rows of the portfolio export (same filters as the page)."""
    header = [
        _("Code"),
        _("Project"),
        _("Programme"),
        _("Lead service"),
        _("Contributing services"),
        _("Domains"),
        _("Partners"),
        _("Sponsor official"),
        _("Phase"),
        _("Health"),
        _("Progress (%)"),
        _("Start date"),
        _("End date"),
        _("Planned budget (€)"),
        _("Spent budget (€)"),
        _("Last report"),
    ]
    # Read as values, five queries whatever the size: a thousand projects
    # with their links as model instances cost more than the file itself.
    rows_qs = projects.values_list(
        "pk",
        "code",
        "name",
        "programme__name",
        "lead_service__acronym",
        "sponsor__first_name",
        "sponsor__last_name",
        "phase",
        "health",
        "progress",
        "start_date",
        "end_date",
        "budget_planned",
        "budget_spent",
        "last_reported_at",
    )
    project_rows = list(rows_qs)
    ids = projects.values("pk")
    contributors: dict[int, list[str]] = defaultdict(list)
    for project_id, acronym in (
        Project.contributing_services.through.objects.filter(project__in=ids)
        .order_by("service__name", "pk")
        .values_list("project_id", "service__acronym")
    ):
        contributors[project_id].append(acronym)
    domains: dict[int, list[str]] = defaultdict(list)
    for project_id, name in (
        Project.domains.through.objects.filter(project__in=ids)
        .order_by("domain__position", "domain__name", "pk")
        .values_list("project_id", "domain__name")
    ):
        domains[project_id].append(name)
    partners: dict[int, set[str]] = defaultdict(set)
    for project_id, name in ProjectPartner.objects.filter(project__in=ids).values_list("project_id", "partner__name"):
        partners[project_id].add(name)
    phase_labels = {value: str(label) for value, label in Phase.choices}
    health_labels = {value: str(label) for value, label in Health.choices}
    rows = [
        [
            code,
            name,
            programme,
            lead,
            ", ".join(contributors.get(pk, ())),
            ", ".join(domains.get(pk, ())),
            ", ".join(sorted(partners.get(pk, ()))),
            f"{first} {last}" if last is not None else "",
            phase_labels.get(phase, phase),
            health_labels.get(health, health),
            progress,
            start,
            end,
            planned,
            spent,
            reported,
        ]
        for (
            pk,
            code,
            name,
            programme,
            lead,
            first,
            last,
            phase,
            health,
            progress,
            start,
            end,
            planned,
            spent,
            reported,
        ) in project_rows
    ]
    return header, rows


def involved_services_q(projects: QuerySet[Project]) -> Q:
    """Services that lead or contribute to any of ``projects``, as a Q on Service."""
    contributed = Project.contributing_services.through.objects.filter(project__in=projects).values("service_id")
    return Q(pk__in=projects.values("lead_service_id")) | Q(pk__in=contributed)


def service_counts(services: QuerySet[Service]) -> QuerySet[Service]:
    """Services annotated with how many active projects each leads
    (``n_led``) and contributes to (``n_contributed``)."""
    return services.annotate(
        n_led=Count("led_projects", filter=active_q("led_projects__"), distinct=True),
        n_contributed=Count("contributed_projects", filter=active_q("contributed_projects__"), distinct=True),
    )


def partner_counts(partners: QuerySet[Partner]) -> QuerySet[Partner]:
    """Partners annotated with their number of active projects (``n_projects``)."""
    return partners.annotate(
        n_projects=Count("project_links__project", filter=active_q("project_links__project__"), distinct=True)
    )


def service_portfolio(*, service: Service) -> dict:
    """A service's projects (led, contributed to, not archived), the partners
    met through them and their domains."""
    projects = Project.objects.filter(is_archived=False).filter(
        Q(lead_service=service)
        | Q(pk__in=Project.contributing_services.through.objects.filter(service=service).values("project_id"))
    )
    return {
        **service_projects(services=[service]),
        "partners": Partner.objects.filter(project_links__project__in=projects)
        .annotate(n_projects=Count("project_links__project", distinct=True))
        .order_by("-n_projects", "name"),
        "domains": Domain.objects.filter(projects__in=projects)
        .annotate(n_projects=Count("projects", distinct=True))
        .order_by("name"),
    }


def partner_links(*, partner: Partner) -> list[ProjectPartner]:
    """A partner's project links, oldest first, with their projects."""
    return list(
        ProjectPartner.objects.filter(partner=partner)
        .select_related("project", "project__lead_service")
        .order_by("start_date", "created_at")
    )


def partner_portfolio(*, partner: Partner) -> dict:
    """The services and domains met through a partner's projects."""
    projects = Project.objects.filter(partner_links__partner=partner)
    return {
        "services": Service.objects.filter(involved_services_q(projects)).order_by("name"),
        "domains": Domain.objects.filter(projects__in=projects).distinct().order_by("name"),
    }


def partner_trajectory(links: list[ProjectPartner]) -> list[dict]:
    """Relationship kinds over time, from the partner's links (already
    loaded): when each kind first started and whether it is still running."""
    kinds: dict[str, dict] = {}
    for link in links:
        row = kinds.setdefault(
            link.relationship,
            {
                "kind": link.relationship,
                "label": link.get_relationship_display(),
                "since": None,
                "until": None,
                "ongoing": False,
                "n": 0,
            },
        )
        row["n"] += 1
        start = link.start_date
        if start and (row["since"] is None or start < row["since"]):
            row["since"] = start
        if link.end_date is None:
            row["ongoing"] = True
        elif row["until"] is None or link.end_date > row["until"]:
            row["until"] = link.end_date
    return sorted(kinds.values(), key=lambda r: (r["since"] is None, r["since"] or 0))


def domain_relations(*, domain: Domain) -> dict:
    """Everything a domain touches: services, partners, officials."""
    projects = Project.objects.filter(is_archived=False, domains=domain)
    services = (
        Service.objects.filter(involved_services_q(projects))
        .annotate(n_led=Count("led_projects", filter=Q(led_projects__in=projects), distinct=True))
        .order_by("name")
    )
    partners = (
        Partner.objects.filter(project_links__project__in=projects)
        .annotate(n_projects=Count("project_links__project", distinct=True))
        .order_by("name")
    )
    officials = ElectedOfficial.objects.filter(domains=domain, is_active=True)
    return {"services": services, "partners": partners, "officials": officials}


# --- Status reporting --------------------------------------------------------------


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
        # Only what the digest shows: a thousand projects with their services
        # and directors are otherwise thousands of dates parsed for nothing.
        .only(
            "pk",
            "code",
            "name",
            "health",
            "lead_service__name",
            "lead_service__acronym",
            "lead_service__director__username",
            "lead_service__director__first_name",
            "lead_service__director__last_name",
        )
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
    # One reverse() for hundreds of links.
    project_url = reverse("programmes:project_detail", args=[0]).replace("/0/", "/{}/")
    for project in projects:
        project.url = project_url.format(project.pk)
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

    @property
    def labels(self) -> list[tuple[str, str]]:
        """Each cell as the page shows it ("75 %", "(3/4)"), formatted once
        here: hundreds of services × six cycles on the overview."""
        return [(f"{round(100 * r / t) if t else 0} %", f"({r}/{t})") for r, t in self.cells]


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
    active = Project.objects.active()
    # Per lead service: its active projects, and how many reported in each
    # cycle, counted by the database.
    totals = dict(
        active.order_by().values("lead_service_id").annotate(n=Count("pk")).values_list("lead_service_id", "n")
    )
    counts = {
        f"c{index}": Count(
            "project_id",
            distinct=True,
            filter=Q(created_at__gte=cycle.starts_at, created_at__lt=cycle.effective_end),
        )
        for index, cycle in enumerate(ordered)
    }
    reported = {
        row["project__lead_service_id"]: row
        for row in StatusReport.objects.filter(project__in=active.values("pk"), created_at__gte=ordered[0].starts_at)
        .order_by()
        .values("project__lead_service_id")
        .annotate(**counts)
    }
    result = []
    for service in Service.objects.filter(pk__in=totals).only("pk", "name").order_by("name", "pk"):
        row = reported.get(service.pk, {})
        cells = [(row.get(f"c{i}", 0), totals[service.pk]) for i in range(len(ordered))]
        result.append(ServiceRate(service=service, cells=cells))
    return result


def unconfirmed_emails(*, older_than: datetime.timedelta = datetime.timedelta(hours=1)) -> QuerySet[ReminderLog]:
    """Claimed but never confirmed: the worker may have died before sending."""
    return ReminderLog.objects.filter(
        status=ReminderLog.Status.CLAIMED, claimed_at__lt=timezone.now() - older_than
    ).select_related("recipient", "cycle")


def due_projects_by_director(*, window: CycleWindow) -> dict[AbstractBaseUser, list[Project]]:
    """Active projects not reported in this cycle, grouped by the director
    of their lead service. Fresh, closed and archived projects are left out."""
    projects = (
        Project.objects.active()
        .filter(lead_service__is_archived=False, lead_service__director__is_active=True)
        .filter(Q(last_reported_at__isnull=True) | Q(last_reported_at__lt=window.starts_at))
        .select_related("lead_service", "lead_service__director")
        .order_by("lead_service__name", "code")
    )
    grouped: dict[AbstractBaseUser, list[Project]] = defaultdict(list)
    for project in projects:
        grouped[project.lead_service.director].append(project)
    return grouped
