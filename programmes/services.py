"""Writes on programmes, projects and status reporting.

Every function is keyword-only, atomic and validates with ``full_clean()``;
a write on a project bumps ``Project.version`` so that an edit form opened
earlier is refused instead of overwriting (``smartcity.base.concurrency``).
Health and progress are never edited directly: they follow the latest
status report (``status_reports_submit``).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from partners.models import Domain, ElectedOfficial, Partner, Service
from partners.services import partner_create
from smartcity.base.dates import add_months, month_start
from smartcity.base.events import send_on_commit
from smartcity.base.queue import enqueue
from smartcity.base.records import record_archive, record_create, record_move, record_update
from smartcity.base.roles import Role

from . import selectors, signals, taxonomy
from .cycles import open_cycle, window_for
from .models import (
    Agreement,
    DataAsset,
    HealthOption,
    Idea,
    IdeaState,
    IdeaTransition,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    PhaseOption,
    Programme,
    Project,
    ProjectPartner,
    ReminderLog,
    ReportingCycle,
    Severity,
    SmartCityPlan,
    StatusReport,
    Target,
    UsefulnessSheet,
)
from .rules import (
    agreement_expiring_q,
    can_decide_idea,
    can_edit_milestones,
    can_propose_idea,
    can_record_indicator,
    can_report,
    freshness_of,
    proposal_relationship,
)
from .rules import idea_moves as rules_idea_moves

PROJECT_FIELDS = (
    "programme",
    "code",
    "name",
    "summary",
    "lead_service",
    "sponsor",
    "phase",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_committed",
    "budget_spent",
    "is_public",
)
PROJECT_M2M = ("domains", "contributing_services")
PROGRAMME_FIELDS = ("name", "description", "start_date", "end_date")


# Programmes -------------------------------------------------------------


@transaction.atomic
def programme_create(*, data: Mapping[str, Any]) -> Programme:
    return record_create(Programme, data=data, fields=PROGRAMME_FIELDS)


@transaction.atomic
def programme_update(*, programme: Programme, token: str | None, data: Mapping[str, Any]) -> Programme:
    return record_update(programme, token=token, data=data, fields=PROGRAMME_FIELDS)


@transaction.atomic
def programme_archive(*, programme: Programme) -> Programme:
    return record_archive(programme)


# The plan, its objectives and targets (issue 13) ----------------------------

PLAN_FIELDS = ("title", "summary", "period_start", "period_end", "adopted_on", "adopted_by")
OBJECTIVE_FIELDS = ("code", "title", "description", "position")
OBJECTIVE_M2M = ("domains", "programmes", "projects")
TARGET_FIELDS = ("label", "unit", "baseline", "target_value", "target_date", "current_value", "measured_on")


@transaction.atomic
def plan_create(*, data: Mapping[str, Any]) -> SmartCityPlan:
    return record_create(SmartCityPlan, data=data, fields=PLAN_FIELDS)


@transaction.atomic
def plan_update(*, plan: SmartCityPlan, token: str | None, data: Mapping[str, Any]) -> SmartCityPlan:
    return record_update(plan, token=token, data=data, fields=PLAN_FIELDS)


@transaction.atomic
def objective_create(*, plan: SmartCityPlan, data: Mapping[str, Any]) -> Objective:
    return record_create(Objective, data=data, fields=OBJECTIVE_FIELDS, m2m=OBJECTIVE_M2M, plan=plan)


@transaction.atomic
def objective_update(*, objective: Objective, token: str | None, data: Mapping[str, Any]) -> Objective:
    return record_update(objective, token=token, data=data, fields=OBJECTIVE_FIELDS, m2m=OBJECTIVE_M2M)


@transaction.atomic
def objective_archive(*, objective: Objective) -> Objective:
    return record_archive(objective)


@transaction.atomic
def target_create(*, objective: Objective, data: Mapping[str, Any]) -> Target:
    return record_create(Target, data=data, fields=TARGET_FIELDS, objective=objective)


@transaction.atomic
def target_update(*, target: Target, token: str | None, data: Mapping[str, Any]) -> Target:
    return record_update(target, token=token, data=data, fields=TARGET_FIELDS)


# Ideas and proposals: the emergence of projects (issue 13) ---------------

IDEA_FIELDS = ("title", "need", "benefit", "domain", "proposing_service")
PROPOSAL_FIELDS = ("title", "need", "benefit", "domain", "partner", "technology", "contact", "received_on")
IDEA_M2M = ("services_concerned",)


def _log_move(*, idea: Idea, from_state: str, to_state: str, reason: str, by: AbstractBaseUser) -> IdeaTransition:
    now = timezone.now()
    transition = IdeaTransition(
        idea=idea, from_state=from_state, to_state=to_state, reason=reason, decided_by=by, decided_at=now
    )
    transition.full_clean()
    transition.save()
    return transition


@transaction.atomic
def idea_propose(*, by: AbstractBaseUser, data: Mapping[str, Any]) -> Idea:
    """A service's idea, by the lead or by a director for a service they
    direct (``rules.can_propose_idea``; PermissionDenied otherwise, nothing
    written). It starts *new*, its first transition logged."""
    if not can_propose_idea(by, data.get("proposing_service")):
        raise PermissionDenied("may not propose an idea for this service")
    idea = record_create(Idea, data=data, fields=IDEA_FIELDS, m2m=IDEA_M2M, kind=Idea.Kind.IDEA, proposed_by=by)
    _log_move(idea=idea, from_state="", to_state=IdeaState.NEW, reason=gettext("Idea proposed."), by=by)
    return idea


@transaction.atomic
def proposal_record(*, by: AbstractBaseUser, data: Mapping[str, Any]) -> Idea:
    """A company's or a research partner's proposal, recorded by the lead."""
    if not can_decide_idea(by):
        raise PermissionDenied("only the lead records proposals")
    idea = record_create(Idea, data=data, fields=PROPOSAL_FIELDS, m2m=IDEA_M2M, kind=Idea.Kind.PROPOSAL, proposed_by=by)
    _log_move(idea=idea, from_state="", to_state=IdeaState.NEW, reason=gettext("Proposal recorded."), by=by)
    return idea


@transaction.atomic
def idea_update(*, idea: Idea, by: AbstractBaseUser, token: str | None, data: Mapping[str, Any]) -> Idea:
    """The lead corrects an idea or a proposal (its state moves apart)."""
    if not can_decide_idea(by):
        raise PermissionDenied("only the lead edits ideas")
    fields = PROPOSAL_FIELDS if idea.kind == Idea.Kind.PROPOSAL else IDEA_FIELDS
    return record_update(idea, token=token, data=data, fields=fields, m2m=IDEA_M2M)


def _locked_idea(idea: Idea, expected_state: str | None) -> Idea:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if expected_state is not None and idea.state != expected_state:
        raise ValidationError(
            gettext("Somebody moved this idea to “%(state)s” since you opened the page. Nothing was changed.")
            % {"state": idea.get_state_display()}
        )
    return idea


@transaction.atomic
def idea_move(
    *, idea: Idea, to_state: str, reason: str, by: AbstractBaseUser, expected_state: str | None = None
) -> Idea:
    """Move an idea through the pipeline (``rules.IDEA_MOVES``), with a
    reason, by the lead only; the move is logged. ``expected_state`` is the
    state the decider saw: a move made meanwhile refuses this one. Accepting
    goes through ``idea_accept`` (it creates the project)."""
    if not can_decide_idea(by):
        raise PermissionDenied("only the lead moves ideas")
    idea = _locked_idea(idea, expected_state)
    if to_state == IdeaState.ACCEPTED or to_state not in rules_idea_moves(idea):
        raise ValidationError({"to_state": gettext("This idea cannot move there from its current state.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": gettext("Give the reason for this decision.")})
    from_state = idea.state
    idea.state = to_state
    idea.state_changed_at = timezone.now()
    idea.save(update_fields=["state", "state_changed_at", "updated_at"])
    _log_move(idea=idea, from_state=from_state, to_state=to_state, reason=reason.strip(), by=by)
    return idea


@transaction.atomic
def idea_accept(
    *,
    idea: Idea,
    by: AbstractBaseUser,
    reason: str,
    project_data: Mapping[str, Any],
    expected_state: str | None = None,
    partner_relationship: str | None = None,
) -> Project:
    """Accept an idea as a project: the project is created (``project_create``)
    from ``project_data`` (programme, code, name, lead service) and what the
    idea says (its need as summary, its domain, the services concerned as
    contributors, the proposing partner linked as ``partner_relationship``,
    by default ``rules.proposal_relationship``, its technology as the link's
    role, since today); the idea keeps its history and points to the project."""
    if not can_decide_idea(by):
        raise PermissionDenied("only the lead accepts ideas")
    idea = _locked_idea(idea, expected_state)
    if IdeaState.ACCEPTED not in rules_idea_moves(idea):
        raise ValidationError(gettext("This idea cannot be accepted from its current state."))
    if not (reason or "").strip():
        raise ValidationError({"reason": gettext("Give the reason for this decision.")})
    data = {
        "summary": idea.need,
        "domains": [idea.domain] if idea.domain_id else [],
        "contributing_services": list(idea.services_concerned.all()),
        **project_data,
    }
    project = project_create(data=data)
    if idea.partner_id is not None:
        link = ProjectPartner(
            project=project,
            partner=idea.partner,
            relationship=partner_relationship or proposal_relationship(idea.partner),
            role=idea.technology,
            start_date=timezone.localdate(),
        )
        link.full_clean()
        link.save()
    from_state = idea.state
    idea.state = IdeaState.ACCEPTED
    idea.state_changed_at = timezone.now()
    idea.project = project
    idea.save(update_fields=["state", "state_changed_at", "project", "updated_at"])
    _log_move(idea=idea, from_state=from_state, to_state=IdeaState.ACCEPTED, reason=reason.strip(), by=by)
    return project


# Projects ---------------------------------------------------------------


def _bump(project: Project, *fields: str) -> None:
    """Next version, saved (with a history record) BEFORE any m2m change, so
    that the history's last record at the old version is the state an edit
    form opened at that version showed."""
    project.version += 1
    project.save(update_fields=["version", "updated_at", *fields])


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _without_lead(data: Mapping[str, Any], lead_service: Service | None) -> Mapping[str, Any]:
    """The lead service is never also listed as a contributor."""
    if "contributing_services" not in data:
        return data
    lead = data.get("lead_service", lead_service)
    return {**data, "contributing_services": [s for s in data["contributing_services"] if s != lead]}


def _add_partners(
    project: Project, partner_links: Iterable[tuple[Partner, str]], new_partner: Mapping[str, str] | None
) -> None:
    """Link the partners picked in the project form, and create the one
    typed there that was not in the list yet. Inside the project's
    transaction: an invalid partner leaves no project, no partner, no link."""
    links = list(partner_links)
    if new_partner:
        try:
            partner = partner_create(data={"name": new_partner["name"], "category": new_partner["category"]})
        except ValidationError as exc:
            raise ValidationError({"new_partner_name": exc.messages}) from exc
        links.append((partner, new_partner["relationship"]))
    for partner, relationship in links:
        link = ProjectPartner(project=project, partner=partner, relationship=relationship)
        link.full_clean()
        link.save()


@transaction.atomic
def project_create(
    *,
    data: Mapping[str, Any],
    partner_links: Iterable[tuple[Partner, str]] = (),
    new_partner: Mapping[str, str] | None = None,
) -> Project:
    """Create a project with its domains, contributing services and
    partners (``partner_links``: (partner, relationship kind) pairs;
    ``new_partner``: name, category and relationship of a partner to
    create with it)."""
    project = record_create(Project, data=_without_lead(data, None), fields=PROJECT_FIELDS, m2m=PROJECT_M2M)
    _add_partners(project, partner_links, new_partner)
    send_on_commit(signals.project_created, sender=Project, project=project)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    token: str | None,
    data: Mapping[str, Any],
    partner_links: Iterable[tuple[Partner, str]] = (),
    new_partner: Mapping[str, str] | None = None,
) -> Project:
    """Save an edit opened at ``token`` (the project's version then).
    Refused (StaleEditError, nothing written) if somebody else saved the
    project since. Health and progress are not fields of an edit: they
    follow the status reports. Partners are added as in ``project_create``."""
    data = _without_lead(data, project.lead_service)
    project = record_update(project, token=token, data=data, fields=PROJECT_FIELDS, m2m=PROJECT_M2M)
    _add_partners(project, partner_links, new_partner)
    send_on_commit(signals.project_updated, sender=Project, project=project)
    return project


@transaction.atomic
def project_archive(*, project: Project) -> Project:
    """Archive (never delete): the project leaves lists; its history stays."""
    project = _locked(project)
    project.is_archived = True
    _bump(project, "is_archived")
    return project


@transaction.atomic
def project_service_link(*, project: Project, service: Service, as_lead: bool = False) -> Project:
    """Make ``service`` the lead or a contributor. A new lead's predecessor
    becomes a contributor, so nobody silently drops off the project."""
    project = _locked(project)
    if as_lead:
        previous = project.lead_service
        if previous.pk != service.pk:
            project.lead_service = service
            project.full_clean()
            _bump(project, "lead_service")
            project.contributing_services.remove(service)
            project.contributing_services.add(previous)
    elif service.pk != project.lead_service_id:
        _bump(project)
        project.contributing_services.add(service)
    return project


@transaction.atomic
def project_service_unlink(*, project: Project, service: Service) -> Project:
    """Remove a contributor. The lead service cannot be unlinked: a project
    always has one (choose another lead instead)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    project = _locked(project)
    if service.pk == project.lead_service_id:
        raise ValidationError(gettext("The lead service cannot be removed; choose another lead first."))
    _bump(project)
    project.contributing_services.remove(service)
    return project


@transaction.atomic
def project_domain_link(*, project: Project, domain: Domain) -> Project:
    project = _locked(project)
    _bump(project)
    project.domains.add(domain)
    return project


@transaction.atomic
def project_domain_unlink(*, project: Project, domain: Domain) -> Project:
    project = _locked(project)
    _bump(project)
    project.domains.remove(domain)
    return project


@transaction.atomic
def project_sponsor_set(*, project: Project, sponsor: ElectedOfficial | None) -> Project:
    project = _locked(project)
    project.sponsor = sponsor
    _bump(project, "sponsor")
    return project


@transaction.atomic
def project_partner_link(
    *,
    project: Project,
    partner: Partner,
    relationship: str,
    role: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> ProjectPartner:
    """Add a typed, dated link. The same partner may hold several kinds."""
    project = _locked(project)
    link = ProjectPartner(
        project=project,
        partner=partner,
        relationship=relationship,
        role=role,
        start_date=start_date,
        end_date=end_date,
    )
    link.full_clean()
    link.save()
    _bump(project)
    return link


@transaction.atomic
def project_partner_unlink(*, link: ProjectPartner) -> None:
    """Remove a link row; django-simple-history keeps a record of it."""
    project = _locked(link.project)
    link.delete()
    _bump(project)


# --- Milestones ------------------------------------------------------------------

MILESTONE_FIELDS = ("title", "due_date", "reached_on", "status")


def _may_edit_milestones(by: AbstractBaseUser, project: Project) -> None:
    if not can_edit_milestones(by, project):
        raise PermissionDenied(f"may not edit the milestones of project {project.pk}")


@transaction.atomic
def milestone_create(*, project: Project, by: AbstractBaseUser, data: Mapping[str, Any]) -> Milestone:
    """Add a milestone to ``project``; ``by`` must pass ``can_edit_milestones``
    (PermissionDenied, nothing written)."""
    _may_edit_milestones(by, project)
    return record_create(Milestone, data=data, fields=MILESTONE_FIELDS, project=project)


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, by: AbstractBaseUser, token: str | None, data: Mapping[str, Any]
) -> Milestone:
    """Save an edit opened at ``token`` (the milestone's version then):
    refused with StaleEditError if somebody saved it since, with
    PermissionDenied if ``by`` may not edit the project's milestones."""
    _may_edit_milestones(by, milestone.project)
    return record_update(milestone, token=token, data=data, fields=MILESTONE_FIELDS)


# --- Status reporting ------------------------------------------------------------

log = logging.getLogger("orchestre.reporting")

# --- Status reports -----------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One project's line in a report submission."""

    project_id: int
    health: str = ""
    progress: int | None = None
    comment: str = ""
    next_milestone: str = ""
    next_milestone_date: datetime.date | None = None
    based_on_id: int | None = None
    is_no_change: bool = False


DUPLICATE_WINDOW = datetime.timedelta(minutes=15)


def _is_repeat(row: ReportRow, report: StatusReport, *, author: AbstractBaseUser, now: datetime.datetime) -> bool:
    """``report`` is ``row`` already filed: same author, a moment ago, same
    content, and the only report since the one the row was based on."""
    if report.author_id != author.pk or not (now - DUPLICATE_WINDOW <= report.created_at <= now):
        return False
    if row.is_no_change:
        same = report.is_no_change and report.comment == row.comment
    else:
        same = not report.is_no_change and (
            report.health,
            report.progress,
            report.comment,
            report.next_milestone,
            report.next_milestone_date,
        ) == (row.health, row.progress, row.comment, row.next_milestone, row.next_milestone_date)
    if not same:
        return False
    before = (
        StatusReport.objects.filter(project_id=row.project_id)
        .exclude(pk=report.pk)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return before == row.based_on_id


class ReportConflict(Exception):
    """Somebody reported on these projects after the form was opened.
    ``newer`` maps project id to the report the form did not know about."""

    def __init__(self, newer: dict[int, StatusReport]) -> None:
        super().__init__(f"newer reports exist for projects {sorted(newer)}")
        self.newer = newer


class NothingToRepeat(ValueError):
    """ "No change" needs an earlier report to repeat."""

    def __init__(self, project_ids: list[int]) -> None:
        super().__init__(f"no earlier report for projects {project_ids}")
        self.project_ids = project_ids


@transaction.atomic
def status_reports_submit(
    *, author: AbstractBaseUser, rows: Iterable[ReportRow], now: datetime.datetime | None = None
) -> list[StatusReport]:
    """File one new StatusReport per row; each project's health, progress
    and ``last_reported_at`` follow its report. All rows or none.

    Concurrency (two tabs, two people): each row carries ``based_on_id``,
    the latest report its form was built from (None when there was none).
    The projects are locked, then if a project has a newer latest report the
    whole submission is refused with ``ReportConflict`` naming the newer
    reports, so nobody's report is silently overwritten; the form shows them
    and the author re-submits knowingly.

    A row sent twice (a double click, a resubmitted form) is not a conflict:
    when the one report filed since ``based_on_id`` is the same author's,
    filed within ``DUPLICATE_WINDOW`` with the same content, the row is a
    no-op and that report is returned with ``already_recorded = True``.

    A "no change" row repeats the latest report's health, progress and next
    milestone, whatever values it carries.

    Raises PermissionDenied if ``author`` may not report on a project (the
    views check first and log; this is the last line of defence).
    """
    rows = list(rows)
    now = now or timezone.now()
    ids = [row.project_id for row in rows]
    if len(set(ids)) != len(ids):
        raise ValueError("a project appears twice in one submission")
    # Lock in primary-key order: two submissions touching the same projects
    # queue up instead of deadlocking.
    projects = {
        p.pk: p
        for p in Project.objects.select_for_update(of=("self",))
        .select_related("lead_service")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    for project_id in ids:
        project = projects.get(project_id)
        if project is None or not can_report(author, project):
            raise PermissionDenied(f"may not report on project {project_id}")
    latest = {
        p.pk: p.latest_report_id
        for p in Project.objects.filter(pk__in=ids).annotate(latest_report_id=selectors.latest_report_id_subquery())
    }
    newer = {row.project_id: latest[row.project_id] for row in rows if latest[row.project_id] != row.based_on_id}
    already: dict[int, StatusReport] = {}
    if newer:
        reports = StatusReport.objects.select_related("author").in_bulk(newer.values())
        for row in rows:
            report = reports.get(newer.get(row.project_id))
            if report is not None and _is_repeat(row, report, author=author, now=now):
                report.already_recorded = True
                already[row.project_id] = report
        conflicts = {pid: reports[rid] for pid, rid in newer.items() if pid not in already}
        if conflicts:
            raise ReportConflict(conflicts)
    previous = StatusReport.objects.in_bulk([rid for rid in latest.values() if rid])
    missing = [
        row.project_id
        for row in rows
        if row.is_no_change and not latest[row.project_id] and row.project_id not in already
    ]
    if missing:
        raise NothingToRepeat(missing)

    created = []
    for row in rows:
        project = projects[row.project_id]
        if row.project_id in already:
            created.append(already[row.project_id])
            continue
        # "No change" repeats the latest report's status; a comment is its own.
        source = previous[latest[row.project_id]] if row.is_no_change else row
        report = StatusReport(
            project=project,
            author=author,
            created_at=now,
            health=source.health,
            progress=source.progress,
            comment=row.comment,
            next_milestone=source.next_milestone,
            next_milestone_date=source.next_milestone_date,
            is_no_change=row.is_no_change,
        )
        report.full_clean()
        if taxonomy.severity_of(report.health) == Severity.UNKNOWN:
            raise ValueError("a report states a health")
        report.save()
        project.health = report.health
        project.progress = report.progress
        project.last_reported_at = now
        project.version += 1
        project.save(update_fields=["health", "progress", "last_reported_at", "version", "updated_at"])
        created.append(report)
        send_on_commit(signals.status_reported, sender=StatusReport, report=report)
    return created


def status_report_submit(
    *,
    project: Project,
    author: AbstractBaseUser,
    health: str = "",
    progress: int | None = None,
    comment: str = "",
    next_milestone: str = "",
    next_milestone_date: datetime.date | None = None,
    based_on_id: int | None = None,
    is_no_change: bool = False,
) -> StatusReport:
    """One project's report; see ``status_reports_submit``."""
    row = ReportRow(
        project_id=project.pk,
        health=health,
        progress=progress,
        comment=comment,
        next_milestone=next_milestone,
        next_milestone_date=next_milestone_date,
        based_on_id=based_on_id,
        is_no_change=is_no_change,
    )
    return status_reports_submit(author=author, rows=[row])[0]


# --- Cycles -----------------------------------------------------------------------


def _new_cycle(*, starts_at: datetime.datetime, length_months: int, remind_days_before_end: int = 7) -> ReportingCycle:
    cycle = ReportingCycle(
        starts_at=starts_at,
        ends_at=add_months(starts_at, length_months),
        length_months=length_months,
        remind_days_before_end=remind_days_before_end,
    )
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def cycle_start_next(*, by: AbstractBaseUser | None = None, now: datetime.datetime | None = None) -> ReportingCycle:
    """The lead closes the open cycle now (early) and opens the next one,
    starting now and lasting the same length. With no cycle yet, opens the
    first. The closed cycle's digest goes to the leads on commit."""
    now = now or timezone.now()
    current = ReportingCycle.objects.select_for_update().filter(closed_at__isnull=True).first()
    length, remind = ReportingCycle.Length.MONTHLY, 7
    if current is not None:
        length, remind = current.length_months, current.remind_days_before_end
        current.closed_at = now
        current.closed_by = by
        current.save(update_fields=["closed_at", "closed_by"])
        enqueue("programmes.tasks.send_cycle_digest", cycle_id=current.pk)
    return _new_cycle(starts_at=now, length_months=length, remind_days_before_end=remind)


@transaction.atomic
def cycle_update_settings(
    *, length_months: int, remind_days_before_end: int, now: datetime.datetime | None = None
) -> ReportingCycle:
    """Change the open cycle's length (its planned end moves) and reminder
    delay; later cycles inherit them. With no cycle yet, opens the first one
    at the start of the current month."""
    now = now or timezone.now()
    cycle = ReportingCycle.objects.select_for_update().filter(closed_at__isnull=True).first()
    if cycle is None:
        return _new_cycle(
            starts_at=month_start(now),
            length_months=length_months,
            remind_days_before_end=remind_days_before_end,
        )
    cycle.length_months = length_months
    cycle.remind_days_before_end = remind_days_before_end
    cycle.ends_at = add_months(cycle.starts_at, length_months)
    cycle.full_clean()
    cycle.save(update_fields=["length_months", "remind_days_before_end", "ends_at"])
    return cycle


def cycle_roll_over(*, now: datetime.datetime | None = None) -> ReportingCycle | None:
    """Beat, hourly: open the first cycle (current calendar month) if there
    is none; close the open cycle once its planned end has passed and open
    the next one where it ended (skipping whole lengths if the beat was
    down), then send the closed cycle's digest. Returns the closed cycle.
    Safe to run concurrently: the open cycle is locked, and the database
    accepts a single open cycle."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            current = ReportingCycle.objects.select_for_update().filter(closed_at__isnull=True).first()
            if current is None:
                start = month_start(now)
                _new_cycle(starts_at=start, length_months=ReportingCycle.Length.MONTHLY)
                return None
            if now < current.ends_at:
                return None
            current.closed_at = current.ends_at
            current.save(update_fields=["closed_at"])
            window = window_for(current, now)
            _new_cycle(
                starts_at=window.starts_at,
                length_months=current.length_months,
                remind_days_before_end=current.remind_days_before_end,
            )
            enqueue("programmes.tasks.send_cycle_digest", cycle_id=current.pk)
            return current
    except IntegrityError:
        log.info("another worker rolled the reporting cycle over first")
        return None


# --- E-mails: reminders and digests, at most once ------------------------------


def _claim(
    *, cycle: ReportingCycle, recipient: AbstractBaseUser, kind: str, count: int, now: datetime.datetime
) -> ReminderLog | None:
    """Insert the claim row, or take over a *failed* one. None when the
    e-mail was already sent or claimed (maybe by a worker that died)."""
    try:
        with transaction.atomic():
            return ReminderLog.objects.create(
                cycle=cycle, recipient=recipient, kind=kind, project_count=count, claimed_at=now
            )
    except IntegrityError:
        retried = ReminderLog.objects.filter(
            cycle=cycle, recipient=recipient, kind=kind, status=ReminderLog.Status.FAILED
        ).update(status=ReminderLog.Status.CLAIMED, claimed_at=now, error="", project_count=count)
        if retried:
            return ReminderLog.objects.get(cycle=cycle, recipient=recipient, kind=kind)
        return None


def _send_claimed(claim: ReminderLog, message: EmailMultiAlternatives) -> bool:
    """Send, then record the outcome. The claim row is already committed: if
    the process dies in between, the row stays *claimed* and nothing is
    sent again (at-most-once)."""
    try:
        message.send()
    except Exception as exc:  # SMTP refused: nothing left, retry next run
        log.warning("reporting e-mail %s to user %s failed: %s", claim.kind, claim.recipient_id, exc)
        ReminderLog.objects.filter(pk=claim.pk).update(status=ReminderLog.Status.FAILED, error=str(exc)[:2000])
        return False
    ReminderLog.objects.filter(pk=claim.pk).update(status=ReminderLog.Status.SENT, sent_at=timezone.now())
    return True


def _render_email(*, template: str, to: str, context: dict) -> EmailMultiAlternatives:
    """A French e-mail (the city's language) with plain-text and HTML parts."""
    context = {**context, "site_url": settings.SITE_URL, "city_name": settings.ORCHESTRE_CITY_NAME}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"programmes/email/{template}_subject.txt", context).split())
        text = render_to_string(f"programmes/email/{template}.txt", context)
        html = render_to_string(f"programmes/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send each director at most one reminder per cycle, listing their due
    projects, once the cycle's reminder date has come. Returns how many
    e-mails went out. Must run outside a transaction (a Celery task does):
    each claim is committed before its e-mail is sent."""
    now = now or timezone.now()
    cycle = open_cycle()
    if cycle is None or now >= cycle.ends_at:
        return 0  # the hourly roll-over opens the cycle first
    window = window_for(cycle, now)
    if now < window.remind_from:
        return 0
    report_url = settings.SITE_URL + reverse("programmes:service_report")
    sent = 0
    for director, projects in selectors.due_projects_by_director(window=window).items():
        if not director.email:
            log.info("director %s has no e-mail address: no reminder", director.pk)
            continue
        claim = _claim(cycle=cycle, recipient=director, kind=ReminderLog.Kind.REMINDER, count=len(projects), now=now)
        if claim is None:
            continue
        message = _render_email(
            template="reminder",
            to=director.email,
            context={
                "director": director,
                "projects": [(p, freshness_of(p, window)) for p in projects],
                "cycle": cycle,
                "window": window,
                "report_url": report_url,
            },
        )
        sent += _send_claimed(claim, message)
    return sent


def digest_send(*, cycle: ReportingCycle) -> int:
    """E-mail the cycle's digest to every lead, once per cycle."""
    User = get_user_model()
    leads = User.objects.filter(groups__name=Role.LEAD.value, is_active=True).exclude(email="").distinct()
    digest = selectors.cycle_digest(starts_at=cycle.starts_at, ends_at=cycle.effective_end)
    page_url = settings.SITE_URL + reverse("programmes:reporting_overview") + f"?cycle={cycle.pk}"
    now = timezone.now()
    sent = 0
    for lead in leads:
        claim = _claim(cycle=cycle, recipient=lead, kind=ReminderLog.Kind.DIGEST, count=digest["n_projects"], now=now)
        if claim is None:
            continue
        message = _render_email(
            template="digest",
            to=lead.email,
            context={"lead": lead, "cycle": cycle, "digest": digest, "page_url": page_url},
        )
        sent += _send_claimed(claim, message)
    return sent


# --- Partner relationships and data assets (issue 15) ----------------------------

AGREEMENT_FIELDS = ("title", "kind", "status", "start_date", "end_date", "document_reference", "notes")
AGREEMENT_M2M = ("partners", "services", "projects")
DATA_ASSET_FIELDS = (
    "name",
    "description",
    "holder",
    "holder_partner",
    "holder_service",
    "agreement",
    "licence",
    "open_data",
    "personal_data",
    "update_frequency",
    "publication_url",
)
DATA_ASSET_M2M = ("produced_by", "used_by")

relations_log = logging.getLogger("orchestre.relationships")


@transaction.atomic
def agreement_create(*, data: Mapping[str, Any]) -> Agreement:
    return record_create(Agreement, data=data, fields=AGREEMENT_FIELDS, m2m=AGREEMENT_M2M)


@transaction.atomic
def agreement_update(*, agreement: Agreement, token: str | None, data: Mapping[str, Any]) -> Agreement:
    """A new end date earns a new reminder: the marker holds the end date
    the lead was reminded of, so nothing needs resetting here."""
    return record_update(agreement, token=token, data=data, fields=AGREEMENT_FIELDS, m2m=AGREEMENT_M2M)


@transaction.atomic
def data_asset_create(*, data: Mapping[str, Any]) -> DataAsset:
    return record_create(DataAsset, data=data, fields=DATA_ASSET_FIELDS, m2m=DATA_ASSET_M2M)


@transaction.atomic
def data_asset_update(*, asset: DataAsset, token: str | None, data: Mapping[str, Any]) -> DataAsset:
    return record_update(asset, token=token, data=data, fields=DATA_ASSET_FIELDS, m2m=DATA_ASSET_M2M)


@transaction.atomic
def project_partner_change_kind(
    *, link: ProjectPartner, relationship: str, changed_on: datetime.date, role: str | None = None
) -> ProjectPartner:
    """The relationship moves to another kind on ``changed_on``: the
    current period ends that day and a new one starts, so the project–
    partner pair keeps its trajectory (client–supplier, then partnership).
    Refused if the link already ended, if the date is not after its start,
    or if the kind does not change."""
    project = _locked(link.project)
    link = ProjectPartner.objects.select_for_update().get(pk=link.pk)
    errors = {}
    if relationship == link.relationship:
        errors["relationship"] = gettext("Choose a kind other than the current one.")
    if link.end_date is not None and link.end_date <= changed_on:
        errors["changed_on"] = gettext("This relationship had already ended by then.")
    elif link.start_date is not None and changed_on <= link.start_date:
        errors["changed_on"] = gettext("A change comes after the relationship's start.")
    if changed_on > timezone.localdate():
        errors["changed_on"] = gettext("A change is recorded once it has happened.")
    if errors:
        raise ValidationError(errors)
    following = ProjectPartner(
        project=project,
        partner=link.partner,
        relationship=relationship,
        role=link.role if role is None else role,
        start_date=changed_on,
        end_date=link.end_date,
    )
    following.full_clean()
    link.end_date = changed_on
    link.save(update_fields=["end_date"])
    following.save()
    _bump(project)
    return following


def agreement_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the leads once about each agreement in force that ends within
    the window (``rules.agreement_expiring_q``). The agreement's marker is
    set to its end date by a conditional update before the e-mail goes out,
    so a second run, or a second worker, sends nothing; if sending fails the
    marker is put back and the next run tries again. Returns how many
    e-mails went out. Runs outside a transaction (the Celery task does)."""
    today = today or timezone.localdate()
    User = get_user_model()
    leads = list(
        User.objects.filter(groups__name=Role.LEAD.value, is_active=True)
        .exclude(email="")
        .distinct()
        .values_list("email", flat=True)
    )
    if not leads:
        relations_log.info("no lead with an e-mail address: no agreement reminder")
        return 0
    due = (
        Agreement.objects.filter(agreement_expiring_q(today))
        .exclude(expiry_reminded_for=F("end_date"))
        .prefetch_related("partners")
        .order_by("end_date", "pk")
    )
    sent = 0
    for agreement in due:
        previous = agreement.expiry_reminded_for
        claimed = (
            Agreement.objects.filter(pk=agreement.pk, end_date=agreement.end_date)
            .exclude(expiry_reminded_for=agreement.end_date)
            .update(expiry_reminded_for=agreement.end_date)
        )
        if not claimed:
            continue  # another run got there first
        message = _render_email(
            template="agreement_expiry",
            to=leads[0],
            context={
                "agreement": agreement,
                "days_left": (agreement.end_date - today).days,
                "page_url": settings.SITE_URL + agreement.get_absolute_url(),
            },
        )
        message.to = leads
        try:
            message.send()
        except Exception as exc:  # SMTP refused: put the marker back, retry next run
            relations_log.warning("agreement %s reminder failed: %s", agreement.pk, exc)
            Agreement.objects.filter(pk=agreement.pk).update(expiry_reminded_for=previous)
            continue
        sent += 1
    return sent


# --- Indicators and usefulness sheets (issue 14) -----------------------------

INDICATOR_FIELDS = ("code", "name", "unit", "direction", "baseline", "baseline_on", "target", "target_on")
INDICATOR_VALUE_FIELDS = ("measured_on", "value", "source")
USEFULNESS_FIELDS = ("changed", "for_whom", "cost", "cost_note", "lessons")


@transaction.atomic
def indicator_create(*, project: Project, data: Mapping[str, Any]) -> Indicator:
    """A new indicator on a project (the lead's; the view checks)."""
    return record_create(Indicator, data=data, fields=INDICATOR_FIELDS, project=project)


@transaction.atomic
def indicator_update(indicator: Indicator, *, token: str | None, data: Mapping[str, Any]) -> Indicator:
    return record_update(indicator, token=token, data=data, fields=INDICATOR_FIELDS)


def indicator_archive(indicator: Indicator) -> Indicator:
    return record_archive(indicator)


@transaction.atomic
def indicator_value_record(
    *, indicator: Indicator, author: AbstractBaseUser, data: Mapping[str, Any]
) -> IndicatorValue:
    """A measured value, by the lead or by the director of the project's
    lead service (``rules.can_record_indicator``); one value per date."""
    project = Project.objects.select_related("lead_service").get(pk=indicator.project_id)
    if not can_record_indicator(author, project) or indicator.is_archived:
        raise PermissionDenied(f"may not record a value on indicator {indicator.pk}")
    value = IndicatorValue(indicator=indicator, recorded_by=author)
    for name in INDICATOR_VALUE_FIELDS:
        if name in data:
            setattr(value, name, data[name])
    value.full_clean()
    value.save()
    return value


@transaction.atomic
def usefulness_sheet_save(
    *, project: Project, token: str | None, data: Mapping[str, Any], author: AbstractBaseUser
) -> UsefulnessSheet:
    """Create the project's sheet or update it; an update opened on an
    older version is refused (StaleEditError), never overwrites."""
    sheet = UsefulnessSheet.objects.filter(project=project).first()
    if sheet is None:
        return record_create(UsefulnessSheet, data=data, fields=USEFULNESS_FIELDS, project=project, updated_by=author)
    return record_update(
        sheet, token=token, data={**data, "updated_by": author}, fields=(*USEFULNESS_FIELDS, "updated_by")
    )


# --- The editable taxonomy: phases and health levels (issue 13) ----------------

OPTION_FIELDS = ("label", "position")
PHASE_NEW_FIELDS = ("label", "stage")
HEALTH_FIELDS = ("label", "color")
HEALTH_NEW_FIELDS = ("label", "color", "severity")


def _free_code(model, label: str) -> str:
    from django.utils.text import slugify

    base = slugify(label).replace("-", "_")[:16] or "value"
    code, n = base, 2
    while model.objects.filter(code=code).exists():
        code, n = f"{base}_{n}", n + 1
    return code


@transaction.atomic
def taxonomy_option_create(*, model: type[PhaseOption | HealthOption], data: Mapping[str, Any]):
    """A new phase (with its stage) or health level (with its severity),
    last in the order. Its code is made from its label once; the meaning
    chosen here never changes."""
    fields = PHASE_NEW_FIELDS if model is PhaseOption else HEALTH_NEW_FIELDS
    last = model.objects.order_by("-position").values_list("position", flat=True).first()
    return record_create(
        model,
        data=data,
        fields=fields,
        code=_free_code(model, data.get("label", "")),
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def taxonomy_option_update(*, option: PhaseOption | HealthOption, token: str | None, data: Mapping[str, Any]):
    """A new label (or colour): never the code nor the meaning. A built-in
    value given back its built-in label keeps it translated."""
    data = dict(data)
    if option.is_builtin and str(option.builtin_labels.get(option.code, "")) == data.get("label"):
        data["label"] = ""
    fields = ("label",) if isinstance(option, PhaseOption) else HEALTH_FIELDS
    return record_update(option, token=token, data=data, fields=fields)


@transaction.atomic
def taxonomy_option_move(*, option: PhaseOption | HealthOption, up: bool):
    return record_move(option, siblings=type(option).objects.all(), up=up)


@transaction.atomic
def taxonomy_option_set_archived(*, option: PhaseOption | HealthOption, archived: bool):
    """Archived, a value stays on the records that hold it and leaves the
    pickers."""
    return record_archive(option, value=archived)
