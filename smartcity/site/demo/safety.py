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
from partners.models import AwarenessAction, ContactPerson, ElectedOfficial, Interaction, Partner, Service
from programmes.models import (
    Agreement,
    DataAsset,
    Idea,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    Programme,
    Project,
    ProjectPartner,
    ReportingCycle,
    SmartCityPlan,
    StatusReport,
    Target,
    UsefulnessSheet,
)
from smartcity.base.models import Document

from ..models import DemoDatabase
from ..webhooks.models import WebhookEndpoint

# What flush_portfolio deletes, children first (ReportingCycle takes its
# reminder logs along). Accounts and domains are kept.
PORTFOLIO_MODELS = [
    WebhookEndpoint,  # takes its deliveries and their attempts along
    Document,
    ReportingCycle,
    AwarenessAction,  # issue 14: the awareness log, indicators and usefulness sheets
    UsefulnessSheet,
    IndicatorValue,
    Indicator,
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
    Idea,  # the plan and the ideas (issue 13): before the projects they point to
    Target,
    Objective,
    SmartCityPlan,
    StatusReport,
    Milestone,
    DataAsset,  # issue 15: data assets, agreements, interactions
    Agreement,
    Interaction,
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
