"""The model moves of the layered architecture keep every row: a database at
the previous release's schema, holding a domain, an official with its
domains, a committee member and a project–partner link, migrates forward
with all of them in place (and back).

On PostgreSQL the walk is rolled back with the test (tests/db.py)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.db import MIGRATIONS_ROLL_BACK, fire_deferred_checks, migrate_to

BEFORE = [
    ("partners", "0002_initial"),
    ("programmes", "0003_reporting_cycles_and_reminders"),
    ("governance", "0003_minutes_attendance_amendments_pack_snapshots_calendar_token"),
]


@pytest.mark.django_db(transaction=not MIGRATIONS_ROLL_BACK)
def test_moved_models_keep_their_rows_forward_and_back():
    old = migrate_to(BEFORE)
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

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    new = migrate_to(leaves)
    official = new.get_model("partners", "ElectedOfficial").objects.get(last_name="Vernet")
    assert [d.slug for d in official.domains.all()] == ["eau-test"]
    assert new.get_model("governance", "Committee").objects.get(name="Comité test").members.get() == official
    project = new.get_model("programmes", "Project").objects.get(code="EAU-1")
    assert [d.slug for d in project.domains.all()] == ["eau-test"]
    link = new.get_model("programmes", "ProjectPartner").objects.get(project=project)
    assert (link.partner.name, link.relationship) == ("Hydro", "funding")

    back = migrate_to(BEFORE)
    assert back.get_model("partners", "ProjectPartner").objects.filter(project__code="EAU-1").count() == 1
    assert back.get_model("governance", "ElectedOfficial").objects.get(last_name="Vernet").domains.count() == 1
    if not MIGRATIONS_ROLL_BACK:
        migrate_to(leaves)
