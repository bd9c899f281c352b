"""What governance adds to the pages of the layers below: the committees a
project went through, and a service's committees, decisions and actions.
Registered by ``GovernanceConfig.ready()``."""

from django.http import HttpRequest

from partners.extensions import SERVICE_PAGE
from partners.models import Service
from programmes.extensions import PROJECT_PAGE
from programmes.models import Project

from . import selectors


def _project_section(request: HttpRequest, project: Project) -> dict:
    return selectors.project_committees(project=project)


def _service_section(request: HttpRequest, service: Service) -> dict:
    return selectors.service_committees(service=service)


def register() -> None:
    PROJECT_PAGE.register("governance", template="governance/sections/project.html", context=_project_section)
    SERVICE_PAGE.register("governance", template="governance/sections/service.html", context=_service_section, order=20)
