"""Forms of the portfolio pages and of status reporting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Domain, ElectedOfficial, Partner, Service
from smartcity.base.forms import (
    DateInput,
    EditForm,
    FastSelect,
    Picker,
    PickerMultiple,
    check_date_order,
)

from .models import Health, Programme, Project, ProjectPartner, RelationshipKind, ReportingCycle, StatusReport
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


SERVICE_PICKER = {"source": "partners:service_pick", "fields": ("name", "acronym")}
PARTNER_PICKER = {"source": "partners:partner_pick", "fields": ("name", "city")}
OFFICIAL_PICKER = {"source": "partners:official_pick", "fields": ("first_name", "last_name", "delegation")}
PROGRAMME_PICKER = {"source": "programmes:programme_pick", "fields": ("name",)}
PARTNER_ROWS = 3
CHOOSE = _("— choose —")


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
        self.fields["domains"].queryset = Domain.objects.filter(is_archived=False)
        self.fields["sponsor"].queryset = ElectedOfficial.objects.filter(is_active=True)
        self.fields["sponsor"].empty_label = _("No sponsor")
        self.fields["phase"].choices = [c for c in self.fields["phase"].choices if c[0] != ""]
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


class ServiceLinkForm(forms.Form):
    ROLE_CHOICES = [("contributor", _("Contributor")), ("lead", _("Lead service"))]

    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(is_archived=False).only("pk", "name"),
        widget=Picker(**SERVICE_PICKER),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial="contributor")


class PartnerLinkForm(forms.ModelForm):
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


class DomainLinkForm(forms.Form):
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

REPORT_HEALTH_CHOICES = [("", _("— choose —"))] + [
    (value, label) for value, label in Health.choices if value != Health.UNKNOWN
]
ROW_FIELDS = ("health", "progress", "comment", "next_milestone", "next_milestone_date", "based_on", "no_change")


def row_prefix(project: Project) -> str:
    return f"p{project.pk}"


class StatusReportForm(forms.Form):
    """One project's row. Left untouched (same values as the latest report,
    "no change" not ticked), the row files nothing."""

    health = forms.ChoiceField(label=_("Health"), choices=REPORT_HEALTH_CHOICES, required=False)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    next_milestone = forms.CharField(label=_("Next milestone"), max_length=200, required=False)
    next_milestone_date = forms.DateField(
        label=_("Milestone date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("500 characters at most."),
    )
    no_change = forms.BooleanField(
        label=_("No change since last report"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

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
