"""Form helpers shared by the apps' edit forms."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from .concurrency import token_of


class EditForm(forms.ModelForm):
    """A model form carrying the concurrency token of the record it edits."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["token"] = token_of(self.instance)


def check_date_order(form: forms.Form, start: str = "start_date", end: str = "end_date") -> None:
    """Report an end date before the start date on the end date field
    (the database constraint would otherwise show its technical name)."""
    from django.utils.translation import gettext as _

    data = getattr(form, "cleaned_data", {})
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, _("The end date is before the start date."))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a ValidationError raised by a service on the form: on its fields
    where the form has them, as a form-wide error otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class FastSelectMixin:
    """Renders the options with one ``format_html_join`` rather than one
    template per option: the per-option templates cost about 0.2 ms each,
    which adds up with the hundreds of services and partners of a large
    city. Same markup as Django's Select; no optgroups. Declared on the
    fields that need it (``widget=FastSelect``)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], SELECTED if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


SELECTED = mark_safe(" selected")  # a constant attribute, no user data


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


def filter_form_widgets(filterset):
    """Bootstrap classes on a django-filter form."""
    for field in filterset.form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)
    return filterset


class DocumentForm(forms.Form):
    """Attach a file to a record (``smartcity.base.services.document_add``).
    The file's size and real type are checked here, field by field, and
    again by the service."""

    file = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=200, required=False, help_text=gettext_lazy("Empty: the file's name.")
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=())
    date = forms.DateField(label=gettext_lazy("Date of the document"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        from .documents import ALLOWED_TYPES
        from .models import Document

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Document.Kind.choices
        self.fields["kind"].initial = Document.Kind.OTHER
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{kind}" for kind in ALLOWED_TYPES)
        self.fields["file"].help_text = gettext("PDF, image, office document, CSV or text; at most %(limit)s.") % {
            "limit": filesizeformat(settings.ORCHESTRE_DOCUMENT_MAX_BYTES)
        }

    def clean_file(self):
        from .documents import ALLOWED_TYPES
        from .uploads import check_upload

        file = self.cleaned_data["file"]
        check_upload(file, kinds=ALLOWED_TYPES, max_bytes=settings.ORCHESTRE_DOCUMENT_MAX_BYTES)
        return file

    def clean(self):
        data = super().clean()
        file = data.get("file")
        if file is not None and not data.get("title"):
            stem = (file.name or "").rsplit(".", 1)[0].replace("_", " ").strip()
            data["title"] = stem[:200] or gettext("Document")
        return data
