from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from smartcity.base.dates import last_day_before


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
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="programme_dates_ordered",
            ),
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


CLOSED_PHASES = (Phase.CLOSED, Phase.ABANDONED)


class Health(models.TextChoices):
    """The project's weather (météo)."""

    UNKNOWN = "unknown", _("Not reported")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class ProjectQuerySet(models.QuerySet):
    def active(self):
        """Neither archived nor closed or abandoned (``programmes.rules``)."""
        return self.filter(is_archived=False).exclude(phase__in=CLOSED_PHASES)

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
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.EMERGENCE)
    health = models.CharField(_("health"), max_length=20, choices=Health.choices, default=Health.UNKNOWN)
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
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget_planned__gte=0, budget_spent__gte=0),
                name="project_budget_positive",
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
        return self.phase in CLOSED_PHASES


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
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_partner_dates_ordered",
            ),
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
    health = models.CharField(_("health"), max_length=20, choices=Health.choices)
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
