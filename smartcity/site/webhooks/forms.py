from django import forms
from django.utils.translation import gettext_lazy as _

from smartcity.base.forms import EditForm

from .destinations import validate_destination
from .models import WebhookEndpoint, WebhookEvent


class WebhookEndpointForm(EditForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[validate_destination],
        help_text=_("Where Orchestre POSTs each event, signed with the endpoint's secret (https:// recommended)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events sent"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "is_active"]
