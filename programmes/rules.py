"""The rules the whole portfolio shares, each written once and used by every
page, filter, e-mail and template (ARCHITECTURE.md lists them):

* **active**: neither archived nor in a phase of the closed stage
  (``closed_phases``, ``active_q``, ``is_active``,
  ``Project.objects.active()``). A phase's stage (not started, under way,
  closed) and a health level's severity are fixed with the value; the lead
  edits labels, order and new values (``programmes.taxonomy``). Only an active project is
  *reportable*: it takes status reports and can be fresh, due or stale.
* **fresh / due / stale**: against the reporting cycle in force ``[start,
  end)`` of length L months (``programmes.cycles``), a project reported since
  ``start`` is fresh, one last reported in ``[start - L, start)`` is due, an
  older or never-reported one is stale, except that a project created since
  ``start`` and never reported is *new*: its first report is due by the
  cycle's last day and it is not stale until then; ``freshness_of`` reads a
  loaded project (no query), ``fresh_q``/``due_q``/``new_q``/``stale_q`` say
  the same in SQL.
* **who may report**: ``can_report``.
* **who may attach documents**: ``can_add_document`` (projects),
  ``can_add_objective_document`` (objectives); a programme's documents are
  the lead's (the registry's default).
* **ideas and proposals**: who proposes (``can_propose_idea``: the lead, or
  a director for their own service), who decides (``can_decide_idea``: the
  lead), and which moves the pipeline allows (``IDEA_MOVES``); the kind of
  relationship an accepted proposal gives its partner with the new project
  (``proposal_relationship``).
* **late milestone**: due before today, neither done nor cancelled
  (``late_q``, ``is_late``); **who may edit milestones**:
  ``can_edit_milestones``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import Partner, Service
from smartcity.base.roles import Role, role_of

from . import taxonomy
from .cycles import CycleWindow
from .models import Idea, IdeaState, Milestone, Objective, Project, RelationshipKind, Severity, Stage

# --- Active ------------------------------------------------------------------


def closed_phases() -> tuple[str, ...]:
    """The codes of the phases whose stage is closed (built-in: closed,
    abandoned; and any the lead added as closed)."""
    return taxonomy.phases_of_stage(Stage.CLOSED)


def active_q(prefix: str = "") -> Q:
    """An active project, as a Q; ``prefix`` reaches the project through a
    join ("projects__", "led_projects__")."""
    return Q(**{f"{prefix}is_archived": False}) & ~Q(**{f"{prefix}phase__in": closed_phases()})


def is_active(project: Project) -> bool:
    """``active_q`` for a loaded project: no query."""
    return not project.is_archived and project.phase not in closed_phases()


# Worst first, for lists that put trouble on top.
SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.UNKNOWN: 2, Severity.GOOD: 3}


def worst_health_first(field: str = "health") -> Case:
    """An ordering expression ranking each health level by its severity."""
    whens = [
        When(**{field: level.code}, then=Value(SEVERITY_RANK.get(level.meaning, len(SEVERITY_RANK))))
        for level in taxonomy.health_levels()
    ]
    return Case(*whens, default=Value(len(SEVERITY_RANK)), output_field=IntegerField())


def attention_health() -> tuple[str, ...]:
    """The health levels that call for attention: severity warning or critical."""
    return taxonomy.health_of_severity(Severity.WARNING, Severity.CRITICAL)


# --- Freshness -----------------------------------------------------------------


class Freshness:
    FRESH = "fresh"
    DUE = "due"
    STALE = "stale"
    NEW = "new"
    CLOSED = "closed"

    # They qualify a project's reporting ("suivi", masculine in French):
    # the context keeps them apart from an idea's state (feminine).
    LABELS = {
        FRESH: _("Up to date"),
        DUE: _("Report due"),
        STALE: pgettext_lazy("reporting", "Stale"),
        NEW: pgettext_lazy("reporting", "New"),
        CLOSED: _("Closed"),
    }


@dataclass(frozen=True)
class FreshnessInfo:
    state: str
    last_reported_at: datetime.datetime | None
    due_by: datetime.date | None

    @property
    def label(self) -> str:
        return str(Freshness.LABELS[self.state])

    @property
    def is_fresh(self) -> bool:
        return self.state == Freshness.FRESH

    @property
    def is_due(self) -> bool:
        """A report is expected this cycle (a new project's first one too)."""
        return self.state in (Freshness.DUE, Freshness.STALE, Freshness.NEW)

    @property
    def is_new(self) -> bool:
        return self.state == Freshness.NEW

    @property
    def is_stale(self) -> bool:
        return self.state == Freshness.STALE


def freshness_of(project: Project, window: CycleWindow) -> FreshnessInfo:
    """Reads only the project's own fields: no query."""
    last = project.last_reported_at
    if not is_active(project):
        return FreshnessInfo(Freshness.CLOSED, last, None)
    if last is not None and last >= window.starts_at:
        return FreshnessInfo(Freshness.FRESH, last, None)
    if last is not None and last >= window.previous_starts_at:
        return FreshnessInfo(Freshness.DUE, last, window.last_day)
    if last is None and project.created_at is not None and project.created_at >= window.starts_at:
        return FreshnessInfo(Freshness.NEW, None, window.last_day)
    return FreshnessInfo(Freshness.STALE, last, window.last_day)


def stale_q(window: CycleWindow, *, prefix: str = "") -> Q:
    """``Freshness.STALE`` as a Q on Project, the SQL twin of ``freshness_of``:
    a reportable project (neither archived nor closed) never reported (and
    created before the cycle started: see ``new_q``), or not reported since
    the previous cycle started. ``prefix`` reaches the project through
    a join, e.g. "projects__". The portfolio filter, the officials' dashboard,
    the agenda proposals and the meeting pack use it; the badges (lists, map,
    pages) use ``freshness_of``."""
    never = Q(**{f"{prefix}last_reported_at__isnull": True}) & Q(**{f"{prefix}created_at__lt": window.starts_at})
    unreported = never | Q(**{f"{prefix}last_reported_at__lt": window.previous_starts_at})
    return active_q(prefix) & unreported


def new_q(window: CycleWindow, *, prefix: str = "") -> Q:
    """``Freshness.NEW`` as a Q on Project: created since the cycle started,
    never reported; its first report is due by the cycle's last day."""
    return active_q(prefix) & Q(
        **{f"{prefix}last_reported_at__isnull": True, f"{prefix}created_at__gte": window.starts_at}
    )


def fresh_q(window: CycleWindow, *, prefix: str = "") -> Q:
    """``Freshness.FRESH`` as a Q on Project (see ``stale_q``)."""
    return active_q(prefix) & Q(**{f"{prefix}last_reported_at__gte": window.starts_at})


def due_q(window: CycleWindow, *, prefix: str = "") -> Q:
    """``Freshness.DUE`` as a Q on Project (see ``stale_q``)."""
    return active_q(prefix) & Q(
        **{
            f"{prefix}last_reported_at__gte": window.previous_starts_at,
            f"{prefix}last_reported_at__lt": window.starts_at,
        }
    )


# --- Emergence of projects: ideas and proposals (issue 13) -----------------

# Which state an idea may move to from each state. Accepted is final (the
# idea has become a project); declined and parked ideas may be studied again.
IDEA_MOVES: dict[str, tuple[str, ...]] = {
    IdeaState.NEW: (IdeaState.UNDER_STUDY, IdeaState.ACCEPTED, IdeaState.DECLINED, IdeaState.PARKED),
    IdeaState.UNDER_STUDY: (IdeaState.ACCEPTED, IdeaState.DECLINED, IdeaState.PARKED),
    IdeaState.PARKED: (IdeaState.UNDER_STUDY, IdeaState.DECLINED),
    IdeaState.DECLINED: (IdeaState.UNDER_STUDY,),
    IdeaState.ACCEPTED: (),
}
# The moves that decide an idea's fate (the committee pack lists them).
IDEA_DECISIONS = (IdeaState.ACCEPTED, IdeaState.DECLINED, IdeaState.PARKED)


def can_propose_idea(user: AbstractBaseUser | AnonymousUser, service: Service | None) -> bool:
    """The lead proposes for any service, or for none; a director only for
    a service they direct that is not archived. Nobody else proposes."""
    if not user.is_authenticated:
        return False
    role = role_of(user)
    if role == Role.LEAD:
        return True
    return role == Role.DIRECTOR and service is not None and service.director_id == user.pk and not service.is_archived


def can_decide_idea(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Only the lead moves ideas and proposals through the pipeline, records
    partners' proposals and accepts an idea as a project."""
    return user.is_authenticated and role_of(user) == Role.LEAD


def idea_moves(idea: Idea) -> tuple[str, ...]:
    """The states ``idea`` may move to (accepting goes through its own form)."""
    return IDEA_MOVES[idea.state]


# A proposing partner's link with the project its proposal became: a
# company sells its technology, a research body builds it with the city, a
# delegated operator runs it; any other partner is a partner.
PROPOSAL_RELATIONSHIPS = {
    Partner.Category.COMPANY: RelationshipKind.CLIENT_SUPPLIER,
    Partner.Category.FRENCH_TECH: RelationshipKind.CLIENT_SUPPLIER,
    Partner.Category.RESEARCH: RelationshipKind.CO_CONSTRUCTION,
    Partner.Category.HIGHER_EDUCATION: RelationshipKind.CO_CONSTRUCTION,
    Partner.Category.DELEGATED_OPERATOR: RelationshipKind.DELEGATED_OPERATOR,
}


def proposal_relationship(partner: Partner) -> str:
    """The relationship kind an accepted proposal's partner takes with the
    new project, unless the lead picks another (``PROPOSAL_RELATIONSHIPS``)."""
    return PROPOSAL_RELATIONSHIPS.get(partner.category, RelationshipKind.PARTNERSHIP)


# --- Who may report --------------------------------------------------------


def can_report(user: AbstractBaseUser | AnonymousUser, project: Project) -> bool:
    """A director reports on the active projects led by a service they
    direct, while that service is not archived; the lead on any active
    project. Costs no query when ``project.lead_service`` is loaded (the
    role is cached per user)."""
    if not user.is_authenticated or not is_active(project):
        return False
    role = role_of(user)
    if role == Role.LEAD:
        return True
    service = project.lead_service
    return role == Role.DIRECTOR and service.director_id == user.pk and not service.is_archived


# --- Who may attach documents ------------------------------------------------


def can_add_document(user: AbstractBaseUser | AnonymousUser, project: Project) -> bool:
    """The lead attaches documents to any project; a director to the
    projects led by a service they direct (that service not archived), while
    the project is not archived (a closed project still takes its final
    documents). Deleting is the lead's (``smartcity.base.documents``).
    Costs no query when ``project.lead_service`` is loaded."""
    if not user.is_authenticated:
        return False
    role = role_of(user)
    if role == Role.LEAD:
        return True
    if role != Role.DIRECTOR or project.is_archived:
        return False
    service = project.lead_service
    return service.director_id == user.pk and not service.is_archived


def can_add_objective_document(user: AbstractBaseUser | AnonymousUser, objective: Objective) -> bool:
    """The lead, who writes the plan, attaches documents (studies,
    deliberations) to its objectives while they are not archived. No query."""
    return user.is_authenticated and role_of(user) == Role.LEAD and not objective.is_archived


# --- Agreements: expiring and expired (issue 15) ---------------------------------


def agreement_window_days() -> int:
    """How many days before its end an agreement counts as expiring
    (``ORCHESTRE_AGREEMENT_EXPIRY_DAYS``)."""
    from django.conf import settings

    return settings.ORCHESTRE_AGREEMENT_EXPIRY_DAYS


def agreement_expiring_q(today: datetime.date, *, prefix: str = "") -> Q:
    """In force and ending between today and the end of the window."""
    until = today + datetime.timedelta(days=agreement_window_days())
    return Q(**{f"{prefix}status": "in_force", f"{prefix}end_date__gte": today, f"{prefix}end_date__lte": until})


def agreement_overdue_q(today: datetime.date, *, prefix: str = "") -> Q:
    """Still marked in force after its end date: someone must renew or close it."""
    return Q(**{f"{prefix}status": "in_force", f"{prefix}end_date__lt": today})


def agreement_expiry(agreement, today: datetime.date) -> str:
    """ "expiring", "overdue" or "" for one agreement (no query)."""
    if agreement.status != "in_force" or agreement.end_date is None:
        return ""
    if agreement.end_date < today:
        return "overdue"
    if agreement.end_date <= today + datetime.timedelta(days=agreement_window_days()):
        return "expiring"
    return ""


# --- Who may record indicator values (issue 14) ------------------------------


def can_record_indicator(user: AbstractBaseUser | AnonymousUser, project: Project) -> bool:
    """The lead on any project that is not archived; a director on the
    projects a service they direct leads (closed ones too: usefulness often
    shows after the end), while neither is archived. No query when
    ``project.lead_service`` is loaded."""
    if not user.is_authenticated or project.is_archived:
        return False
    role = role_of(user)
    if role == Role.LEAD:
        return True
    service = project.lead_service
    return role == Role.DIRECTOR and service.director_id == user.pk and not service.is_archived


# --- Milestones ----------------------------------------------------------------


def late_q(today: datetime.date, *, prefix: str = "") -> Q:
    """A late milestone, as a Q on Milestone: due before ``today``, still
    planned (neither done nor cancelled) and without a done date. ``prefix``
    reaches the milestone through a join ("milestones__")."""
    return Q(
        **{
            f"{prefix}status": Milestone.Status.PLANNED,
            f"{prefix}reached_on__isnull": True,
            f"{prefix}due_date__lt": today,
        }
    )


def is_late(milestone: Milestone, today: datetime.date) -> bool:
    """``late_q`` for a loaded milestone: no query."""
    return milestone.status == Milestone.Status.PLANNED and milestone.reached_on is None and milestone.due_date < today


def milestone_state(milestone: Milestone, today: datetime.date) -> str:
    """done / cancelled / late / planned: a milestone's badge and its marker
    on the roadmap."""
    if milestone.status == Milestone.Status.DONE:
        return "done"
    if milestone.status == Milestone.Status.CANCELLED:
        return "cancelled"
    return "late" if is_late(milestone, today) else "planned"


def can_edit_milestones(user: AbstractBaseUser | AnonymousUser, project: Project) -> bool:
    """The lead on any project that is not archived; a director on the
    projects they may report on (``can_report``), in the same minutes as
    their report. Costs no query when ``project.lead_service`` is loaded."""
    if not user.is_authenticated or project.is_archived:
        return False
    if role_of(user) == Role.LEAD:
        return True
    return can_report(user, project)
