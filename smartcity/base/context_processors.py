from django.conf import settings
from django.http import HttpRequest

from .roles import Role, role_of


def navigation(request: HttpRequest) -> dict:
    role = role_of(request.user) if hasattr(request, "user") else None
    return {
        "role": role,
        "Role": Role,
        "is_lead": role == Role.LEAD,
        "city_name": settings.ORCHESTRE_CITY_NAME,
        # Read by static/js/idle.js, which warns before the session ends.
        "idle_timeout": settings.ORCHESTRE_SESSION_IDLE_TIMEOUT,
        # Single sign-on (smartcity/base/sso.py): the sign-in page's button.
        "sso_enabled": bool(settings.OIDC_RP_CLIENT_ID),
        "sso_label": settings.ORCHESTRE_SSO_LABEL,
    }
