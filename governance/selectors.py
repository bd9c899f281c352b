"""Reads for the committee pages. Each returns its rows with the joins in
place, so a page costs the same number of queries whatever the data."""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from partners.models import Domain, ElectedOfficial, Service
from programmes import taxonomy
from programmes.cycles import CycleWindow, current_window
from programmes.models import Milestone, Project, StatusReport
from programmes.rules import (
    Freshness,
    active_q,
    attention_health,
    closed_phases,
    due_q,
    fresh_q,
    new_q,
    stale_q,
    worst_health_first,
)

from .models import (
    ActionItem,
    AgendaItem,
    Amendment,
    Attendance,
    Committee,
    Decision,
    Meeting,
    PackDelivery,
)


def official_list() -> QuerySet[ElectedOfficial]:
    return ElectedOfficial.objects.filter(is_active=True).prefetch_related("domains")


def committee_list() -> QuerySet[Committee]:
    return Committee.objects.filter(is_archived=False).annotate(n_meetings=Count("meetings"))


def committee_detail(*, pk: int) -> QuerySet[Committee]:
    return Committee.objects.filter(pk=pk).prefetch_related(
        Prefetch("members", queryset=ElectedOfficial.objects.prefetch_related("domains")),
        "invited_services",
    )


def project_committees(*, project: Project) -> dict:
    """Committee agenda items and decisions that concern a project."""
    return {
        "decisions": Decision.objects.filter(projects=project).select_related("meeting__committee"),
        "agenda_items": AgendaItem.objects.filter(projects=project).select_related("meeting__committee"),
    }


def service_committees(*, service: Service) -> dict:
    """The committees that invite a service, the decisions on the projects it
    leads or contributes to, and the actions it owns."""
    contributed = Project.contributing_services.through.objects.filter(service=service).values("project_id")
    projects = Project.objects.filter(is_archived=False).filter(Q(lead_service=service) | Q(pk__in=contributed))
    return {
        "committees": Committee.objects.filter(invited_services=service, is_archived=False),
        # Through a subquery: a join would need DISTINCT over every selected column.
        "decisions": Decision.objects.filter(
            pk__in=Decision.projects.through.objects.filter(project__in=projects).values("decision_id")
        )
        .select_related("meeting__committee")
        .order_by("-meeting__starts_at", "-pk")[:20],
        "actions": ActionItem.objects.filter(owner_service=service)
        .select_related("meeting__committee")
        .order_by("status", "due_date")[:20],
    }


def next_meeting(*, committee: Committee | None = None) -> Meeting | None:
    qs = Meeting.objects.select_related("committee").filter(
        starts_at__gte=timezone.now(), status=Meeting.Status.PLANNED
    )
    if committee is not None:
        qs = qs.filter(committee=committee)
    return qs.order_by("starts_at").first()


def last_meeting(*, committee: Committee | None = None) -> Meeting | None:
    """The latest meeting held (minutes in draft or approved): its page is
    its minutes."""
    qs = Meeting.objects.select_related("committee").filter(
        starts_at__lt=timezone.now(), status__in=[Meeting.Status.HELD, Meeting.Status.APPROVED]
    )
    if committee is not None:
        qs = qs.filter(committee=committee)
    return qs.order_by("-starts_at", "-pk").first()


def open_actions() -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(status=ActionItem.Status.OPEN).select_related(
        "meeting__committee", "owner_service"
    )


def recent_decisions(*, limit: int = 10) -> QuerySet[Decision]:
    return Decision.objects.select_related("meeting__committee").order_by("-meeting__starts_at", "-pk")[:limit]


# Staleness ----------------------------------------------------------------
# The rule is the reporting cycle's (programmes.rules.stale_q). Callers that
# already hold the request's window pass it and save the cycle query.
def stale_projects(*, as_of: datetime.datetime | None = None, window: CycleWindow | None = None) -> QuerySet[Project]:
    """Active projects whose reporting is stale at ``as_of`` (now by default)."""
    return Project.objects.filter(stale_q(window or current_window(as_of)))


# Meetings -------------------------------------------------------------------
def meeting_detail(*, pk: int) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(pk=pk)
        .select_related("committee", "snapshot")
        .prefetch_related(
            Prefetch("agenda_items", queryset=agenda_items()),
            Prefetch("decisions", queryset=Decision.objects.select_related("agenda_item").prefetch_related("projects")),
            Prefetch("actions", queryset=ActionItem.objects.select_related("owner_service", "closed_in")),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("official", "service", "partner"),
            ),
            Prefetch("amendments", queryset=Amendment.objects.select_related("author", "decision")),
        )
    )


def agenda_items() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.prefetch_related(
        Prefetch("projects", queryset=Project.objects.only("pk", "code", "name", "health"))
    )


def previous_meeting(*, meeting: Meeting) -> Meeting | None:
    """The committee's last meeting before this one that was not cancelled."""
    return (
        Meeting.objects.filter(committee_id=meeting.committee_id, number__lt=meeting.number)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-number")
        .first()
    )


def carried_actions(*, meeting: Meeting) -> QuerySet[ActionItem]:
    """Actions raised at an earlier meeting of the committee that were still
    open when this one took place: open now, or closed in this meeting or a
    later one. Every following meeting shows them until they are closed."""
    return (
        ActionItem.objects.filter(meeting__committee_id=meeting.committee_id, meeting__number__lt=meeting.number)
        .filter(Q(status=ActionItem.Status.OPEN) | Q(closed_in__number__gte=meeting.number))
        .select_related("meeting", "owner_service", "closed_in")
        .order_by("due_date", "pk")
    )


def as_of(meeting: Meeting) -> datetime.datetime:
    """The moment a meeting's figures describe: its date, or now if it is ahead."""
    return min(meeting.starts_at, timezone.now())


def _health_at(moment: datetime.datetime) -> dict[int, str]:
    """Each project's health as of ``moment``: its latest report by then."""
    reports = StatusReport.objects.filter(created_at__lte=moment)
    if connection.vendor == "postgresql":
        # DISTINCT ON reads each project's latest report in one index-friendly pass.
        latest = reports.order_by("project_id", "-created_at", "-pk").distinct("project_id")
        return dict(latest.values_list("project_id", "health"))
    latest_pk = Subquery(
        StatusReport.objects.filter(project=OuterRef("project"), created_at__lte=moment)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return dict(reports.filter(pk=latest_pk).values_list("project_id", "health"))


def health_changes(*, since: datetime.datetime, until: datetime.datetime) -> list[dict[str, Any]]:
    """Active projects whose health at ``until`` differs from their health at
    ``since``, read from the status-report history (``health_before`` is None
    when the project had not reported yet). Three queries."""
    before, after = _health_at(since), _health_at(until)
    changed = {pk for pk, health in after.items() if before.get(pk) != health}
    rows = (
        Project.objects.active()
        .filter(pk__in=changed)
        .order_by("code")
        .values("pk", "code", "name", "health", lead=F("lead_service__acronym"))
    )
    return [{**row, "health_before": before.get(row["pk"]), "health_after": after[row["pk"]]} for row in rows]


def agenda_proposals(*, meeting: Meeting, limit: int = 8) -> dict[str, list]:
    """What the lead may want on the agenda: projects whose health changed
    since the previous meeting, projects stale in reporting, overdue open
    actions. Projects already on the agenda are left out."""
    previous = previous_meeting(meeting=meeting)
    until = as_of(meeting)
    on_agenda = AgendaItem.projects.through.objects.filter(agendaitem__meeting=meeting).values("project_id")
    changed: list[Project] = []
    if previous is not None:
        taken = set(on_agenda.values_list("project_id", flat=True))
        rows = [row for row in health_changes(since=previous.starts_at, until=until) if row["pk"] not in taken]
        projects = Project.objects.select_related("lead_service").in_bulk([row["pk"] for row in rows[:limit]])
        for row in rows[:limit]:
            project = projects[row["pk"]]
            project.health_before = row["health_before"]
            project.health_before_label = taxonomy.health_label(row["health_before"]) if row["health_before"] else None
            changed.append(project)
    stale = list(
        stale_projects(as_of=until)
        .exclude(pk__in=on_agenda)
        .select_related("lead_service")
        .order_by(F("last_reported_at").asc(nulls_first=True), "code")[:limit]
    )
    overdue = list(
        ActionItem.objects.filter(
            meeting__committee_id=meeting.committee_id,
            meeting__number__lt=meeting.number,
            status=ActionItem.Status.OPEN,
            due_date__lt=until.date(),
        )
        # An agenda item made from an action ends with the action's title
        # (agenda_item_propose_action); AgendaItem has no link to actions.
        .exclude(Exists(AgendaItem.objects.filter(meeting=meeting, title__endswith=OuterRef("title"))))
        .select_related("meeting", "owner_service")
        .order_by("due_date", "pk")[:limit]
    )
    return {"changed": changed, "stale": stale, "overdue": overdue}


def pack_deliveries(*, meeting: Meeting, limit: int = 50) -> list[PackDelivery]:
    """The pack's send log on the meeting page, newest first. One query."""
    return list(
        PackDelivery.objects.filter(edition__meeting=meeting)
        .select_related("edition", "official", "requested_by")
        .order_by("-requested_at", "-pk")[:limit]
    )


# The decision register -----------------------------------------------------
def decision_register() -> QuerySet[Decision]:
    return (
        Decision.objects.select_related("meeting__committee", "agenda_item")
        .prefetch_related(
            Prefetch("projects", queryset=Project.objects.only("pk", "code", "name")),
            Prefetch("amendments", queryset=Amendment.objects.order_by("created_at")),
        )
        .order_by("-meeting__starts_at", "-pk")
    )


# The meeting pack -----------------------------------------------------------
def _money(value: Decimal | None) -> str:
    return str((value or Decimal(0)).quantize(Decimal("1")))


def portfolio_snapshot_data(*, moment: datetime.datetime) -> dict[str, Any]:
    """The portfolio as JSON-ready data, for a pack snapshot: 2 queries, read
    as values (a thousand model instances would cost more than the page)."""
    window = current_window(moment)
    domain_names: dict[int, list[str]] = defaultdict(list)
    for project_id, name in (
        Project.domains.through.objects.filter(project__is_archived=False)
        .order_by("domain__position", "domain__name")
        .values_list("project_id", "domain__name")
    ):
        domain_names[project_id].append(name)
    rows = []
    for p in (
        Project.objects.open()
        .order_by("code")
        .values(
            "pk",
            "code",
            "name",
            "health",
            "progress",
            "phase",
            "budget_planned",
            "budget_spent",
            "last_reported_at",
            lead=F("lead_service__acronym"),
            active=ExpressionWrapper(active_q(), output_field=BooleanField()),
            stale=ExpressionWrapper(stale_q(window), output_field=BooleanField()),
            freshness=freshness_case(window),
        )
    ):
        reported = p["last_reported_at"]
        rows.append(
            {
                "pk": p["pk"],
                "code": p["code"],
                "name": p["name"],
                "health": p["health"],
                "progress": p["progress"],
                "phase": p["phase"],
                "domains": domain_names.get(p["pk"], []),
                "lead_service": p["lead"],
                "budget_planned": _money(p["budget_planned"]),
                "budget_spent": _money(p["budget_spent"]),
                "last_reported_at": reported.isoformat() if reported else None,
                "active": p["active"],
                "stale": p["stale"],
                "freshness": p["freshness"],
            }
        )
    _add_latest_reports(rows, moment=moment)
    return {"taken_for": moment.isoformat(), "projects": rows}


def freshness_case(window: CycleWindow) -> Case:
    """``programmes.rules.freshness_of`` in SQL, from its Q twins."""
    return Case(
        When(fresh_q(window), then=Value(Freshness.FRESH)),
        When(due_q(window), then=Value(Freshness.DUE)),
        When(new_q(window), then=Value(Freshness.NEW)),
        When(active_q(), then=Value(Freshness.STALE)),
        default=Value(Freshness.CLOSED),
        output_field=CharField(),
    )


def _add_latest_reports(rows: list[dict], *, moment: datetime.datetime) -> None:
    """The pack's annex details the projects at risk or off track with their
    latest report (comment, next milestone). One query."""
    attention = attention_health()
    wanted = [row["pk"] for row in rows if row["health"] in attention and row["active"]]
    if not wanted:
        return
    reports = StatusReport.objects.filter(project_id__in=wanted, created_at__lte=moment)
    if connection.vendor == "postgresql":
        reports = reports.order_by("project_id", "-created_at", "-pk").distinct("project_id")
    else:
        latest = Subquery(
            StatusReport.objects.filter(project=OuterRef("project"), created_at__lte=moment)
            .order_by("-created_at", "-pk")
            .values("pk")[:1]
        )
        reports = reports.filter(pk=latest)
    latest_by_project = {
        r["project_id"]: r
        for r in reports.values("project_id", "comment", "next_milestone", "next_milestone_date", "created_at")
    }
    for row in rows:
        report = latest_by_project.get(row["pk"])
        if report is not None:
            row["report"] = {
                "comment": report["comment"],
                "next_milestone": report["next_milestone"],
                "next_milestone_date": report["next_milestone_date"] and report["next_milestone_date"].isoformat(),
                "reported_at": report["created_at"].isoformat(),
            }


def since_last_committee(*, meeting: Meeting) -> dict[str, Any]:
    """What changed between the previous meeting of the committee and this one."""
    previous = previous_meeting(meeting=meeting)
    until = as_of(meeting)
    since = previous.starts_at if previous else until - datetime.timedelta(days=60)
    window = (since.date(), until.date())
    changed = health_changes(since=since, until=until)
    # New means registered in Orchestre since the last meeting, whatever its
    # start date: a project logged late is still news to the committee.
    new = list(
        Project.objects.open()
        .filter(created_at__range=(since, until))
        .order_by("code")
        .values("pk", "code", "name", "phase")
    )
    closed = list(
        Project.objects.filter(phase__in=closed_phases(), end_date__range=window)
        .order_by("code")
        .values("pk", "code", "name", "phase")
    )
    milestones = Milestone.objects.filter(
        Q(reached_on__range=window) | Q(due_date__range=(window[0], window[1] - datetime.timedelta(days=1)))
    ).values("pk", "title", "due_date", "reached_on", "project_id", project_code=F("project__code"))
    reached, missed = [], []
    for m in milestones.order_by("due_date", "pk"):
        row = {
            **m,
            "due_date": m["due_date"].isoformat(),
            "reached_on": m["reached_on"] and m["reached_on"].isoformat(),
        }
        if m["reached_on"] and window[0] <= m["reached_on"] <= window[1]:
            reached.append(row)
        elif m["reached_on"] is None or m["reached_on"] > m["due_date"]:
            missed.append(row)
    last_decisions: list[dict] = []
    last_actions: list[dict] = []
    if previous is not None:
        last_decisions = [
            {"pk": d.pk, "text": d.text, "projects": [p.code for p in d.projects.all()]}
            for d in previous.decisions.prefetch_related(Prefetch("projects", queryset=Project.objects.only("code")))
        ]
        last_actions = [_action_row(a) for a in previous.actions.select_related("owner_service", "closed_in")]
    overdue = [
        _action_row(a)
        for a in ActionItem.objects.filter(
            meeting__committee_id=meeting.committee_id,
            meeting__number__lt=meeting.number,
            status=ActionItem.Status.OPEN,
            due_date__lt=until.date(),
        )
        .select_related("owner_service", "meeting", "closed_in")
        .order_by("due_date", "pk")
    ]
    return {
        "previous": {"pk": previous.pk, "number": previous.number, "starts_at": previous.starts_at.isoformat()}
        if previous
        else None,
        "health_changed": changed,
        "new_projects": new,
        "closed_projects": closed,
        "milestones_reached": reached,
        "milestones_missed": missed,
        "last_decisions": last_decisions,
        "last_actions": last_actions,
        "overdue_actions": overdue,
    }


def _action_row(action: ActionItem) -> dict[str, Any]:
    return {
        "pk": action.pk,
        "title": action.title,
        "owner": action.owner_service.acronym if action.owner_service else action.owner_name,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
        "raised_in": action.meeting.number,
        "closed_in": action.closed_in.number if action.closed_in else None,
    }


def pack_data(*, meeting: Meeting) -> dict[str, Any]:
    """Everything a pack shows besides the agenda, as JSON-ready data."""
    moment = as_of(meeting)
    return {"portfolio": portfolio_snapshot_data(moment=moment), "since": since_last_committee(meeting=meeting)}


def summarise_portfolio(rows: list[dict]) -> dict[str, Any]:
    """Counts for the pack's summary and charts, from snapshot rows (no query)."""
    health_order = [value for value, _label in taxonomy.health_choices()]
    by_domain: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(health_order, 0))
    budget_by_domain: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    by_health = dict.fromkeys(health_order, 0)
    freshness_order = [Freshness.FRESH, Freshness.DUE, Freshness.NEW, Freshness.STALE]
    by_freshness = dict.fromkeys(freshness_order, 0)
    # Snapshots frozen before they carried "active" knew only open projects,
    # so there, active means not closed.
    closed = closed_phases()
    active = [r for r in rows if r.get("active", r["phase"] not in closed)]
    for row in active:
        by_health[row["health"]] = by_health.get(row["health"], 0) + 1
        # Snapshots frozen before they carried "freshness" knew only "stale".
        state = row.get("freshness") or (Freshness.STALE if row["stale"] else Freshness.FRESH)
        by_freshness[state] = by_freshness.get(state, 0) + 1
        planned, spent = Decimal(row["budget_planned"]), Decimal(row["budget_spent"])
        for name in row["domains"] or ["—"]:
            by_domain[name][row["health"]] = by_domain[name].get(row["health"], 0) + 1
            budget_by_domain[name][0] += planned
            budget_by_domain[name][1] += spent
    # An archived level is listed only while an active project holds it.
    hidden = set(health_order) - {value for value, _label in taxonomy.health_shown(by_health)}
    if hidden:
        by_health = {value: n for value, n in by_health.items() if value not in hidden}
        for counts in by_domain.values():
            for value in hidden:
                counts.pop(value, None)
    return {
        "n_active": len(active),
        "n_stale": sum(1 for r in active if r["stale"]),
        "by_health": by_health,
        "by_domain": sorted(by_domain.items()),
        "by_freshness": by_freshness,
        "budget_by_domain": sorted((name, planned, spent) for name, (planned, spent) in budget_by_domain.items()),
        "budget_planned": sum((Decimal(r["budget_planned"]) for r in active), Decimal(0)),
        "budget_spent": sum((Decimal(r["budget_spent"]) for r in active), Decimal(0)),
        "attention": [r for r in active if r["health"] in attention_health()],
        "active": active,
    }


# The officials' dashboard ---------------------------------------------------
def dashboard_domains(*, official: ElectedOfficial | None, window: CycleWindow | None = None) -> list[Domain]:
    """Domains with active-project counts by health, stale counts, budgets and
    mean progress; the official's own domains first. One query (+1 for the
    official's domains)."""
    active = active_q("projects__")
    annotations: dict[str, Any] = {
        "n_active": Count("projects", filter=active),
        "n_stale": Count("projects", filter=stale_q(window or current_window(), prefix="projects__")),
        "budget_planned": Sum("projects__budget_planned", filter=active),
        "budget_spent": Sum("projects__budget_spent", filter=active),
        "progress_sum": Sum("projects__progress", filter=active),
    }
    for value, _label in taxonomy.health_choices():
        annotations[f"n_{value}"] = Count("projects", filter=active & Q(projects__health=value))
    domains = list(Domain.objects.filter(is_archived=False).annotate(**annotations).order_by("position", "name"))
    # An archived level is a column only while a project counted here holds it.
    totals = {value: sum(getattr(d, f"n_{value}") for d in domains) for value, _label in taxonomy.health_choices()}
    levels = taxonomy.health_shown(totals)
    own = set(official.domains.values_list("pk", flat=True)) if official else set()
    for domain in domains:
        domain.is_own = domain.pk in own
        domain.mean_progress = round(domain.progress_sum / domain.n_active) if domain.n_active else 0
        domain.health_counts = [(value, label, getattr(domain, f"n_{value}")) for value, label in levels]
    domains.sort(key=lambda d: not d.is_own)
    return domains


def official_projects(*, official: ElectedOfficial, limit: int = 15) -> QuerySet[Project]:
    """Active projects in the official's domains or sponsored by them, the
    worst health first."""
    worst_first = worst_health_first()
    ids = Project.objects.active().filter(Q(domains__officials=official) | Q(sponsor=official)).values("pk")
    return (
        Project.objects.filter(pk__in=ids)
        .select_related("lead_service")
        .prefetch_related("domains")
        .order_by(worst_first, "code")[:limit]
    )


def official_decisions(*, official: ElectedOfficial, limit: int = 20) -> QuerySet[Decision]:
    """Decisions on the projects an official sponsors."""
    return (
        Decision.objects.filter(projects__sponsor=official)
        .select_related("meeting__committee")
        .distinct()
        .order_by("-meeting__starts_at", "-pk")[:limit]
    )
