"""What the site adds to lower layers' pages (issue 14): the engagement
index on a service's page, and on the lead's home the openings for the
least engaged services and the next awareness actions. Registered by
``SiteConfig.ready()``."""

from django.http import HttpRequest
from django.utils import timezone

from partners.extensions import SERVICE_PAGE
from partners.models import Service
from partners.selectors import next_awareness_steps
from programmes.cycles import request_window
from programmes.extensions import PORTFOLIO_PAGE
from smartcity.base.roles import is_lead

from . import selectors
from .engagement import Facts, engagement

HOME_OPENINGS = 3


def _service_engagement(request: HttpRequest, service: Service) -> dict:
    facts = selectors.engagement_facts(request_window(request), service=service).get(service.pk, Facts())
    return {"service": service, "engagement": engagement(facts)}


def _lead_home(request: HttpRequest, _obj) -> dict:
    if not is_lead(request.user):
        return {"show_lead_blocks": False}
    return {
        "show_lead_blocks": True,
        "openings": selectors.service_openings(request_window(request), limit=HOME_OPENINGS),
        "next_steps": next_awareness_steps(today=timezone.localdate()),
    }


def register() -> None:
    SERVICE_PAGE.register(
        "engagement", template="site/sections/service_engagement.html", context=_service_engagement, order=5
    )
    PORTFOLIO_PAGE.register("lead_engagement", template="site/sections/lead_home.html", context=_lead_home)
