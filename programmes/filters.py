"""The portfolio's filters. They read GET parameters, so a filtered view
is a bookmarkable URL."""

import html

import django_filters
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from partners.forms import PARTNER_PICKER, SERVICE_PICKER
from partners.models import Domain, ElectedOfficial, Partner, Service
from smartcity.base.forms import FastSelect, Picker
from smartcity.base.search import text_search

from . import taxonomy
from .cycles import current_window, request_window
from .models import Agreement, DataAsset, Programme, Project, ProjectPartner
from .rules import agreement_expiring_q, agreement_overdue_q, stale_q
from .selectors import projects_depending_on_data

YES_NO = [("1", _("Yes")), ("0", _("No"))]


class ValuesSelect(FastSelect):
    """A ``FastSelect`` of a model choice whose options are read as values
    (``pk`` and the ``label`` columns, joined by a space: the model's
    ``str()``), never as model instances: the filter lists hundreds of
    services and partners, and building an instance per option was most of
    the project list's time. Same markup and same single query as
    ``FastSelect``."""

    def __init__(self, attrs=None, *, label: tuple[str, ...] = ("name",)):
        super().__init__(attrs)
        self.label = label

    def render(self, name, value, attrs=None, renderer=None):
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return super().render(name, value, attrs, renderer)
        field = choices.field
        values = self.format_value(value)
        options = []
        if field.empty_label is not None:
            options.append(("", str(field.empty_label)))
        if getattr(field, "null_label", None) is not None:
            options.append((str(field.null_value), str(field.null_label)))
        rows = choices.queryset.values_list("pk", *self.label)
        options += [(str(row[0]), " ".join(str(part) for part in row[1:])) for row in rows]
        out = []
        chosen = False
        for option_value, label in options:
            selected = not chosen and option_value in values
            chosen = chosen or selected
            out.append(
                f'<option value="{html.escape(option_value)}"{" selected" if selected else ""}>'
                f"{html.escape(label)}</option>"
            )
        options_html = mark_safe("".join(out))  # noqa: S308 - every value and label escaped above
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final_attrs, options_html)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        widget=Picker(source="programmes:programme_pick", fields=("name",)),
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain"),
        queryset=Domain.objects.all(),
        method="filter_domain",
        to_field_name="slug",
        widget=FastSelect,
    )
    lead_service = django_filters.ModelChoiceFilter(
        label=_("Lead service"),
        queryset=Service.objects.all(),
        widget=Picker(**SERVICE_PICKER),
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Any involved service"),
        queryset=Service.objects.all(),
        method="filter_service",
        widget=Picker(**SERVICE_PICKER),
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=Partner.objects.all(),
        method="filter_partner",
        widget=Picker(**PARTNER_PICKER),
    )
    # The values not archived (``programmes.taxonomy``), read when the form is drawn.
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=taxonomy.phase_picker, widget=FastSelect)
    health = django_filters.ChoiceFilter(label=_("Health"), choices=taxonomy.health_picker, widget=FastSelect)
    sponsor = django_filters.ModelChoiceFilter(
        label=_("Sponsor official"),
        queryset=ElectedOfficial.objects.all(),
        widget=ValuesSelect(label=("first_name", "last_name")),
    )
    stale = django_filters.ChoiceFilter(
        label=_("Stale reporting"), choices=YES_NO, method="filter_stale", widget=FastSelect
    )
    data_holder = django_filters.ChoiceFilter(
        label=_("Depends on data held by"),
        choices=DataAsset.Holder.choices,
        method="filter_data_holder",
        widget=FastSelect,
    )
    data_asset = django_filters.ModelChoiceFilter(
        label=_("Produces or uses the dataset"),
        queryset=DataAsset.objects.all(),
        method="filter_data_asset",
        widget=ValuesSelect,
    )
    archived = django_filters.ChoiceFilter(
        label=_("Archived"), choices=YES_NO, method="filter_archived", widget=FastSelect
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Default order"),
        widget=FastSelect,
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

    def filter_data_holder(self, qs, name, value):
        """Projects producing or using data held by a kind of holder
        ("projects that depend on data held by a delegated operator")."""
        return qs.filter(projects_depending_on_data(DataAsset.objects.filter(holder=value)))

    def filter_data_asset(self, qs, name, value: int):
        """``value`` is the chosen DataAsset; the hint tells the API schema
        (drf-spectacular) that the parameter is a data asset's id."""
        return qs.filter(projects_depending_on_data(DataAsset.objects.filter(pk=getattr(value, "pk", value))))


# --- Partner relationships and data assets (issue 15) ----------------------------


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Agreement.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Agreement.Status.choices)
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.all(), method="filter_partner", widget=Picker(**PARTNER_PICKER)
    )
    expiring = django_filters.ChoiceFilter(label=_("Ending soon or overdue"), choices=YES_NO, method="filter_expiring")

    class Meta:
        model = Agreement
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["partner"].queryset = Partner.objects.filter(is_archived=False).only("pk", "name")

    def filter_q(self, qs, name, value):
        return text_search(qs, value, fields=["title", "notes"], exact_fields=("document_reference",))

    def filter_partner(self, qs, name, value):
        return qs.filter(pk__in=Agreement.partners.through.objects.filter(partner=value).values("agreement_id"))

    def filter_expiring(self, qs, name, value):
        today = timezone.localdate()
        flagged = agreement_expiring_q(today) | agreement_overdue_q(today)
        return qs.filter(flagged) if value == "1" else qs.exclude(flagged)


class DataAssetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    holder = django_filters.ChoiceFilter(label=_("Held by"), choices=DataAsset.Holder.choices)
    holder_partner = django_filters.ModelChoiceFilter(
        label=_("Holding partner"), queryset=Partner.objects.all(), widget=Picker(**PARTNER_PICKER)
    )
    open_data = django_filters.ChoiceFilter(label=_("Open-data status"), choices=DataAsset.OpenData.choices)
    licence = django_filters.ChoiceFilter(label=_("Licence"), choices=DataAsset.Licence.choices)
    personal_data = django_filters.ChoiceFilter(
        label=_("Holds personal data"), choices=YES_NO, method="filter_personal_data"
    )
    under_agreement = django_filters.ChoiceFilter(
        label=_("Under an agreement"), choices=YES_NO, method="filter_under_agreement"
    )

    class Meta:
        model = DataAsset
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["holder_partner"].queryset = Partner.objects.filter(data_assets__isnull=False).distinct()

    def filter_q(self, qs, name, value):
        return text_search(qs, value, fields=["name", "description"])

    def filter_personal_data(self, qs, name, value):
        return qs.filter(personal_data=(value == "1"))

    def filter_under_agreement(self, qs, name, value):
        return qs.filter(agreement__isnull=(value != "1"))
