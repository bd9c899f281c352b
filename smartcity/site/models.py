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
