"""Forms of the portfolio pages and of status reporting."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partners.forms import OFFICIAL_PICKER, PARTNER_PICKER, SERVICE_PICKER
from partners.models import Domain, ElectedOfficial, Partner, Service
from smartcity.base.forms import (
    CHOOSE,
    DateInput,
    EditForm,
    FastSelect,
    InlineRenderMixin,
    Picker,
    PickerMultiple,
    ReadablePlaceholdersMixin,
    check_date_order,
)

from . import taxonomy
from .models import (
    Agreement,
    DataAsset,
    Health,
    HealthOption,
    Idea,
    IdeaState,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    PhaseOption,
    Programme,
    Project,
    ProjectPartner,
    RelationshipKind,
    ReportingCycle,
    SmartCityPlan,
    StatusReport,
    Target,
    UsefulnessSheet,
)
from .rules import idea_moves, proposal_relationship
from .services import ReportRow


class ProgrammeForm(EditForm):
    class Meta:
        model = Programme
        fields = ["name", "description", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        check_date_order(self)
        return data


PROGRAMME_PICKER = {"source": "programmes:programme_pick", "fields": ("name",)}
PROJECT_PICKER = {"source": "programmes:project_pick", "fields": ("code", "name")}


def live_domains(instance, field: str):
    """The domains a form offers: those not archived, plus the record's own
    (an archived domain stays on the records that hold it)."""
    keep = Q(is_archived=False)
    if instance.pk:
        related = instance._meta.get_field(field)
        if related.many_to_many:
            keep |= Q(pk__in=getattr(instance, field).values("pk"))
        elif getattr(instance, f"{field}_id"):
            keep |= Q(pk=getattr(instance, f"{field}_id"))
    return Domain.objects.filter(keep)


PARTNER_ROWS = 3


class ProjectForm(EditForm):
    """A project, with pickers for its long lists, and up to ``PARTNER_ROWS``
    partners to add with their relationship kind, plus one partner not in
    the list yet (created with the project, in the same transaction). The
    partners already linked are managed on the project page."""

    class Meta:
        model = Project
        fields = [
            "programme",
            "code",
            "name",
            "summary",
            "lead_service",
            "contributing_services",
            "domains",
            "sponsor",
            "phase",
            "start_date",
            "end_date",
            "budget_planned",
            "budget_committed",
            "budget_spent",
            "is_public",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "domains": forms.CheckboxSelectMultiple,
            "programme": Picker(**PROGRAMME_PICKER),
            "lead_service": Picker(**SERVICE_PICKER),
            "sponsor": Picker(**OFFICIAL_PICKER),
            "contributing_services": PickerMultiple(**SERVICE_PICKER),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_archived=False)
        active_services = Service.objects.filter(is_archived=False).only("pk", "name")
        self.fields["lead_service"].queryset = active_services
        self.fields["contributing_services"].queryset = active_services
        self.fields["domains"].queryset = live_domains(self.instance, "domains")
        self.fields["sponsor"].queryset = ElectedOfficial.objects.filter(is_active=True)
        # Older forms and imports do not send it: absent means nothing committed.
        self.fields["budget_committed"].required = False
        self.fields["sponsor"].empty_label = _("No sponsor")
        # Archived phases leave the picker; the project keeps its own.
        self.fields["phase"].choices = taxonomy.phase_picker(self.instance.phase if self.instance.pk else None)
        partners = Partner.objects.filter(is_archived=False).only("pk", "name")
        kinds = [("", CHOOSE), *RelationshipKind.choices]
        for i in range(1, PARTNER_ROWS + 1):
            self.fields[f"partner_{i}"] = forms.ModelChoiceField(
                label=_("Partner %(n)s") % {"n": i}, queryset=partners, required=False, widget=Picker(**PARTNER_PICKER)
            )
            self.fields[f"relationship_{i}"] = forms.ChoiceField(
                label=_("Relationship kind"), choices=kinds, required=False
            )
        self.fields["new_partner_name"] = forms.CharField(
            label=_("New partner, not in the list yet"),
            max_length=200,
            required=False,
            help_text=_("Created with the project. Leave empty if the partner is in the lists above."),
        )
        self.fields["new_partner_category"] = forms.ChoiceField(
            label=_("Its category"), choices=[("", CHOOSE), *Partner.Category.choices], required=False
        )
        self.fields["new_partner_relationship"] = forms.ChoiceField(
            label=_("Relationship kind"), choices=kinds, required=False
        )

    def clean_budget_committed(self):
        value = self.cleaned_data.get("budget_committed")
        return 0 if value is None else value

    def main_fields(self):
        """The project's own fields, for the template (the partners follow apart)."""
        return [
            f for f in self.visible_fields() if not f.name.startswith(("partner_", "relationship_", "new_partner_"))
        ]

    def partner_rows(self):
        """(partner field, relationship field) pairs, for the template."""
        return [(self[f"partner_{i}"], self[f"relationship_{i}"]) for i in range(1, PARTNER_ROWS + 1)]

    def clean(self):
        data = super().clean()
        lead, contributors = data.get("lead_service"), data.get("contributing_services")
        if lead and contributors and lead in contributors:
            self.add_error("contributing_services", _("The lead service is already on the project as its lead."))
        check_date_order(self)
        self._clean_partners(data)
        return data

    def _clean_partners(self, data: dict) -> None:
        links, seen = [], set()
        for i in range(1, PARTNER_ROWS + 1):
            partner, kind = data.get(f"partner_{i}"), data.get(f"relationship_{i}")
            if partner and not kind:
                self.add_error(f"relationship_{i}", _("Choose the kind of relationship with this partner."))
            elif kind and not partner:
                self.add_error(f"partner_{i}", _("Choose the partner, or leave its relationship empty."))
            elif partner and (partner.pk, kind) in seen:
                self.add_error(f"partner_{i}", _("This partner is already above with this relationship."))
            elif partner:
                seen.add((partner.pk, kind))
                links.append((partner, kind))
        if links and self.instance.pk:
            taken = set(
                ProjectPartner.objects.filter(project=self.instance, partner__in=[p for p, _k in links]).values_list(
                    "partner_id", "relationship"
                )
            )
            for i in range(1, PARTNER_ROWS + 1):
                partner, kind = data.get(f"partner_{i}"), data.get(f"relationship_{i}")
                if partner and (partner.pk, kind) in taken:
                    self.add_error(f"partner_{i}", _("This partner already has this relationship with the project."))
        data["partner_links"] = links
        data["new_partner"] = None
        name = (data.get("new_partner_name") or "").strip()
        category, kind = data.get("new_partner_category"), data.get("new_partner_relationship")
        if not name:
            if category or kind:
                self.add_error("new_partner_name", _("Name the new partner, or leave its category and kind empty."))
            return
        if Partner.objects.filter(name__iexact=name).exists():
            self.add_error(
                "new_partner_name",
                _("A partner named “%(name)s” already exists: pick it in a list above.") % {"name": name},
            )
        if not category:
            self.add_error("new_partner_category", _("Choose the new partner's category."))
        if not kind:
            self.add_error("new_partner_relationship", _("Choose the kind of relationship with this partner."))
        data["new_partner"] = {"name": name, "category": category, "relationship": kind}


class MilestoneForm(EditForm):
    """A milestone's title, due date, status and done date. Marked done
    without a date, it is done today."""

    class Meta:
        model = Milestone
        fields = ["title", "due_date", "status", "reached_on"]
        widgets = {"due_date": DateInput(), "reached_on": DateInput()}
        labels = {"reached_on": _("Done on")}
        help_texts = {"reached_on": _("Empty when marked done: today.")}

    def clean(self):
        from django.utils import timezone

        data = super().clean()
        if (
            data.get("status") == Milestone.Status.DONE
            and not data.get("reached_on")
            and "reached_on" not in self.errors
        ):
            data["reached_on"] = timezone.localdate()
        return data


class RoadmapFilterForm(forms.Form):
    """The roadmap's filters, sent with GET: programme, domain, service
    (leading or contributing) and period."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        widget=FastSelect,
        empty_label=_("All programmes"),
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=Domain.objects.none(),
        required=False,
        to_field_name="slug",
        widget=FastSelect,
        empty_label=_("All domains"),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        required=False,
        widget=Picker(**SERVICE_PICKER),
        empty_label=_("All services"),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    MAX_YEARS = 15

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_archived=False).only("pk", "name")
        self.fields["domain"].queryset = Domain.objects.filter(is_archived=False).only("pk", "slug", "name")
        self.fields["service"].queryset = Service.objects.filter(is_archived=False).only("pk", "name")
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if name in ("programme", "domain", "service")
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        elif start and end and (end - start).days > 366 * self.MAX_YEARS:
            self.add_error("end", _("Choose a period of %(n)s years at most.") % {"n": self.MAX_YEARS})
        return data


class ServiceLinkForm(forms.Form):
    ROLE_CHOICES = [("contributor", _("Contributor")), ("lead", _("Lead service"))]

    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(is_archived=False).only("pk", "name"),
        widget=Picker(**SERVICE_PICKER),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial="contributor")


class PartnerLinkForm(ReadablePlaceholdersMixin, forms.ModelForm):
    class Meta:
        model = ProjectPartner
        fields = ["partner", "relationship", "role", "start_date", "end_date"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "partner": Picker(**PARTNER_PICKER),
            "relationship": FastSelect,
        }

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_archived=False).only("pk", "name")
        if project is not None:
            self.instance.project = project

    def clean(self):
        data = super().clean()
        check_date_order(self)
        project, partner, kind = self.instance.project_id, data.get("partner"), data.get("relationship")
        exists = ProjectPartner.objects.filter(project_id=project, partner=partner, relationship=kind).exists
        if project and partner and kind and exists():
            self.add_error("relationship", _("This partner already has this relationship with the project."))
        return data


class DomainLinkForm(ReadablePlaceholdersMixin, forms.Form):
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.filter(is_archived=False))


class SponsorForm(forms.Form):
    sponsor = forms.ModelChoiceField(
        label=_("Sponsor official"),
        queryset=ElectedOfficial.objects.filter(is_active=True),
        required=False,
        empty_label=_("No sponsor"),
    )


# --- Status reports: one small form per project, prefixed ``p<pk>``, so that a
# director reports on all their projects in one page and one submit.

ROW_FIELDS = ("health", "progress", "comment", "next_milestone", "next_milestone_date", "based_on", "no_change")


def row_prefix(project: Project) -> str:
    return f"p{project.pk}"


# The report repeats its row form for every project a director reports on:
# its widgets write their markup inline (``InlineRenderMixin``, the same
# HTML as Django's widget templates).
class _Select(InlineRenderMixin, forms.Select):
    pass


class _NumberInput(InlineRenderMixin, forms.NumberInput):
    pass


class _TextInput(InlineRenderMixin, forms.TextInput):
    pass


class _DateInput(InlineRenderMixin, forms.DateInput):
    pass


class _Textarea(InlineRenderMixin, forms.Textarea):
    pass


class _CheckboxInput(InlineRenderMixin, forms.CheckboxInput):
    pass


class _HiddenInput(InlineRenderMixin, forms.HiddenInput):
    pass


class StatusReportForm(forms.Form):
    """One project's row. Left untouched (same values as the latest report,
    "no change" not ticked), the row files nothing."""

    health = forms.ChoiceField(label=_("Health"), choices=(), required=False, widget=_Select)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=_NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    next_milestone = forms.CharField(label=_("Next milestone"), max_length=200, required=False, widget=_TextInput)
    next_milestone_date = forms.DateField(
        label=_("Milestone date"), required=False, widget=_DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=500,
        required=False,
        widget=_Textarea(attrs={"rows": 2}),
        help_text=_("500 characters at most."),
    )
    no_change = forms.BooleanField(
        label=_("No change since last report"),
        required=False,
        widget=_CheckboxInput(attrs={"class": "form-check-input"}),
    )
    based_on = forms.IntegerField(required=False, widget=_HiddenInput)

    def __init__(
        self,
        *args,
        project: Project,
        latest: StatusReport | None,
        opened_on: StatusReport | None = None,
        **kwargs,
    ) -> None:
        """``opened_on``: the older report a submitted row was based on, when
        it is not ``latest``; what changed is measured against it."""
        self.project = project
        self.latest = latest
        kwargs.setdefault("prefix", row_prefix(project))
        kwargs.setdefault("initial", self.initial_for(project, opened_on or latest))
        super().__init__(*args, **kwargs)
        # Reportable levels not archived, plus the project's own.
        self.fields["health"].choices = [("", CHOOSE), *taxonomy.health_picker(project.health, reportable=True)]
        for name in ("health", "progress", "next_milestone", "next_milestone_date", "comment"):
            self.fields[name].widget.attrs.setdefault("class", "form-control form-control-sm")
        self.fields["health"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["comment"].widget.attrs["maxlength"] = 500
        if latest is None:
            # Nothing to repeat: no "no change" for a project never reported.
            del self.fields["no_change"]

    @property
    def latest_author(self) -> str:
        author = self.latest.author if self.latest else None
        if author is None:
            return "—"
        return author.get_full_name() or author.get_username()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                attrs["class"] = attrs.get("class", "") + " is-invalid"

    @staticmethod
    def initial_for(project: Project, latest: StatusReport | None) -> dict:
        if latest is None:
            return {
                "health": "" if project.health == Health.UNKNOWN else project.health,
                "progress": project.progress,
                "based_on": None,
            }
        return {
            "health": latest.health if latest.health != Health.UNKNOWN else "",
            "progress": latest.progress,
            "next_milestone": latest.next_milestone,
            "next_milestone_date": latest.next_milestone_date,
            "based_on": latest.pk,
        }

    def clean(self) -> dict:
        data = super().clean()
        if data.get("no_change") or not self.wants_report():
            return data
        if not data.get("health"):
            self.add_error("health", _("Choose the project's health."))
        if data.get("progress") is None and "progress" not in self.errors:
            self.add_error("progress", _("Give the progress, from 0 to 100."))
        if data.get("next_milestone_date") and not data.get("next_milestone"):
            self.add_error("next_milestone", _("Name the milestone this date belongs to."))
        return data

    def wants_report(self) -> bool:
        if not self.is_bound:
            return False
        if self.data.get(self.add_prefix("no_change")) and "no_change" in self.fields:
            return True
        return any(
            name in self.changed_data
            for name in ("health", "progress", "comment", "next_milestone", "next_milestone_date")
        )

    def to_row(self) -> ReportRow:
        data = self.cleaned_data
        return ReportRow(
            project_id=self.project.pk,
            health=data.get("health") or "",
            progress=data.get("progress"),
            comment=data.get("comment") or "",
            next_milestone=data.get("next_milestone") or "",
            next_milestone_date=data.get("next_milestone_date"),
            based_on_id=data.get("based_on"),
            is_no_change=bool(data.get("no_change")),
        )


def allowed_post_keys(projects: list[Project]) -> set[str]:
    """Every key a genuine submission may carry; anything else is crafted."""
    keys = {"csrfmiddlewaretoken"}
    for project in projects:
        keys |= {f"{row_prefix(project)}-{name}" for name in ROW_FIELDS}
    return keys


class CycleSettingsForm(forms.Form):
    length_months = forms.TypedChoiceField(label=_("Cycle length"), choices=ReportingCycle.Length.choices, coerce=int)
    remind_days_before_end = forms.IntegerField(
        label=_("Reminder, days before the end of the cycle"), min_value=0, max_value=60
    )


# --- Partner relationships and data assets (issue 15) ----------------------------


class AgreementForm(EditForm):
    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "status",
            "partners",
            "services",
            "projects",
            "start_date",
            "end_date",
            "document_reference",
            "notes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "partners": PickerMultiple(**PARTNER_PICKER),
            "services": PickerMultiple(**SERVICE_PICKER),
            "projects": PickerMultiple(**PROJECT_PICKER),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.filter(is_archived=False).only("pk", "name")
        self.fields["services"].queryset = Service.objects.filter(is_archived=False).only("pk", "name")
        self.fields["projects"].queryset = Project.objects.filter(is_archived=False).only("pk", "code", "name")

    def clean(self):
        data = super().clean()
        check_date_order(self)
        return data


class DataAssetForm(EditForm):
    publication_url = forms.URLField(label=capfirst(_("publication URL")), required=False, assume_scheme="https")

    class Meta:
        model = DataAsset
        fields = [
            "name",
            "description",
            "produced_by",
            "used_by",
            "holder",
            "holder_partner",
            "holder_service",
            "agreement",
            "licence",
            "open_data",
            "personal_data",
            "update_frequency",
            "publication_url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "produced_by": PickerMultiple(**PROJECT_PICKER),
            "used_by": PickerMultiple(**PROJECT_PICKER),
            "holder_partner": Picker(**PARTNER_PICKER),
            "holder_service": Picker(**SERVICE_PICKER),
            "agreement": FastSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.filter(is_archived=False).only("pk", "code", "name")
        self.fields["produced_by"].queryset = projects
        self.fields["used_by"].queryset = projects
        self.fields["holder_partner"].queryset = Partner.objects.filter(is_archived=False).only("pk", "name")
        self.fields["holder_service"].queryset = Service.objects.filter(is_archived=False).only("pk", "name")
        self.fields["agreement"].queryset = Agreement.objects.only("pk", "title")


class KindChangeForm(forms.Form):
    """A project–partner relationship moves to another kind on a date."""

    relationship = forms.ChoiceField(label=_("New relationship kind"), choices=RelationshipKind.choices)
    changed_on = forms.DateField(label=_("Since"), widget=DateInput())
    role = forms.CharField(label=_("Role"), max_length=200, required=False)


# --- Indicators and usefulness sheets (issue 14) -----------------------------


class IndicatorForm(EditForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "code", "baseline", "baseline_on", "target", "target_on"]
        widgets = {"baseline_on": DateInput(), "target_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = self.fields["code"].queryset.order_by("framework", "code")
        self.fields["code"].help_text = _("Optional: a code from a standard framework, to compare with other cities.")

    def clean(self):
        data = super().clean()
        check_date_order(self, "baseline_on", "target_on")
        return data


class IndicatorValueForm(forms.ModelForm):
    """One measured value; on the report page each indicator's form has its
    own prefix."""

    class Meta:
        model = IndicatorValue
        fields = ["measured_on", "value", "source"]
        widgets = {"measured_on": DateInput()}

    def __init__(self, *args, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator is not None:
            self.instance.indicator = indicator

    def validate_unique(self):
        # The indicator is set on the instance but is not a form field:
        # check "one value per date" here so it shows on the date field.
        super().validate_unique()
        instance, data = self.instance, getattr(self, "cleaned_data", {})
        if instance.indicator_id and data.get("measured_on"):
            clash = IndicatorValue.objects.filter(indicator_id=instance.indicator_id, measured_on=data["measured_on"])
            if clash.exists():
                self.add_error("measured_on", _("A value is already recorded for this date."))


class UsefulnessSheetForm(EditForm):
    class Meta:
        model = UsefulnessSheet
        fields = ["changed", "for_whom", "cost", "cost_note", "lessons"]
        widgets = {
            "changed": forms.Textarea(attrs={"rows": 4}),
            "for_whom": forms.Textarea(attrs={"rows": 2}),
            "lessons": forms.Textarea(attrs={"rows": 3}),
        }


# --- The plan, its objectives and targets; ideas and proposals (issue 13) ---


class PlanForm(EditForm):
    class Meta:
        model = SmartCityPlan
        fields = ["title", "summary", "period_start", "period_end", "adopted_on", "adopted_by"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "adopted_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        check_date_order(self, start="period_start", end="period_end")
        return data


class ObjectiveForm(EditForm):
    class Meta:
        model = Objective
        fields = ["code", "title", "description", "domains", "programmes", "projects", "position"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "domains": forms.CheckboxSelectMultiple,
            "programmes": PickerMultiple(**PROGRAMME_PICKER),
            "projects": PickerMultiple(**PROJECT_PICKER),
        }
        help_texts = {
            "projects": _("The objective's figures (budget, progress, health) cover these projects."),
        }

    def __init__(self, *args, plan: SmartCityPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.instance.plan = plan
        self.fields["domains"].queryset = live_domains(self.instance, "domains")
        self.fields["programmes"].queryset = Programme.objects.filter(is_archived=False).only("pk", "name")
        self.fields["projects"].queryset = Project.objects.filter(is_archived=False).only("pk", "code", "name")
        self.fields["position"].required = False

    def clean_position(self):
        position = self.cleaned_data.get("position")
        return 0 if position is None else position

    def clean_code(self):
        code = self.cleaned_data["code"]
        plan_id = self.instance.plan_id
        clash = Objective.objects.filter(plan_id=plan_id, code=code).exclude(pk=self.instance.pk)
        if plan_id and clash.exists():
            raise forms.ValidationError(_("Another objective of the plan has this code."))
        return code


class TargetForm(EditForm):
    class Meta:
        model = Target
        fields = ["label", "unit", "baseline", "target_value", "target_date", "current_value", "measured_on"]
        widgets = {"target_date": DateInput(), "measured_on": DateInput()}


class IdeaForm(EditForm):
    """A service's idea. A director chooses among the services they direct;
    the lead among all (or none)."""

    class Meta:
        model = Idea
        fields = ["title", "need", "benefit", "domain", "proposing_service", "services_concerned"]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 3}),
            "benefit": forms.Textarea(attrs={"rows": 2}),
            "proposing_service": Picker(**SERVICE_PICKER),
            "services_concerned": PickerMultiple(**SERVICE_PICKER),
        }

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        live = Service.objects.filter(is_archived=False).only("pk", "name")
        self.fields["proposing_service"].queryset = services if services is not None else live
        self.fields["proposing_service"].empty_label = _("No service (the lead's idea)")
        if services is not None:
            # A director picks among the few services they direct: a plain select.
            self.fields["proposing_service"].required = True
            self.fields["proposing_service"].empty_label = None
            self.fields["proposing_service"].widget = FastSelect(choices=self.fields["proposing_service"].choices)
        self.fields["services_concerned"].queryset = live
        self.fields["domain"].queryset = live_domains(self.instance, "domain")


class ProposalForm(EditForm):
    """A company's or a research partner's proposal, recorded by the lead."""

    class Meta:
        model = Idea
        fields = [
            "title",
            "partner",
            "technology",
            "contact",
            "received_on",
            "need",
            "benefit",
            "domain",
            "services_concerned",
        ]
        labels = {"need": _("What is proposed, for which need")}
        widgets = {
            "need": forms.Textarea(attrs={"rows": 3}),
            "benefit": forms.Textarea(attrs={"rows": 2}),
            "received_on": DateInput(),
            "partner": Picker(**PARTNER_PICKER),
            "services_concerned": PickerMultiple(**SERVICE_PICKER),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].required = True
        self.fields["partner"].queryset = Partner.objects.filter(is_archived=False).only("pk", "name")
        self.fields["services_concerned"].queryset = Service.objects.filter(is_archived=False).only("pk", "name")
        self.fields["domain"].queryset = live_domains(self.instance, "domain")


class IdeaMoveForm(forms.Form):
    """The lead's decision on an idea: where it goes and why."""

    to_state = forms.ChoiceField(label=_("Move to"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(IdeaState.choices)
        self.fields["to_state"].choices = [
            (state, labels[state]) for state in idea_moves(idea) if state != IdeaState.ACCEPTED
        ]
        self.fields["expected_state"].initial = idea.state


class IdeaAcceptForm(ReadablePlaceholdersMixin, forms.Form):
    """Accept an idea as a project: the new project's programme, code, name
    and lead service, and the reason."""

    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), widget=Picker(**PROGRAMME_PICKER)
    )
    code = forms.CharField(label=_("Project code"), max_length=20)
    name = forms.CharField(label=_("Project name"), max_length=200)
    lead_service = forms.ModelChoiceField(
        label=_("Lead service"), queryset=Service.objects.none(), widget=Picker(**SERVICE_PICKER)
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, idea: Idea, **kwargs):
        kwargs.setdefault(
            "initial",
            {"name": idea.title[:200], "lead_service": idea.proposing_service_id, "expected_state": idea.state},
        )
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_archived=False).only("pk", "name")
        self.fields["lead_service"].queryset = Service.objects.filter(is_archived=False).only("pk", "name")
        if idea.partner_id is not None:
            # The proposing partner joins the project: as what.
            self.fields["partner_relationship"] = forms.ChoiceField(
                label=_("Relationship of %(partner)s with the project") % {"partner": idea.partner},
                choices=RelationshipKind.choices,
                initial=proposal_relationship(idea.partner),
            )
            self.order_fields(["programme", "code", "name", "lead_service", "partner_relationship"])

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Project.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A project already has this code."))
        return code


# --- The editable taxonomy (issue 13): domains, phases, health levels ---------


class ColourInput(forms.TextInput):
    input_type = "color"


class DomainForm(EditForm):
    class Meta:
        model = Domain
        fields = ["name", "description", "color", "icon"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "color": ColourInput()}
        help_texts = {"icon": _("Shown next to the domain's name.")}


class TaxonomyOptionForm(EditForm):
    """A phase or health level: its label (and colour) always; its meaning
    only when it is created, fixed afterwards."""

    class Meta:
        fields = ["label"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("stage", "severity"):
                self.fields.pop(name, None)
            if not self.is_bound:
                self.initial["label"] = str(self.instance.display_label)
        self.fields["label"].required = True


class PhaseOptionForm(TaxonomyOptionForm):
    class Meta:
        model = PhaseOption
        fields = ["label", "stage"]
        help_texts = {
            "stage": _("What the phase means to the rules: a closed phase ends the project. Fixed once saved.")
        }


class HealthOptionForm(TaxonomyOptionForm):
    class Meta:
        model = HealthOption
        fields = ["label", "severity", "color"]
        widgets = {"color": ColourInput()}
        help_texts = {
            "severity": _("What the level means to the rules (attention lists, charts' shapes). Fixed once saved.")
        }
