from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmes"
    verbose_name = _("Programmes and projects")

    def ready(self) -> None:
        from smartcity.base import documents, imports

        from . import contributions, rules, taxonomy
        from .extensions import PROJECT_PAGE
        from .imports import ProjectImporter
        from .models import Objective, Programme, Project

        taxonomy.connect()
        contributions.register()
        contributions.register_plan()
        imports.register(
            "projects", label=_("Projects"), importer=ProjectImporter, upload_url="programmes:project_import"
        )
        # Documents: projects (lead, and the director of the lead service), programmes and objectives (lead).
        documents.register(Project, slug="projet", may_add=rules.can_add_document)
        documents.register(Programme, slug="programme")
        documents.register(Objective, slug="objectif", may_add=rules.can_add_objective_document)
        PROJECT_PAGE.register(
            "documents",
            template="base/documents_section.html",
            context=lambda request, project: documents.section_context(request.user, project),
            order=60,
        )
