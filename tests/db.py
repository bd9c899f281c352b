"""Database helpers shared by the suite."""

import importlib

from django.contrib.auth.models import Group

from partners.models import Domain
from smartcity.base.roles import Role


def restore_migration_data() -> None:
    """Put back what the data migrations made (role groups, the seven
    domains): a transactional test, or ``flush``, empties every table."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    seed = importlib.import_module("programmes.migrations.0002_seed_domains")
    for position, (slug, name, color) in enumerate(seed.DOMAINS):
        Domain.objects.get_or_create(slug=slug, defaults={"name": name, "color": color, "position": position})
