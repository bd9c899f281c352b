"""Reads for the portfolio and reporting pages. Each returns a queryset (or
plain data) with its joins in place, so that a page costs the same number of
queries whatever the data size."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Domain, ElectedOfficial, Partner, Service

from . import taxonomy
from .cycles import CycleWindow
from .models import (
    Agreement,
    DataAsset,
    Health,
    HealthOption,
    Idea,
    IdeaTransition,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    PhaseOption,
    Programme,
    Project,
    ProjectPartner,
    RelationshipKind,
    ReminderLog,
    ReportingCycle,
    SmartCityPlan,
    StatusReport,
    UsefulnessSheet,
)
from .rules import IDEA_DECISIONS, active_q, late_q, worst_health_first
from .trends import trend


def project_list(*, include_archived: bool = False) -> QuerySet[Project]:
    qs = Project.objects.select_related("programme", "lead_service", "sponsor").prefetch_related("domains")
    if not include_archived:
        qs = qs.filter(is_archived=False)
    return qs


def project_table_list() -> QuerySet[Project]:
    """Projects (not archived) as ``partials/project_table.html`` shows them:
    with their lead service and domains, nothing else joined."""
    return Project.objects.filter(is_archived=False).select_related("lead_service").prefetch_related("domains")


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


def roadmap_projects(
    *,
    start: datetime.date,
    end: datetime.date,
    programme: Programme | None = None,
    domain: Domain | None = None,
    service: Service | None = None,
) -> QuerySet[Project]:
    """The projects (not archived) whose dates meet ``[start, end]``, a
    missing date counting as open, with the milestones due in that period
    (``roadmap_milestones``), by programme then start date. Two queries,
    whatever the number of projects."""
    dated = Q(start_date__isnull=False) | Q(end_date__isnull=False)
    meets = (Q(start_date__isnull=True) | Q(start_date__lte=end)) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    qs = Project.objects.filter(dated & meets, is_archived=False)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if domain is not None:
        qs = qs.filter(pk__in=Project.domains.through.objects.filter(domain=domain).values("project_id"))
    if service is not None:
        contributed = Project.contributing_services.through.objects.filter(service=service).values("project_id")
        qs = qs.filter(Q(lead_service=service) | Q(pk__in=contributed))
    milestones = Milestone.objects.filter(due_date__range=(start, end)).order_by("due_date", "pk")
    return (
        qs.select_related("programme", "lead_service")
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="roadmap_milestones"))
        .order_by("programme__name", "programme_id", "start_date", "code")
    )


def roadmap_totals(
    *, projects: QuerySet[Project], start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, int]:
    """Milestones due in ``[start, end]`` on ``projects`` (cancelled ones
    left out) and how many of them are late: one query."""
    return Milestone.objects.filter(project__in=projects.values("pk"), due_date__range=(start, end)).aggregate(
        milestones=Count("pk", filter=~Q(status=Milestone.Status.CANCELLED)),
        late=Count("pk", filter=late_q(today)),
    )


def _partner_links():
    return ProjectPartner.objects.select_related("partner")


def portfolio_counts() -> dict:
    """Figures for the portfolio overview: by health and by domain."""
    active = Project.objects.active()
    by_health = dict(active.values_list("health").annotate(n=Count("pk")).order_by())
    health_rows = [(value, label, by_health.get(value, 0)) for value, label in taxonomy.health_shown(by_health)]
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
    # Through a subquery: a join would need DISTINCT over every selected column.
    contributing = Project.contributing_services.through.objects.filter(service__in=services).values("project_id")
    return {
        "led": base.filter(lead_service__in=services),
        "contributed": base.filter(pk__in=contributing).exclude(lead_service__in=services),
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
        _("Committed budget (€)"),
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
        "budget_committed",
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
    phase_labels = {value: str(label) for value, label in taxonomy.phase_choices()}
    health_labels = {value: str(label) for value, label in taxonomy.health_choices()}
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
            committed,
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
            committed,
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


# --- The plan and the emergence of projects (issue 13) ---------------------


def current_plan() -> SmartCityPlan | None:
    """The plan in force: the one whose period started last."""
    return SmartCityPlan.objects.order_by("-period_start", "-pk").first()


def plan_objectives(*, plan: SmartCityPlan, shown: int | None = None) -> QuerySet[Objective]:
    """The plan's live objectives with their domains, programmes, targets and
    projects (the most worrying first), each in one query. With ``shown``,
    only that many projects per objective are read in full, as
    ``shown_projects`` (a large city's objective gathers hundreds):
    ``plan_objective_links`` lists them all."""
    projects = (
        Project.objects.filter(is_archived=False)
        .select_related("lead_service")
        # What the rows and their health badges read (freshness included).
        .only(*PLAN_PROJECT_FIELDS, "lead_service__acronym")
        .annotate(severity=worst_health_first())
        .order_by("severity", "code")
    )
    prefetch = Prefetch("projects", queryset=projects)
    if shown is not None:  # a sliced prefetch needs its own attribute
        prefetch = Prefetch("projects", queryset=projects[:shown], to_attr="shown_projects")
    return Objective.objects.filter(plan=plan, is_archived=False).prefetch_related(
        "domains", "programmes", "targets", prefetch
    )


def objective_detail(*, pk: int) -> QuerySet[Objective]:
    """One objective (archived or not) with its plan, domains, programmes
    and targets: its page."""
    return Objective.objects.filter(pk=pk).select_related("plan").prefetch_related("domains", "programmes", "targets")


@dataclass(frozen=True)
class ProjectLink:
    """A project as a link: its page, code and name."""

    pk: int
    code: str
    name: str

    def get_absolute_url(self) -> str:
        return reverse("programmes:project_detail", args=[self.pk])


def plan_objective_links(*, objectives: list[int]) -> dict[int, list[ProjectLink]]:
    """Every live project of each objective as a link, in the order of
    ``plan_objectives`` (the most worrying first): one query of plain rows."""
    links: dict[int, list[ProjectLink]] = defaultdict(list)
    if not objectives:
        return links
    rows = (
        Objective.projects.through.objects.filter(objective_id__in=objectives, project__is_archived=False)
        .annotate(severity=worst_health_first("project__health"))
        .order_by("objective_id", "severity", "project__code")
        .values_list("objective_id", "project_id", "project__code", "project__name")
    )
    for objective, pk, code, name in rows:
        links[objective].append(ProjectLink(pk=pk, code=code, name=name))
    return links


def plan_objectives_light(*, plan: SmartCityPlan) -> QuerySet[Objective]:
    """The plan's live objectives with their targets only (the dashboard)."""
    return Objective.objects.filter(plan=plan, is_archived=False).prefetch_related("targets")


PLAN_PROJECT_FIELDS = (
    "code",
    "name",
    "phase",
    "health",
    "progress",
    "budget_planned",
    "is_archived",
    "last_reported_at",
    "created_at",
    "lead_service",
)


def idea_list() -> QuerySet[Idea]:
    return Idea.objects.select_related("domain", "proposing_service", "partner", "proposed_by", "project")


def idea_detail(*, pk: int) -> QuerySet[Idea]:
    return (
        idea_list()
        .filter(pk=pk)
        .prefetch_related(
            "services_concerned",
            Prefetch(
                "transitions", queryset=IdeaTransition.objects.select_related("decided_by").order_by("decided_at", "pk")
            ),
        )
    )


def my_ideas(*, user: AbstractBaseUser) -> QuerySet[Idea]:
    """The ideas a person recorded or that a service they direct proposed."""
    return idea_list().filter(Q(proposed_by=user) | Q(proposing_service__director=user))


def ideas_decided(*, since: datetime.datetime, until: datetime.datetime) -> QuerySet[IdeaTransition]:
    """Decisions on ideas and proposals (accepted, declined, parked) taken
    in ``[since, until)``, oldest first. The log is never rewritten, so the
    same window always gives the same list (a frozen pack stays true)."""
    return (
        IdeaTransition.objects.filter(to_state__in=IDEA_DECISIONS, decided_at__gte=since, decided_at__lt=until)
        .select_related("idea", "idea__project", "idea__partner", "idea__proposing_service", "decided_by")
        .order_by("decided_at", "pk")
    )


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


def with_planned_milestones(projects: list[Project]) -> None:
    """Give each project its planned milestones (neither done nor
    cancelled), by due date, as ``planned_milestones``: one query."""
    planned = Milestone.objects.filter(status=Milestone.Status.PLANNED).order_by("due_date", "pk")
    prefetch_related_objects(projects, Prefetch("milestones", queryset=planned, to_attr="planned_milestones"))


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
    reported: list[DigestProject] = field(default_factory=list)
    missing: list[DigestProject] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.reported) + len(self.missing)


@dataclass
class HealthChange:
    project: DigestProject
    before: str
    after: str

    @property
    def before_label(self) -> str:
        return taxonomy.health_label(self.before)

    @property
    def after_label(self) -> str:
        return taxonomy.health_label(self.after)


@dataclass(slots=True)
class DigestProject:
    """A project as the digest shows it. The digest reads plain values: a
    thousand model instances with their services and directors cost more
    than the rest of the page."""

    pk: int
    code: str
    name: str
    health: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(slots=True)
class DigestService:
    pk: int
    name: str
    acronym: str
    url: str

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(slots=True)
class DigestPerson:
    """A director as the digest and its e-mail name them (``get_full_name``
    as Django's user model writes it)."""

    pk: int
    username: str
    first_name: str
    last_name: str

    def __str__(self) -> str:
        return self.username

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_username(self) -> str:
        return self.username


def cycle_digest(*, starts_at: datetime.datetime, ends_at: datetime.datetime) -> dict:
    """Who reported in ``[starts_at, ends_at)``, who did not, and which
    projects changed health since the cycle started. One query."""
    in_window = StatusReport.objects.filter(project=OuterRef("pk"), created_at__gte=starts_at, created_at__lt=ends_at)
    rows = (
        Project.objects.active()
        .annotate(
            reported_in_cycle=Exists(in_window),
            health_before=Subquery(
                _latest_report(OuterRef("pk")).filter(created_at__lt=starts_at).values("health")[:1]
            ),
            health_after=Subquery(_latest_report(OuterRef("pk")).filter(created_at__lt=ends_at).values("health")[:1]),
        )
        .order_by("lead_service__name", "code")
        .values_list(
            "pk",
            "code",
            "name",
            "health",
            "reported_in_cycle",
            "health_before",
            "health_after",
            "lead_service_id",
            "lead_service__name",
            "lead_service__acronym",
            "lead_service__director_id",
            "lead_service__director__username",
            "lead_service__director__first_name",
            "lead_service__director__last_name",
        )
    )
    by_service: dict[int, ServiceDigest] = {}
    changes: list[HealthChange] = []
    # One reverse() for hundreds of links.
    project_url = reverse("programmes:project_detail", args=[0]).replace("/0/", "/{}/")
    service_url = reverse("partners:service_detail", args=[0]).replace("/0/", "/{}/")
    for (
        pk,
        code,
        name,
        health,
        reported,
        before,
        after,
        service_id,
        service_name,
        acronym,
        director_id,
        username,
        first_name,
        last_name,
    ) in rows:
        entry = by_service.get(service_id)
        if entry is None:
            # One service (and its director) per group, not one per project.
            director = None
            if director_id is not None:
                director = DigestPerson(pk=director_id, username=username, first_name=first_name, last_name=last_name)
            service = DigestService(
                pk=service_id, name=service_name, acronym=acronym, url=service_url.format(service_id)
            )
            entry = by_service[service_id] = ServiceDigest(service=service, director=director)
        project = DigestProject(pk=pk, code=code, name=name, health=health, url=project_url.format(pk))
        (entry.reported if reported else entry.missing).append(project)
        before = before or Health.UNKNOWN
        after = after or Health.UNKNOWN
        if after != before and reported:
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
        for row in StatusReport.objects.filter(active_q("project__"), created_at__gte=ordered[0].starts_at)
        .order_by()
        .values("project__lead_service_id")
        .annotate(**counts)
    }
    result = []
    service_url = reverse("partners:service_detail", args=[0]).replace("/0/", "/{}/")
    for pk, name, acronym in (
        Service.objects.filter(pk__in=totals).order_by("name", "pk").values_list("pk", "name", "acronym")
    ):
        row = reported.get(pk, {})
        cells = [(row.get(f"c{i}", 0), totals[pk]) for i in range(len(ordered))]
        service = DigestService(pk=pk, name=name, acronym=acronym, url=service_url.format(pk))
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


# --- Partner relationships and data assets (issue 15) ----------------------------

_PROJECT_ONLY = ("pk", "code", "name")


def _projects_brief() -> QuerySet[Project]:
    return Project.objects.only(*_PROJECT_ONLY).order_by("code")


def agreement_list() -> QuerySet[Agreement]:
    """Agreements with their parties, counted projects and data assets."""
    return Agreement.objects.prefetch_related(
        Prefetch("partners", queryset=Partner.objects.only("pk", "name").order_by("name"))
    ).annotate(
        n_projects=Count("projects", distinct=True),
        n_assets=Count("data_assets", distinct=True),
    )


def agreement_detail(*, pk: int) -> QuerySet[Agreement]:
    return Agreement.objects.filter(pk=pk).prefetch_related(
        Prefetch("partners", queryset=Partner.objects.order_by("name")),
        Prefetch("services", queryset=Service.objects.order_by("name")),
        Prefetch("projects", queryset=_projects_brief()),
        Prefetch("data_assets", queryset=DataAsset.objects.order_by("name")),
    )


def data_asset_list() -> QuerySet[DataAsset]:
    return DataAsset.objects.select_related("holder_partner", "holder_service", "agreement").prefetch_related(
        Prefetch("produced_by", queryset=_projects_brief()),
        Prefetch("used_by", queryset=_projects_brief()),
    )


def data_asset_detail(*, pk: int) -> QuerySet[DataAsset]:
    return data_asset_list().filter(pk=pk)


def projects_depending_on_data(assets: QuerySet[DataAsset]) -> Q:
    """Projects that produce or use one of ``assets`` (a Q on Project)."""
    return Q(pk__in=DataAsset.produced_by.through.objects.filter(dataasset__in=assets).values("project_id")) | Q(
        pk__in=DataAsset.used_by.through.objects.filter(dataasset__in=assets).values("project_id")
    )


def project_relations(*, project: Project) -> dict:
    """The data a project produces and uses, and its agreements."""
    assets = DataAsset.objects.select_related("holder_partner", "holder_service").order_by("name")
    return {
        "produced": list(assets.filter(produced_by=project)),
        "used": list(assets.filter(used_by=project)),
        "agreements": list(project.agreements.order_by("end_date", "title")),
    }


def partner_relations(*, partner: Partner) -> dict:
    """A partner's agreements, the data it holds or shares under them, and
    each project link's trajectory of relationship kinds."""
    agreements = list(partner.agreements.order_by("end_date", "title"))
    assets = list(
        DataAsset.objects.filter(Q(holder_partner=partner) | Q(agreement__partners=partner))
        .select_related("agreement")
        .distinct()
        .order_by("name")
    )
    return {"agreements": agreements, "assets": assets, "paths": link_trajectories(partner_links(partner=partner))}


def service_relations(*, service: Service) -> dict:
    """The data a service holds or its projects produce or use, and the
    agreements it is party to."""
    # Through subqueries: joins on both links would need DISTINCT over every selected column.
    produced = DataAsset.produced_by.through.objects.filter(project__lead_service=service).values("dataasset_id")
    used = DataAsset.used_by.through.objects.filter(project__lead_service=service).values("dataasset_id")
    assets = DataAsset.objects.filter(Q(holder_service=service) | Q(pk__in=produced) | Q(pk__in=used))
    return {
        "assets": list(assets.select_related("holder_partner", "holder_service").order_by("name")),
        "agreements": list(service.agreements.order_by("end_date", "title")),
    }


@dataclass
class LinkPath:
    """One project–partner pair's relationship kinds, in date order."""

    project: Project
    steps: list[ProjectPartner] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return len({step.relationship for step in self.steps}) > 1


def link_trajectories(links: list[ProjectPartner]) -> list[LinkPath]:
    """Group a partner's links (already loaded, oldest first) by project:
    each project's path from one kind to the next. Pairs that moved first."""
    paths: dict[int, LinkPath] = {}
    for link in links:
        paths.setdefault(link.project_id, LinkPath(link.project)).steps.append(link)
    return sorted(paths.values(), key=lambda p: (not p.moved, p.project.code))


def _moves() -> QuerySet[ProjectPartner]:
    """Links that follow an ended link of another kind between the same
    project and partner: each is one move of a relationship, dated by its
    start (today or before: a planned move is not one yet), with the kind
    it left (``previous``)."""
    prior = (
        ProjectPartner.objects.filter(
            project=OuterRef("project"),
            partner=OuterRef("partner"),
            end_date__isnull=False,
            end_date__lte=OuterRef("start_date"),
        )
        .exclude(relationship=OuterRef("relationship"))
        .order_by("-end_date", "-pk")
    )
    return (
        ProjectPartner.objects.filter(start_date__lte=timezone.localdate())
        .annotate(previous=Subquery(prior.values("relationship")[:1]))
        .filter(previous__isnull=False)
    )


def relationship_moves() -> dict:
    """How many project–partner relationships changed kind, by year of the
    change and partner category, and from which kind to which (three queries)."""
    from django.db.models.functions import ExtractYear

    moves = _moves()
    by_year_category = (
        moves.annotate(year=ExtractYear("start_date")).values_list("year", "partner__category").annotate(n=Count("pk"))
    ).order_by()
    categories = dict(Partner.Category.choices)
    kinds = dict(RelationshipKind.choices)
    years: dict[int, dict[str, int]] = defaultdict(dict)
    for year, category, n in by_year_category:
        years[year][category] = n
    used = [c for c in categories if any(c in row for row in years.values())]
    rows = [
        {"year": year, "cells": [years[year].get(c, 0) for c in used], "total": sum(years[year].values())}
        for year in sorted(years)
    ]
    transitions = [
        {"from": kinds.get(previous, previous), "to": kinds.get(to, to), "n": n}
        for previous, to, n in moves.values_list("previous", "relationship").annotate(n=Count("pk")).order_by("-n")
    ]
    moved_pairs = moves.values("project_id", "partner_id").distinct().count()
    return {
        "categories": [categories[c] for c in used],
        "rows": rows,
        "column_totals": [sum(r["cells"][i] for r in rows) for i in range(len(used))],
        "total": sum(r["total"] for r in rows),
        "transitions": transitions,
        "moved_pairs": moved_pairs,
    }


# --- Indicators and proof of usefulness (issue 14) ---------------------------


def indicators_of(*, projects) -> dict[int, list[Indicator]]:
    """The live indicators of ``projects`` (a list or a queryset), each with
    ``value_list`` (oldest first), ``before`` (the baseline, else the first
    value), ``latest`` and ``trend`` (``programmes.trends``). Two queries."""
    rows = (
        Indicator.objects.filter(project__in=projects, is_archived=False)
        .select_related("code")
        .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on", "pk")))
        .order_by("project_id", "name", "pk")
    )
    result: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in rows:
        values = list(indicator.values.all())
        series = [(v.measured_on, v.value) for v in values]
        if (
            indicator.baseline is not None
            and indicator.baseline_on
            and not any(d <= indicator.baseline_on for d, _v in series)
        ):
            series.insert(0, (indicator.baseline_on, indicator.baseline))
        indicator.value_list = values
        indicator.latest = values[-1] if values else None
        indicator.before = (
            indicator.baseline if indicator.baseline is not None else (values[0].value if values else None)
        )
        indicator.trend = trend(series, direction=indicator.direction, target=indicator.target)
        result[indicator.project_id].append(indicator)
    return result


def indicator_rows(*, projects: list[Project]) -> list[tuple[Project, list[Indicator]]]:
    """(project, its indicators) for the projects that have some, in order."""
    found = indicators_of(projects=[p.pk for p in projects])
    return [(p, found[p.pk]) for p in projects if found.get(p.pk)]


def usefulness_sheet(*, pk: int) -> Project | None:
    """A project with what its sheet shows: services, domains, partners,
    the sheet itself and its indicators (``project.indicator_rows``)."""
    project = (
        Project.objects.filter(pk=pk)
        .select_related("programme", "lead_service", "sponsor", "usefulness")
        .prefetch_related("domains", "contributing_services", Prefetch("partner_links", queryset=_partner_links()))
        .first()
    )
    if project is not None:
        project.indicator_rows = indicators_of(projects=[project]).get(project.pk, [])
    return project


def usefulness_summary() -> list[dict]:
    """For the committee: per domain, the projects that carry a usefulness
    sheet or indicators, their cost and how their indicators moved. A
    project in two domains counts in both. Five queries."""
    projects = list(
        Project.objects.filter(is_archived=False)
        .filter(
            Exists(UsefulnessSheet.objects.filter(project=OuterRef("pk")))
            | Exists(Indicator.objects.filter(project=OuterRef("pk"), is_archived=False))
        )
        .select_related("usefulness", "lead_service")
        .prefetch_related("domains")
        .order_by("code")
    )
    indicators = indicators_of(projects=[p.pk for p in projects])
    by_domain: dict[int, dict] = {}
    for domain in Domain.objects.filter(is_archived=False):
        by_domain[domain.pk] = {"domain": domain, "projects": [], "cost": 0, "better": 0, "worse": 0, "indicators": 0}
    for project in projects:
        project.indicator_rows = indicators.get(project.pk, [])
        project.sheet = sheet_of(project)
        for domain in project.domains.all():
            row = by_domain.get(domain.pk)
            if row is None:
                continue
            row["projects"].append(project)
            if project.sheet and project.sheet.cost:
                row["cost"] += project.sheet.cost
            for indicator in project.indicator_rows:
                row["indicators"] += 1
                row["better"] += indicator.trend.better is True
                row["worse"] += indicator.trend.better is False
    return [row for row in by_domain.values() if row["projects"]]


def sheet_of(project: Project) -> UsefulnessSheet | None:
    """The project's sheet, or None (no query when ``usefulness`` is selected)."""
    try:
        return project.usefulness
    except UsefulnessSheet.DoesNotExist:
        return None


# --- The editable taxonomy (issue 13) -------------------------------------------


def taxonomy_lists() -> dict:
    """The lead's lists, archived values included, each value with the
    number of projects holding it (so the lead sees what an archive
    leaves on old records). Five queries whatever the data."""
    domains = Domain.objects.annotate(n_projects=Count("projects")).order_by("position", "pk")
    by_phase = dict(Project.objects.values_list("phase").annotate(n=Count("pk")).order_by())
    by_health = dict(Project.objects.values_list("health").annotate(n=Count("pk")).order_by())
    phases = list(PhaseOption.objects.order_by("position", "pk"))
    for option in phases:
        option.n_projects = by_phase.get(option.code, 0)
    health = list(HealthOption.objects.order_by("position", "pk"))
    for option in health:
        option.n_projects = by_health.get(option.code, 0)
    return {"domains": list(domains), "phases": phases, "health_levels": health}
