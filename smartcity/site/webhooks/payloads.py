"""The body of each event: its type, id and time, the object as the API
shows it, and links to it in the API and on the site."""

import json
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from governance.models import ActionItem, Decision, Meeting
from programmes.models import Project, StatusReport

from ..api import serializers
from ..api.views import project_queryset
from .models import WebhookEvent


def _links(api_name: str, pk: int, web: str) -> dict[str, str]:
    return {"api": settings.SITE_URL + reverse(api_name, args=[pk]), "web": settings.SITE_URL + web}


def _project(project: Project) -> tuple[dict, dict]:
    project = project_queryset(include_archived=True).get(pk=project.pk)
    return serializers.ProjectSerializer(project).data, _links(
        "api:project-detail", project.pk, project.get_absolute_url()
    )


def _report(report: StatusReport) -> tuple[dict, dict]:
    data = {**serializers.StatusReportSerializer(report).data, "project": report.project_id}
    return data, _links(
        "api:project-detail", report.project_id, reverse("programmes:project_detail", args=[report.project_id])
    )


def _meeting(meeting: Meeting) -> tuple[dict, dict]:
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    return serializers.MeetingSerializer(meeting).data, _links(
        "api:meeting-detail", meeting.pk, meeting.get_absolute_url()
    )


def _decision(decision: Decision) -> tuple[dict, dict]:
    decision = Decision.objects.prefetch_related("projects").get(pk=decision.pk)
    web = reverse("governance:meeting_detail", args=[decision.meeting_id])
    return serializers.DecisionSerializer(decision).data, _links("api:decision-detail", decision.pk, web)


def _action(action: ActionItem) -> tuple[dict, dict]:
    action = ActionItem.objects.prefetch_related("projects").get(pk=action.pk)
    web = reverse("governance:meeting_detail", args=[action.meeting_id])
    return serializers.ActionSerializer(action).data, _links("api:action-detail", action.pk, web)


BUILDERS = {
    WebhookEvent.PROJECT_CREATED: _project,
    WebhookEvent.PROJECT_UPDATED: _project,
    WebhookEvent.STATUS_REPORTED: _report,
    WebhookEvent.MEETING_HELD: _meeting,
    WebhookEvent.DECISION_RECORDED: _decision,
    WebhookEvent.ACTION_CLOSED: _action,
}


def event_body(event: str, obj: Any, *, event_id: uuid.UUID) -> str:
    """The JSON body sent for ``event`` about ``obj`` (built once per event,
    the same bytes for every endpoint)."""
    data, links = BUILDERS[WebhookEvent(event)](obj)
    body = {
        "id": str(event_id),
        "type": str(event),
        "created_at": timezone.now().isoformat(),
        "data": data,
        "links": links,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
