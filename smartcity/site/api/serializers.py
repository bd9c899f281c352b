"""What the API shows of each object. Read-only: writes go through the
apps' services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.models import ActionItem, Committee, Decision, Meeting
from partners.models import ElectedOfficial, Partner, Service
from programmes.models import Milestone, Programme, Project, ProjectPartner, StatusReport


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
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "reached_on"]


class StatusReportSerializer(serializers.ModelSerializer):
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
            "is_archived",
            "last_reported_at",
            "version",
            "partner_links",
            "milestones",
            "last_report",
        ]

    @extend_schema_field(StatusReportSerializer(allow_null=True))
    def get_last_report(self, project: Project) -> dict | None:
        reports = getattr(project, "latest_reports", None)
        if reports is None:
            return None
        return StatusReportSerializer(reports[0]).data if reports else None


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
