"""Builds the demo metropolis, deterministically.

The same ``scale`` and ``today`` give the same data, row for row: every
random choice comes from one seeded generator, and every date is counted
from ``today``. Rows are written with bulk inserts so that ``scale=10``
builds in seconds on PostgreSQL.
"""

import datetime
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from governance.models import (
    ActionItem,
    AgendaItem,
    Committee,
    Decision,
    Meeting,
    PackSnapshot,
)
from partners.models import ContactPerson, Domain, ElectedOfficial, Partner, Service
from programmes import rules
from programmes.models import (
    Health,
    Milestone,
    Phase,
    Programme,
    Project,
    ProjectPartner,
    RelationshipKind,
    StatusReport,
)
from smartcity.base.roles import Role, assign_role

from . import data
from .acculturation import add_acculturation
from .documents import add_documents
from .milestones import add_milestone_states
from .partner_fit import fit_partners
from .plan import add_plan
from .public import add_public_face
from .registration import add_registration_dates, ascii_email
from .relationships import add_relationships
from .usefulness import add_usefulness

DEMO_PASSWORD = "orchestre-demo"  # noqa: S105 - printed on purpose, demo only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    note: str


DEMO_ACCOUNTS = [
    # Invented names, none of a real person (the source articles quote real
    # people; none of their names is used here).
    DemoAccount("lead", "Ysaline", "Corbelin", Role.LEAD, "cheffe de projet smart city"),
    DemoAccount("director.mobility", "Paulin", "Vautrenay", Role.DIRECTOR, "Service Transports en commun"),
    DemoAccount("director.culture", "Inès", "Fauchelet", Role.DIRECTOR, "Service Bibliothèques et médiathèques"),
    DemoAccount("official", "Clémence", "Ravouillet", Role.OFFICIAL, "élue, transition énergétique"),
    DemoAccount("viewer", "Lucien", "Brésillac", Role.VIEWER, "lecture seule"),
]
# Which service each demo director runs, and which official the demo official is.
DEMO_DIRECTOR_SERVICES = {"director.mobility": "TC", "director.culture": "BIBL"}
DEMO_OFFICIAL = ("Clémence", "Ravouillet")

# Phase -> (progress range, share of projects)
PHASES = [
    (Phase.EMERGENCE, (0, 10), 10),
    (Phase.STUDY, (5, 30), 18),
    (Phase.PILOT, (20, 60), 25),
    (Phase.DEPLOYMENT, (50, 90), 25),
    (Phase.OPERATION, (90, 100), 12),
    (Phase.CLOSED, (100, 100), 7),
    (Phase.ABANDONED, (10, 60), 3),
]
RELATIONSHIP_WEIGHTS = [
    (RelationshipKind.CLIENT_SUPPLIER, 30),
    (RelationshipKind.PARTNERSHIP, 25),
    (RelationshipKind.CO_CONSTRUCTION, 15),
    (RelationshipKind.FUNDING, 10),
    (RelationshipKind.DATA_PROVIDER, 12),
    (RelationshipKind.DELEGATED_OPERATOR, 8),
]
MEETINGS_PER_COMMITTEE = 20
MEETING_INTERVAL_DAYS = 60


def is_seeded() -> bool:
    return Committee.objects.filter(name=_committee_name(1)).exists()


def _committee_name(k: int) -> str:
    return "Comité de pilotage smart city" if k == 1 else f"Comité de pilotage territorial n° {k}"


def _working_day(day: datetime.date) -> datetime.date:
    """A committee meets on a working day: Saturday moves to Friday, Sunday to Monday."""
    if day.weekday() == 5:
        return day - datetime.timedelta(days=1)
    if day.weekday() == 6:
        return day + datetime.timedelta(days=1)
    return day


def _suffix(k: int) -> str:
    """Distinguishes the copies made at scale > 1."""
    return "" if k == 1 else f" — secteur {k}"


def ensure_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts (or reset their passwords). Safe to re-run."""
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@orvalle.example",
            },
        )
        user.set_password(DEMO_PASSWORD)
        # An older demo database gave them other names: the invented ones win.
        user.first_name, user.last_name = account.first_name, account.last_name
        user.is_active = True
        user.save()
        assign_role(user, account.role)
    return DEMO_ACCOUNTS


class DemoBuilder:
    def __init__(self, *, scale: int = 1, today: datetime.date | None = None) -> None:
        self.scale = scale
        self.today = today or timezone.localdate()
        self.rng = random.Random(f"orchestre-demo-{scale}")
        self.tz = timezone.get_current_timezone()
        self.counts: dict[str, int] = {}

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.tz)

    @transaction.atomic
    def build(self) -> dict[str, int]:
        accounts = {u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])}
        self.domains = {d.slug: d for d in Domain.objects.all()}
        self._services(accounts)
        self._partners()
        self._officials(accounts)
        self._programmes()
        self._projects()
        self._reports()
        add_registration_dates(self)
        fit_partners(self)
        self._reporting_cycles()
        self._committees()
        add_acculturation(self)
        from .webhooks import add_webhooks  # the webhooks' demo (issue 16)

        add_webhooks(self)
        add_documents(self)
        add_relationships(self)
        add_usefulness(self)
        add_plan(self)
        add_milestone_states(self)
        add_public_face(self)
        return self.counts

    # Services -----------------------------------------------------------
    def _services(self, accounts: dict[str, User]) -> None:
        director_group = Group.objects.get(name=Role.DIRECTOR.value)
        directions, services, self.service_domains = [], [], {}
        new_users = []
        for k in range(1, self.scale + 1):
            for acronym, name, domains, level, children in data.DIRECTIONS:
                code = acronym if k == 1 else f"{acronym}{k}"
                directions.append(
                    Service(
                        name=name + _suffix(k),
                        acronym=code,
                        kind=Service.Kind.DIRECTION,
                        acculturation=level,
                        email=f"{code.lower()}@orvalle.example",
                    )
                )
                self.service_domains[code] = domains
                for child_acronym, child_name in children:
                    child_code = child_acronym if k == 1 else f"{child_acronym}{k}"
                    child_level = max(1, min(4, level + self.rng.choice([-1, 0, 0, 1])))
                    services.append(
                        (
                            code,
                            Service(
                                name=child_name + _suffix(k),
                                acronym=child_code,
                                kind=Service.Kind.SERVICE,
                                acculturation=child_level,
                                email=f"{child_code.lower()}@orvalle.example",
                            ),
                        )
                    )
                    self.service_domains[child_code] = domains
                    if not (k == 1 and child_acronym in DEMO_DIRECTOR_SERVICES.values()):
                        first, last = self.rng.choice(data.FIRST_NAMES), self.rng.choice(data.LAST_NAMES)
                        new_users.append(
                            User(
                                username=f"dir.{child_code.lower()}",
                                first_name=first,
                                last_name=last,
                                email=f"dir.{child_code.lower()}@orvalle.example",
                                password="!",  # noqa: S106 - an unusable password
                            )
                        )
        bulk_create_with_history(directions, Service)
        by_code = {s.acronym: s for s in Service.objects.filter(kind=Service.Kind.DIRECTION)}
        User.objects.bulk_create(new_users)
        users = {u.username: u for u in User.objects.filter(username__in=[u.username for u in new_users])}
        director_group.user_set.add(*users.values())
        for username, code in DEMO_DIRECTOR_SERVICES.items():
            if username in accounts:
                users[f"dir.{code.lower()}"] = accounts[username]
        children = []
        for parent_code, service in services:
            service.parent = by_code[parent_code]
            service.director = users.get(f"dir.{service.acronym.lower()}")
            children.append(service)
        bulk_create_with_history(children, Service)
        self.services = list(Service.objects.all().order_by("pk"))
        self.services_by_domain: dict[str, list[Service]] = {}
        for service in self.services:
            if service.kind == Service.Kind.SERVICE:
                for slug in self.service_domains[service.acronym]:
                    self.services_by_domain.setdefault(slug, []).append(service)
        self.counts["services"] = len(self.services)

    # Partners -----------------------------------------------------------
    def _partners(self) -> None:
        partners = []
        for k in range(1, self.scale + 1):
            for category, names in data.PARTNERS.items():
                for name in names:
                    partners.append(
                        Partner(
                            name=name + _suffix(k),
                            category=category,
                            city=data.CITY,
                            website=f"https://{self.rng.choice(['www', 'portail'])}.example/{len(partners)}",
                        )
                    )
        bulk_create_with_history(partners, Partner)
        self.partners = list(Partner.objects.all().order_by("pk"))
        contacts = []
        for index, partner in enumerate(self.partners, start=1):
            for _ in range(self.rng.choice([1, 1, 2, 3])):
                first, last = self.rng.choice(data.FIRST_NAMES), self.rng.choice(data.LAST_NAMES)
                contacts.append(
                    ContactPerson(
                        partner=partner,
                        first_name=first,
                        last_name=last,
                        job_title=self.rng.choice(data.JOB_TITLES),
                        # The partner's position, not its id: the same build gives the same data.
                        email=f"{slugify(first)[0]}.{slugify(last)}{index}@partenaire.example",
                    )
                )
        ContactPerson.objects.bulk_create(contacts)
        self.counts["partners"] = len(self.partners)
        self.counts["contacts"] = len(contacts)

    # Officials ----------------------------------------------------------
    def _officials(self, accounts: dict[str, User]) -> None:
        officials = [
            ElectedOfficial(
                first_name=first,
                last_name=last,
                title=title,
                delegation=delegation,
                email=ascii_email(f"{first}.{last}@orvalle.example"),
            )
            for first, last, title, delegation, _ in data.OFFICIALS
        ]
        bulk_create_with_history(officials, ElectedOfficial)
        self.officials = list(ElectedOfficial.objects.order_by("pk"))
        through = ElectedOfficial.domains.through
        through.objects.bulk_create(
            [
                through(electedofficial_id=official.pk, domain_id=self.domains[slug].pk)
                for official, row in zip(self.officials, data.OFFICIALS, strict=True)
                for slug in row[4]
            ]
        )
        self.officials_by_domain: dict[str, list[ElectedOfficial]] = {}
        for official, row in zip(self.officials, data.OFFICIALS, strict=True):
            for slug in row[4]:
                self.officials_by_domain.setdefault(slug, []).append(official)
            if (official.first_name, official.last_name) == DEMO_OFFICIAL and "official" in accounts:
                official.user = accounts["official"]
                official.save(update_fields=["user"])
        self.counts["officials"] = len(self.officials)

    # Programmes and projects -------------------------------------------
    def _programmes(self) -> None:
        programmes = [
            Programme(
                name=name,
                description=description,
                start_date=self.today.replace(month=1, day=1) - datetime.timedelta(days=365 * 3),
                end_date=datetime.date(2030, 12, 31),
            )
            for name, description in data.PROGRAMMES
        ]
        bulk_create_with_history(programmes, Programme)
        self.programmes = list(Programme.objects.order_by("pk"))

    DEMO_DIRECTOR_MIN_ACTIVE = 4

    def _give_demo_directors_a_portfolio(self, projects: list[Project]) -> None:
        """The demo directors' services lead at least DEMO_DIRECTOR_MIN_ACTIVE
        active projects at every scale. The draws alone can leave one with a
        single abandoned project (TC at scale 10), and the director's pages,
        the ones a demo and the benchmark show, would have nothing to report
        on. Takes the first active projects of the service's domains from
        other services; draws no random number, so the rest is unchanged."""
        demo_codes = set(DEMO_DIRECTOR_SERVICES.values())
        for code in DEMO_DIRECTOR_SERVICES.values():
            service = next((s for s in self.services if s.acronym == code), None)
            if service is None:
                continue
            domains = set(self.service_domains[code])
            active = sum(1 for p in projects if p.lead_service is service and rules.is_active(p))
            candidates = (
                p
                for p, slugs in zip(projects, self.project_domains, strict=True)
                if slugs[0] in domains and rules.is_active(p) and p.lead_service.acronym not in demo_codes
            )
            for project, _ in zip(candidates, range(self.DEMO_DIRECTOR_MIN_ACTIVE - active), strict=False):
                project.lead_service = service
                project.summary = f"{project.name} : projet porté par {service.name}."

    def _projects(self) -> None:
        rng = self.rng
        phase_choices = [p for p, _, w in PHASES for _ in range(w)]
        progress_ranges = {p: r for p, r, _ in PHASES}
        slugs = list(data.PROJECTS)
        projects, self.project_domains = [], []
        number = 0
        for k in range(1, self.scale + 1):
            for slug, (_, names) in data.PROJECTS.items():
                for name in names:
                    number += 1
                    phase = rng.choice(phase_choices)
                    low, high = progress_ranges[phase]
                    start = self.today - datetime.timedelta(days=rng.randint(60, 1400))
                    end = start + datetime.timedelta(days=rng.randint(180, 1500))
                    planned = Decimal(rng.randrange(20, 2500) * 1000)
                    spent = (planned * Decimal(rng.randint(0, 110)) / 100).quantize(Decimal("1"))
                    lead = rng.choice(self.services_by_domain.get(slug) or self.services)
                    lead = self._themed_lead(name) or lead
                    sponsor_pool = self.officials_by_domain.get(slug) or self.officials
                    projects.append(
                        Project(
                            programme=self.programmes[number % len(self.programmes)],
                            code=f"{slug[:3].upper()}-{number:04d}",
                            name=name + _suffix(k),
                            summary=f"{name} : projet porté par {lead.name}.",
                            lead_service=lead,
                            sponsor=rng.choice(sponsor_pool) if rng.random() < 0.85 else None,
                            phase=phase,
                            progress=rng.randint(low, high),
                            start_date=start,
                            end_date=end,
                            budget_planned=planned,
                            budget_spent=spent,
                            is_public=rng.random() < 0.3,
                        )
                    )
                    extra = [s for s in slugs if s != slug and rng.random() < 0.06]
                    self.project_domains.append([slug, *extra])
        self._give_demo_directors_a_portfolio(projects)
        bulk_create_with_history(projects, Project)
        self.projects = list(Project.objects.order_by("pk"))

        domain_through = Project.domains.through
        domain_through.objects.bulk_create(
            [
                domain_through(project_id=p.pk, domain_id=self.domains[slug].pk)
                for p, slugs_ in zip(self.projects, self.project_domains, strict=True)
                for slug in slugs_
            ]
        )
        service_through = Project.contributing_services.through
        contributions, links, milestones = [], [], []
        plain_services = [s for s in self.services if s.kind == Service.Kind.SERVICE]
        kinds = [kind for kind, w in RELATIONSHIP_WEIGHTS for _ in range(w)]
        for project in self.projects:
            for service in rng.sample(plain_services, rng.choice([0, 1, 1, 2, 2, 3])):
                if service.pk != project.lead_service_id:
                    contributions.append(service_through(project_id=project.pk, service_id=service.pk))
            for partner in rng.sample(self.partners, rng.choice([0, 1, 2, 2, 3, 4])):
                kind = rng.choice(kinds)
                since = project.start_date + datetime.timedelta(days=rng.randint(0, 200))
                links.append(
                    ProjectPartner(project=project, partner=partner, relationship=kind, start_date=since, role="")
                )
                # Partnership trajectories: some suppliers became partners.
                if kind == RelationshipKind.CLIENT_SUPPLIER and rng.random() < 0.2:
                    links[-1].end_date = since + datetime.timedelta(days=365)
                    links.append(
                        ProjectPartner(
                            project=project,
                            partner=partner,
                            relationship=RelationshipKind.PARTNERSHIP,
                            start_date=since + datetime.timedelta(days=366),
                            role="",
                        )
                    )
            span = (project.end_date - project.start_date).days
            titles = data.MILESTONES[: rng.randint(2, 5)]
            for i, title in enumerate(titles):
                due = project.start_date + datetime.timedelta(days=span * (i + 1) // (len(titles) + 1))
                reached = due if due < self.today and rng.random() < 0.8 else None
                milestones.append(Milestone(project=project, title=title, due_date=due, reached_on=reached))
        service_through.objects.bulk_create(contributions)
        ProjectPartner.objects.bulk_create(links)
        Milestone.objects.bulk_create(milestones)
        self.counts.update(projects=len(self.projects), partner_links=len(links), milestones=len(milestones))

    def _reports(self) -> None:
        """Monthly status histories; a fifth of the projects have gone quiet,
        so that reminders and stale flags have something to show."""
        rng = self.rng
        authors = {s.pk: s.director_id for s in self.services}
        reports, updates = [], []
        healths = [Health.ON_TRACK] * 6 + [Health.AT_RISK] * 3 + [Health.OFF_TRACK]
        for project in self.projects:
            months = rng.randint(2, 8)
            quiet_for = rng.choice([0, 0, 0, 0, 2, 3]) if not project.is_closed else 0
            health = rng.choice(healths)
            progress = max(0, project.progress - 5 * months)
            last = None
            for m in range(months, quiet_for, -1):
                day = self.today - datetime.timedelta(days=30 * (m - 1) + rng.randint(2, 20))
                if rng.random() < 0.25:
                    health = rng.choice(healths)
                progress = min(project.progress, progress + rng.randint(0, 8))
                last = StatusReport(
                    project=project,
                    author_id=authors.get(project.lead_service_id),
                    created_at=self.at(day, 9 + m % 8),
                    health=health,
                    progress=progress,
                    comment=rng.choice(data.REPORT_COMMENTS),
                )
                reports.append(last)
            if last is not None:
                last.health = self._final_health(project, last.health)
                project.health, project.progress, project.last_reported_at = last.health, last.progress, last.created_at
                updates.append(project)
        StatusReport.objects.bulk_create(reports, batch_size=2000)
        Project.objects.bulk_update(updates, ["health", "progress", "last_reported_at"], batch_size=500)
        self.counts["status_reports"] = len(reports)

    def _themed_lead(self, name: str) -> Service | None:
        """The service whose theme the project's name states (``data.THEME_LEADS``)."""
        if not hasattr(self, "_by_acronym"):
            self._by_acronym = {s.acronym: s for s in self.services}
        lowered = name.lower()
        for pattern, acronym in data.THEME_LEADS:
            if re.search(pattern, lowered) and acronym in self._by_acronym:
                return self._by_acronym[acronym]
        return None

    def _final_health(self, project: Project, health: str) -> str:
        """Dates and phase agree with health: an abandoned project ends off
        track, a closed one with a final health that is not always green, and
        a project still running more than 90 days after its end date is
        flagged."""
        if project.phase == Phase.ABANDONED:
            return Health.OFF_TRACK
        if project.phase == Phase.CLOSED:
            return self.rng.choice([Health.ON_TRACK, Health.ON_TRACK, Health.AT_RISK, Health.OFF_TRACK])
        if project.end_date and project.end_date < self.today - datetime.timedelta(days=90):
            return Health.OFF_TRACK if health == Health.OFF_TRACK or self.rng.random() < 0.4 else Health.AT_RISK
        return health

    def _reporting_cycles(self) -> None:
        """Six closed monthly cycles and the open one (issue 4), so that the
        reporting overview has rates to show. Calendar months, from ``today``."""
        from programmes.models import ReportingCycle

        first = self.today.replace(day=1)
        starts = []
        for back in range(6, -1, -1):
            year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
            starts.append(datetime.date(year, month + 1, 1))
        ends = [*starts[1:], datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)]
        ReportingCycle.objects.bulk_create(
            [
                ReportingCycle(
                    starts_at=self.at(start, 0),
                    ends_at=self.at(end, 0),
                    closed_at=self.at(end, 0) if end <= first else None,
                )
                for start, end in zip(starts, ends, strict=True)
            ]
        )
        self.counts["reporting_cycles"] = len(starts)

    # Committees ----------------------------------------------------------
    def _committees(self) -> None:
        rng = self.rng
        meetings, committees = [], []
        for k in range(1, self.scale + 1):
            committee = Committee.objects.create(
                name=_committee_name(k),
                short_name="COPIL",
                description="Comité de pilotage de la stratégie smart city, réunissant les élus délégués.",
                next_meeting_number=MEETINGS_PER_COMMITTEE + 1,
            )
            committee.members.set(self.officials)
            committee.invited_services.set([s for s in self.services if s.acronym in ("MSC", "DATA", "DNSI")])
            committees.append(committee)
            # Meeting 20 is ten days ahead; the others every two months before it.
            for number in range(1, MEETINGS_PER_COMMITTEE + 1):
                day = _working_day(
                    self.today + datetime.timedelta(days=10 - MEETING_INTERVAL_DAYS * (MEETINGS_PER_COMMITTEE - number))
                )
                status = (
                    Meeting.Status.PLANNED
                    if number == MEETINGS_PER_COMMITTEE
                    else Meeting.Status.HELD
                    if number == MEETINGS_PER_COMMITTEE - 1
                    else Meeting.Status.APPROVED
                )
                meetings.append(
                    Meeting(
                        committee=committee,
                        number=number,
                        starts_at=self.at(day, 14),
                        place=rng.choice(data.PLACES),
                        status=status,
                    )
                )
        bulk_create_with_history(meetings, Meeting)
        meetings = list(Meeting.objects.filter(committee__in=committees).order_by("committee_id", "number"))
        services = {s.pk: s for s in self.services}
        items, decisions, actions = [], [], []
        item_projects, decision_projects, action_projects = [], [], []
        for meeting in meetings:
            topics = rng.sample(self.projects, 3)
            for position, project in enumerate(topics):
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=f"Point d'étape : {project.name}",
                        presenter=services[project.lead_service_id].acronym,
                        duration_minutes=rng.choice([10, 15, 20]),
                    )
                )
                item_projects.append(project)
            if meeting.status == Meeting.Status.PLANNED:
                continue
            for project in topics[:2]:
                decisions.append(
                    Decision(meeting=meeting, text=rng.choice(data.DECISIONS).format(project=project.name))
                )
                decision_projects.append(project)
            project = topics[0]
            actions.append((meeting, project))
        AgendaItem.objects.bulk_create(items)
        Decision.objects.bulk_create(decisions)
        item_through, decision_through = AgendaItem.projects.through, Decision.projects.through
        item_through.objects.bulk_create(
            [item_through(agendaitem_id=i.pk, project_id=p.pk) for i, p in zip(items, item_projects, strict=True)]
        )
        decision_through.objects.bulk_create(
            [
                decision_through(decision_id=d.pk, project_id=p.pk)
                for d, p in zip(decisions, decision_projects, strict=True)
            ]
        )
        by_committee: dict[int, list[Meeting]] = {}
        for meeting in meetings:
            by_committee.setdefault(meeting.committee_id, []).append(meeting)
        action_rows = []
        for meeting, project in actions:
            later = [
                m
                for m in by_committee[meeting.committee_id]
                if m.number > meeting.number and m.status != Meeting.Status.PLANNED
            ]
            # Older actions are mostly closed, in a later meeting; recent ones stay open.
            closed_in = (
                later[rng.randint(0, min(2, len(later) - 1))]
                if later and (meeting.number < 16 or rng.random() < 0.3)
                else None
            )
            action = ActionItem(
                meeting=meeting,
                title=rng.choice(data.ACTIONS).format(project=project.name),
                owner_service_id=project.lead_service_id,
                due_date=meeting.starts_at.date() + datetime.timedelta(days=rng.choice([30, 45, 60])),
            )
            if closed_in is not None:
                action.status, action.closed_at, action.closed_in = (
                    ActionItem.Status.DONE,
                    closed_in.starts_at,
                    closed_in,
                )
            action_rows.append(action)
            action_projects.append(project)
        bulk_create_with_history(action_rows, ActionItem)
        action_rows = list(ActionItem.objects.filter(meeting__committee__in=committees).order_by("pk"))
        action_through = ActionItem.projects.through
        action_through.objects.bulk_create(
            [
                action_through(actionitem_id=a.pk, project_id=p.pk)
                for a, p in zip(action_rows, action_projects, strict=True)
            ]
        )
        self._minutes(committees, by_committee)
        self.counts.update(
            committees=len(committees), meetings=len(meetings), decisions=len(decisions), actions=len(action_rows)
        )

    def _minutes(self, committees: list[Committee], by_committee: dict[int, list[Meeting]]) -> None:
        """Attendance for the meetings already held, and the frozen pack of
        the last one held, so that the demo shows minutes and a snapshot."""
        from governance.models import Attendance
        from governance.selectors import pack_data

        rng = self.rng
        statuses = [Attendance.Status.PRESENT] * 6 + [Attendance.Status.EXCUSED] * 2 + [Attendance.Status.ABSENT]
        rows, snapshots = [], []
        for committee in committees:
            invited = list(committee.invited_services.all())
            for meeting in by_committee[committee.pk]:
                if meeting.status == Meeting.Status.PLANNED:
                    continue
                rows += [Attendance(meeting=meeting, official=o, status=rng.choice(statuses)) for o in self.officials]
                rows += [Attendance(meeting=meeting, service=s, status=Attendance.Status.PRESENT) for s in invited]
            held = [m for m in by_committee[committee.pk] if m.status == Meeting.Status.HELD]
            for meeting in held:
                snapshots.append(
                    PackSnapshot(meeting=meeting, taken_at=meeting.starts_at, data=pack_data(meeting=meeting))
                )
        Attendance.objects.bulk_create(rows, batch_size=2000)
        PackSnapshot.objects.bulk_create(snapshots)
        self.counts.update(attendances=len(rows), pack_snapshots=len(snapshots))
