"""What the public may see of a project: the one allow-list.

Every public page and the open-data export read projects through these
names only (``selectors.public_projects`` loads nothing else). Left out on
purpose: the sponsor official and every person, contact persons, status
report comments, health, spent budget, the reporting dates, internal
services other than the lead service, archived partners.
"""

from django.utils.translation import gettext_lazy as _

# Project columns published, with their open-data description.
PROJECT_FIELDS: dict[str, tuple[str, object]] = {
    "code": ("string", _("Stable project code, unique in the programme.")),
    "name": ("string", _("Name of the project.")),
    "summary": ("string", _("Short description of the project.")),
    "phase": ("string", _("Phase: emergence, study, pilot, deployment, operation, closed or abandoned.")),
    "progress": ("integer", _("Progress declared by the project team, in per cent (0 to 100).")),
    "start_date": ("date", _("Start date (ISO 8601), empty if not set.")),
    "end_date": ("date", _("Planned or actual end date (ISO 8601), empty if not set.")),
    "budget_planned": ("number", _("Planned budget, in euros.")),
}
# Related values published (organisations only, never people).
RELATED_FIELDS: dict[str, tuple[str, object]] = {
    "lead_service": ("string", _("The city service leading the project.")),
    "domains": ("array", _("Domains of city action (slugs); in CSV, separated by « ; ».")),
    "partners": (
        "array",
        _("Partner organisations and the kind of relationship; in CSV, « name (kind) » separated by « ; »."),
    ),
    "url": ("string", _("Address of the project's public page.")),
}
LICENCE_NAME = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
