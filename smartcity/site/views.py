from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from governance.views import official_dashboard
from partners.models import Service
from programmes.cycles import request_window
from programmes.views import my_service, portfolio_overview
from smartcity.base.roles import Role, is_lead, role_of

from . import selectors
from .engagement import TERMS
from .openings import LAGGING_INDEX

OPENINGS_SHOWN = 8


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own page, at the same address."""
    role = role_of(request.user)
    if role == Role.DIRECTOR:
        return my_service(request)
    if role == Role.OFFICIAL:
        return official_dashboard(request)
    return portfolio_overview(request)


@require_safe
def engagement(request: HttpRequest) -> HttpResponse:
    """Every service's engagement index, least engaged first, each term shown."""
    rows = selectors.service_engagement(request_window(request))
    terms = [{"label": label, "weight": weight, "cap": cap} for _key, weight, cap, label in TERMS]
    context = {
        "rows": rows,
        "terms": terms,
        "openings": selectors.service_openings(request_window(request), limit=OPENINGS_SHOWN),
        "lagging_index": LAGGING_INDEX,
        "user_is_lead": is_lead(request.user),
    }
    return render(request, "site/engagement.html", context)


@require_safe
def engagement_heat_map(request: HttpRequest) -> HttpResponse:
    """Services × domains, the value in every cell beside its colour."""
    domains, rows = selectors.service_domain_heat()
    return render(request, "site/engagement_heat_map.html", {"domains": domains, "rows": rows})


@require_safe
def service_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A service's proof-of-usefulness sheet: one A4 page to show its director."""
    service = get_object_or_404(Service.objects.select_related("parent", "director"), pk=pk)
    sheet = selectors.service_sheet(request_window(request), service)
    return render(request, "site/service_sheet.html", {"sheet": sheet, "service": service})
