import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Committee(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, default="COPIL")
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        "partners.ElectedOfficial", verbose_name=_("members"), related_name="committees", blank=True
    )
    invited_services = models.ManyToManyField(
        "partners.Service", verbose_name=_("invited services"), related_name="committees", blank=True
    )
    # The next meeting number to hand out. Only ever increases, so a number
    # is never reused, even when a meeting is cancelled or deleted.
    next_meeting_number = models.PositiveIntegerField(default=1, editable=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    # Secret part of the calendar feed's address: phone calendars subscribe
    # without a session cookie. Whoever holds the address reads the meeting
    # dates and agendas, nothing else; the lead can replace it.
    calendar_token = models.CharField(_("calendar token"), max_length=64, default=new_calendar_token, editable=False)
    # The pack goes by e-mail to the members this many days before each
    # meeting (beat: governance.tasks.send_due_packs).
    pack_days_before = models.PositiveSmallIntegerField(
        _("send the pack (days before the meeting)"),
        default=5,
        validators=[MaxValueValidator(60)],
        help_text=_("The members receive the meeting pack by e-mail this many days before each meeting."),
    )
    # Bumped by every edit (smartcity.base.records): a form opened at an
    # older version is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["calendar_token"], m2m_fields=[members, invited_services])

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:committee_detail", args=[self.pk])


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        APPROVED = "approved", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["committee", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="meeting_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="meeting_number_positive"),
        ]

    def __str__(self) -> str:
        return _("%(committee)s no. %(number)s") % {
            "committee": self.committee.short_name,
            "number": self.number,
        }

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_editable(self) -> bool:
        """Neither approved (locked) nor cancelled."""
        return self.status not in (self.Status.APPROVED, self.Status.CANCELLED)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=10)
    projects = models.ManyToManyField(
        "programmes.Project", verbose_name=_("projects"), related_name="agenda_items", blank=True
    )
    # The concurrency token of the item's edit form.
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[projects])

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))
    projects = models.ManyToManyField(
        "programmes.Project", verbose_name=_("projects"), related_name="decisions", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[projects])

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-meeting__starts_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    """An action decided in a meeting; it is carried over to every following
    meeting of the committee until it is closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, verbose_name=_("raised in"), on_delete=models.PROTECT, related_name="actions")
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    title = models.CharField(_("action"), max_length=300)
    owner_service = models.ForeignKey(
        "partners.Service",
        verbose_name=_("owner service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    owner_name = models.CharField(_("owner (person)"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_in = models.ForeignKey(
        Meeting,
        verbose_name=_("closed in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_actions",
    )
    projects = models.ManyToManyField(
        "programmes.Project", verbose_name=_("projects"), related_name="actions", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | (~models.Q(status="open") & models.Q(closed_at__isnull=False)),
                name="action_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Who attended a meeting: an official, a service or a partner."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    official = models.ForeignKey(
        "partners.ElectedOfficial", verbose_name=_("official"), on_delete=models.PROTECT, null=True, blank=True
    )
    service = models.ForeignKey(
        "partners.Service", verbose_name=_("service"), on_delete=models.PROTECT, null=True, blank=True
    )
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices, default=Status.PRESENT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(official__isnull=False, service__isnull=True, partner__isnull=True)
                | models.Q(official__isnull=True, service__isnull=False, partner__isnull=True)
                | models.Q(official__isnull=True, service__isnull=True, partner__isnull=False),
                name="attendance_one_attendee",
            ),
            models.UniqueConstraint(
                fields=["meeting", "official"], condition=models.Q(official__isnull=False), name="attendance_official"
            ),
            models.UniqueConstraint(
                fields=["meeting", "service"], condition=models.Q(service__isnull=False), name="attendance_service"
            ),
            models.UniqueConstraint(
                fields=["meeting", "partner"], condition=models.Q(partner__isnull=False), name="attendance_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee} — {self.get_status_display()}"

    @property
    def attendee(self):
        return self.official or self.service or self.partner


class Amendment(models.Model):
    """An explicit correction to approved minutes. Approved minutes are never
    edited in place: amendments are added, never changed."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="amendments")
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    text = models.TextField(_("correction"))
    reason = models.CharField(_("reason"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class PackSnapshot(models.Model):
    """The portfolio as it was shown in a meeting pack, frozen as JSON.

    Written once (when the lead freezes the pack, or when the meeting is
    marked held) and never updated, so the pack of meeting 19 reads the same
    years later, whatever happened to the projects since.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="snapshot"
    )
    taken_at = models.DateTimeField(_("frozen at"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("pack snapshot")
        verbose_name_plural = _("pack snapshots")

    def __str__(self) -> str:
        return f"{self.meeting} @ {self.taken_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A pack snapshot is immutable.")
        super().save(*args, **kwargs)


class PackEdition(models.Model):
    """A version of a meeting's pack as it was sent by e-mail, its content
    frozen as JSON. Sending again unchanged content reuses the version; any
    change in the pack makes the next one."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="pack_editions"
    )
    number = models.PositiveIntegerField(_("version"))
    # SHA-256 of the content: the same pack twice is the same version.
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pack version")
        verbose_name_plural = _("pack versions")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="pack_edition_number_unique"),
            models.UniqueConstraint(fields=["meeting", "fingerprint"], name="pack_edition_content_unique"),
        ]

    def __str__(self) -> str:
        return _("%(meeting)s, pack version %(number)s") % {"meeting": self.meeting, "number": self.number}


class PackDelivery(models.Model):
    """One e-mail of a pack version to one committee member: the send log.
    A member gets each version once (the constraint); the lead's resend adds
    a row of its own."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    edition = models.ForeignKey(
        PackEdition, verbose_name=_("pack version"), on_delete=models.CASCADE, related_name="deliveries"
    )
    official = models.ForeignKey(
        "partners.ElectedOfficial", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    is_resend = models.BooleanField(_("resent on demand"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("pack e-mail")
        verbose_name_plural = _("pack e-mails")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "official"], condition=models.Q(is_resend=False), name="pack_delivery_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} → {self.email} ({self.get_status_display()})"
