"""Importer for projects."""

from django.db.models import Q
from django.utils.translation import gettext as _

from partners.models import Domain, ElectedOfficial, Service
from smartcity.base.imports import Column, Importer, RowError

from . import rules, selectors, services
from .models import Health, Phase, Programme, Project


class ProjectImporter(Importer):
    kind = "projects"
    columns = [
        Column("code", required=True),
        Column("name", required=True),
        Column("programme", required=True),
        Column("lead_service", required=True),
        Column("contributing_services"),
        Column("domains"),
        Column("sponsor"),
        Column("phase"),
        Column("health"),
        Column("progress"),
        Column("start_date"),
        Column("end_date"),
        Column("budget_planned"),
        Column("summary"),
    ]

    def _service(self, acronym: str, column: str) -> Service:
        service = Service.objects.filter(acronym__iexact=acronym.strip()).first()
        if service is None:
            raise RowError(
                [_("%(column)s: no service with acronym “%(value)s”.") % {"column": column, "value": acronym}]
            )
        return service

    def _list(self, value: str) -> list[str]:
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]

    def apply_row(self, row: dict[str, str]) -> str:
        code = self.required(row, "code")
        programme_name = self.required(row, "programme")
        programme = Programme.objects.filter(name__iexact=programme_name).first()
        if programme is None:
            programme = services.programme_create(data={"name": programme_name})
        data = {
            "code": code,
            "name": self.required(row, "name"),
            "programme": programme,
            "lead_service": self._service(self.required(row, "lead_service"), "lead_service"),
            "contributing_services": [
                self._service(a, "contributing_services") for a in self._list(row.get("contributing_services", ""))
            ],
            "summary": row.get("summary", ""),
            "start_date": self.date(row.get("start_date", ""), "start_date"),
            "end_date": self.date(row.get("end_date", ""), "end_date"),
        }
        domains = []
        for name in self._list(row.get("domains", "")):
            domain = Domain.objects.filter(Q(slug__iexact=name) | Q(name__iexact=name)).first()
            if domain is None:
                raise RowError([_("domains: unknown domain “%(value)s”.") % {"value": name}])
            domains.append(domain)
        data["domains"] = domains
        if row.get("sponsor"):
            if "officials" not in self.caches:
                self.caches["officials"] = {str(o).lower(): o for o in ElectedOfficial.objects.all()}
            sponsor = self.caches["officials"].get(row["sponsor"].strip().lower())
            if sponsor is None:
                raise RowError([_("sponsor: no elected official named “%(value)s”.") % {"value": row["sponsor"]}])
            data["sponsor"] = sponsor
        if row.get("phase"):
            data["phase"] = self.choice(row["phase"], Phase.choices, "phase")
        health = self.choice(row["health"], Health.choices, "health") if row.get("health") else ""
        progress = None
        if row.get("progress"):
            try:
                progress = int(row["progress"].rstrip("% "))
            except ValueError:
                raise RowError(
                    [_("progress: “%(value)s” is not a whole number.") % {"value": row["progress"]}]
                ) from None
        budget = self.decimal(row.get("budget_planned", ""), "budget_planned")
        if budget is not None:
            data["budget_planned"] = budget
        existing = Project.objects.filter(code__iexact=code).first()
        if existing is None:
            project = services.project_create(data=data)
        else:
            project = services.project_update(project=existing, token=str(existing.version), data=data)
        self._report(project, health, progress)
        return "create" if existing is None else "update"

    def _report(self, project: Project, health: str, progress: int | None) -> None:
        """Health and progress follow status reports: a file that changes
        them files a report in the importing lead's name."""
        if not health and progress is None:
            return
        health = health or project.health
        progress = project.progress if progress is None else progress
        if (health, progress) == (project.health, project.progress):
            return
        if health == Health.UNKNOWN:
            raise RowError([_("health: give the project's health to report its progress.")])
        if not rules.is_active(project):
            raise RowError([_("health, progress: a closed or archived project takes no status report.")])
        latest = selectors.latest_report_of(project)
        services.status_report_submit(
            project=project,
            author=self.user,
            health=health,
            progress=progress,
            comment=_("Imported from a spreadsheet."),
            based_on_id=latest.pk if latest else None,
        )
