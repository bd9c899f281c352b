from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from governance.views import official_dashboard
from programmes.views import my_service, portfolio_overview
from smartcity.base.roles import Role, role_of


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own page, at the same address."""
    role = role_of(request.user)
    if role == Role.DIRECTOR:
        return my_service(request)
    if role == Role.OFFICIAL:
        return official_dashboard(request)
    return portfolio_overview(request)
