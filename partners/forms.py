from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from smartcity.base.forms import DateInput, EditForm, PickerMultiple, ReadablePlaceholdersMixin

from .models import AcculturationChange, AwarenessAction, ContactPerson, Interaction, Partner, Service

# Type-ahead pickers (``smartcity.base.forms.Picker``) searching the
# organisation's long lists; every form that offers a service, a partner or an
# official uses these.
SERVICE_PICKER = {"source": "partners:service_pick", "fields": ("name", "acronym")}
PARTNER_PICKER = {"source": "partners:partner_pick", "fields": ("name", "city")}
OFFICIAL_PICKER = {"source": "partners:official_pick", "fields": ("first_name", "last_name", "delegation")}


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
    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

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


class AcculturationChangeForm(ReadablePlaceholdersMixin, forms.ModelForm):
    """A new level for a service; ``token`` is the service's as the form was opened."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AcculturationChange
        fields = ["level", "changed_on", "reason"]
        widgets = {"changed_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}


class InteractionForm(EditForm):
    """An exchange with ``partner``: only its own contact persons are offered."""

    class Meta:
        model = Interaction
        fields = [
            "kind",
            "happened_on",
            "city_contact",
            "participants",
            "services",
            "contacts",
            "note",
            "follow_up",
            "follow_up_on",
        ]
        widgets = {
            "happened_on": DateInput(),
            "follow_up_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.SelectMultiple(attrs={"size": 5}),
            "services": PickerMultiple(**SERVICE_PICKER),
            "contacts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")
        self.fields["city_contact"].queryset = users
        self.fields["participants"].queryset = users
        self.fields["services"].queryset = Service.objects.filter(is_archived=False)
        self.fields["contacts"].queryset = ContactPerson.objects.filter(partner=partner, is_archived=False)
        for name in ("city_contact", "participants"):
            self.fields[name].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class AwarenessActionForm(EditForm):
    """An awareness action: a date in the future makes it a planned one."""

    class Meta:
        model = AwarenessAction
        fields = ["kind", "held_on", "title", "services", "people", "note", "next_step", "next_step_on"]
        widgets = {
            "held_on": DateInput(),
            "next_step_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "services": PickerMultiple(**SERVICE_PICKER),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.filter(is_archived=False).order_by("name")
