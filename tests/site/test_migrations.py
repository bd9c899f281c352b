"""Migration walks with rows in place.

The model moves of the layered architecture keep every row: a database at
the previous release's schema, holding a domain, an official with its
domains, a committee member and a project–partner link, migrates across the
moves with all of them in place, back, and forward to the current schema.
The old four acculturation levels map onto the five-level scale and back.

Walking the migrations back from the current schema is the costly part (a
second per migration): on PostgreSQL the module walks back to the previous
release once (``previous_release``), in a transaction rolled back at its
end, and each test starts there in a savepoint of its own, rolled back with
it (tests/db.py), whatever the order. On SQLite, whose schema editor cannot
run in a transaction, each test walks from the current schema and back to it.
"""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from partners.models import Service
from tests.db import MIGRATIONS_ROLL_BACK, fire_deferred_checks, migrate_to

pytestmark = pytest.mark.django_db(transaction=not MIGRATIONS_ROLL_BACK)

BEFORE = [
    ("partners", "0002_initial"),
    ("programmes", "0003_reporting_cycles_and_reminders"),
    ("governance", "0003_minutes_attendance_amendments_pack_snapshots_calendar_token"),
]
# The last migrations of the moves (partners 0004 needs governance 0004).
MOVED = [("partners", "0004_moved_tables_renamed"), ("programmes", "0005_project_partner_table_renamed")]
FOUR_LEVELS = [("partners", "0004_moved_tables_renamed")]
FIVE_LEVELS = [("partners", "0005_five_level_acculturation_and_its_history")]


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture(scope="module", autouse=True)
def previous_release(django_db_setup, django_db_blocker):
    """PostgreSQL: the test database at BEFORE for the module's tests, walked
    back once and rolled back to the current schema at the module's end."""
    if not MIGRATIONS_ROLL_BACK:
        yield
        return
    with django_db_blocker.unblock(), transaction.atomic():
        migrate_to(BEFORE)
        yield
        transaction.set_rollback(True)


def _assert_moved_rows_kept(apps, official_app: str, link_app: str) -> None:
    official = apps.get_model(official_app, "ElectedOfficial").objects.get(last_name="Vernet")
    assert [d.slug for d in official.domains.all()] == ["eau-test"]
    assert apps.get_model("governance", "Committee").objects.get(name="Comité test").members.get() == official
    project = apps.get_model("programmes", "Project").objects.get(code="EAU-1")
    assert [d.slug for d in project.domains.all()] == ["eau-test"]
    link = apps.get_model(link_app, "ProjectPartner").objects.get(project=project)
    assert (link.partner.name, link.relationship) == ("Hydro", "funding")


def test_moved_models_keep_their_rows_forward_and_back():
    old = migrate_to(BEFORE)  # on PostgreSQL, already there: nothing to do
    Domain = old.get_model("programmes", "Domain")
    Official = old.get_model("governance", "ElectedOfficial")
    Committee = old.get_model("governance", "Committee")
    Service = old.get_model("partners", "Service")
    Partner = old.get_model("partners", "Partner")
    Programme = old.get_model("programmes", "Programme")
    Project = old.get_model("programmes", "Project")
    Link = old.get_model("partners", "ProjectPartner")
    domain = Domain.objects.create(name="Eau", slug="eau-test")
    official = Official.objects.create(first_name="Léa", last_name="Vernet", delegation="Eau")
    official.domains.add(domain)
    Committee.objects.create(name="Comité test").members.add(official)
    service = Service.objects.create(name="Service des eaux", acronym="EAU")
    project = Project.objects.create(
        programme=Programme.objects.create(name="Programme test"), code="EAU-1", name="Fuites", lead_service=service
    )
    project.domains.add(domain)
    Link.objects.create(
        project=project, partner=Partner.objects.create(name="Hydro", category="company"), relationship="funding"
    )
    fire_deferred_checks()

    _assert_moved_rows_kept(migrate_to(MOVED), "partners", "programmes")
    _assert_moved_rows_kept(migrate_to(BEFORE), "governance", "partners")
    # And on to the current schema: the later migrations keep them too.
    _assert_moved_rows_kept(migrate_to(_leaves()), "partners", "programmes")


def test_old_levels_map_onto_the_five_level_scale_and_back():
    leaves = _leaves()
    old = migrate_to(FOUR_LEVELS)
    OldService = old.get_model("partners", "Service")
    for level in (1, 2, 3, 4):
        OldService.objects.create(name=f"Service {level}", acronym=f"S{level}", acculturation=level)
    fire_deferred_checks()
    new = migrate_to(FIVE_LEVELS)
    NewService = new.get_model("partners", "Service")
    assert dict(NewService.objects.values_list("acronym", "acculturation")) == {"S1": 1, "S2": 2, "S3": 4, "S4": 5}
    NewService.objects.create(name="Service involved", acronym="SI", acculturation=3)
    fire_deferred_checks()
    back = migrate_to(FOUR_LEVELS)
    mapped = dict(back.get_model("partners", "Service").objects.values_list("acronym", "acculturation"))
    assert mapped == {"S1": 1, "S2": 2, "S3": 3, "S4": 4, "SI": 3}
    if not MIGRATIONS_ROLL_BACK:  # on PostgreSQL the walk is rolled back with the test
        migrate_to(leaves)
        Service.objects.all().delete()
