from django import forms
from django.utils.translation import gettext_lazy as _

from smartcity.base.forms import DateInput, EditForm

from .models import AcculturationChange, ContactPerson, Partner, Service


class ServiceForm(EditForm):
    class Meta:
        model = Service
        fields = ["name", "acronym", "kind", "parent", "director", "acculturation", "email", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Service.objects.filter(is_archived=False, kind=Service.Kind.DIRECTION)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class PartnerForm(EditForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "category", "city", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ContactForm(EditForm):
    class Meta:
        model = ContactPerson
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "email",
            "phone",
            "notes",
            "lawful_basis",
            "last_confirmed_on",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "lawful_basis": forms.Textarea(attrs={"rows": 2}),
            "last_confirmed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class AcculturationChangeForm(forms.ModelForm):
    """A new level for a service; ``token`` is the service's as the form was opened."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AcculturationChange
        fields = ["level", "changed_on", "reason"]
        widgets = {"changed_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}
