"""Read endpoints of the API. Each list reuses its page's selector and
filter, so the API filters and sorts like the web and costs the same number
of queries whatever the data size."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from governance import selectors as governance_selectors
from governance.forms import DecisionFilter
from governance.models import ActionItem, Meeting
from partners import selectors as partner_selectors
from partners.filters import PartnerFilter, ServiceFilter
from programmes import selectors as programme_selectors
from programmes import services as programme_services
from programmes.filters import ProjectFilter
from programmes.models import Milestone, Project, ProjectPartner, StatusReport
from programmes.rules import can_report
from smartcity.base.concurrency import StaleEditError, token_of
from smartcity.base.permissions import refuse
from smartcity.base.roles import is_lead

from . import schema, serializers  # noqa: F401 - schema annotates the filters


def _latest_report_only() -> QuerySet[StatusReport]:
    latest = StatusReport.objects.filter(project=OuterRef("project_id")).order_by("-created_at", "-pk").values("pk")[:1]
    return StatusReport.objects.filter(pk=Subquery(latest))


def project_queryset(*, include_archived: bool) -> QuerySet[Project]:
    """Projects with what their API representation shows (webhooks send the
    same representation)."""
    return (
        programme_selectors.project_list(include_archived=include_archived)
        .prefetch_related(
            Prefetch("partner_links", queryset=ProjectPartner.objects.select_related("partner").order_by("pk")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            Prefetch("status_reports", queryset=_latest_report_only(), to_attr="latest_reports"),
        )
        .order_by("code")
    )


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
        return project_queryset(include_archived=archived)

    @extend_schema(request=serializers.ProjectUpdateSerializer, responses=serializers.ProjectSerializer)
    def partial_update(self, request, pk=None):
        """The lead edits a project (PATCH), as on the web: only the fields
        sent change, and ``token`` (the ``version`` read) must still be the
        project's, else 409 and nothing is written."""
        if not is_lead(request.user):
            raise _refused(request, "API project update by a non-lead")
        project = get_object_or_404(Project, pk=pk)
        payload = serializers.ProjectUpdateSerializer(project, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        token = data.pop("token")
        try:
            programme_services.project_update(project=project, token=token, data=data)
        except StaleEditError as error:
            return Response(
                {
                    "detail": _("This project was changed since you read it: read it again."),
                    "token": token_of(Project.objects.get(pk=project.pk)),
                    "changed": sorted({change.field for change in error.changes}),
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as error:
            return Response(_validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(serializers.ProjectSerializer(self.get_queryset().get(pk=project.pk)).data)

    @extend_schema(request=serializers.StatusReportInputSerializer, responses={201: serializers.StatusReportSerializer})
    @action(detail=True, methods=["post"], url_path="reports")
    def reports(self, request, pk=None):
        """File a status report, as on the reporting page: the lead on any
        active project, a director on the active projects of their service
        (``programmes.rules.can_report``)."""
        project = get_object_or_404(Project.objects.select_related("lead_service"), pk=pk)
        if not can_report(request.user, project):
            raise _refused(request, "API status report on a project the user may not report on")
        payload = serializers.StatusReportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "based_on" in data:
            based_on = data["based_on"]
        else:
            based_on = getattr(programme_selectors.latest_report_of(project), "pk", None)
        try:
            report = programme_services.status_report_submit(
                project=project,
                author=request.user,
                health=data.get("health", ""),
                progress=data.get("progress"),
                comment=data["comment"],
                next_milestone=data["next_milestone"],
                next_milestone_date=data["next_milestone_date"],
                based_on_id=based_on,
                is_no_change=data["no_change"],
            )
        except programme_services.ReportConflict as conflict:
            newer = conflict.newer[project.pk]
            return Response(
                {"detail": _("A newer report was filed after the one you knew of."), "latest": newer.pk},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as error:
            return Response(_validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        except programme_services.NothingToRepeat:
            return Response({"detail": _("“No change” needs an earlier report.")}, status=status.HTTP_400_BAD_REQUEST)
        return Response(serializers.StatusReportSerializer(report).data, status=status.HTTP_201_CREATED)


def _validation_errors(error: DjangoValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}


def _refused(request, reason: str) -> ApiPermissionDenied:
    """Log the refusal like the web does, and answer 403."""
    refuse(request, reason)
    return ApiPermissionDenied()


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
