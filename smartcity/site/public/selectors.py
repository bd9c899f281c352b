"""Reads of the public face: public projects only, allow-listed columns only,
a fixed number of queries whatever the data."""

from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from partners.models import Domain
from programmes.models import Project, ProjectPartner

from .fields import PROJECT_FIELDS


def _public_links() -> QuerySet[ProjectPartner]:
    return (
        ProjectPartner.objects.filter(partner__is_archived=False)
        .select_related("partner")
        .only("project_id", "relationship", "partner__name", "partner__category", "partner__website")
        .order_by("partner__name", "relationship")
    )


def public_projects() -> QuerySet[Project]:
    """Public, not archived projects with only the allow-listed columns, their
    domains, lead service and partner organisations (three queries in all)."""
    return (
        Project.objects.filter(is_public=True, is_archived=False)
        .select_related("lead_service")
        .only("pk", *PROJECT_FIELDS, "lead_service__name")
        .prefetch_related(
            Prefetch(
                "domains",
                queryset=Domain.objects.filter(is_archived=False).only("pk", "name", "slug", "color", "icon"),
            ),
            Prefetch("partner_links", queryset=_public_links(), to_attr="public_links"),
        )
        .order_by("name", "code")
    )


def public_project_rows() -> list[dict[str, Any]]:
    """What the open-data files publish, read as values: every public project
    (hundreds), so no model instance is built. Each row holds ``pk``, the
    allow-listed columns, ``lead_service`` (its name), ``domains`` (slugs of
    the domains not archived, in their order) and ``partners`` (name,
    category and relationship of the organisations not archived, by name).
    Three queries whatever the number of projects; the same content as
    ``public_projects``."""
    visible = {"project__is_public": True, "project__is_archived": False}
    rows = list(
        Project.objects.filter(is_public=True, is_archived=False)
        .order_by("name", "code")
        .values("pk", *PROJECT_FIELDS, lead_service_name=F("lead_service__name"))
    )
    domains: dict[int, list[str]] = defaultdict(list)
    for project_id, slug in (
        Project.domains.through.objects.filter(domain__is_archived=False, **visible)
        .order_by("domain__position", "domain__name")
        .values_list("project_id", "domain__slug")
    ):
        domains[project_id].append(slug)
    partners: dict[int, list[dict[str, str]]] = defaultdict(list)
    for project_id, name, category, relationship in (
        ProjectPartner.objects.filter(partner__is_archived=False, **visible)
        .order_by("partner__name", "relationship")
        .values_list("project_id", "partner__name", "partner__category", "relationship")
    ):
        partners[project_id].append({"name": name, "category": category, "relationship": relationship})
    for row in rows:
        row["lead_service"] = row.pop("lead_service_name")
        row["domains"] = domains.get(row["pk"], [])
        row["partners"] = partners.get(row["pk"], [])
    return rows


def public_project(pk: int) -> Project:
    project = public_projects().filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def public_domains() -> list[Domain]:
    """Domains with at least one public project, with their counts."""
    return list(
        Domain.objects.filter(is_archived=False)
        .annotate(public_count=Count("projects", filter=Q(projects__is_public=True, projects__is_archived=False)))
        .filter(public_count__gt=0)
        .only("pk", "name", "slug", "color", "icon")
        .order_by("position", "name")
    )
