from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDatabase(models.Model):
    """Present only in a database that ``seed_demo`` built: there, and only
    there, the demo accounts' passwords may be reset and ``flush_portfolio``
    may empty the portfolio. A city's real database never holds this row."""

    built_at = models.DateTimeField(_("built at"), auto_now_add=True)
    scale = models.PositiveIntegerField(_("scale"), default=1)
    reference_date = models.DateField(_("reference date"), null=True, blank=True)

    class Meta:
        verbose_name = _("demo database marker")
        verbose_name_plural = _("demo database markers")

    def __str__(self) -> str:
        return f"demo × {self.scale} @ {self.built_at:%Y-%m-%d}"


# Webhooks live in their own module (smartcity/site/webhooks/).
from .webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint  # noqa: E402, F401


class PersonalDataLog(models.Model):
    """One access export or erasure of a person's data (GDPR): who, when,
    which person (by kind and id), what was done. It never stores the
    person's data itself: ``summary`` names fields and counts rows."""

    class Action(models.TextChoices):
        ACCESS = "access", _("Access export")
        ERASURE = "erasure", _("Erasure")

    class Channel(models.TextChoices):
        WEB = "web", _("Web interface")
        COMMAND = "command", _("Management command")

    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject_kind = models.CharField(_("kind of person"), max_length=20)
    subject_id = models.PositiveIntegerField(_("person's id"))
    summary = models.JSONField(_("what"), default=dict)

    class Meta:
        verbose_name = _("personal data log entry")
        verbose_name_plural = _("personal data log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_kind}#{self.subject_id} @ {self.at:%Y-%m-%d}"
