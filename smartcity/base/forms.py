"""Form helpers shared by the apps' edit forms."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils.choices import CallableChoiceIterator
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from .concurrency import token_of
from .pickers import pick_search
from .search import bounded_query

DASHES = "---------"
CHOOSE = gettext_lazy("— choose —")


def readable_placeholders(form: forms.BaseForm) -> None:
    """Django's empty choice reads "---------"; the forms say "— choose —"
    instead (a field that names its own empty choice, "No sponsor", keeps
    it)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and not isinstance(field.choices, CallableChoiceIterator):
            choices = list(field.choices)
            if ("", DASHES) in choices:
                field.choices = [("", CHOOSE) if choice == ("", DASHES) else choice for choice in choices]


class ReadablePlaceholdersMixin:
    """Calls ``readable_placeholders`` once the form's fields are built."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        readable_placeholders(self)


class EditForm(ReadablePlaceholdersMixin, forms.ModelForm):
    """A model form carrying the concurrency token of the record it edits,
    its empty choices readable."""

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
        # One escape per value and label, not one format_html per option
        # (half of the time of an 800-option select).
        options = mark_safe(  # noqa: S308 - every value and label escaped
            "".join(
                f'<option value="{conditional_escape(option["value"])}"{SELECTED if option["selected"] else ""}>'
                f"{conditional_escape(option['label'])}</option>"
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            )
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


SELECTED = mark_safe(" selected")  # a constant attribute, no user data


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


def _attrs_html(attrs: dict) -> str:
    """Attributes as Django's ``attrs.html`` writes them: in their order, a
    True value alone, a False one left out; every name and value escaped."""
    return mark_safe(  # noqa: S308 - every part escaped
        "".join(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


class InlineRenderMixin:
    """Renders an input, a textarea or a select exactly as Django's widget
    templates do (same markup, same order of attributes), with
    ``format_html`` rather than three nested templates per widget: a form
    repeated once per row (the director's one-page report) otherwise spends
    most of its time there."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if isinstance(self, forms.Select) and any(group for group, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)  # option groups: Django's templates
        attrs_html = _attrs_html(widget["attrs"])
        if isinstance(self, forms.Select):
            options = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                (
                    (option["value"], _attrs_html(option["attrs"]), option["label"])
                    for _group, group_options, _index in widget["optgroups"]
                    for option in group_options
                ),
            )
            return format_html('<select name="{}"{}>{}\n</select>', widget["name"], attrs_html, options)
        if isinstance(self, forms.Textarea):
            return format_html(
                '<textarea name="{}"{}>\n{}</textarea>', widget["name"], attrs_html, widget["value"] or ""
            )
        if widget["value"] is None:
            return format_html('<input type="{}" name="{}"{}>', widget["type"], widget["name"], attrs_html)
        return format_html(
            '<input type="{}" name="{}" value="{}"{}>', widget["type"], widget["name"], widget["value"], attrs_html
        )


def picker_attrs(source: str) -> dict[str, object]:
    """The attributes that make ``static/js/picker.js`` turn a select into a
    type-ahead searching ``source`` (the URL name of a ``PickSource`` view),
    with the words it shows. A full select carrying them (a filter, a link
    form) still works as it is without JavaScript."""
    return {
        "data-picker": reverse_lazy(source),
        "data-picker-placeholder": gettext_lazy("Type a few letters to search…"),
        "data-picker-none": gettext_lazy("No match."),
        "data-picker-more": gettext_lazy("More match: type a few more letters."),
        "data-picker-remove": gettext_lazy("Remove"),
        "data-picker-found": gettext_lazy("Results:"),
        "data-picker-error": gettext_lazy("The search failed; try again."),
    }


PICK_FIRST = 30
PICK_BUTTON = "_pick"


class PickerMixin:
    """A select of a long list (hundreds of services or partners) that shows
    only the chosen records and a bounded number of others.

    With JavaScript, ``static/js/picker.js`` makes it a type-ahead asking
    ``source`` as the lead types. Without, it is a plain "search, then
    pick": a search box and its button (``PICK_BUTTON``) send the form back
    to the server, which shows it again with what was typed and, in the
    select, the records matching the search (``form_page`` and
    ``is_pick_round_trip``). Either way the page costs at most two queries
    per picker, whatever the size of the list."""

    def __init__(self, *, source: str, fields: tuple[str, ...] = ("name",), attrs=None):
        super().__init__(attrs)
        self.source = source
        self.search_fields = fields
        self.query = ""

    def value_from_datadict(self, data, files, name):
        self.query = bounded_query(data.get(f"{name}_q", ""))
        return super().value_from_datadict(data, files, name)

    def render(self, name, value, attrs=None, renderer=None):
        # Not get_context(): it would build an option for every record.
        widget_attrs = self.build_attrs(self.attrs, {**(attrs or {}), **picker_attrs(self.source)})
        if self.allow_multiple_selected:
            widget_attrs["multiple"] = True
        widget = {"name": name, "attrs": widget_attrs}
        queryset, field = self.choices.queryset, self.choices.field
        chosen_values = [v for v in self.format_value(value) if str(v).isdigit()]
        chosen = list(queryset.filter(pk__in=chosen_values)) if chosen_values else []
        found = list(pick_search(queryset, self.query, fields=self.search_fields, limit=PICK_FIRST))
        more = len(found) > PICK_FIRST
        chosen_pks = {obj.pk for obj in chosen}
        options = [(obj.pk, field.label_from_instance(obj), SELECTED) for obj in chosen]
        options += [
            (obj.pk, field.label_from_instance(obj), "") for obj in found[:PICK_FIRST] if obj.pk not in chosen_pks
        ]
        if not self.allow_multiple_selected and field.empty_label is not None:
            empty = field.empty_label if field.empty_label != DASHES else CHOOSE
            options.insert(0, ("", empty, "" if chosen else SELECTED))
        select = format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", '<option value="{}"{}>{}</option>', ((v, s, label) for v, label, s in options)),
        )
        search_id = f"{widget['attrs'].get('id', name)}_q"
        hint = ""
        if more:
            hint = format_html(
                '<p class="form-text picker-hint mb-0">{}</p>',
                gettext_lazy("Only the first %(n)s are listed: search to find the others.") % {"n": PICK_FIRST},
            )
        return format_html(
            '<div class="picker-box">{}<div class="picker-search input-group input-group-sm mt-1">'
            '<input type="search" name="{}_q" id="{}" value="{}" class="form-control" aria-label="{}" placeholder="{}">'
            '<button type="submit" name="{}" value="{}" class="btn btn-outline-secondary">{}</button></div>{}</div>',
            select,
            name,
            search_id,
            self.query,
            gettext_lazy("Search this list"),
            gettext_lazy("Search this list"),
            PICK_BUTTON,
            name,
            gettext_lazy("Search"),
            hint,
        )


class Picker(PickerMixin, forms.Select):
    pass


class PickerMultiple(PickerMixin, forms.SelectMultiple):
    pass


def is_pick_round_trip(request, form: forms.Form) -> bool:
    """A form sent by a picker's search button (no JavaScript): nothing is
    saved; the form is shown again with what was typed, without error
    messages (the lead has not finished)."""
    if request.method != "POST" or PICK_BUTTON not in request.POST:
        return False
    form.is_valid()
    form._errors = forms.utils.ErrorDict()
    return True


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
