"""Filters of the services and partners lists (GET parameters, bookmarkable)."""

import django_filters
from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from programmes.models import ProjectPartner, RelationshipKind
from smartcity.search import text_search

from .models import AcculturationLevel, Domain, Partner, Service

YES_NO = [("1", _("Yes")), ("0", _("No"))]
CLOSED_PHASES = ["closed", "abandoned"]


def _domain_queryset(request=None):
    return Domain.objects.all()


def _project_model():
    return apps.get_model("programmes", "Project")


def _active_projects():
    return _project_model().objects.filter(is_archived=False).exclude(phase__in=CLOSED_PHASES)


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Service.Kind.choices)
    parent = django_filters.ModelChoiceFilter(
        label=_("Direction"), queryset=Service.objects.filter(kind=Service.Kind.DIRECTION)
    )
    acculturation = django_filters.ChoiceFilter(label=_("Acculturation"), choices=AcculturationLevel.choices)
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain"), queryset=_domain_queryset, method="filter_domain", to_field_name="slug"
    )
    active = django_filters.ChoiceFilter(label=_("Has an active project"), choices=YES_NO, method="filter_active")
    archived = django_filters.ChoiceFilter(label=_("Archived"), choices=YES_NO, method="filter_archived")
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("acronym", "acronym"), ("acculturation", "acculturation"), ("n_led", "led")),
        field_labels={
            "name": _("Name"),
            "acronym": _("Acronym"),
            "acculturation": _("Acculturation"),
            "n_led": _("Leads"),
        },
    )

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return text_search(qs, value, fields=["name", "description"], exact_fields=("acronym",))

    def _involved(self, projects):
        project = _project_model()
        contributed = project.contributing_services.through.objects.filter(project__in=projects).values("service_id")
        return Q(pk__in=projects.values("lead_service_id")) | Q(pk__in=contributed)

    def filter_domain(self, qs, name, value):
        projects = _project_model().objects.filter(is_archived=False, domains=value)
        return qs.filter(self._involved(projects))

    def filter_active(self, qs, name, value):
        involved = self._involved(_active_projects())
        return qs.filter(involved) if value == "1" else qs.exclude(involved)

    def filter_archived(self, qs, name, value):
        return qs.filter(is_archived=(value == "1"))


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Partner.Category.choices)
    relationship = django_filters.ChoiceFilter(
        label=_("Relationship kind"), choices=RelationshipKind.choices, method="filter_relationship"
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain"), queryset=_domain_queryset, method="filter_domain", to_field_name="slug"
    )
    active = django_filters.ChoiceFilter(label=_("Has an active project"), choices=YES_NO, method="filter_active")
    archived = django_filters.ChoiceFilter(label=_("Archived"), choices=YES_NO, method="filter_archived")
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("category", "category"), ("city", "city"), ("n_projects", "projects")),
        field_labels={
            "name": _("Name"),
            "category": _("Category"),
            "city": _("City"),
            "n_projects": _("Active projects"),
        },
    )

    class Meta:
        model = Partner
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return text_search(qs, value, fields=["name", "description", "city"])

    def filter_relationship(self, qs, name, value):
        return qs.filter(Exists(ProjectPartner.objects.filter(partner=OuterRef("pk"), relationship=value)))

    def filter_domain(self, qs, name, value):
        return qs.filter(Exists(ProjectPartner.objects.filter(partner=OuterRef("pk"), project__domains=value)))

    def filter_active(self, qs, name, value):
        active = Exists(ProjectPartner.objects.filter(partner=OuterRef("pk"), project__in=_active_projects()))
        return qs.filter(active) if value == "1" else qs.exclude(active)

    def filter_archived(self, qs, name, value):
        return qs.filter(is_archived=(value == "1"))
