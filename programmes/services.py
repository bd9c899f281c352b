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
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from partners.models import Domain, ElectedOfficial, Partner, Service
from partners.services import partner_create
from smartcity.base.dates import add_months, month_start
from smartcity.base.events import send_on_commit
from smartcity.base.queue import enqueue
from smartcity.base.records import record_archive, record_create, record_update
from smartcity.base.roles import Role

from . import selectors, signals
from .cycles import open_cycle, window_for
from .models import Health, Programme, Project, ProjectPartner, ReminderLog, ReportingCycle, StatusReport
from .rules import can_report, freshness_of

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
        if report.health == Health.UNKNOWN:
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
