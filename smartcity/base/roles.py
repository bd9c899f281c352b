"""Who a signed-in person is in Orchestre.

Roles are Django groups named after ``Role`` values, created by a data
migration. A person holding several roles gets the most capable one.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEAD = "lead", _("Smart-city lead")
    DIRECTOR = "director", _("Service director")
    OFFICIAL = "official", _("Elected official")
    VIEWER = "viewer", _("Viewer")


ROLE_PRIORITY = [Role.LEAD, Role.DIRECTOR, Role.OFFICIAL, Role.VIEWER]

_CACHE_ATTR = "_orchestre_role"


def role_of(user: User | AnonymousUser) -> Role | None:
    """The user's role, or None for anonymous and inactive users.

    A signed-in person with no Orchestre group reads like a viewer: reading
    the whole portfolio is the point of the tool.

    Cached on the user object, so it costs one query per request at most.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    if user.is_superuser:
        role: Role | None = Role.LEAD
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in ROLE_PRIORITY if r.value in names), Role.VIEWER)
    setattr(user, _CACHE_ATTR, role)
    return role


def is_lead(user: User | AnonymousUser) -> bool:
    return role_of(user) == Role.LEAD


def assign_role(user: User, role: Role) -> None:
    """Give ``user`` exactly one Orchestre role."""
    from django.contrib.auth.models import Group

    # Remove only the roles held, so that the security log names real changes.
    held = user.groups.filter(name__in=[r.value for r in Role]).exclude(name=role.value)
    if held:
        user.groups.remove(*held)
    if not user.groups.filter(name=role.value).exists():
        user.groups.add(Group.objects.get(name=role.value))
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
