from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
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


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 of its secret is kept; the
    secret is shown once, when the token is created (``smartcity.base.tokens``)."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begins with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class Document(models.Model):
    """A file attached to a record of a higher layer (a project, a programme,
    a meeting…), through a generic relation: the app owning the record
    registers it in ``smartcity.base.documents`` with its rules.

    The file lives in the ``documents`` storage (``settings.STORAGES``: local
    disk or an S3-compatible object store) under an unguessable name; it is
    only ever served by the permission-checked download view. Deleting the
    row deletes the file once the transaction commits."""

    class Kind(models.TextChoices):
        STUDY = "study", _("Study")
        AGREEMENT = "agreement", _("Convention or agreement")
        MINUTES = "minutes", _("Minutes")
        PHOTO = "photo", _("Photo")
        OTHER = "other", _("Other")

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    date = models.DateField(_("date of the document"), null=True, blank=True)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    file_type = models.CharField(_("file type"), max_length=10, help_text="The type found in the content.")
    mime_type = models.CharField(_("content type"), max_length=100)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added on"), auto_now_add=True)
    # An archived document leaves the record's list but stays readable (an
    # outdated study, a superseded convention); deleting erases the file.
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "-added_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_owner_idx")]

    def __str__(self) -> str:
        return self.title

    def get_download_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:download", args=[self.pk])
