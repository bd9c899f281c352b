"""The demo city: its size and shape, determinism, re-run safety, --scale.

The demo is built once for the module (``demo_city``, on the empty test
database, inside a transaction rolled back at the end) and every test of the
module runs on it, in a savepoint of its own: a test that rebuilds, resets
or flushes leaves the next one the same city, whatever the order. Tests that
need a database the demo did not build are in test_seed_demo_safety.py."""

import datetime
import logging
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.db.models import Count

from governance.models import ActionItem, AgendaItem, Committee, Decision, Meeting
from partners.models import AcculturationChange, ContactPerson, Domain, ElectedOfficial, Partner, Service
from programmes.models import Milestone, Programme, Project, ProjectPartner, StatusReport
from smartcity.base.roles import Role, role_of
from smartcity.site.demo.builder import DEMO_ACCOUNTS, DEMO_PASSWORD

TODAY = "2026-03-16"
URBAN = ["mobilite", "habitat", "energie", "environnement"]
# Parent tables before children, so that foreign keys can be written as
# positions in an already-dumped table.
CORE_MODELS = [
    User,
    Service,
    AcculturationChange,
    Partner,
    ContactPerson,
    ElectedOfficial,
    Programme,
    Project,
    ProjectPartner,
    StatusReport,
    Milestone,
    Committee,
    Meeting,
    AgendaItem,
    Decision,
    ActionItem,
]
# Columns that are not data: they hold the moment the rows were written.
# Timestamps, password hashes and secrets (a calendar feed token must stay unguessable) differ by design.
VOLATILE = {"created_at", "updated_at", "date_joined", "last_login", "password", "calendar_token"}


def seed(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


def canonical_dump() -> dict[str, list[tuple]]:
    """Every row of the core tables, in insertion order, with primary keys
    replaced by positions: two identical builds give equal dumps whatever
    ids the database handed out."""
    # Reference tables the demo does not write (domains, groups) keep their ids.
    positions: dict[type, dict[int, int]] = {}
    dump = {}
    for model in CORE_MODELS:
        objects = list(model.objects.order_by("pk"))
        positions[model] = {obj.pk: i for i, obj in enumerate(objects)}
        rows = []
        for obj in objects:
            row = []
            for field in model._meta.concrete_fields:
                if field.primary_key or field.name in VOLATILE:
                    continue
                value = getattr(obj, field.attname)
                if isinstance(field, models.ForeignKey) and value is not None:
                    value = positions.get(field.related_model, {}).get(value, value)
                row.append((field.name, value))
            for field in model._meta.many_to_many:
                target = field.related_model
                ids = getattr(obj, field.name).values_list("pk", flat=True)
                row.append((field.name, sorted(positions.get(target, {}).get(pk, pk) for pk in ids)))
            rows.append(tuple(row))
        dump[model.__name__] = rows
    return dump


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CORE_MODELS}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module", autouse=True)
def demo_city(django_db_setup, django_db_blocker):
    """One build of the demo city (its output and log kept), the module's
    base, rolled back at its end."""
    records, root = _Records(), logging.getLogger()
    level = root.level
    root.addHandler(records)
    root.setLevel(logging.INFO)
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            output = seed()
        finally:
            root.removeHandler(records)
            root.setLevel(level)
        yield {"output": output, "records": records.records, "dump": canonical_dump(), "counts": counts()}
        transaction.set_rollback(True)


@pytest.fixture
def demo(db, demo_city):
    return demo_city


def test_demo_city_has_the_size_of_the_seed_articles(demo):
    assert Service.objects.count() >= 40
    assert Service.objects.filter(kind=Service.Kind.DIRECTION).count() >= 8
    assert Partner.objects.count() == 80
    assert set(Partner.objects.values_list("category", flat=True)) == set(Partner.Category.values)
    assert 90 <= Project.objects.count() <= 120
    assert 2 <= Programme.objects.count() <= 3
    assert 8 <= ElectedOfficial.objects.count() <= 12
    assert not ElectedOfficial.objects.filter(delegation="").exists()


def test_projects_cover_every_domain_and_the_city_is_busier_than_its_schools(demo):
    per_domain = dict(Domain.objects.annotate(n=Count("projects")).values_list("slug", "n"))
    assert set(per_domain) == {*URBAN, "gouvernance", "education", "culture"}
    assert all(n > 0 for n in per_domain.values()), per_domain
    assert min(per_domain[slug] for slug in URBAN) > max(per_domain["education"], per_domain["culture"]), per_domain


def test_urban_services_are_ahead_education_and_culture_behind_with_a_history(demo):
    def mean(*acronyms):
        levels = Service.objects.filter(acronym__in=acronyms).values_list("acculturation", flat=True)
        levels = list(levels) + list(
            Service.objects.filter(parent__acronym__in=acronyms).values_list("acculturation", flat=True)
        )
        return sum(levels) / len(levels)

    assert mean("DMOB", "DENC") >= 4 > 2 >= mean("DEDU", "DCUL")
    for service in Service.objects.all():
        latest = service.acculturation_changes.order_by("-changed_on", "-pk").first()
        assert latest is not None and latest.level == service.acculturation, service
    moved_up = AcculturationChange.objects.filter(
        service__parent__acronym__in=["DEDU", "DCUL"], previous_level__isnull=False
    )
    assert moved_up.exists()


def test_one_steering_committee_with_twenty_numbered_meetings(demo):
    committee = Committee.objects.get()
    numbers = list(committee.meetings.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 21))
    assert committee.next_meeting_number == 21
    last = committee.meetings.get(number=20)
    assert last.status == Meeting.Status.PLANNED
    assert last.starts_at.date() > datetime.date.fromisoformat(TODAY)
    assert last.starts_at.date() <= datetime.date.fromisoformat(TODAY) + datetime.timedelta(days=31)
    held = committee.meetings.exclude(number=20)
    assert all(m.starts_at.date() < datetime.date.fromisoformat(TODAY) for m in held)
    assert committee.members.count() == ElectedOfficial.objects.count()


def test_histories_decisions_and_open_actions(demo):
    reported = Project.objects.annotate(n=Count("status_reports")).filter(n__gte=1).count()
    assert reported >= Project.objects.count() * 0.9
    assert StatusReport.objects.count() >= 3 * Project.objects.count()
    assert Project.objects.filter(last_reported_at__isnull=False).count() == reported
    assert Decision.objects.count() >= 19
    assert AgendaItem.objects.count() >= 60
    assert ActionItem.objects.filter(status=ActionItem.Status.OPEN).exists()
    assert ActionItem.objects.filter(status=ActionItem.Status.DONE).exists()
    assert Milestone.objects.exists()
    assert ProjectPartner.objects.filter(end_date__isnull=False).exists()  # partnership trajectories
    # Change history on the core records.
    assert Project.history.count() >= Project.objects.count()


def test_demo_accounts_hold_their_roles_and_can_sign_in(demo):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert role_of(user) == account.role
        assert user.check_password(DEMO_PASSWORD)
    mobility = User.objects.get(username="director.mobility")
    assert Service.objects.filter(director=mobility, acronym="TC").exists()
    assert User.objects.get(username="director.culture").directed_services.exists()
    assert ElectedOfficial.objects.filter(user__username="official").exists()
    assert role_of(User.objects.get(username="lead")) == Role.LEAD


def test_the_run_prints_the_demo_sign_ins(demo):
    output, records = demo["output"], demo["records"]
    warnings = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    assert not warnings, warnings[:3]  # the builder's role changes are INFO, not security warnings
    assert any("by=seed_demo" in r.getMessage() for r in records)
    assert DEMO_PASSWORD in output
    for account in DEMO_ACCOUNTS:
        assert account.username in output


def test_running_it_again_adds_nothing(demo):
    before = counts()
    output = seed("--quiet-accounts")
    assert "nothing added" in output
    assert counts() == before


def test_two_builds_on_empty_databases_are_identical(demo):
    first = demo["dump"]  # the module's build, on the empty test database
    seed("--quiet-accounts", "--reset")
    second = canonical_dump()
    assert sum(len(rows) for rows in first.values()) > 1000
    for table in first:
        assert first[table] == second[table], table


def test_scale_multiplies_the_data(demo):
    """Scale 10 against the module's scale 1; at scale 10 the draws once left
    director.mobility one abandoned project."""
    single = demo["counts"]
    seed("--quiet-accounts", "--reset", "--scale", "10")
    tenfold = counts()
    for name in ("Service", "Partner", "Project", "Committee", "Meeting", "Decision", "ActionItem"):
        assert tenfold[name] == 10 * single[name], name
    assert tenfold["StatusReport"] > 8 * single["StatusReport"]
    assert set(Committee.objects.annotate(n=Count("meetings")).values_list("n", flat=True)) == {20}
    _assert_demo_directors_have_projects_to_report_on()


def _assert_demo_directors_have_projects_to_report_on():
    for username in ("director.mobility", "director.culture"):
        active = Project.objects.active().filter(lead_service__director__username=username)
        assert active.count() >= 4, username


def test_demo_directors_have_projects_to_report_on(demo):
    """At scale 1 (scale 10: test_scale_multiplies_the_data)."""
    _assert_demo_directors_have_projects_to_report_on()


def test_flush_portfolio_says_what_it_deletes_and_asks_first(demo):
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing deleted"):
        call_command("flush_portfolio", stdout=out)  # no --yes, no terminal to answer
    assert f"{Project.objects.count():>7}  projets" in out.getvalue()
    assert Project.objects.exists()
    call_command("flush_portfolio", "--yes", stdout=StringIO())
    assert not Project.objects.exists() and not Service.objects.exists()
    assert User.objects.filter(username="lead").exists()


def test_demo_texts_read_as_french(demo):
    """No "de Alerte pollens": a project's name is quoted, never glued to "de"."""
    import re

    texts = [*Decision.objects.values_list("text", flat=True), *ActionItem.objects.values_list("title", flat=True)]
    bad = [t for t in texts if re.search(r"\b(de|le) [AEIOUYÉÈaeiouyéè]", t)]
    assert not bad, bad[:5]
    # Guillemets hold their words with no-break spaces: no line starts with "»".
    loose = [t for t in texts if "« " in t or " »" in t]
    assert texts and not loose, loose[:5]


def test_the_demo_city_is_believable(demo):
    from smartcity.site.demo.builder import DEMO_ACCOUNTS

    today = datetime.date.fromisoformat(TODAY)
    # Invented people: not the real person the source articles quote.
    assert not User.objects.filter(last_name="Gerbaud").exists()
    assert {a.last_name for a in DEMO_ACCOUNTS}.isdisjoint({"Gerbaud", "Moreau", "Arnaud", "Perrin", "Roche"})
    # Committees meet on working days.
    assert all(m.starts_at.astimezone().weekday() < 5 for m in Meeting.objects.all())
    # Closed projects carry a final health, not all green; abandoned ones ended off track.
    closed = Project.objects.filter(phase__in=["closed", "abandoned"])
    assert closed.exists() and closed.exclude(health="on_track").exists()
    assert not Project.objects.filter(phase="abandoned").exclude(health="off_track").exists()
    # Still running more than 90 days after the planned end: flagged.
    late = Project.objects.exclude(phase__in=["closed", "abandoned"]).filter(
        end_date__lt=today - datetime.timedelta(days=90)
    )
    assert late.exists() and not late.filter(health="on_track").exists()


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Détection des fuites du réseau d'eau", "EAU"),
        ("Télérelève des compteurs d'eau", "EAU"),
        ("Éclairage public intelligent", "ECLA"),
        ("Écoles numériques", "VSCO"),
        ("Réservation de la restauration scolaire", "REST"),
        ("Médiathèques : prêt sans contact", "BIBL"),
        ("Information voyageurs en temps réel", "TC"),
        ("Priorité bus aux carrefours", "TC"),
    ],
)
def test_a_themed_project_is_led_by_the_service_of_its_theme(demo, name, acronym):
    projects = Project.objects.filter(name=name).select_related("lead_service")
    assert projects.exists()
    assert {p.lead_service.acronym for p in projects} == {acronym}


# --- Issue 12 and 14's demo data (once in test_demo_fit.py and test_demo_usefulness.py) --


def test_demo_partners_dates_and_addresses_make_sense(demo):
    """Partners of the right trade, projects registered before they report
    (a few lately), addresses any server takes."""
    from django.db.models import Min

    from smartcity.site.demo.partner_fit import _trade

    links = ProjectPartner.objects.select_related("partner").prefetch_related("project__domains")
    misfits = [
        (link.project.name, link.partner.name)
        for link in links
        if (trade := _trade(link.partner.name)) and not trade & {d.slug for d in link.project.domains.all()}
    ]
    assert misfits == []
    assert sum(1 for link in links if _trade(link.partner.name)) > 50  # specialists are used, not dropped

    first_reports = Project.objects.annotate(first=Min("status_reports__created_at")).filter(first__isnull=False)
    assert not [p.code for p in first_reports if p.created_at >= p.first]
    last_held = Meeting.objects.filter(status="held").order_by("-starts_at").first()
    assert 1 <= Project.objects.filter(created_at__gte=last_held.starts_at).count() <= 15

    assert all(email.isascii() for email in ElectedOfficial.objects.values_list("email", flat=True))


LAGGING = {"DEDU", "VSCO", "REST", "BATS", "PENF", "DCUL", "BIBL", "MUSE", "SPEC", "ARCH"}


def test_demo_usefulness_and_its_flush(demo):
    """Awareness actions aimed mostly at education and culture (some
    planned), usefulness sheets, indicators measured over two years or more;
    flush_portfolio takes them away."""
    from django.db.models import Max, Min

    from partners.models import AwarenessAction
    from programmes.models import Indicator, UsefulnessSheet

    actions = list(AwarenessAction.objects.prefetch_related("services"))
    assert len(actions) >= 10
    reached = [s.acronym for a in actions for s in a.services.all()]
    assert sum(r in LAGGING for r in reached) > len(reached) * 0.7
    assert any(str(a.held_on) > TODAY for a in actions)  # planned ones
    assert UsefulnessSheet.objects.count() >= 3
    spans = Indicator.objects.annotate(
        n=Count("values"), first=Min("values__measured_on"), last=Max("values__measured_on")
    )
    assert spans.count() >= 6
    assert all(i.n >= 2 for i in spans)
    assert max((i.last - i.baseline_on).days for i in spans) >= 730
    assert Indicator.objects.filter(code__isnull=False).exists()

    call_command("flush_portfolio", "--yes", stdout=StringIO())
    assert not AwarenessAction.objects.exists() and not Indicator.objects.exists()
    assert not UsefulnessSheet.objects.exists()


def test_accepted_proposals_bring_their_partner_to_their_project(demo):
    """As accepting does (``services.idea_accept``): the proposing partner is
    on the new project, with the rule's relationship and its technology as
    its role; proposals come from partners of their trade."""
    from programmes.models import Idea
    from programmes.rules import proposal_relationship
    from smartcity.site.demo.partner_fit import _trade

    proposals = list(Idea.objects.filter(kind=Idea.Kind.PROPOSAL).select_related("partner", "domain", "project"))
    accepted = [idea for idea in proposals if idea.state == "accepted"]
    assert accepted
    for idea in accepted:
        links = set(idea.project.partner_links.values_list("partner_id", "relationship", "role"))
        assert (idea.partner_id, proposal_relationship(idea.partner), idea.technology) in links, idea.title
    misfits = [
        (idea.title, idea.partner.name)
        for idea in proposals
        if (trade := _trade(idea.partner.name)) and idea.domain.slug not in trade
    ]
    assert misfits == []
