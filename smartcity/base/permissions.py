"""Server-side access checks shared by every app.

Everybody signed in may read (LoginRequiredMiddleware enforces sign-in);
writes are narrow. A refusal raises PermissionDenied (403) and is logged on
the ``orchestre.security`` logger.
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import Role, role_of

security_log = logging.getLogger("orchestre.security")


def refuse(request: HttpRequest, reason: str) -> PermissionDenied:
    """Log a refused access and return the exception to raise."""
    security_log.warning(
        "access refused user=%s role=%s method=%s path=%s reason=%s",
        getattr(request.user, "pk", None),
        role_of(request.user),
        request.method,
        request.path,
        reason,
    )
    return PermissionDenied(reason)


def role_required(*roles: Role) -> Callable:
    """Only the given roles may call the view, whatever the method."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if role_of(request.user) not in roles:
                raise refuse(request, f"role not in {[r.value for r in roles]}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


lead_required = role_required(Role.LEAD)
