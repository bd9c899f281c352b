from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet

from programmes.models import ProjectPartner

from .models import Domain, Partner, Service

ACTIVE_PROJECT = Q(is_archived=False) & ~Q(phase__in=["closed", "abandoned"])


def service_list(*, include_archived: bool = False) -> QuerySet[Service]:
    qs = Service.objects.select_related("parent", "director").annotate(
        n_led=Count(
            "led_projects",
            filter=Q(led_projects__is_archived=False) & ~Q(led_projects__phase__in=["closed", "abandoned"]),
            distinct=True,
        ),
        n_contributed=Count(
            "contributed_projects",
            filter=Q(contributed_projects__is_archived=False)
            & ~Q(contributed_projects__phase__in=["closed", "abandoned"]),
            distinct=True,
        ),
    )
    return qs if include_archived else qs.filter(is_archived=False)


def partner_list(*, include_archived: bool = False) -> QuerySet[Partner]:
    qs = Partner.objects.annotate(
        n_projects=Count(
            "project_links__project",
            filter=Q(project_links__project__is_archived=False)
            & ~Q(project_links__project__phase__in=["closed", "abandoned"]),
            distinct=True,
        )
    )
    return qs if include_archived else qs.filter(is_archived=False)


def service_export_rows(services: QuerySet[Service]) -> tuple[list[str], list[list]]:
    from django.utils.translation import gettext as _

    header = [_("Acronym"), _("Name"), _("Kind"), _("Direction"), _("Director"), _("Acculturation"), _("E-mail")]
    header += [_("Leads"), _("Contributes to")]
    rows = [
        [
            s.acronym,
            s.name,
            s.get_kind_display(),
            s.parent.acronym if s.parent else "",
            s.director.get_full_name() if s.director else "",
            s.get_acculturation_display(),
            s.email,
            s.n_led,
            s.n_contributed,
        ]
        for s in services
    ]
    return header, rows


def partner_export_rows(partners: QuerySet[Partner]) -> tuple[list[str], list[list]]:
    from django.utils.translation import gettext as _

    header = [_("Name"), _("Category"), _("City"), _("Website"), _("Active projects"), _("Description")]
    rows = [[p.name, p.get_category_display(), p.city, p.website, p.n_projects, p.description] for p in partners]
    return header, rows


def _project_qs():
    return apps.get_model("programmes", "Project").objects.filter(is_archived=False)


def service_relations(*, service: Service) -> dict:
    """What a service touches through its projects: the partners met, the
    domains, the committees that invite it and the decisions and actions
    that concern it."""
    Decision = apps.get_model("governance", "Decision")
    ActionItem = apps.get_model("governance", "ActionItem")
    Committee = apps.get_model("governance", "Committee")
    project_model = apps.get_model("programmes", "Project")
    contributed = project_model.contributing_services.through.objects.filter(service=service).values("project_id")
    projects = _project_qs().filter(Q(lead_service=service) | Q(pk__in=contributed))
    partners = (
        Partner.objects.filter(project_links__project__in=projects)
        .annotate(n_projects=Count("project_links__project", distinct=True))
        .order_by("-n_projects", "name")
    )
    domains = (
        Domain.objects.filter(projects__in=projects)
        .annotate(n_projects=Count("projects", distinct=True))
        .order_by("name")
    )
    committees = Committee.objects.filter(invited_services=service, is_archived=False)
    decisions = (
        Decision.objects.filter(projects__in=projects)
        .select_related("meeting__committee")
        .distinct()
        .order_by("-meeting__starts_at", "-pk")[:20]
    )
    actions = (
        ActionItem.objects.filter(owner_service=service)
        .select_related("meeting__committee")
        .order_by("status", "due_date")[:20]
    )
    return {
        "partners": partners,
        "domains": domains,
        "committees": committees,
        "decisions": decisions,
        "actions": actions,
    }


def partner_detail(*, pk: int) -> QuerySet[Partner]:
    return Partner.objects.filter(pk=pk).prefetch_related(
        Prefetch("contacts", queryset=apps.get_model("partners", "ContactPerson").objects.filter(is_archived=False)),
        Prefetch(
            "project_links",
            queryset=ProjectPartner.objects.select_related("project", "project__lead_service").order_by(
                "start_date", "created_at"
            ),
            to_attr="links",
        ),
    )


def partner_relations(*, partner: Partner) -> dict:
    """The services and domains met through a partner's projects, and its
    relationship kinds over time (its trajectory)."""
    project_model = apps.get_model("programmes", "Project")
    projects = project_model.objects.filter(partner_links__partner=partner)
    contributed = project_model.contributing_services.through.objects.filter(project__in=projects).values("service_id")
    services = Service.objects.filter(Q(pk__in=projects.values("lead_service_id")) | Q(pk__in=contributed)).order_by(
        "name"
    )
    domains = Domain.objects.filter(projects__in=projects).distinct().order_by("name")
    return {"services": services, "domains": domains}


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
