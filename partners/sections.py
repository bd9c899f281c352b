"""The organisation's own sections on a service's page (issue 14): the
awareness actions that reached the service."""

from django.http import HttpRequest
from django.utils import timezone

from smartcity.base.roles import is_lead

from . import selectors
from .models import Service


def awareness_section(request: HttpRequest, service: Service) -> dict:
    return {
        "service": service,
        "actions": list(selectors.awareness_actions(service=service)[:10]),
        "user_is_lead": is_lead(request.user),
        "today": timezone.localdate(),
    }
