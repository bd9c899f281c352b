from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from smartcity.base import documents

        from . import contributions, rules
        from .models import Meeting

        contributions.register()
        documents.register(Meeting, slug="seance", may_add=rules.can_add_meeting_document)
