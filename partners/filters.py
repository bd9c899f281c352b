"""Filters of the services and partners lists (GET parameters, bookmarkable).
Filters on projects (domain, activity, relationship kind) are added by
programmes through ``partners.extensions``."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.base.forms import FastSelect
from smartcity.base.search import text_search

from .models import AcculturationLevel, Partner, Service
from .rules import quiet_q

YES_NO = [("1", _("Yes")), ("0", _("No"))]


class ServiceFilter(django_filters.FilterSet):
    sort_fields = (("name", "name"), ("acronym", "acronym"), ("acculturation", "acculturation"))
    sort_labels = {"name": _("Name"), "acronym": _("Acronym"), "acculturation": _("Acculturation")}

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Service.Kind.choices)
    parent = django_filters.ModelChoiceFilter(
        label=_("Direction"), queryset=Service.objects.filter(kind=Service.Kind.DIRECTION), widget=FastSelect
    )
    acculturation = django_filters.ChoiceFilter(label=_("Acculturation"), choices=AcculturationLevel.choices)
    archived = django_filters.ChoiceFilter(label=_("Archived"), choices=YES_NO, method="filter_archived")
    sort = django_filters.OrderingFilter(label=_("Sort by"), fields=sort_fields, field_labels=sort_labels)

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return text_search(qs, value, fields=["name", "description"], exact_fields=("acronym",))

    def filter_archived(self, qs, name, value):
        return qs.filter(is_archived=(value == "1"))


class PartnerFilter(django_filters.FilterSet):
    sort_fields = (("name", "name"), ("category", "category"), ("city", "city"), ("last_contact_on", "last_contact"))
    sort_labels = {
        "name": _("Name"),
        "category": _("Category"),
        "city": _("City"),
        "last_contact_on": _("Last contact"),
    }

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Partner.Category.choices)
    quiet = django_filters.ChoiceFilter(label=_("Quiet (no recent contact)"), choices=YES_NO, method="filter_quiet")
    archived = django_filters.ChoiceFilter(label=_("Archived"), choices=YES_NO, method="filter_archived")
    sort = django_filters.OrderingFilter(label=_("Sort by"), fields=sort_fields, field_labels=sort_labels)

    class Meta:
        model = Partner
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return text_search(qs, value, fields=["name", "description", "city"])

    def filter_quiet(self, qs, name, value):
        """Quiet as the list's badge says (``rules.quiet_q``)."""
        quiet = quiet_q(timezone.localdate())
        return qs.filter(quiet) if value == "1" else qs.exclude(quiet)

    def filter_archived(self, qs, name, value):
        return qs.filter(is_archived=(value == "1"))
