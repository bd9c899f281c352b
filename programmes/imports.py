"""Importer for projects.

Column headers are those of the portfolio export (in the interface
language); the column keys and the English headers are accepted too. A
programme, service, domain or official that the file names must exist
(the error suggests the closest names), except a programme when the upload
asks to create missing programmes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Domain, ElectedOfficial, Service
from smartcity.base.imports import Column, Importer

from . import rules, selectors, services, taxonomy
from .models import Health, Phase, Programme, Project, RelationshipKind, Severity


def _domain_names() -> dict[str, Domain]:
    domains = list(Domain.objects.all())
    return {d.slug.lower(): d for d in domains} | {d.name.lower(): d for d in domains}


class ProjectImporter(Importer):
    kind = "projects"
    columns = [
        Column("code", gettext_lazy("Code"), required=True),
        Column("name", gettext_lazy("Project"), required=True),
        Column("programme", gettext_lazy("Programme"), required=True),
        Column("lead_service", gettext_lazy("Lead service"), required=True),
        Column("contributing_services", gettext_lazy("Contributing services")),
        Column("domains", gettext_lazy("Domains")),
        Column("sponsor", gettext_lazy("Sponsor official")),
        Column("phase", gettext_lazy("Phase")),
        Column("health", gettext_lazy("Health")),
        Column("progress", gettext_lazy("Progress (%)")),
        Column("start_date", gettext_lazy("Start date")),
        Column("end_date", gettext_lazy("End date")),
        Column("budget_planned", gettext_lazy("Planned budget (€)")),
        Column("budget_committed", gettext_lazy("Committed budget (€)")),
        Column("budget_spent", gettext_lazy("Spent budget (€)")),
        Column("summary", gettext_lazy("Summary")),
    ]
    field_columns = {c.name: c.name for c in columns}
    create_option = gettext_lazy("Create the programmes that do not exist yet")

    def example(self) -> dict[str, str]:
        return {
            "code": "MOB-01",
            "name": _("Real-time passenger information"),
            "programme": _("Mobility 2030"),
            "lead_service": "TC",
            "contributing_services": "DSI, VOI",
            "domains": _("Mobility"),
            "phase": str(Phase.choices[0][1]),
            "health": str(Health.ON_TRACK.label),
            "progress": "20",
            "start_date": "2026-01-15",
            "end_date": "2027-06-30",
            "budget_planned": "120000",
            "budget_committed": "80000",
            "budget_spent": "15000",
            "summary": _("Displays at the main bus stops."),
        }

    def accepted_values(self) -> dict[str, list[str]]:
        return {
            self.header_of("phase"): [str(label) for _v, label in taxonomy.phase_picker()],
            self.header_of("health"): [str(label) for _v, label in taxonomy.health_picker()],
            self.header_of("domains"): list(Domain.objects.values_list("name", flat=True)),
            self.header_of("lead_service"): list(
                Service.objects.filter(is_archived=False).values_list("acronym", flat=True)
            ),
            self.header_of("programme"): list(Programme.objects.values_list("name", flat=True)),
            self.header_of("sponsor"): [str(o) for o in ElectedOfficial.objects.all()],
            # A project's partner links (edited on the project page) take these kinds.
            _("Relationship kind"): [str(label) for _v, label in RelationshipKind.choices],
        }

    def _cache(self, key: str, build) -> dict:
        if key not in self.caches:
            self.caches[key] = build()
        return self.caches[key]

    def _service(self, acronym: str, column: str) -> Service | None:
        options = self._cache("services", lambda: {s.acronym.lower(): s for s in Service.objects.all()})
        return self.reference(acronym, column, options, _("no service with acronym “%(value)s”."))

    def _list(self, value: str) -> list[str]:
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]

    def _programme(self, name: str) -> Programme | None:
        programme = Programme.objects.filter(name__iexact=name).first()
        if programme is not None:
            return programme
        if self.options.get("create_missing"):
            # Only a row without other errors creates a programme.
            return None if self.errors else services.programme_create(data={"name": name})
        options = {p.name.lower(): p for p in Programme.objects.all()}
        return self.reference(
            name,
            "programme",
            options,
            _("no programme named “%(value)s” (tick “create missing programmes” to create it)."),
        )

    def apply_row(self, row: dict[str, str]) -> str:
        code = self.required(row, "code")
        existing = Project.objects.filter(code__iexact=code).first() if code else None
        if existing is None:
            for name in ("name", "programme", "lead_service"):
                self.required(row, name)
        data: dict = {}
        self.texts(row, data, ("name", "summary"), required=("name",))
        if self.cleared(row, "programme") or self.cleared(row, "lead_service"):
            for name in ("programme", "lead_service"):
                if self.cleared(row, name):
                    self.error(name, _("this value is required."))
        if self.given(row, "lead_service") and not self.cleared(row, "lead_service"):
            data["lead_service"] = self._service(row["lead_service"], "lead_service")
        if self.cleared(row, "contributing_services"):
            data["contributing_services"] = []
        elif self.given(row, "contributing_services"):
            found = [self._service(a, "contributing_services") for a in self._list(row["contributing_services"])]
            data["contributing_services"] = [s for s in found if s is not None]
        if self.cleared(row, "domains"):
            data["domains"] = []
        elif self.given(row, "domains"):
            options = self._cache("domains", _domain_names)
            message = _("unknown domain “%(value)s”.")
            found = [self.reference(n, "domains", options, message) for n in self._list(row["domains"])]
            data["domains"] = [d for d in found if d is not None]
        if self.cleared(row, "sponsor"):
            data["sponsor"] = None
        elif self.given(row, "sponsor"):
            officials = self._cache("officials", lambda: {str(o).lower(): o for o in ElectedOfficial.objects.all()})
            data["sponsor"] = self.reference(
                row["sponsor"], "sponsor", officials, _("no elected official named “%(value)s”.")
            )
        self.choice_field(row, data, "phase", taxonomy.phase_picker())
        for name in ("start_date", "end_date"):
            if self.cleared(row, name):
                data[name] = None
            elif self.given(row, name):
                data[name] = self.date(row[name], name)
        for name in ("budget_planned", "budget_committed", "budget_spent"):
            if self.cleared(row, name):
                data[name] = 0
            elif self.given(row, name):
                data[name] = self.decimal(row[name], name)
        health = ""
        if self.cleared(row, "health") or self.cleared(row, "progress"):
            for name in ("health", "progress"):
                if self.cleared(row, name):
                    self.error(name, _("this value cannot be cleared."))
        if self.given(row, "health") and not self.cleared(row, "health"):
            health = self.choice(row["health"], taxonomy.health_picker(), "health") or ""
        progress = None
        if self.given(row, "progress") and not self.cleared(row, "progress"):
            try:
                progress = int(row["progress"].rstrip("% "))
            except ValueError:
                self.error("progress", _("“%(value)s” is not a whole number.") % {"value": row["progress"]})
        if self.given(row, "programme") and not self.cleared(row, "programme"):
            # Last: only a row without other errors may create a programme.
            data["programme"] = self._programme(row["programme"].strip())
        self.check()
        if existing is None:
            data["code"] = code
            project = services.project_create(data=data)
            self._report(project, health, progress)
            return "create"
        project = existing
        changed = self.diff(existing, data, self.field_columns)
        if changed:
            project = services.project_update(project=existing, token=str(existing.version), data=data)
        changed = changed + self._report(project, health, progress)
        return "update" if changed else "unchanged"

    def _report(self, project: Project, health: str, progress: int | None) -> list[dict[str, str]]:
        """Health and progress follow status reports: a file that changes
        them files a report in the importing lead's name. Returns the
        changes."""
        if not health and progress is None:
            return []
        health = health or project.health
        progress = project.progress if progress is None else progress
        if (health, progress) == (project.health, project.progress):
            return []
        if taxonomy.severity_of(health) == Severity.UNKNOWN:
            self.error("health", _("give the project's health to report its progress."))
        elif not rules.is_active(project):
            self.error("health", _("a closed or archived project takes no status report."))
        self.check()
        changes = []
        if health != project.health:
            changes.append(
                {
                    "column": self.header_of("health"),
                    "old": str(project.get_health_display()),
                    "new": taxonomy.health_label(health),
                }
            )
        if progress != project.progress:
            changes.append({"column": self.header_of("progress"), "old": str(project.progress), "new": str(progress)})
        self.changes.extend(changes)
        latest = selectors.latest_report_of(project)
        services.status_report_submit(
            project=project,
            author=self.user,
            health=health,
            progress=progress,
            comment=_("Imported from a spreadsheet."),
            based_on_id=latest.pk if latest else None,
        )
        return changes
