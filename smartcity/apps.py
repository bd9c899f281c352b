from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmartcityConfig(AppConfig):
    """The project package doubles as an app for what belongs to no domain:
    roles, the deferred-task outbox, the home and health pages."""

    name = "smartcity"
    verbose_name = _("Orchestre")

    def ready(self) -> None:
        from . import security  # noqa: F401 - connects the security signal receivers
