"""Read endpoints of the API. Each list reuses its page's selector and
filter, so the API filters and sorts like the web and costs the same number
of queries whatever the data size."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from governance import selectors as governance_selectors
from governance.forms import DecisionFilter
from governance.models import ActionItem, Meeting
from partners import selectors as partner_selectors
from partners.filters import PartnerFilter, ServiceFilter
from programmes import selectors as programme_selectors
from programmes.filters import ProjectFilter
from programmes.models import Milestone, ProjectPartner, StatusReport

from . import serializers


def _latest_report_only() -> QuerySet[StatusReport]:
    latest = StatusReport.objects.filter(project=OuterRef("project_id")).order_by("-created_at", "-pk").values("pk")[:1]
    return StatusReport.objects.filter(pk=Subquery(latest))


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    filter_backends = [DjangoFilterBackend]


class ProgrammeViewSet(ReadViewSet):
    serializer_class = serializers.ProgrammeSerializer

    def get_queryset(self):
        return programme_selectors.programme_list().order_by("name")


class ProjectViewSet(ReadViewSet):
    """Projects, filtered and sorted like the project list (`sort=`)."""

    serializer_class = serializers.ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        archived = self.action != "list" or self.request.query_params.get("archived") == "1"
        return (
            programme_selectors.project_list(include_archived=archived)
            .prefetch_related(
                Prefetch("partner_links", queryset=ProjectPartner.objects.select_related("partner").order_by("pk")),
                Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
                Prefetch("status_reports", queryset=_latest_report_only(), to_attr="latest_reports"),
            )
            .order_by("code")
        )


class ServiceViewSet(ReadViewSet):
    serializer_class = serializers.ServiceSerializer
    filterset_class = ServiceFilter

    def get_queryset(self):
        archived = self.action != "list" or self.request.query_params.get("archived") == "1"
        return partner_selectors.service_list(include_archived=archived).order_by("name")


class PartnerViewSet(ReadViewSet):
    serializer_class = serializers.PartnerSerializer
    filterset_class = PartnerFilter

    def get_queryset(self):
        archived = self.action != "list" or self.request.query_params.get("archived") == "1"
        return partner_selectors.partner_list(include_archived=archived).order_by("name")


class OfficialViewSet(ReadViewSet):
    serializer_class = serializers.OfficialSerializer

    def get_queryset(self):
        return governance_selectors.official_list().order_by("last_name", "pk")


class CommitteeViewSet(ReadViewSet):
    serializer_class = serializers.CommitteeSerializer

    def get_queryset(self):
        return governance_selectors.committee_list().order_by("name")


class MeetingViewSet(ReadViewSet):
    serializer_class = serializers.MeetingSerializer
    filterset_fields = ["committee", "status"]

    def get_queryset(self):
        return Meeting.objects.select_related("committee").order_by("-starts_at", "-pk")


class DecisionViewSet(ReadViewSet):
    """The decision register, filtered like its page."""

    serializer_class = serializers.DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return governance_selectors.decision_register()


class ActionViewSet(ReadViewSet):
    serializer_class = serializers.ActionSerializer
    filterset_fields = ["status", "meeting", "owner_service"]

    def get_queryset(self):
        return ActionItem.objects.prefetch_related("projects").order_by("due_date", "pk")
