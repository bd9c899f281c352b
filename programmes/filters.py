"""The portfolio's filters. They read GET parameters, so a filtered view
is a bookmarkable URL."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Domain, ElectedOfficial, Partner, Service
from smartcity.base.forms import FastSelect, picker_attrs
from smartcity.base.search import text_search

from .cycles import current_window, request_window
from .models import Health, Phase, Programme, Project, ProjectPartner
from .rules import stale_q

YES_NO = [("1", _("Yes")), ("0", _("No"))]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        widget=FastSelect(attrs=picker_attrs("programmes:programme_pick")),
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain"), queryset=Domain.objects.all(), method="filter_domain", to_field_name="slug"
    )
    lead_service = django_filters.ModelChoiceFilter(
        label=_("Lead service"),
        queryset=Service.objects.all(),
        widget=FastSelect(attrs=picker_attrs("partners:service_pick")),
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Any involved service"),
        queryset=Service.objects.all(),
        method="filter_service",
        widget=FastSelect(attrs=picker_attrs("partners:service_pick")),
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=Partner.objects.all(),
        method="filter_partner",
        widget=FastSelect(attrs=picker_attrs("partners:partner_pick")),
    )
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=Phase.choices)
    health = django_filters.ChoiceFilter(label=_("Health"), choices=Health.choices)
    sponsor = django_filters.ModelChoiceFilter(
        label=_("Sponsor official"), queryset=ElectedOfficial.objects.all(), widget=FastSelect
    )
    stale = django_filters.ChoiceFilter(label=_("Stale reporting"), choices=YES_NO, method="filter_stale")
    archived = django_filters.ChoiceFilter(label=_("Archived"), choices=YES_NO, method="filter_archived")
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("phase", "phase"),
            ("health", "health"),
            ("progress", "progress"),
            ("last_reported_at", "last_report"),
            ("lead_service__acronym", "lead_service"),
        ),
        field_labels={
            "code": _("Code"),
            "name": _("Name"),
            "phase": _("Phase"),
            "health": _("Health"),
            "progress": _("Progress"),
            "last_reported_at": _("Last report"),
            "lead_service__acronym": _("Lead service"),
        },
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        services = Service.objects.filter(is_archived=False).only("pk", "name")
        self.filters["service"].queryset = services
        self.filters["lead_service"].queryset = services
        self.filters["partner"].queryset = Partner.objects.filter(is_archived=False).only("pk", "name")

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return text_search(qs, value, fields=["name", "summary"], exact_fields=("code",))

    def filter_domain(self, qs, name, value):
        return qs.filter(pk__in=Project.domains.through.objects.filter(domain=value).values("project_id"))

    def filter_service(self, qs, name, value):
        contributed = Project.contributing_services.through.objects.filter(service=value).values("project_id")
        return qs.filter(Q(lead_service=value) | Q(pk__in=contributed))

    def filter_partner(self, qs, name, value):
        return qs.filter(pk__in=ProjectPartner.objects.filter(partner=value).values("project_id"))

    def filter_stale(self, qs, name, value):
        """Stale as the badges say (``reporting.stale_q``)."""
        window = request_window(self.request) if self.request is not None else current_window()
        stale = stale_q(window)
        return qs.filter(stale) if value == "1" else qs.exclude(stale)

    def filter_archived(self, qs, name, value):
        return qs.filter(is_archived=(value == "1"))
