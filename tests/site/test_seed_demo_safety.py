"""seed_demo and flush_portfolio on a database they did not build (a real
city's): nothing changed without --force. Kept apart from test_seed_demo.py,
whose module runs on a demo city built once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.models import Committee
from programmes.models import Project
from smartcity.base.roles import Role
from smartcity.site.demo.builder import DEMO_PASSWORD
from smartcity.site.models import DemoDatabase


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--today", "2026-03-16", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_leaves_a_real_database_and_its_accounts_alone(db):
    from tests import factories

    real_lead = factories.UserFactory(username="lead", role=Role.LEAD.value)
    real_lead.set_password("the-city-s-own-password")
    real_lead.save()
    factories.ProjectFactory()
    with pytest.raises(CommandError, match="seed_demo did not create"):
        seed("--quiet-accounts")
    real_lead.refresh_from_db()
    assert real_lead.check_password("the-city-s-own-password")
    assert not Committee.objects.exists()
    # Asked for explicitly, it resets the demo accounts, and only them: no demo
    # data on top of the city's, and the database is still not a demo one.
    seed("--quiet-accounts", "--force")
    real_lead.refresh_from_db()
    assert real_lead.check_password(DEMO_PASSWORD)
    assert Project.objects.count() == 1 and not Committee.objects.exists()
    assert not DemoDatabase.objects.exists()


def test_flush_portfolio_refuses_a_database_seed_demo_did_not_build(db):
    from tests import factories

    factories.ProjectFactory()
    with pytest.raises(CommandError, match="not built by seed_demo"):
        call_command("flush_portfolio", "--yes", stdout=StringIO())
    assert Project.objects.count() == 1
