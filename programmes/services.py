"""Writes on programmes and projects. Every function is atomic, validates
with ``full_clean()`` and bumps ``Project.version`` when the project changes,
so that an edit form opened earlier is refused instead of overwriting."""

import datetime
from typing import Any

from django.db import transaction

from partners.models import Domain, ElectedOfficial, Partner, Service
from smartcity.concurrency import check_token

from .models import Programme, Project, ProjectPartner

PROJECT_FIELDS = (
    "programme",
    "code",
    "name",
    "summary",
    "lead_service",
    "sponsor",
    "phase",
    "health",
    "progress",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_spent",
    "is_public",
)
PROJECT_M2M = ("domains", "contributing_services")
PROGRAMME_FIELDS = ("name", "description", "start_date", "end_date")


def _apply(instance, data: dict[str, Any], fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


# Programmes -------------------------------------------------------------


@transaction.atomic
def programme_create(*, data: dict[str, Any]) -> Programme:
    programme = Programme()
    _apply(programme, data, PROGRAMME_FIELDS)
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, token: str | None, data: dict[str, Any]) -> Programme:
    """Refused with StaleEditError if the programme changed since ``token``."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    check_token(programme, token, data, PROGRAMME_FIELDS)
    _apply(programme, data, PROGRAMME_FIELDS)
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def programme_archive(*, programme: Programme) -> Programme:
    programme.is_archived = True
    programme.save(update_fields=["is_archived", "updated_at"])
    return programme


# Projects ---------------------------------------------------------------


def _bump(project: Project, *fields: str) -> None:
    """Next version, saved (with a history record) BEFORE any m2m change, so
    that the history's last record at the old version is the state an edit
    form opened at that version showed."""
    project.version += 1
    project.save(update_fields=["version", "updated_at", *fields])


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _set_m2m(project: Project, data: dict[str, Any]) -> None:
    if "domains" in data:
        project.domains.set(data["domains"])
    if "contributing_services" in data:
        services = [s for s in data["contributing_services"] if s.pk != project.lead_service_id]
        project.contributing_services.set(services)


@transaction.atomic
def project_create(*, data: dict[str, Any]) -> Project:
    """Create a project with its domains and contributing services. The lead
    service is never also listed as a contributor."""
    project = Project()
    _apply(project, data, PROJECT_FIELDS)
    project.full_clean()
    project.save()
    _set_m2m(project, data)
    return project


@transaction.atomic
def project_update(*, project: Project, version: int | str | None, data: dict[str, Any]) -> Project:
    """Save an edit opened at ``version``. Refused (StaleEditError, nothing
    written) if somebody else saved the project since."""
    project = _locked(project)
    check_token(project, None if version is None else str(version), data, PROJECT_FIELDS + PROJECT_M2M)
    _apply(project, data, PROJECT_FIELDS)
    project.version += 1
    project.full_clean()
    project.save()
    _set_m2m(project, data)
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
