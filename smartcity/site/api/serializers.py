"""What the API shows of each object. Read-only: writes go through the
apps' services."""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.models import ActionItem, Committee, Decision, Meeting
from partners.models import ElectedOfficial, Partner, Service
from programmes import rules, taxonomy
from programmes.models import Health, Milestone, Phase, Programme, Project, ProjectPartner, StatusReport
from programmes.services import PROJECT_FIELDS, PROJECT_M2M


class ProgrammeSerializer(serializers.ModelSerializer):
    n_projects = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "name", "start_date", "end_date", "is_archived", "n_projects"]


class PartnerLinkSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = ProjectPartner
        fields = ["partner", "partner_name", "relationship", "role", "start_date", "end_date"]


class MilestoneSerializer(serializers.ModelSerializer):
    is_late = serializers.SerializerMethodField(help_text=_("Due before today and neither done nor cancelled."))

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "reached_on", "status", "is_late"]
        read_only_fields = fields

    def get_is_late(self, milestone: Milestone) -> bool:
        return rules.is_late(milestone, timezone.localdate())


class CodeField(serializers.ChoiceField):
    """A phase or health code. The schema lists the built-in values, a
    contract that does not move with the data; a write is checked against
    the lead's current list (``programmes.taxonomy``): values not archived,
    plus the record's own."""

    def __init__(self, *, builtin, offered, **kwargs):
        self.offered = offered
        super().__init__(choices=builtin, **kwargs)

    def to_internal_value(self, data):
        current = getattr(getattr(self.parent, "instance", None), self.source or "", None)
        if str(data) in {code for code, _label in self.offered(current)}:
            return str(data)
        self.fail("invalid_choice", input=data)


def _phase_field(**kwargs) -> CodeField:
    return CodeField(builtin=Phase.choices, offered=taxonomy.phase_picker, **kwargs)


def _health_field(**kwargs) -> CodeField:
    return CodeField(builtin=Health.choices, offered=taxonomy.health_picker, **kwargs)


class StatusReportSerializer(serializers.ModelSerializer):
    health = _health_field(read_only=True)

    class Meta:
        model = StatusReport
        fields = ["id", "created_at", "health", "progress", "comment", "next_milestone", "next_milestone_date"]


class ProjectSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    lead_service_acronym = serializers.CharField(source="lead_service.acronym", read_only=True)
    domains = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    partner_links = PartnerLinkSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    last_report = serializers.SerializerMethodField()
    phase = _phase_field(read_only=True)
    health = _health_field(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "programme",
            "programme_name",
            "lead_service",
            "lead_service_acronym",
            "sponsor",
            "domains",
            "phase",
            "health",
            "progress",
            "start_date",
            "end_date",
            "budget_planned",
            "budget_committed",
            "budget_spent",
            "is_archived",
            "last_reported_at",
            "version",
            "partner_links",
            "milestones",
            "last_report",
        ]

    @cached_property
    def _report_serializer(self) -> StatusReportSerializer:
        """One serializer for every row's report: building a serializer's
        fields per project was a quarter of the list's time."""
        return StatusReportSerializer()

    @extend_schema_field(StatusReportSerializer(allow_null=True))
    def get_last_report(self, project: Project) -> dict | None:
        reports = getattr(project, "latest_reports", None)
        if not reports:
            return None
        return self._report_serializer.to_representation(reports[0])


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "name", "acronym", "kind", "parent", "director", "is_archived"]


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "category", "is_archived"]


class OfficialSerializer(serializers.ModelSerializer):
    domains = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = ElectedOfficial
        fields = ["id", "first_name", "last_name", "title", "delegation", "domains", "is_active"]


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "name", "short_name", "is_archived"]


class MeetingSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "committee", "committee_name", "number", "starts_at", "duration_minutes", "place", "status"]


class DecisionSerializer(serializers.ModelSerializer):
    projects = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Decision
        fields = ["id", "meeting", "text", "projects", "created_at"]


class ActionSerializer(serializers.ModelSerializer):
    projects = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "decision",
            "title",
            "owner_service",
            "owner_name",
            "due_date",
            "status",
            "closed_at",
            "projects",
        ]


# The built-in reportable levels: the schema's enum (settings, ENUM_NAME_OVERRIDES);
# a request is checked against the lead's current list (``__init__``).
REPORTABLE_HEALTH = [(value, label) for value, label in Health.choices if value != Health.UNKNOWN]


class StatusReportInputSerializer(serializers.Serializer):
    """A status report filed through the API: the fields of the web's
    reporting row. ``based_on`` is the latest report the caller knew of
    (omitted: the project's latest now)."""

    health = CodeField(
        builtin=REPORTABLE_HEALTH,
        offered=lambda current: taxonomy.health_picker(current, reportable=True),
        required=False,
    )
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    next_milestone = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    next_milestone_date = serializers.DateField(required=False, allow_null=True, default=None)
    no_change = serializers.BooleanField(required=False, default=False)
    based_on = serializers.IntegerField(required=False, allow_null=True)

    def validate(self, attrs):
        if not attrs["no_change"] and (attrs.get("health") is None or attrs.get("progress") is None):
            raise serializers.ValidationError(_("State the health and the progress, or “no change”."))
        return attrs


class ProjectUpdateSerializer(serializers.ModelSerializer):
    """The lead's edit of a project: the web form's fields (never health nor
    progress, which follow the reports) and ``token``, the project's
    ``version`` as the caller read it."""

    token = serializers.CharField(write_only=True)
    phase = _phase_field(required=False)

    class Meta:
        model = Project
        fields = ["token", *PROJECT_FIELDS, *PROJECT_M2M]

    def validate(self, attrs):
        # Required even in a partial update: no edit without its token.
        if not attrs.get("token"):
            raise serializers.ValidationError({"token": _("Send the project's version as you read it.")})
        return attrs
