"""What programmes adds to the organisation's pages (``partners.extensions``):
a service's and a partner's projects, the partners and domains met through
them, and the project counts and filters of the services and partners lists.
Registered by ``ProgrammesConfig.ready()``."""

import django_filters
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.extensions import PARTNER_LIST, PARTNER_PAGE, SERVICE_LIST, SERVICE_PAGE
from partners.models import Domain, Partner, Service
from smartcity.base.extensions import Column
from smartcity.base.pagination import paged

from . import rules, selectors
from .extensions import PROJECT_PAGE
from .models import Project, ProjectPartner, RelationshipKind

YES_NO = [("1", _("Yes")), ("0", _("No"))]


def _service_section(request: HttpRequest, service: Service) -> dict:
    context = selectors.service_portfolio(service=service)
    # The two pages' domains in one query rather than one per list.
    # The table shows each project's lead service, not its programme or sponsor.
    led = context["led"].select_related(None).select_related("lead_service").prefetch_related(None).order_by("code")
    contributed = (
        context["contributed"]
        .select_related(None)
        .select_related("lead_service")
        .prefetch_related(None)
        .order_by("code")
    )
    context["led"] = paged(request, led, param="led_page", anchor="led-projects")
    context["contributed"] = paged(request, contributed, param="contributed_page", anchor="contributed-projects")
    context["led"].object_list = list(context["led"].object_list)
    context["contributed"].object_list = list(context["contributed"].object_list)
    prefetch_related_objects([*context["led"].object_list, *context["contributed"].object_list], "domains")
    return context


def _partner_section(request: HttpRequest, partner: Partner) -> dict:
    links = selectors.partner_links(partner=partner)
    return {
        "links": links,
        "trajectory": selectors.partner_trajectory(links),
        **selectors.partner_portfolio(partner=partner),
    }


def _partner_relations(request: HttpRequest, partner: Partner) -> dict:
    relations = selectors.partner_relations(partner=partner)
    today = timezone.localdate()
    relations["agreements"] = [(a, rules.agreement_expiry(a, today)) for a in relations["agreements"]]
    return relations


def _service_relations(request: HttpRequest, service: Service) -> dict:
    return selectors.service_relations(service=service)


def _project_relations(request: HttpRequest, project: Project) -> dict:
    return selectors.project_relations(project=project)


# Services list filters ---------------------------------------------------------


def _services_in_domain(qs: QuerySet[Service], name: str, value: Domain) -> QuerySet[Service]:
    return qs.filter(selectors.involved_services_q(Project.objects.filter(is_archived=False, domains=value)))


def _services_active(qs: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
    involved = selectors.involved_services_q(Project.objects.active())
    return qs.filter(involved) if value == "1" else qs.exclude(involved)


# Partners list filters ---------------------------------------------------------


def _partners_with_relationship(qs: QuerySet[Partner], name: str, value: str) -> QuerySet[Partner]:
    return qs.filter(Exists(ProjectPartner.objects.filter(partner=OuterRef("pk"), relationship=value)))


def _partners_in_domain(qs: QuerySet[Partner], name: str, value: Domain) -> QuerySet[Partner]:
    return qs.filter(Exists(ProjectPartner.objects.filter(partner=OuterRef("pk"), project__domains=value)))


def _partners_active(qs: QuerySet[Partner], name: str, value: str) -> QuerySet[Partner]:
    active = Exists(ProjectPartner.objects.filter(partner=OuterRef("pk"), project__in=Project.objects.active()))
    return qs.filter(active) if value == "1" else qs.exclude(active)


def _domain_filter(method) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("Domain"), queryset=Domain.objects.all(), method=method, to_field_name="slug"
    )


def _indicators_section(request: HttpRequest, project: Project) -> dict:
    """Issue 14: the project's indicators with their trends, on its page."""
    from smartcity.base.roles import is_lead

    from .rules import can_record_indicator

    return {
        "project": project,
        "indicators": selectors.indicators_of(projects=[project]).get(project.pk, []),
        "can_record": can_record_indicator(request.user, project),
        "is_lead": is_lead(request.user),
    }


def register() -> None:
    PROJECT_PAGE.register(
        "indicators", template="programmes/sections/indicators.html", context=_indicators_section, order=5
    )
    SERVICE_PAGE.register("programmes", template="programmes/sections/service.html", context=_service_section, order=10)
    PARTNER_PAGE.register("programmes", template="programmes/sections/partner.html", context=_partner_section, order=10)
    # Partner relationships and data assets (issue 15).
    PARTNER_PAGE.register(
        "relations", template="programmes/sections/partner_relations.html", context=_partner_relations, order=20
    )
    SERVICE_PAGE.register(
        "relations", template="programmes/sections/service_relations.html", context=_service_relations, order=20
    )
    PROJECT_PAGE.register(
        "relations", template="programmes/sections/project_relations.html", context=_project_relations, order=20
    )
    SERVICE_LIST.register(
        annotate=selectors.service_counts,
        columns=[
            Column("n_led", _("Leads"), numeric=True, sort_param="led"),
            Column("n_contributed", _("Contributes to"), numeric=True),
        ],
        filters={
            "domain": _domain_filter(_services_in_domain),
            "active": django_filters.ChoiceFilter(
                label=_("Has an active project"), choices=YES_NO, method=_services_active
            ),
        },
    )
    PARTNER_LIST.register(
        annotate=selectors.partner_counts,
        columns=[Column("n_projects", _("Active projects"), numeric=True, sort_param="projects")],
        filters={
            "relationship": django_filters.ChoiceFilter(
                label=_("Relationship kind"), choices=RelationshipKind.choices, method=_partners_with_relationship
            ),
            "domain": _domain_filter(_partners_in_domain),
            "active": django_filters.ChoiceFilter(
                label=_("Has an active project"), choices=YES_NO, method=_partners_active
            ),
        },
    )


# The project page: the objectives a project serves and the idea it was born
# from (issue 13). Programmes fills its own place here: two queries.


def _project_plan_section(request: HttpRequest, project) -> dict:
    return {
        "objectives": list(project.objectives.filter(is_archived=False)),
        "idea": selectors.idea_list().filter(project=project).first(),
    }


def register_plan() -> None:
    from .extensions import PROJECT_PAGE

    PROJECT_PAGE.register(
        "plan", template="programmes/sections/project_plan.html", context=_project_plan_section, order=5
    )
