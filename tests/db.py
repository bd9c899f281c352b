"""Database helpers shared by the suite."""

import importlib

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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


# PostgreSQL's DDL is transactional: a test that walks the migrations runs in
# its test's transaction, rolled back with it (no migrating forward again, no
# flush of every table). SQLite's schema editor cannot run inside a
# transaction: there such a test is transactional and migrates forward again.
MIGRATIONS_ROLL_BACK = connection.vendor == "postgresql"


def fire_deferred_checks(action: str = "apply_success", migration=None, fake: bool = False) -> None:
    """In one transaction, a table written by a data migration (or the test)
    cannot be altered while its deferred foreign-key checks are pending: run
    them after each step, as a commit would."""
    if MIGRATIONS_ROLL_BACK and action in ("apply_success", "unapply_success"):
        connection.check_constraints()


def migrate_to(targets):
    """Migrate the test database to ``targets``; the models at that state."""
    executor = MigrationExecutor(connection, progress_callback=fire_deferred_checks)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def flush_by_delete() -> None:
    """On PostgreSQL, empty the tables after a transactional test with one
    DELETE per table instead of Django's single TRUNCATE of every table.

    TRUNCATE gives each of the 128 tables (and their indexes) new files: half
    a second on an idle machine, several on a busy one, after every
    transactional test (browser, worker, queue). Deleting the few rows such a
    test leaves takes a few milliseconds. The foreign keys Django creates are
    deferred: the rows go in any order within the flush's transaction.
    Sequences are not reset, as with TRUNCATE without RESTART IDENTITY; a
    flush that asks for it (or for CASCADE) keeps Django's TRUNCATE."""
    if connection.vendor != "postgresql":
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush
    if getattr(truncate, "deletes", False):
        return

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        delete = style.SQL_KEYWORD("DELETE FROM")
        return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    sql_flush.deletes = True
    DatabaseOperations.sql_flush = sql_flush
