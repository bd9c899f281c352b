"""What the benchmark measures. One line per page; the lead engineer adds
pages from other issues here (a page whose URL name does not resolve yet is
skipped with a note).

``kwargs`` and ``data`` are called inside Django with the ORM available, so
they can look up the objects a page needs at any data scale.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def _project() -> dict[str, Any]:
    from programmes.models import Project

    return {"pk": Project.objects.order_by("code").values_list("pk", flat=True).first()}


def _own_project() -> dict[str, Any]:
    """One of director.mobility's active projects that has a report, so that
    "no change" repeats it at every scale (never reported is another path)."""
    from programmes.models import Project

    pk = (
        Project.objects.active()
        .filter(lead_service__director__username="director.mobility", last_reported_at__isnull=False)
        .order_by("code")
        .values_list("pk", flat=True)
        .first()
    )
    return {"pk": pk}


def _sheet_project() -> dict[str, Any]:
    """A project with a usefulness sheet (the demo writes a few)."""
    from programmes.models import UsefulnessSheet

    return {"pk": UsefulnessSheet.objects.order_by("project__code").values_list("project_id", flat=True).first()}


def _service() -> dict[str, Any]:
    from partners.models import Service

    return {"pk": Service.objects.filter(director__username="director.mobility").values_list("pk", flat=True).first()}


def _partner() -> dict[str, Any]:
    from partners.models import Partner

    return {"pk": Partner.objects.order_by("pk").values_list("pk", flat=True).first()}


def _meeting() -> dict[str, Any]:
    from governance.models import Meeting

    return {"pk": Meeting.objects.order_by("-starts_at", "-pk").values_list("pk", flat=True).first()}


def _committee() -> dict[str, Any]:
    from governance.models import Committee

    return {"pk": Committee.objects.order_by("pk").values_list("pk", flat=True).first()}


def _idea() -> dict[str, Any]:
    from programmes.models import Idea

    return {"pk": Idea.objects.order_by("pk").values_list("pk", flat=True).first()}


def _programme() -> dict[str, Any]:
    from programmes.models import Programme

    return {"pk": Programme.objects.order_by("pk").values_list("pk", flat=True).first()}


def _domain() -> dict[str, Any]:
    return {"slug": "mobilite"}


def _no_change() -> dict[str, Any]:
    """A valid "no change" submission: based on the project's latest report."""
    from programmes.models import StatusReport

    pk = _own_project()["pk"]
    latest = StatusReport.objects.filter(project_id=pk).order_by("-created_at", "-pk").values_list("pk", flat=True)
    return {"based_on": latest.first() or ""}


def _webhook() -> dict[str, Any]:
    from smartcity.site.webhooks.models import WebhookEndpoint

    return {"pk": WebhookEndpoint.objects.order_by("name", "pk").values_list("pk", flat=True).first()}


def _agreement() -> dict[str, Any]:
    from programmes.models import Agreement

    return {"pk": Agreement.objects.order_by("pk").values_list("pk", flat=True).first()}


def _data_asset() -> dict[str, Any]:
    from programmes.models import DataAsset

    return {"pk": DataAsset.objects.order_by("pk").values_list("pk", flat=True).first()}


def _programme() -> dict[str, Any]:
    from programmes.models import Programme

    return {"pk": Programme.objects.order_by("pk").values_list("pk", flat=True).first()}


def _domain() -> dict[str, Any]:
    from partners.models import Domain

    return {"slug": Domain.objects.order_by("position", "pk").values_list("slug", flat=True).first()}


def _official() -> dict[str, Any]:
    from partners.models import ElectedOfficial

    return {"pk": ElectedOfficial.objects.filter(user__username="official").values_list("pk", flat=True).first()}


def _none() -> dict[str, Any]:
    return {}


def _document() -> dict[str, Any]:
    """The demo's first document (a project's, seed_demo attaches a few)."""
    from smartcity.base.models import Document

    return {"pk": Document.objects.order_by("pk").values_list("pk", flat=True).first()}


def _document_target() -> dict[str, Any]:
    return {"kind": "projet", **_own_project()}


def _public_project() -> dict[str, Any]:
    from programmes.models import Project

    return {"pk": Project.objects.filter(is_public=True).order_by("code").values_list("pk", flat=True).first()}


def _first(model: str, **kwargs) -> dict[str, Any]:
    """Issue 12 (forms, long lists): the first record of ``app.Model`` by pk."""
    from django.apps import apps

    return {**kwargs, "pk": apps.get_model(model).objects.order_by("pk").values_list("pk", flat=True).first()}


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    persona: str  # a demo account: lead, director.mobility, official, viewer
    kwargs: Callable[[], dict[str, Any]] = _none
    method: str = "GET"
    data: Callable[[], dict[str, Any]] | None = None
    query: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def budget_ms(self) -> float:
        """Issue 12's p95 target at scale 10: 50 ms for a record's own page,
        300 ms for the CSV export of the whole portfolio, 100 ms otherwise."""
        if self.url_name in DOWNLOADS:
            return 300.0
        return 50.0 if self.url_name in DETAIL_PAGES else 100.0


# The pages of one record (issue 12: "detail pages < 50 ms").
DETAIL_PAGES = frozenset(
    {
        "programmes:project_detail",
        "programmes:programme_detail",
        "programmes:domain_detail",
        "programmes:agreement_detail",
        "programmes:data_asset_detail",
        "programmes:idea_detail",
        "partners:service_detail",
        "partners:partner_detail",
        "governance:committee_detail",
        "governance:meeting_detail",
        "governance:official_detail",
        "site:public_project",
    }
)
# Whole-portfolio downloads (issue 12: "CSV export of 1,000 projects < 300 ms").
DOWNLOADS = frozenset({"programmes:project_export"})

TRIVIAL = Page("trivial view (reference)", "bench_trivial", "lead")

PAGES: list[Page] = [
    Page("home (lead: portfolio overview)", "home", "lead"),
    Page("home (director: my service)", "home", "director.mobility"),
    Page("home (official: dashboard)", "home", "official"),
    Page("home (viewer)", "home", "viewer"),
    Page("portfolio overview (lead)", "programmes:portfolio", "lead"),
    Page("project list (lead)", "programmes:project_list", "lead"),
    Page("project list (director)", "programmes:project_list", "director.mobility"),
    Page("project list (official)", "programmes:project_list", "official"),
    Page("project list (viewer)", "programmes:project_list", "viewer"),
    Page("project page", "programmes:project_detail", "lead", kwargs=_project),
    Page("service page", "partners:service_detail", "lead", kwargs=_service),
    Page("partner page", "partners:partner_detail", "lead", kwargs=_partner),
    Page("committee page", "governance:committee_detail", "official", kwargs=_committee),
    Page("meeting page", "governance:meeting_detail", "official", kwargs=_meeting),
    Page("officials' dashboard", "governance:dashboard", "official"),
    Page("link map", "site:map", "lead"),
    Page("meeting pack", "governance:meeting_pack", "official", kwargs=_meeting),
    Page("director's report page GET", "programmes:service_report", "director.mobility"),
    Page(
        "director's report POST (no change, one project)",
        "programmes:project_report_no_change",
        "director.mobility",
        kwargs=_own_project,
        method="POST",
        data=_no_change,
        note="over HTTP the body is fixed, so after the first request wrk measures the refused-as-stale path",
    ),
    Page("portfolio CSV export", "programmes:project_export", "lead", query="?format=csv"),
    Page("engagement ranking (issue 14)", "site:engagement", "lead"),
    Page("services × domains heat map (issue 14)", "site:engagement_heat_map", "lead"),
    Page("awareness-action log (issue 14)", "partners:awareness_list", "lead"),
    Page("usefulness sheet (issue 14)", "programmes:usefulness_sheet", "viewer", kwargs=_sheet_project),
    Page("committee usefulness summary (issue 14)", "programmes:usefulness_summary", "official"),
    Page("service usefulness sheet (issue 14)", "site:service_sheet", "director.culture", kwargs=_service),
    Page("API project list (issue 16)", "api:project-list", "lead"),
    Page("API service list (issue 16)", "api:service-list", "lead"),
    # Issue 16, part 2: the other API lists and the webhooks pages.
    Page("API programme list (issue 16)", "api:programme-list", "lead"),
    Page("API partner list (issue 16)", "api:partner-list", "lead"),
    Page("API official list (issue 16)", "api:official-list", "lead"),
    Page("API committee list (issue 16)", "api:committee-list", "lead"),
    Page("API meeting list (issue 16)", "api:meeting-list", "lead"),
    Page("API decision list (issue 16)", "api:decision-list", "lead"),
    Page("API action list (issue 16)", "api:action-list", "lead"),
    Page("webhooks list (issue 16)", "site:webhooks", "lead"),
    Page("webhook delivery log (issue 16)", "site:webhook_detail", "lead", kwargs=_webhook),
    Page("document upload form (issue 13)", "documents:add", "director.mobility", kwargs=_document_target),
    Page("document download (issue 13)", "documents:download", "viewer", kwargs=_document),
    # Partner relationships and data (issue 15).
    Page("agreements (issue 15)", "programmes:agreement_list", "lead"),
    Page("agreement page (issue 15)", "programmes:agreement_detail", "lead", kwargs=_agreement),
    Page("data register (issue 15)", "programmes:data_asset_list", "lead"),
    Page("data asset page (issue 15)", "programmes:data_asset_detail", "lead", kwargs=_data_asset),
    Page("relationship moves (issue 15)", "programmes:relationship_moves", "official"),
    Page("partners list with last contact (issue 15)", "partners:partner_list", "lead", query="?quiet=1"),
    Page(
        "projects depending on operators' data (issue 15)",
        "programmes:project_list",
        "lead",
        query="?data_holder=delegated_operator",
    ),
    # --- The plan, ideas and roll-ups (issue 13) ---
    Page("the plan: objectives, targets, roll-ups (issue 13)", "programmes:plan", "official"),
    Page("ideas and proposals pipeline (issue 13)", "programmes:idea_pipeline", "lead"),
    Page("an idea and its decisions (issue 13)", "programmes:idea_detail", "lead", kwargs=_idea),
    Page("my ideas (issue 13)", "programmes:my_ideas", "director.mobility"),
    Page("programme page with its roll-up (issue 13)", "programmes:programme_detail", "lead", kwargs=_programme),
    Page("domain page with its roll-up (issue 13)", "programmes:domain_detail", "lead", kwargs=_domain),
    Page("portfolio roadmap (issue 13)", "programmes:roadmap", "official"),
    Page("project history (issue 13)", "programmes:project_history", "director.mobility", kwargs=_own_project),
    Page("meeting history (issue 13)", "governance:meeting_history", "lead", kwargs=_meeting),
    # Issue 15: the public pages (the same for everybody, measured signed in) and personal data.
    Page("public portfolio (issue 15)", "site:public_portfolio", "lead"),
    Page("public project page (issue 15)", "site:public_project", "lead", kwargs=_public_project),
    Page("open data JSON (issue 15)", "site:public_projects_json", "lead"),
    Page("processing register (issue 15)", "site:gdpr_register", "lead"),
    Page("contacts to review (issue 15)", "site:gdpr_review", "lead"),
    # Issue 12: the pages its report found slow at scale 10.
    Page("reporting overview (issue 12)", "programmes:reporting_overview", "lead"),
    Page("programme page (issue 12)", "programmes:programme_detail", "lead", kwargs=_programme),
    Page("domain page (issue 12)", "programmes:domain_detail", "lead", kwargs=_domain),
    Page("official's page (issue 12)", "governance:official_detail", "lead", kwargs=_official),
    Page("project creation form (issue 12)", "programmes:project_create", "lead"),
    Page("committee creation form (issue 12)", "governance:committee_create", "lead"),
    # Issue 12: forms with pickers, paged lists inside pages, the map's search.
    Page("project creation form (issue 12)", "programmes:project_create", "lead"),
    Page("project edit form (issue 12)", "programmes:project_update", "lead", kwargs=_project),
    Page("picker search: partners (issue 12)", "partners:partner_pick", "lead", query="?q=univ"),
    Page("picker search: services (issue 12)", "partners:service_pick", "lead", query="?q=service"),
    Page("domain page (issue 12)", "programmes:domain_detail", "viewer", kwargs=lambda: {"slug": "mobilite"}),
    Page(
        "programme page (issue 12)",
        "programmes:programme_detail",
        "viewer",
        kwargs=lambda: _first("programmes.Programme"),
    ),
    Page(
        "official's page (issue 12)",
        "governance:official_detail",
        "official",
        kwargs=lambda: _first("partners.ElectedOfficial"),
    ),
    Page(
        "service page, second page of its projects (issue 12)",
        "partners:service_detail",
        "lead",
        kwargs=_service,
        query="?led_page=2",
    ),
    Page("link map, searched (issue 12)", "site:map", "lead", query="?q=energie"),
    Page("link map as tables (issue 12)", "site:map_tables", "lead"),
]
