"""Reads across the layers for the site's own pages (engagement)."""

from collections import defaultdict

from django.db.models import Count, Q

from governance.models import ActionItem, Attendance
from partners.models import Domain, Service
from programmes import rules
from programmes.cycles import CycleWindow
from programmes.models import Project, ProjectPartner

from .engagement import Engagement, Facts, engagement


def engagement_facts(window: CycleWindow) -> dict[int, Facts]:
    """Facts for every service, in a fixed number of queries."""
    facts: dict[int, Facts] = defaultdict(Facts)
    active = Project.objects.filter(rules.active_q())
    for row in active.values("lead_service").annotate(n=Count("pk"), fresh=Count("pk", filter=rules.fresh_q(window))):
        facts[row["lead_service"]].led = row["n"]
        facts[row["lead_service"]].fresh = row["fresh"]
    for row in (
        Project.contributing_services.through.objects.filter(rules.active_q("project__"))
        .values("service")
        .annotate(n=Count("project", distinct=True))
    ):
        facts[row["service"]].contributed = row["n"]
    for row in (
        Attendance.objects.filter(service__isnull=False)
        .values("service")
        .annotate(n=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)))
    ):
        facts[row["service"]].invited = row["n"]
        facts[row["service"]].present = row["present"]
    for row in (
        ActionItem.objects.filter(owner_service__isnull=False)
        .exclude(status=ActionItem.Status.CANCELLED)
        .values("owner_service")
        .annotate(n=Count("pk"), closed=Count("pk", filter=Q(status=ActionItem.Status.DONE)))
    ):
        facts[row["owner_service"]].owned = row["n"]
        facts[row["owner_service"]].closed = row["closed"]
    partners: dict[int, set[int]] = defaultdict(set)
    for lead, partner in ProjectPartner.objects.values_list("project__lead_service", "partner").distinct():
        partners[lead].add(partner)
    links = ProjectPartner.objects.filter(project__contributing_services__isnull=False)
    for service, partner in links.values_list("project__contributing_services", "partner").distinct():
        partners[service].add(partner)
    for service, found in partners.items():
        facts[service].partners = len(found)
    return facts


def service_engagement(window: CycleWindow) -> list[tuple[Service, Engagement]]:
    """Every active service with its engagement, least engaged first."""
    facts = engagement_facts(window)
    services = Service.objects.filter(is_archived=False).select_related("parent")
    rows = [(service, engagement(facts.get(service.pk, Facts()))) for service in services]
    rows.sort(key=lambda row: (row[1].index, row[0].name))
    return rows


def heat_levels(value: int) -> int:
    """A cell's colour step, 0-4, for the heat map (the value is shown too)."""
    return 0 if value == 0 else 1 if value <= 2 else 2 if value <= 5 else 3 if value <= 9 else 4


def service_domain_heat() -> tuple[list[Domain], list[tuple[Service, list[tuple[int, int]]]]]:
    """Services × domains: per cell 3 points per active project the service
    leads in the domain and 1 per active project it contributes to there.
    Rows in service name order; cells are (value, colour step). Four queries."""
    domains = list(Domain.objects.filter(is_archived=False))
    cells: dict[tuple[int, int], int] = defaultdict(int)
    led = Project.domains.through.objects.filter(rules.active_q("project__"))
    for service, domain, n in led.values_list("project__lead_service", "domain").annotate(n=Count("project")):
        cells[service, domain] += 3 * n
    contributed = Project.contributing_services.through.objects.filter(rules.active_q("project__"))
    for service, domain, n in contributed.values_list("service", "project__domains").annotate(n=Count("project")):
        if domain is not None:
            cells[service, domain] += n
    rows = []
    for service in Service.objects.filter(is_archived=False).order_by("name"):
        values = [cells.get((service.pk, d.pk), 0) for d in domains]
        rows.append((service, [(v, heat_levels(v)) for v in values]))
    return domains, rows
