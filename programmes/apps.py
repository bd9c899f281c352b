from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmes"
    verbose_name = _("Programmes and projects")

    def ready(self) -> None:
        from smartcity.base import imports

        from . import contributions
        from .imports import ProjectImporter

        contributions.register()
        contributions.register_plan()
        imports.register(
            "projects", label=_("Projects"), importer=ProjectImporter, upload_url="programmes:project_import"
        )
