from django.db import models
from django.utils.translation import gettext_lazy as _


class DeferredTask(models.Model):
    """A background task that could not be handed to the broker.

    Written when Redis is unreachable so that no work is lost; re-sent by
    ``resend_deferred_tasks`` (beat) or ``manage.py resend_deferred_tasks``.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deferred background task")
        verbose_name_plural = _("deferred background tasks")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.task_name


class ImportJob(models.Model):
    """One spreadsheet import: uploaded, checked (preview), then applied all
    at once or not at all. Large files are processed by a Celery task; the
    lead may leave the page and come back to the job."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking")
        PREVIEW = "preview", _("Checked, waiting for confirmation")
        REJECTED = "rejected", _("Rejected: errors in the file")
        APPLYING = "applying", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed, nothing imported")

    # A kind registered by the app owning the records (smartcity.base.imports.register).
    kind = models.CharField(_("kind"), max_length=20)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.VALIDATING)
    created_by = models.ForeignKey(
        "auth.User", verbose_name=_("imported by"), on_delete=models.SET_NULL, null=True, related_name="import_jobs"
    )
    filename = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(default=list, help_text="The parsed rows, as dicts of column → text.")
    total_rows = models.PositiveIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} — {self.filename}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("imports:job_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.APPLYING)
