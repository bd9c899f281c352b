from django import forms
from django.utils.translation import gettext_lazy as _

from smartcity.base.forms import EditForm

from .destinations import validate_destination
from .models import WebhookEndpoint, WebhookEvent


class WebhookEndpointForm(EditForm):
    events = forms.MultipleChoiceField(
        label=_("Events sent"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "is_active"]
        help_texts = {
            "url": _("Where Orchestre POSTs each event, signed with the endpoint's secret (https:// recommended)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].validators.append(validate_destination)
        self.fields["url"].assume_scheme = "https"
