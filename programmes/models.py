from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from smartcity.base.dates import last_day_before


def dates_ordered(name: str, *, message=None) -> models.CheckConstraint:
    """An end date, when both dates are set, is not before the start date."""
    return models.CheckConstraint(
        condition=models.Q(end_date__isnull=True)
        | models.Q(start_date__isnull=True)
        | models.Q(end_date__gte=models.F("start_date")),
        name=name,
        **({"violation_error_message": message} if message is not None else {}),
    )


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            dates_ordered("programme_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme_detail", args=[self.pk])


class Phase(models.TextChoices):
    EMERGENCE = "emergence", _("Emergence")
    STUDY = "study", _("Study")
    PILOT = "pilot", _("Pilot")
    DEPLOYMENT = "deployment", _("Deployment")
    OPERATION = "operation", _("Operation")
    CLOSED = "closed", _("Closed")
    ABANDONED = "abandoned", _("Abandoned")


class Health(models.TextChoices):
    """The project's weather (météo): the built-in levels."""

    UNKNOWN = "unknown", _("Not reported")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


# --- The editable taxonomy (issue 13): the lead adds, renames, orders and
# archives phases and health levels; each keeps a fixed meaning the code
# relies on (a phase's stage, a health level's severity). Projects and
# reports store the code; ``programmes.taxonomy`` reads the vocabulary.


class Stage(models.TextChoices):
    """What a phase means to the rules: only a closed phase ends a project."""

    NOT_STARTED = "not_started", _("Not started")
    ACTIVE = "active", _("Under way")
    CLOSED = "closed", _("Closed")


class Severity(models.TextChoices):
    """What a health level means to the rules, least to most severe after
    "not reported" (charts' shapes, attention lists, orderings)."""

    UNKNOWN = "unknown", _("Not reported")
    GOOD = "good", _("Good")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


# The built-in values and their fixed meaning; their code never changes.
BUILTIN_PHASES = {
    Phase.EMERGENCE: Stage.NOT_STARTED,
    Phase.STUDY: Stage.ACTIVE,
    Phase.PILOT: Stage.ACTIVE,
    Phase.DEPLOYMENT: Stage.ACTIVE,
    Phase.OPERATION: Stage.ACTIVE,
    Phase.CLOSED: Stage.CLOSED,
    Phase.ABANDONED: Stage.CLOSED,
}
BUILTIN_HEALTH = {
    Health.UNKNOWN: (Severity.UNKNOWN, "#6c757d"),
    Health.ON_TRACK: (Severity.GOOD, "#146c43"),
    Health.AT_RISK: (Severity.WARNING, "#b35c00"),
    Health.OFF_TRACK: (Severity.CRITICAL, "#b02a37"),
}


def phase_choices():
    """Every phase, archived ones too (old records keep theirs), in order."""
    from .taxonomy import phase_choices as choices

    return choices()


def health_choices():
    """Every health level, archived ones too, in order."""
    from .taxonomy import health_choices as choices

    return choices()


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour is written #rrggbb."))


class TaxonomyOption(models.Model):
    """One value of an editable list. A built-in value keeps its code and
    its meaning; its label, blank, is the translated built-in one."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)
    is_builtin = models.BooleanField(_("built-in"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    builtin_labels: dict = {}

    def __str__(self) -> str:
        return str(self.display_label)

    @property
    def builtin_label(self):
        return self.builtin_labels.get(self.code, "")

    @property
    def display_label(self):
        return self.label or self.builtin_labels.get(self.code, self.code)

    def clean(self) -> None:
        if not self.is_builtin and not self.label:
            raise ValidationError({"label": _("A new value needs a label.")})


class PhaseOption(TaxonomyOption):
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)

    builtin_labels = dict(Phase.choices)
    history = HistoricalRecords()

    class Meta(TaxonomyOption.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def get_absolute_url(self) -> str:
        return reverse("programmes:taxonomy")


class HealthOption(TaxonomyOption):
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    color = models.CharField(_("colour"), max_length=7, default="#6c757d", validators=[colour_validator])

    builtin_labels = dict(Health.choices)
    history = HistoricalRecords()

    class Meta(TaxonomyOption.Meta):
        verbose_name = _("health level")
        verbose_name_plural = _("health levels")

    def get_absolute_url(self) -> str:
        return reverse("programmes:taxonomy")


class ProjectQuerySet(models.QuerySet):
    def active(self):
        """Neither archived nor in a closed phase (``programmes.rules``)."""
        from .rules import active_q

        return self.filter(active_q())

    def open(self):
        """Not archived: closed projects included (they still show in packs)."""
        return self.filter(is_archived=False)


class Project(models.Model):
    """A smart-city chantier."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    domains = models.ManyToManyField("partners.Domain", verbose_name=_("domains"), related_name="projects", blank=True)
    lead_service = models.ForeignKey(
        "partners.Service",
        verbose_name=_("lead service"),
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    contributing_services = models.ManyToManyField(
        "partners.Service",
        verbose_name=_("contributing services"),
        related_name="contributed_projects",
        blank=True,
    )
    sponsor = models.ForeignKey(
        "partners.ElectedOfficial",
        verbose_name=_("sponsor official"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_projects",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=phase_choices, default=Phase.EMERGENCE)
    health = models.CharField(_("health"), max_length=20, choices=health_choices, default=Health.UNKNOWN)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_planned = models.DecimalField(
        _("planned budget (€)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    budget_committed = models.DecimalField(
        _("committed budget (€)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Signed orders and agreements, spent or not yet."),
    )
    budget_spent = models.DecimalField(
        _("spent budget (€)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    is_public = models.BooleanField(_("public"), default=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    last_reported_at = models.DateTimeField(_("last report"), null=True, blank=True)
    # Bumped by every write through services.py; a save carrying an older
    # version is refused instead of overwriting somebody else's change.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[domains, contributing_services])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="project_progress_range",
                violation_error_message=_("The progress must be between 0 and 100 %."),
            ),
            dates_ordered("project_dates_ordered", message=_("The end date cannot be before the start date.")),
            models.CheckConstraint(
                condition=models.Q(budget_planned__gte=0, budget_spent__gte=0),
                name="project_budget_positive",
                violation_error_message=_("Budgets cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget_committed__gte=0),
                name="project_budget_committed_positive",
                violation_error_message=_("Budgets cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["phase", "health"]),
            models.Index(fields=["last_reported_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:project_detail", args=[self.pk])

    def clean(self) -> None:
        # The dates constraint, as an error on the end date (full_clean then
        # skips the constraint, which names no field).
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def is_closed(self) -> bool:
        from .rules import closed_phases

        return self.phase in closed_phases()


class RelationshipKind(models.TextChoices):
    CLIENT_SUPPLIER = "client_supplier", _("Client–supplier")
    PARTNERSHIP = "partnership", _("Partnership")
    CO_CONSTRUCTION = "co_construction", _("Co-construction")
    FUNDING = "funding", _("Funding")
    DATA_PROVIDER = "data_provider", _("Data provider")
    DELEGATED_OPERATOR = "delegated_operator", _("Delegated operator")


class ProjectPartner(models.Model):
    """A typed, dated link between a project and a partner.

    The same partner may hold several kinds of relationship with one project
    over time (client–supplier, then partnership): that trajectory is the
    point, so the kind is part of the key and the dates say when.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="partner_links",
    )
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="project_links"
    )
    relationship = models.CharField(_("relationship kind"), max_length=30, choices=RelationshipKind.choices)
    role = models.CharField(_("role"), max_length=200, blank=True)
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project–partner link")
        verbose_name_plural = _("project–partner links")
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "partner", "relationship"], name="project_partner_kind_unique"),
            dates_ordered("project_partner_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_relationship_display()}"


class StatusReport(models.Model):
    """One status update in a project's history. The project's current
    health and progress follow the latest report."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="status_reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="status_reports",
    )
    created_at = models.DateTimeField(_("reported at"), db_index=True)
    health = models.CharField(_("health"), max_length=20, choices=health_choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    next_milestone = models.CharField(_("next milestone"), max_length=200, blank=True)
    next_milestone_date = models.DateField(_("next milestone date"), null=True, blank=True)
    is_no_change = models.BooleanField(_("no change"), default=False)

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="status_report_progress_range",
            ),
        ]
        # A project's latest report (before a date): the digest, the reporting
        # rates and the report forms read it for every active project.
        indexes = [models.Index(fields=["project", "-created_at", "-id"], name="status_report_latest")]

    def __str__(self) -> str:
        return f"{self.project.code} @ {self.created_at:%Y-%m-%d}"


class Milestone(models.Model):
    """A dated step of a project. ``reached_on`` is the date it was done;
    a milestone is *late* when its due date has passed and it is neither
    done nor cancelled (``programmes.rules.late_q``, ``is_late``)."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("milestone status", "Planned")
        DONE = "done", pgettext_lazy("milestone status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("milestone status", "Cancelled")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # The concurrency token of the milestone's edit forms (bumped by services).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # A done milestone says when; any other has no done date.
        if self.status == self.Status.DONE and self.reached_on is None:
            raise ValidationError({"reached_on": _("Give the date the milestone was done.")})
        if self.status != self.Status.DONE and self.reached_on is not None:
            raise ValidationError({"reached_on": _("Only a milestone marked done has a done date.")})


# --- Status reporting: cycles and reminders (issue 4) ----------------------


class ReportingCycle(models.Model):
    """A reporting period. A project reported on since the start of the open
    cycle is *fresh*; one whose last report falls in the cycle before is
    *due*; anything older (or never reported) is *stale*. See
    ``programmes.reporting`` for the rules and README, "Status reporting".

    At most one cycle is open (``closed_at`` is null) at a time; the next
    cycle starts where the previous one closed.
    """

    class Length(models.IntegerChoices):
        MONTHLY = 1, _("Monthly")
        TWO_MONTHS = 2, _("Every two months")
        QUARTERLY = 3, _("Quarterly")
        HALF_YEARLY = 6, _("Every six months")

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("planned end"))
    length_months = models.PositiveSmallIntegerField(_("cycle length"), choices=Length.choices, default=Length.MONTHLY)
    remind_days_before_end = models.PositiveSmallIntegerField(
        _("reminder, days before the end"), default=7, validators=[MaxValueValidator(60)]
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        ordering = ["-starts_at", "-pk"]
        get_latest_by = "starts_at"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="cycle_ends_after_start"
            ),
            # PostgreSQL 15+: a single row may have closed_at IS NULL.
            models.UniqueConstraint(
                fields=["closed_at"],
                condition=models.Q(closed_at__isnull=True),
                nulls_distinct=False,
                name="reporting_cycle_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} → {self.ends_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def effective_end(self):
        """When the cycle stopped (closed early or on time), or its planned end."""
        return self.closed_at or self.ends_at

    @property
    def last_day(self):
        """The last calendar day of the cycle (its end is exclusive)."""
        return last_day_before(self.effective_end)


class ReminderLog(models.Model):
    """One e-mail per recipient, cycle and kind, at most.

    The row is *claimed* (inserted, committed) before the e-mail is sent and
    marked *sent* after; the unique constraint makes a second claim fail, so
    a task that runs twice or restarts mid-run never sends a duplicate. The
    price: a worker that dies between claim and send leaves a *claimed* row
    and that e-mail is not sent (at-most-once). The lead's reporting page
    lists such rows. A send that raised is marked *failed* and retried.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        DIGEST = "digest", _("Digest")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed, not confirmed")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="email_logs")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REMINDER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CLAIMED)
    project_count = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("reporting e-mail")
        verbose_name_plural = _("reporting e-mails")
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "recipient", "kind"], name="reminder_once_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.recipient_id} @ {self.cycle_id}: {self.status}"


# --- Partner relationships and data assets (issue 15) ---------------------------
# An agreement links partners, services, projects and data assets, and a data
# asset links projects: both live here, above the organisation, since a
# relation belongs to the higher model (ARCHITECTURE.md).


class Agreement(models.Model):
    """A convention signed between the city and partners: who, for which
    projects and data, from when until when, and where the signed document is."""

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership")
        SERVICE_CONTRACT = "service_contract", _("Service contract")
        PUBLIC_SERVICE_DELEGATION = "public_service_delegation", _("Delegation of public service")
        DATA_SHARING = "data_sharing", _("Data sharing")
        RESEARCH = "research", _("Research")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEGOTIATION = "negotiation", _("In negotiation")
        IN_FORCE = "in_force", _("In force")
        ENDED = "ended", _("Ended")
        TERMINATED = "terminated", _("Terminated early")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    partners = models.ManyToManyField(
        "partners.Partner", verbose_name=_("partner parties"), related_name="agreements", blank=True
    )
    services = models.ManyToManyField(
        "partners.Service", verbose_name=_("city services party to it"), related_name="agreements", blank=True
    )
    projects = models.ManyToManyField(Project, verbose_name=_("projects"), related_name="agreements", blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    document_reference = models.CharField(
        _("document reference"),
        max_length=200,
        blank=True,
        help_text=_("Where the signed document is: deliberation number, file reference, link."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The end date the lead was reminded of: one reminder per expiry, even
    # if the task runs again; a new end date earns a new reminder.
    expiry_reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[partners, services, projects], excluded_fields=["expiry_reminded_for"])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["end_date", "title"]
        constraints = [
            dates_ordered("agreement_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:agreement_detail", args=[self.pk])


class DataAsset(models.Model):
    """A dataset the programme produces or uses: who holds it, under which
    agreement and licence, whether it is open and whether it holds personal
    data, how often it changes and where it is published."""

    class Holder(models.TextChoices):
        CITY = "city", _("The city")
        DELEGATED_OPERATOR = "delegated_operator", _("A delegated operator")
        PARTNER = "partner", _("A partner")
        CITIZENS = "citizens", _("Citizens")

    class Licence(models.TextChoices):
        ETALAB = "etalab_2", _("Licence Ouverte 2.0 (Etalab)")
        ODBL = "odbl", _("ODbL")
        CC_BY = "cc_by_4", _("CC BY 4.0")
        AGREEMENT = "agreement", _("As set by the agreement")
        PROPRIETARY = "proprietary", _("Proprietary")
        UNDEFINED = "undefined", _("Not defined")

    class OpenData(models.TextChoices):
        OPEN = "open", _("Open data")
        PLANNED = "planned", _("Opening planned")
        RESTRICTED = "restricted", _("Shared with parties only")
        CLOSED = "closed", _("Not shared")

    class Frequency(models.TextChoices):
        REAL_TIME = "real_time", _("Real time")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")
        IRREGULAR = "irregular", _("Irregular")

    name = models.CharField(_("dataset name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    produced_by = models.ManyToManyField(
        Project, verbose_name=_("produced by"), related_name="data_produced", blank=True
    )
    used_by = models.ManyToManyField(Project, verbose_name=_("used by"), related_name="data_used", blank=True)
    holder = models.CharField(_("held by"), max_length=30, choices=Holder.choices)
    holder_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("holding partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_assets",
    )
    holder_service = models.ForeignKey(
        "partners.Service",
        verbose_name=_("holding service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_assets",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("under the agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_assets",
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.UNDEFINED)
    open_data = models.CharField(
        _("open-data status"), max_length=20, choices=OpenData.choices, default=OpenData.CLOSED
    )
    personal_data = models.BooleanField(_("holds personal data"), default=False)
    update_frequency = models.CharField(
        _("update frequency"), max_length=20, choices=Frequency.choices, default=Frequency.IRREGULAR
    )
    publication_url = models.URLField(_("publication URL"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[produced_by, used_by])

    class Meta:
        verbose_name = _("data asset")
        verbose_name_plural = _("data assets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:data_asset_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.holder in (self.Holder.DELEGATED_OPERATOR, self.Holder.PARTNER) and self.holder_partner_id is None:
            errors["holder_partner"] = _("Name the partner or operator that holds the data.")
        if self.personal_data and self.open_data == self.OpenData.OPEN:
            errors["open_data"] = _("Data holding personal data cannot be open data.")
        if errors:
            raise ValidationError(errors)


# --- Indicators and proof of usefulness (issue 14) ---------------------------


class IndicatorCode(models.Model):
    """A code from a standard framework, so that cities compare like with
    like. The list ships as data (migration ``indicator_codes``)."""

    class Framework(models.TextChoices):
        ISO_37120 = "iso37120", "ISO 37120"
        ISO_37122 = "iso37122", "ISO 37122"
        U4SSC = "u4ssc", "U4SSC"

    framework = models.CharField(_("framework"), max_length=20, choices=Framework.choices)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("indicator code")
        verbose_name_plural = _("indicator codes")
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.get_framework_display()} {self.code} — {self.name}"


class Indicator(models.Model):
    """What a project measures to show what it changed."""

    class Direction(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators")
    code = models.ForeignKey(
        IndicatorCode,
        verbose_name=_("standard code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(_("direction of good"), max_length=4, choices=Direction.choices, default=Direction.UP)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=3, null=True, blank=True)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=3, null=True, blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:project_detail", args=[self.project_id]) + "#indicators"


class IndicatorValue(models.Model):
    """A value measured on a date, with its source."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="indicator_value_one_per_date",
                violation_error_message=_("A value is already recorded for this date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} = {self.value} ({self.measured_on})"


class UsefulnessSheet(models.Model):
    """The proof of a project's usefulness, on one page: what it changed,
    for whom, at what cost, what was learnt. Its indicators (before/after)
    come from the project's ``Indicator`` rows."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="usefulness"
    )
    changed = models.TextField(_("what it changed"), blank=True)
    for_whom = models.TextField(_("for whom"), blank=True)
    cost = models.DecimalField(_("cost (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    cost_note = models.CharField(_("about the cost"), max_length=300, blank=True)
    lessons = models.TextField(_("lessons learnt"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usefulness sheet")
        verbose_name_plural = _("usefulness sheets")

    def __str__(self) -> str:
        return f"{self.project.code} — {_('usefulness')}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:usefulness_sheet", args=[self.project_id])


# --- The smart-city plan and the emergence of projects (issue 13) ------------


class SmartCityPlan(models.Model):
    """The city's *plan ville intelligente*: the frame the objectives hang
    on. One is in force at a time (the latest adopted); older plans stay."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.CharField(
        _("adopting body"), max_length=200, blank=True, help_text=_("For example: the metropolitan council.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("smart-city plan")
        verbose_name_plural = _("smart-city plans")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:plan")

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class Objective(models.Model):
    """A strategic objective of the plan. Programmes and projects serve it;
    its targets say how far it is reached."""

    plan = models.ForeignKey(SmartCityPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="objectives")
    code = models.CharField(_("code"), max_length=20, help_text=_("Short reference, for example O1."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    domains = models.ManyToManyField(
        "partners.Domain", verbose_name=_("domains"), related_name="objectives", blank=True
    )
    programmes = models.ManyToManyField(Programme, verbose_name=_("programmes"), related_name="objectives", blank=True)
    projects = models.ManyToManyField(Project, verbose_name=_("projects"), related_name="objectives", blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[domains, programmes, projects])

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="objective_code_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:objective_detail", args=[self.pk])


class Target(models.Model):
    """A measurable target of an objective: from ``baseline`` to
    ``target_value`` (in ``unit``) by ``target_date``; ``current_value`` is
    the latest measure, when there is one."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="targets"
    )
    label = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))
    current_value = models.DecimalField(_("current value"), max_digits=14, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return self.objective.get_absolute_url()


class IdeaState(models.TextChoices):
    # Of an idea or a proposal ("idée", "proposition": feminine in French).
    NEW = "new", pgettext_lazy("idea state", "New")
    UNDER_STUDY = "under_study", _("Under study")
    ACCEPTED = "accepted", _("Accepted as project")
    DECLINED = "declined", _("Declined")
    PARKED = "parked", _("Parked")


class Idea(models.Model):
    """An idea from a service (or the lead), or a proposal from a company or
    a research partner: the emergence of a project. It moves through
    ``IdeaState`` (``programmes.rules.IDEA_MOVES``), each move logged in
    ``IdeaTransition``; an accepted one points to the project it became."""

    class Kind(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROPOSAL = "proposal", _("Partner proposal")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.IDEA)
    title = models.CharField(_("title"), max_length=200)
    need = models.TextField(_("need"))
    benefit = models.TextField(_("hoped-for benefit"), blank=True)
    domain = models.ForeignKey(
        "partners.Domain",
        verbose_name=_("domain"),
        on_delete=models.PROTECT,
        related_name="ideas",
        null=True,
        blank=True,
    )
    services_concerned = models.ManyToManyField(
        "partners.Service", verbose_name=_("services concerned"), related_name="ideas_concerning", blank=True
    )
    proposing_service = models.ForeignKey(
        "partners.Service",
        verbose_name=_("proposing service"),
        on_delete=models.PROTECT,
        related_name="ideas_proposed",
        null=True,
        blank=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="ideas_recorded",
    )
    # A proposal's origin: which partner, what technology, who to call, when.
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="proposals",
        null=True,
        blank=True,
    )
    technology = models.CharField(_("technology"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=IdeaState.choices, default=IdeaState.NEW)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="origin_idea",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[services_concerned])

    class Meta:
        verbose_name = _("idea or proposal")
        verbose_name_plural = _("ideas and proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="proposal") | models.Q(partner__isnull=False),
                name="idea_proposal_has_partner",
                violation_error_message=_("A proposal comes from a partner."),
            ),
            models.CheckConstraint(
                condition=models.Q(project__isnull=True) | models.Q(state="accepted"),
                name="idea_project_only_when_accepted",
            ),
        ]
        indexes = [models.Index(fields=["state", "state_changed_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:idea_detail", args=[self.pk])

    def clean(self) -> None:
        if self.kind == self.Kind.PROPOSAL and self.partner_id is None:
            raise ValidationError({"partner": _("A proposal comes from a partner.")})


class IdeaTransition(models.Model):
    """One move of an idea through the pipeline: from, to, why, who, when.
    Written by ``services.idea_move`` only; never edited."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=20, choices=IdeaState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=IdeaState.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="idea_decisions",
    )
    decided_at = models.DateTimeField(_("decided at"), db_index=True)

    class Meta:
        verbose_name = _("idea transition")
        verbose_name_plural = _("idea transitions")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_state or '∅'} → {self.to_state}"
