"""Database helpers shared by the suite."""

import importlib

from django.contrib.auth.models import Group

from partners.models import Domain
from programmes.models import HealthOption, PhaseOption
from smartcity.base.roles import Role


def restore_migration_data() -> None:
    """Put back what the data migrations made (role groups, the seven
    domains, the built-in phases and health levels): a transactional test,
    or ``flush``, empties every table."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    seed = importlib.import_module("programmes.migrations.0002_seed_domains")
    for position, (slug, name, color) in enumerate(seed.DOMAINS):
        Domain.objects.get_or_create(slug=slug, defaults={"name": name, "color": color, "position": position})
    taxonomy = importlib.import_module("programmes.migrations.0012_editable_phases_and_health")
    for position, (code, stage) in enumerate(taxonomy.PHASES):
        PhaseOption.objects.get_or_create(
            code=code, defaults={"stage": stage, "position": position, "is_builtin": True}
        )
    for position, (code, severity, color) in enumerate(taxonomy.HEALTH):
        HealthOption.objects.get_or_create(
            code=code, defaults={"severity": severity, "color": color, "position": position, "is_builtin": True}
        )
    icons = importlib.import_module("partners.migrations.0010_domain_icon_and_version").ICONS
    for slug, icon in icons.items():
        Domain.objects.filter(slug=slug, icon="").update(icon=icon)
