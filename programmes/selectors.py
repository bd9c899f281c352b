"""Reads for the portfolio pages. Each returns a queryset with its joins in
place, so that a page costs the same number of queries whatever the data."""

from django.db.models import Count, Prefetch, Q, QuerySet

from partners.models import Domain, ElectedOfficial, Partner, Service

from .models import Health, Programme, Project, ProjectPartner, StatusReport


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
        n_active=Count(
            "projects",
            filter=Q(projects__is_archived=False) & ~Q(projects__phase__in=["closed", "abandoned"]),
        )
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
    from django.utils.translation import gettext as _

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
    qs = projects.select_related("programme", "lead_service", "sponsor").prefetch_related(
        "domains", "contributing_services", Prefetch("partner_links", queryset=_partner_links())
    )
    rows = [
        [
            p.code,
            p.name,
            p.programme.name,
            p.lead_service.acronym,
            ", ".join(s.acronym for s in p.contributing_services.all()),
            ", ".join(d.name for d in p.domains.all()),
            ", ".join(sorted({link.partner.name for link in p.partner_links.all()})),
            str(p.sponsor) if p.sponsor else "",
            p.get_phase_display(),
            p.get_health_display(),
            p.progress,
            p.start_date,
            p.end_date,
            p.budget_planned,
            p.budget_spent,
            p.last_reported_at,
        ]
        for p in qs
    ]
    return header, rows


def project_relations(*, project: Project) -> dict:
    """Committee items and decisions that concern a project."""
    from governance.models import AgendaItem, Decision

    return {
        "decisions": Decision.objects.filter(projects=project).select_related("meeting__committee"),
        "agenda_items": AgendaItem.objects.filter(projects=project).select_related("meeting__committee"),
    }


def domain_relations(*, domain: Domain) -> dict:
    """Everything a domain touches: services, partners, officials."""
    projects = Project.objects.filter(is_archived=False, domains=domain)
    contributed = Project.contributing_services.through.objects.filter(project__in=projects).values("service_id")
    services = (
        Service.objects.filter(Q(pk__in=projects.values("lead_service_id")) | Q(pk__in=contributed))
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
