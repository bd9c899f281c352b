"""What tells a demo database from a city's real one, for the commands that
reset passwords or delete data (seed_demo, flush_portfolio)."""

from django.contrib.auth import get_user_model

from governance.models import (
    ActionItem,
    AgendaItem,
    Amendment,
    Attendance,
    Committee,
    Decision,
    Meeting,
    PackDelivery,
    PackEdition,
    PackSnapshot,
)
from partners.models import ContactPerson, ElectedOfficial, Partner, Service
from programmes.models import Milestone, Programme, Project, ProjectPartner, ReportingCycle, StatusReport

from ..models import DemoDatabase

# What flush_portfolio deletes, children first (ReportingCycle takes its
# reminder logs along). Accounts and domains are kept.
PORTFOLIO_MODELS = [
    ReportingCycle,
    Amendment,
    PackDelivery,
    PackEdition,
    PackSnapshot,
    Attendance,
    ActionItem,
    Decision,
    AgendaItem,
    Meeting,
    Committee,
    StatusReport,
    Milestone,
    ProjectPartner,
    Project,
    Programme,
    ContactPerson,
    Partner,
    ElectedOfficial,
    Service,
]


def is_demo_database() -> bool:
    return DemoDatabase.objects.exists()


def holds_data(*, usernames: list[str]) -> bool:
    """True when the database holds anything seed_demo did not put there:
    portfolio rows, or accounts with the demo accounts' names."""
    return (
        any(model.objects.exists() for model in PORTFOLIO_MODELS)
        or get_user_model().objects.filter(username__in=usernames).exists()
    )


def portfolio_counts() -> list[tuple[str, int]]:
    """(model's plural name, rows) of everything flush_portfolio deletes."""
    return [(str(model._meta.verbose_name_plural), model.objects.count()) for model in PORTFOLIO_MODELS]
