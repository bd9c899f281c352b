from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top layer: the home page, the link map, the demo city and the
    commands that touch every app. It may import every other part; nothing
    imports it (ARCHITECTURE.md)."""

    name = "smartcity.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from .webhooks.listeners import connect

        connect()
        from . import contributions

        contributions.register()
