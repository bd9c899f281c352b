import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.forms import PARTNER_PICKER, SERVICE_PICKER
from partners.models import Domain, ElectedOfficial, Partner, Service
from programmes.forms import PROJECT_PICKER
from programmes.models import Project
from smartcity.base.forms import EditForm, Picker, PickerMultiple, ReadablePlaceholdersMixin
from smartcity.base.search import search_terms

from .models import ActionItem, AgendaItem, Attendance, Committee, Decision, Meeting


def _projects():
    return Project.objects.open().order_by("code")


class ProjectsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", _projects())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Projects"))
        kwargs.setdefault("widget", PickerMultiple(**PROJECT_PICKER))
        super().__init__(**kwargs)


class CommitteeForm(EditForm):
    class Meta:
        model = Committee
        fields = ["name", "short_name", "description", "members", "invited_services", "pack_days_before"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "members": forms.CheckboxSelectMultiple,
            # Hundreds of services in a large city: a picker (the chosen
            # ones and a bounded few, a search for the others).
            "invited_services": PickerMultiple(**SERVICE_PICKER),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = ElectedOfficial.objects.filter(is_active=True)
        self.fields["invited_services"].queryset = Service.objects.filter(is_archived=False)
        # Left empty, the pack goes at the usual delay.
        self.fields["pack_days_before"].required = False

    def clean_pack_days_before(self) -> int:
        value = self.cleaned_data.get("pack_days_before")
        if value is None:
            return (
                self.instance.pack_days_before
                if self.instance.pk
                else Committee._meta.get_field("pack_days_before").default
            )
        return value


class MeetingForm(EditForm):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Meeting
        fields = ["starts_at", "duration_minutes", "place", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class AgendaItemForm(EditForm):
    projects = ProjectsField()

    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "duration_minutes", "projects"]


class DecisionForm(ReadablePlaceholdersMixin, forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False)
    projects = ProjectsField(help_text=_("Leave empty to take the agenda item's projects."))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position", "pk")


class ActionForm(ReadablePlaceholdersMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_service = forms.ModelChoiceField(
        label=_("Owner service"),
        queryset=Service.objects.filter(is_archived=False),
        required=False,
        widget=Picker(**SERVICE_PICKER),
    )
    owner_name = forms.CharField(label=_("Owner (person)"), max_length=200, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none(), required=False)
    projects = ProjectsField(help_text=_("Leave empty to take the decision's projects."))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = meeting.decisions.order_by("pk")

    def clean(self):
        data = super().clean()
        if not data.get("owner_service") and not data.get("owner_name"):
            raise forms.ValidationError(_("Give the action an owner: a service or a person."))
        return data


class CloseActionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(ActionItem.Status.DONE, _("Done")), (ActionItem.Status.CANCELLED, _("Cancelled"))],
        initial=ActionItem.Status.DONE,
    )


ATTENDANCE_CHOICES = [("", _("— not recorded")), *Attendance.Status.choices]


class AttendanceForm(ReadablePlaceholdersMixin, forms.Form):
    """One choice per committee member and invited service (and per partner
    already recorded), plus one partner to add."""

    add_partner = forms.ModelChoiceField(
        label=_("Add a partner"),
        queryset=Partner.objects.filter(is_archived=False),
        required=False,
        widget=Picker(**PARTNER_PICKER),
    )
    add_partner_status = forms.ChoiceField(
        label=_("Partner's attendance"), choices=Attendance.Status.choices, initial=Attendance.Status.PRESENT
    )

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, meeting: Meeting, officials, services, attendances, token: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = token
        current = {(a.official_id, a.service_id, a.partner_id): a.status for a in attendances}
        self.rows: list[tuple[str, str, object]] = []
        for kind, people in (("official", officials), ("service", services)):
            for person in people:
                key = (person.pk, None, None) if kind == "official" else (None, person.pk, None)
                name = f"{kind}_{person.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=str(person), choices=ATTENDANCE_CHOICES, required=False, initial=current.get(key, "")
                )
                self.rows.append((kind, name, person))
        for attendance in attendances:
            if attendance.partner_id:
                name = f"partner_{attendance.partner_id}"
                self.fields[name] = forms.ChoiceField(
                    label=str(attendance.partner), choices=ATTENDANCE_CHOICES, required=False, initial=attendance.status
                )
                self.rows.append(("partner", name, attendance.partner))
        self.order_fields([name for _kind, name, _person in self.rows] + ["add_partner", "add_partner_status"])

    def by_kind(self) -> dict[str, dict]:
        result: dict[str, dict] = {"official": {}, "service": {}, "partner": {}}
        for kind, name, person in self.rows:
            result[kind][person] = self.cleaned_data.get(name, "")
        if self.cleaned_data.get("add_partner"):
            result["partner"][self.cleaned_data["add_partner"]] = self.cleaned_data["add_partner_status"]
        return result

    @property
    def bound_rows(self) -> dict[str, list]:
        grouped: dict[str, list] = {"official": [], "service": [], "partner": []}
        for kind, name, _person in self.rows:
            grouped[kind].append(self[name])
        return grouped


class AmendmentForm(ReadablePlaceholdersMixin, forms.Form):
    decision = forms.ModelChoiceField(label=_("Decision corrected"), queryset=Decision.objects.none(), required=False)
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = meeting.decisions.order_by("pk")


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"),
        field_name="meeting__committee",
        queryset=Committee.objects.all(),
        empty_label=_("All committees"),
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain"), queryset=Domain.objects.all(), method="by_domain", empty_label=_("All domains")
    )
    # A code, not a drop-down of every project: a thousand <option>s cost
    # more to render than the whole register.
    project = django_filters.CharFilter(label=_("Project code"), method="by_project")
    official = django_filters.ModelChoiceFilter(
        label=_("Official"),
        queryset=ElectedOfficial.objects.all(),
        method="by_official",
        empty_label=_("All officials"),
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="meeting__starts_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="meeting__starts_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Decision
        fields: list[str] = []

    def search(self, queryset, name, value):
        # Bounded (smartcity.base.search): at most MAX_TERMS words of the
        # first MAX_QUERY_CHARS characters, each one subquery.
        for term in search_terms(value):
            queryset = queryset.filter(
                Q(text__icontains=term)
                | Q(
                    pk__in=Decision.projects.through.objects.filter(
                        Q(project__code__icontains=term) | Q(project__name__icontains=term)
                    ).values("decision_id")
                )
            )
        return queryset

    # Filters through the project links use subqueries, not joins: no
    # duplicate rows, no DISTINCT.
    def by_domain(self, queryset, name, value):
        links = Decision.projects.through.objects.filter(project__domains=value)
        return queryset.filter(pk__in=links.values("decision_id"))

    def by_project(self, queryset, name, value):
        links = Decision.projects.through.objects.filter(project__code__iexact=value.strip())
        return queryset.filter(pk__in=links.values("decision_id"))

    def by_official(self, queryset, name, value):
        """Decisions on projects the official sponsors or that lie in the
        official's domains."""
        projects = Project.objects.filter(Q(sponsor=value) | Q(domains__officials=value)).values("pk")
        return queryset.filter(
            pk__in=Decision.projects.through.objects.filter(project_id__in=projects).values("decision_id")
        )


class OfficialForm(EditForm):
    class Meta:
        model = ElectedOfficial
        fields = ["first_name", "last_name", "title", "delegation", "email", "domains"]
        widgets = {"domains": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = Domain.objects.filter(is_archived=False)
