from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Domain, ElectedOfficial, Partner, Service
from smartcity.forms import DateInput, EditForm, check_date_order

from .models import Programme, Project, ProjectPartner


class ProgrammeForm(EditForm):
    class Meta:
        model = Programme
        fields = ["name", "description", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        check_date_order(self)
        return data


class ProjectForm(EditForm):
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
            "health",
            "progress",
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
            "contributing_services": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_archived=False)
        active_services = Service.objects.filter(is_archived=False).only("pk", "name")
        self.fields["lead_service"].queryset = active_services
        self.fields["contributing_services"].queryset = active_services
        self.fields["domains"].queryset = Domain.objects.filter(is_archived=False)
        self.fields["sponsor"].queryset = ElectedOfficial.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        lead, contributors = data.get("lead_service"), data.get("contributing_services")
        if lead and contributors and lead in contributors:
            self.add_error("contributing_services", _("The lead service is already on the project as its lead."))
        check_date_order(self)
        return data


class ServiceLinkForm(forms.Form):
    ROLE_CHOICES = [("contributor", _("Contributor")), ("lead", _("Lead service"))]

    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.filter(is_archived=False).only("pk", "name")
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial="contributor")


class PartnerLinkForm(forms.ModelForm):
    class Meta:
        model = ProjectPartner
        fields = ["partner", "relationship", "role", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

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
