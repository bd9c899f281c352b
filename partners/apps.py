from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The organisation: domains, internal services, external partners and
    their contacts, elected officials."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from smartcity.base import imports

        from .extensions import SERVICE_PAGE
        from .imports import PartnerImporter, ServiceImporter
        from .sections import awareness_section

        SERVICE_PAGE.register(
            "awareness", template="partners/sections/awareness.html", context=awareness_section, order=40
        )

        imports.register(
            "services", label=_("Services"), importer=ServiceImporter, upload_url="partners:service_import"
        )
        imports.register(
            "partners", label=_("Partners and contacts"), importer=PartnerImporter, upload_url="partners:partner_import"
        )
