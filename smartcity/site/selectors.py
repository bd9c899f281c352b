"""Reads across the layers for the site's own pages (engagement)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from governance.models import ActionItem, AgendaItem, Attendance, Decision, Meeting
from partners.models import AcculturationChange, Domain, Partner, Service
from programmes import rules
from programmes.cycles import CycleWindow
from programmes.models import Indicator, Project, ProjectPartner, UsefulnessSheet
from programmes.selectors import indicators_of, sheet_of

from .engagement import Engagement, Facts, engagement
from .openings import Openings, Portfolio, openings_for, wants_openings


def engagement_facts(window: CycleWindow, *, service: Service | None = None) -> dict[int, Facts]:
    """Facts for every service (or only ``service``), in a fixed number of queries."""
    facts: dict[int, Facts] = defaultdict(Facts)
    if service is not None:
        return _facts_of_one(window, service)
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
    # .order_by(): the links' default order (by partner name) would join and sort for nothing.
    for lead, partner in ProjectPartner.objects.values_list("project__lead_service", "partner").order_by().distinct():
        partners[lead].add(partner)
    links = ProjectPartner.objects.filter(project__contributing_services__isnull=False)
    for service, partner in links.values_list("project__contributing_services", "partner").order_by().distinct():
        partners[service].add(partner)
    for service, found in partners.items():
        facts[service].partners = len(found)
    return facts


# The fields the engagement pages read of a service (and its parent's acronym).
_SERVICE_FIELDS = ("pk", "name", "acronym", "kind", "parent_id", "acculturation", "is_archived", "parent__acronym")


def _ranked_services(window: CycleWindow) -> tuple[dict[int, Facts], list[tuple[Service, Engagement]]]:
    """The facts, and every active service with its engagement, least engaged first."""
    facts = engagement_facts(window)
    services = Service.objects.filter(is_archived=False).select_related("parent").only(*_SERVICE_FIELDS)
    empty = Facts()
    rows = [(service, engagement(facts.get(service.pk, empty))) for service in services]
    rows.sort(key=lambda row: (row[1].index, row[0].name))
    return facts, rows


def service_engagement(window: CycleWindow) -> list[tuple[Service, Engagement]]:
    """Every active service with its engagement, least engaged first."""
    return _ranked_services(window)[1]


def engagement_ranking(
    window: CycleWindow, *, limit: int | None = None
) -> tuple[list[tuple[Service, Engagement]], list[ServiceOpenings]]:
    """The ranking page: every service's engagement and the openings of the
    least engaged, the facts counted once for both."""
    facts, rows = _ranked_services(window)
    return rows, _openings(facts, rows, limit=limit)


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
    for service in Service.objects.filter(is_archived=False).order_by("name").only("pk", "name", "acronym"):
        values = [cells.get((service.pk, d.pk), 0) for d in domains]
        rows.append((service, [(v, heat_levels(v)) for v in values]))
    return domains, rows


def _facts_of_one(window: CycleWindow, service: Service) -> dict[int, Facts]:
    """The facts of one service (its page), the same counts as above."""
    facts = Facts()
    mine = Q(lead_service=service)
    # The projects it joins through a subquery: a join would need COUNT(DISTINCT).
    joined = Project.contributing_services.through.objects.filter(service=service).values("project_id")
    theirs = Q(pk__in=joined)
    counts = (
        Project.objects.filter(rules.active_q())
        .filter(mine | theirs)
        .aggregate(
            led=Count("pk", filter=mine),
            fresh=Count("pk", filter=mine & rules.fresh_q(window)),
            contributed=Count("pk", filter=theirs),
        )
    )
    facts.led, facts.fresh, facts.contributed = counts["led"], counts["fresh"], counts["contributed"]
    seen = Attendance.objects.filter(service=service).aggregate(
        n=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT))
    )
    facts.invited, facts.present = seen["n"], seen["present"]
    owned = (
        ActionItem.objects.filter(owner_service=service)
        .exclude(status=ActionItem.Status.CANCELLED)
        .aggregate(n=Count("pk"), closed=Count("pk", filter=Q(status=ActionItem.Status.DONE)))
    )
    facts.owned, facts.closed = owned["n"], owned["closed"]
    links = ProjectPartner.objects.filter(Q(project__lead_service=service) | Q(project_id__in=joined))
    facts.partners = links.values("partner").distinct().count()
    return {service.pk: facts}


# --- Openings for the least engaged (issue 14) --------------------------------


@dataclass
class ServiceOpenings:
    service: Service
    engagement: Engagement
    openings: Openings
    domains: list[Domain]
    projects: list[Project]
    partners: list[Partner]
    peers: list[Service]
    topics: list[dict]


def _portfolio(now: datetime.datetime, *, with_topics: bool = True) -> tuple[Portfolio, list[dict]]:
    """The ids the openings rule reads: six queries whatever the data (five
    without the committee topics, which the usefulness sheet does not show)."""
    portfolio = Portfolio()
    active = Project.objects.filter(rules.active_q())
    portfolio.project_lead = dict(active.values_list("pk", "lead_service_id").order_by())
    for project, domain in Project.domains.through.objects.filter(rules.active_q("project__")).values_list(
        "project_id", "domain_id"
    ):
        portfolio.project_domains.setdefault(project, set()).add(domain)
    for project, service in Project.contributing_services.through.objects.filter(
        rules.active_q("project__")
    ).values_list("project_id", "service_id"):
        portfolio.project_contributors.setdefault(project, set()).add(service)
    for project, partner in (
        ProjectPartner.objects.filter(rules.active_q("project__")).values_list("project_id", "partner_id").order_by()
    ):
        portfolio.project_partners.setdefault(project, set()).add(partner)
    for service, level in AcculturationChange.objects.order_by(
        "service_id", "changed_on", "created_at", "pk"
    ).values_list("service_id", "level"):
        portfolio.first_level.setdefault(service, level)
    topics: list[dict] = []
    if not with_topics:
        return portfolio, topics
    items = (
        AgendaItem.projects.through.objects.filter(
            agendaitem__meeting__status=Meeting.Status.PLANNED, agendaitem__meeting__starts_at__gte=now
        )
        .filter(rules.active_q("project__"))
        .select_related("agendaitem__meeting__committee")
        .order_by("agendaitem__meeting__starts_at", "agendaitem__position", "pk")
    )
    for link in items:
        portfolio.topics.append((link.agendaitem.meeting.starts_at, link.project_id))
        topics.append(
            {"meeting": link.agendaitem.meeting, "title": link.agendaitem.title, "project_id": link.project_id}
        )
    return portfolio, topics


# What the openings read of every active service, in the model's field order
# (``Model.from_db`` reads loaded values in that order).
_OPENING_FIELDS = ("id", "name", "acronym", "kind", "parent_id", "acculturation", "is_archived")


def service_openings(window: CycleWindow, *, limit: int | None = None) -> list[ServiceOpenings]:
    """The least engaged services that want openings (``openings.wants_openings``),
    least engaged first, each with its openings. A fixed number of queries.

    Only the few services shown become model instances: the others are
    ranked from plain rows (the lead's home reads hundreds of them)."""
    facts = engagement_facts(window)
    fields = [f.attname for f in Service._meta.concrete_fields if f.attname in _OPENING_FIELDS]
    rows = Service.objects.filter(is_archived=False).values_list(*fields, named=True)
    empty = Facts()
    ranked = [(row, engagement(facts.get(row.id, empty))) for row in rows]
    ranked.sort(key=lambda pair: (pair[1].index, pair[0].name))
    db = Service.objects.db

    def as_service(row) -> Service:
        return Service.from_db(db, fields, row)

    return _openings(facts, ranked, limit=limit, as_service=as_service)


def _openings(
    facts: dict[int, Facts],
    ranked: list[tuple[Any, Engagement]],
    *,
    limit: int | None,
    as_service: Callable[[Any], Service] | None = None,
) -> list[ServiceOpenings]:
    """``ranked``: services (or rows with their ``pk``/``id``, ``kind``,
    ``parent_id`` and ``acculturation``, made services by ``as_service``)
    with their engagement, least engaged first."""
    as_service = as_service or (lambda service: service)
    empty = Facts()
    chosen = [
        (s, e)
        for s, e in ranked
        if wants_openings(is_direction=s.kind == Service.Kind.DIRECTION, led=facts.get(s.id, empty).led, index=e.index)
    ][:limit]
    if not chosen:
        return []
    portfolio, topics = _portfolio(timezone.now())
    by_pk = {s.id: s for s, _e in ranked}
    for s in by_pk.values():
        portfolio.parent[s.id] = s.parent_id
        portfolio.level[s.id] = s.acculturation
    domains = {d.pk: d for d in Domain.objects.filter(is_archived=False)}
    found = [(s, e, openings_for(s.id, portfolio)) for s, e in chosen]
    partner_ids = {pk for _s, _e, o in found for pk in o.partners}
    partners = Partner.objects.in_bulk(partner_ids) if partner_ids else {}
    project_ids = {pk for _s, _e, o in found for pk in o.projects}
    projects = Project.objects.only("pk", "code", "name").in_bulk(project_ids) if project_ids else {}
    result = []
    for service, eng, openings in found:
        result.append(
            ServiceOpenings(
                service=as_service(service),
                engagement=eng,
                openings=openings,
                domains=[domains[d] for d in openings.domains if d in domains],
                projects=[projects[p] for p in openings.projects],
                partners=[partners[p] for p in openings.partners if p in partners],
                peers=[as_service(by_pk[p]) for p in openings.peers if p in by_pk],
                topics=[topics[i] for i in openings.topics],
            )
        )
    return result


# --- The usefulness sheet of a service (issue 14) ----------------------------

SHEET_PROJECTS = 8


@dataclass
class ServiceSheet:
    service: Service
    engagement: Engagement
    domains: list[Domain]
    projects: list[Project]  # in its domains, those with proof first, each with indicator_rows and sheet
    partners: list[Partner]
    decisions: list
    peers: list[dict]  # {"service", "first", "projects"}: services that started where it is and moved up


def service_sheet(window: CycleWindow, service: Service) -> ServiceSheet:
    """What to show a service's director: the projects of its domains with
    their results and indicators, the partners involved, the decisions on
    its projects, and what the services that started from its level gained.
    A fixed number of queries."""

    facts = engagement_facts(window, service=service).get(service.pk, Facts())
    portfolio, _topics = _portfolio(timezone.now(), with_topics=False)
    names: dict[int, str] = {}
    live = Service.objects.filter(is_archived=False)
    for pk, parent, level, name in live.values_list("pk", "parent_id", "acculturation", "name"):
        portfolio.parent[pk] = parent
        portfolio.level[pk] = level
        names[pk] = name
    portfolio.parent.setdefault(service.pk, service.parent_id)
    portfolio.level[service.pk] = service.acculturation
    openings = openings_for(service.pk, portfolio)
    domains = list(Domain.objects.filter(pk__in=openings.domains))
    proof = Exists(UsefulnessSheet.objects.filter(project=OuterRef("pk"))) | Exists(
        Indicator.objects.filter(project=OuterRef("pk"), is_archived=False)
    )
    # In its domains through a subquery: a join would need DISTINCT over every column.
    in_domains = Project.domains.through.objects.filter(domain__in=openings.domains).values("project_id")
    projects = list(
        Project.objects.filter(is_archived=False, pk__in=in_domains)
        .annotate(has_proof=proof)
        .select_related("lead_service", "usefulness")
        .order_by("-has_proof", "code")[:SHEET_PROJECTS]
    )
    indicators = indicators_of(projects=[p.pk for p in projects])
    for project in projects:
        project.indicator_rows = indicators.get(project.pk, [])
        project.sheet = sheet_of(project)
    partners = list(
        Partner.objects.filter(project_links__project__in=[p.pk for p in projects])
        .distinct()
        .order_by("name")[:SHEET_PROJECTS]
    )
    own = Q(projects__lead_service=service) | Q(projects__contributing_services=service)
    decisions = list(
        Decision.objects.filter(own).distinct().select_related("meeting__committee").order_by("-meeting__starts_at")[:6]
    )
    peer_ids = openings.peers
    # The few peers shown, from the rows above (what the sheet reads of them): no query more.
    services = {
        pk: Service(pk=pk, name=names[pk], parent_id=portfolio.parent[pk], acculturation=portfolio.level[pk])
        for pk in peer_ids
        if pk in names
    }
    led = defaultdict(list)
    for project in (
        Project.objects.filter(lead_service__in=peer_ids, is_archived=False)
        .filter(proof)
        .order_by("code")
        .only("pk", "code", "name", "lead_service_id")
    ):
        led[project.lead_service_id].append(project)
    peers = [
        {"service": services[pk], "first": portfolio.first_level.get(pk), "projects": led.get(pk, [])[:2]}
        for pk in peer_ids
        if pk in services
    ]
    return ServiceSheet(
        service=service,
        engagement=engagement(facts),
        domains=domains,
        projects=projects,
        partners=partners,
        decisions=decisions,
        peers=peers,
    )
