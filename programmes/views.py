"""Pages of the portfolio (projects, programmes, domains) and of status
reporting ("My service", the one-page report, the lead's overview).

Who may write: the lead, everything on this page; a director, the status of
the active projects their service leads (``rules.can_report``). A
submission carrying anything the form did not offer (another project,
another field, a closed or archived project) is refused whole and logged.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partners.models import Domain, Service
from smartcity.base.dates import last_day_before
from smartcity.base.editing import RecordPages, form_page
from smartcity.base.exports import export_response
from smartcity.base.forms import filter_form_widgets, is_pick_round_trip
from smartcity.base.history import HIDDEN_FIELDS, history_response
from smartcity.base.import_views import upload_page
from smartcity.base.pagination import paged
from smartcity.base.permissions import lead_required, refuse, role_required
from smartcity.base.pickers import PickSource
from smartcity.base.roles import Role, is_lead
from smartcity.base.search import search_backend

from . import rollups, rules, selectors, services
from .cycles import request_window
from .extensions import PORTFOLIO_PAGE, PROJECT_PAGE
from .filters import ProjectFilter
from .forms import (
    CycleSettingsForm,
    DomainLinkForm,
    MilestoneForm,
    PartnerLinkForm,
    ProgrammeForm,
    ProjectForm,
    RoadmapFilterForm,
    ServiceLinkForm,
    SponsorForm,
    StatusReportForm,
    allowed_post_keys,
    row_prefix,
)
from .models import Milestone, Programme, Project, ProjectPartner, ReportingCycle, StatusReport
from .roadmap import Period, default_period, roadmap_charts

PAGE_SIZE = 50


@require_safe
def portfolio_overview(request: HttpRequest) -> HttpResponse:
    context = selectors.portfolio_counts()
    context["programmes"] = selectors.programme_list()
    context["sections"] = PORTFOLIO_PAGE.bind(request, None)
    return render(request, "programmes/portfolio_overview.html", context)


def _project_filter(request: HttpRequest) -> ProjectFilter:
    base = selectors.project_list(include_archived=request.GET.get("archived") == "1")
    return filter_form_widgets(ProjectFilter(request.GET or None, queryset=base.order_by("code"), request=request))


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    filterset = _project_filter(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "projects": page.object_list, "search_backend": search_backend()}
    return render(request, "programmes/project_list.html", context)


@require_safe
def project_export(request: HttpRequest) -> HttpResponse:
    filterset = _project_filter(request)
    header, rows = selectors.project_export_rows(filterset.qs)
    return export_response(fmt=request.GET.get("format", "csv"), filename="projets", header=header, rows=rows)


def _detail_context(request: HttpRequest, project: Project, **forms) -> dict:
    context = {"project": project, "sections": PROJECT_PAGE.bind(request, project)}
    if is_lead(request.user):
        context.update(
            service_form=forms.get("service_form") or ServiceLinkForm(),
            partner_form=forms.get("partner_form") or PartnerLinkForm(prefix="link"),
            domain_form=forms.get("domain_form") or DomainLinkForm(),
            sponsor_form=forms.get("sponsor_form") or SponsorForm(initial={"sponsor": project.sponsor_id}),
        )
    return context


def _project_or_404(pk: int) -> Project:
    project = selectors.project_detail(pk=pk).first()
    if project is None:
        raise Http404
    return project


@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(pk)
    return render(request, "programmes/project_detail.html", _detail_context(request, project))


@lead_required
def project_import(request: HttpRequest) -> HttpResponse:
    return upload_page(request, kind="projects", back_url=reverse("programmes:project_list"))


# Links on the project page: htmx swaps the links block; without JavaScript
# the form posts and the browser is sent back to the project page.


def _links_response(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    if request.htmx:
        project = _project_or_404(pk)
        return render(request, "programmes/project_links.html", _detail_context(request, project, **forms))
    if forms:
        project = _project_or_404(pk)
        return render(request, "programmes/project_detail.html", _detail_context(request, project, **forms))
    return redirect(reverse("programmes:project_detail", args=[pk]) + "#links")


def _run(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    if not request.htmx:
        messages.success(request, success)
    return True


@require_POST
@lead_required
def project_service_link(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = ServiceLinkForm(request.POST)
    if is_pick_round_trip(request, form) or not form.is_valid():
        return _links_response(request, pk, service_form=form)
    _run(
        request,
        lambda: services.project_service_link(
            project=project, service=form.cleaned_data["service"], as_lead=form.cleaned_data["role"] == "lead"
        ),
        _("Service linked."),
    )
    return _links_response(request, pk)


@require_POST
@lead_required
def project_service_unlink(request: HttpRequest, pk: int, service_pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    service = get_object_or_404(Service, pk=service_pk)
    _run(request, lambda: services.project_service_unlink(project=project, service=service), _("Service removed."))
    return _links_response(request, pk)


@require_POST
@lead_required
def project_partner_link(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = PartnerLinkForm(request.POST, prefix="link", project=project)
    if is_pick_round_trip(request, form) or not form.is_valid():
        return _links_response(request, pk, partner_form=form)
    _run(request, lambda: services.project_partner_link(project=project, **form.cleaned_data), _("Partner linked."))
    return _links_response(request, pk)


@require_POST
@lead_required
def project_partner_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = get_object_or_404(ProjectPartner, pk=link_pk, project_id=pk)
    _run(request, lambda: services.project_partner_unlink(link=link), _("Partner removed."))
    return _links_response(request, pk)


@require_POST
@lead_required
def project_domain_link(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = DomainLinkForm(request.POST)
    if not form.is_valid():
        return _links_response(request, pk, domain_form=form)
    _run(
        request,
        lambda: services.project_domain_link(project=project, domain=form.cleaned_data["domain"]),
        _("Domain added."),
    )
    return _links_response(request, pk)


@require_POST
@lead_required
def project_domain_unlink(request: HttpRequest, pk: int, domain_pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    domain = get_object_or_404(Domain, pk=domain_pk)
    _run(request, lambda: services.project_domain_unlink(project=project, domain=domain), _("Domain removed."))
    return _links_response(request, pk)


@require_POST
@lead_required
def project_sponsor_set(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = SponsorForm(request.POST)
    if not form.is_valid():
        return _links_response(request, pk, sponsor_form=form)
    _run(
        request,
        lambda: services.project_sponsor_set(project=project, sponsor=form.cleaned_data["sponsor"]),
        _("Sponsor official saved."),
    )
    return _links_response(request, pk)


# Milestones (issue 13) ---------------------------------------------------
# The lead on any project, a director on the projects they report on
# (``rules.can_edit_milestones``), from the project page or, "?next=report",
# from the report page, where the form sends them back.


def _milestone_back(request: HttpRequest, project: Project) -> str:
    if request.GET.get("next") == "report" and rules.can_report(request.user, project):
        return reverse("programmes:project_report", args=[project.pk]) + "#milestones"
    return project.get_absolute_url() + "#milestones"


def _milestones_editable_or_refuse(request: HttpRequest, project: Project | None) -> Project:
    if project is None:
        raise Http404
    if not rules.can_edit_milestones(request.user, project):
        raise refuse(request, f"may not edit the milestones of project {project.pk}")
    return project


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.DIRECTOR, Role.LEAD)
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _milestones_editable_or_refuse(
        request, Project.objects.select_related("lead_service").filter(pk=pk).first()
    )
    back = _milestone_back(request, project)
    return form_page(
        request,
        form=MilestoneForm(request.POST or None),
        save=lambda data, token: services.milestone_create(project=project, by=request.user, data=data),
        title=_("New milestone"),
        success_message=_("Milestone added."),
        cancel_url=back,
        success_url=lambda milestone: back,
        parent=(str(project), project.get_absolute_url()),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.DIRECTOR, Role.LEAD)
def milestone_update(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = Milestone.objects.select_related("project__lead_service").filter(pk=pk).first()
    project = _milestones_editable_or_refuse(request, milestone and milestone.project)
    back = _milestone_back(request, project)
    return form_page(
        request,
        form=MilestoneForm(request.POST or None, instance=milestone),
        save=lambda data, token: services.milestone_update(
            milestone=milestone, by=request.user, token=token, data=data
        ),
        title=_("Edit the milestone “%(title)s”") % {"title": milestone.title},
        success_message=_("Milestone saved."),
        cancel_url=back,
        success_url=lambda saved: back,
        parent=(str(project), project.get_absolute_url()),
    )


# Roadmap (issue 13): the portfolio's timeline, filtered with GET, a page of
# projects at a time (a whole city's thousand projects make no readable chart).

ROADMAP_PAGE_SIZE = 100


@require_safe
def roadmap(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = RoadmapFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    period = default_period(today)
    start, end = data.get("start") or period.start, data.get("end") or period.end
    if end < start:  # only one bound given, beyond the other's default
        end = datetime.date(start.year + 3, 12, 31)
    period = Period(start, end)
    choice = {key: data.get(key) for key in ("programme", "domain", "service")}
    projects = selectors.roadmap_projects(start=start, end=end, **choice)
    page = Paginator(projects, ROADMAP_PAGE_SIZE).get_page(request.GET.get("page"))
    chart = roadmap_charts(list(page.object_list), period=period, today=today)
    totals = selectors.roadmap_totals(projects=projects, start=start, end=end, today=today)
    context = {"form": form, "chart": chart, "page": page, "totals": totals, "period": period, **choice}
    return render(request, "programmes/roadmap.html", context)


# History (issue 13): whoever may see the object may read its history.


@require_safe
def project_history(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    title = _("History of %(name)s") % {"name": project}
    milestones = (_("Milestones"), Milestone.history.filter(project_id=project.pk))
    return history_response(
        request,
        project,
        title=title,
        back_url=project.get_absolute_url(),
        related=milestones,
        # The date of the last report moves with every report, listed on the project page.
        hidden=HIDDEN_FIELDS | {"last_reported_at"},
    )


@require_safe
def programme_history(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    title = _("History of %(name)s") % {"name": programme}
    return history_response(request, programme, title=title, back_url=programme.get_absolute_url())


# Programmes and domains --------------------------------------------------

programme_pick = PickSource(queryset=lambda: Programme.objects.filter(is_archived=False), fields=("name",)).view()
project_pick = PickSource(
    queryset=lambda: Project.objects.open().select_related("programme").order_by("code"),
    fields=("code", "name"),
    detail=lambda p: p.programme.name,
).view()


@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/programme_list.html", {"programmes": selectors.programme_list()})


@require_safe
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    projects = paged(
        request, selectors.project_table_list().filter(programme=programme).order_by("code"), anchor="projects"
    )
    rollup = rollups.rollups_by("programme", keys=[pk], window=request_window(request)).get(pk, rollups.Rollup())
    return render(
        request,
        "programmes/programme_detail.html",
        {"programme": programme, "projects_page": projects, "rollup": rollup},
    )


@require_safe
def domain_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/domain_list.html", {"domains": selectors.domain_list()})


@require_safe
def domain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    domain = get_object_or_404(Domain, slug=slug)
    projects = paged(request, selectors.project_table_list().filter(domains=domain).order_by("code"), anchor="projects")
    relations = selectors.domain_relations(domain=domain)
    context = {
        "domain": domain,
        "projects_page": projects,
        "rollup": rollups.rollups_by("domain", keys=[domain.pk], window=request_window(request)).get(
            domain.pk, rollups.Rollup()
        ),
        "officials": relations["officials"],
        # The busiest first, a bounded number: the lists' own pages, filtered, hold the rest.
        "services": paged(request, relations["services"].order_by("-n_led", "name"), param="services_page"),
        "partners": paged(request, relations["partners"].order_by("-n_projects", "name"), param="partners_page"),
    }
    return render(request, "programmes/domain_detail.html", context)


project_create, project_update, project_archive = RecordPages(
    model=Project,
    form=ProjectForm,
    create=lambda *, data: services.project_create(
        data=data, partner_links=data.get("partner_links", ()), new_partner=data.get("new_partner")
    ),
    update=lambda project, *, token, data: services.project_update(
        project=project,
        token=token,
        data=data,
        partner_links=data.get("partner_links", ()),
        new_partner=data.get("new_partner"),
    ),
    archive=lambda project: services.project_archive(project=project),
    list_url="programmes:project_list",
    new_title=gettext_lazy("New project"),
    created=gettext_lazy("Project created."),
    saved=gettext_lazy("Project saved."),
    archived=gettext_lazy("Project archived."),
    archive_question=gettext_lazy("Archive this project? It leaves the portfolio lists."),
    template="programmes/project_form.html",
).views()

programme_create, programme_update, programme_archive = RecordPages(
    model=Programme,
    form=ProgrammeForm,
    create=services.programme_create,
    update=lambda programme, **kwargs: services.programme_update(programme=programme, **kwargs),
    archive=lambda programme: services.programme_archive(programme=programme),
    list_url="programmes:programme_list",
    new_title=gettext_lazy("New programme"),
    created=gettext_lazy("Programme created."),
    saved=gettext_lazy("Programme saved."),
    archived=gettext_lazy("Programme archived."),
    archive_question=gettext_lazy("Archive this programme? Its projects are kept."),
).views()


# --- Status reporting ----------------------------------------------------------------

director_or_lead = role_required(Role.DIRECTOR, Role.LEAD)


@require_safe
@director_or_lead
def my_service(request: HttpRequest) -> HttpResponse:
    services = list(request.user.directed_services.filter(is_archived=False).order_by("name"))
    lists = selectors.service_projects(services=services)
    led = list(lists["led"].order_by("code"))
    contributed = list(lists["contributed"].order_by("code"))
    window = request_window(request)
    led_rows = [(p, rules.freshness_of(p, window)) for p in led]
    context = {
        "services": services,
        "led_rows": led_rows,
        "contributed_rows": [(p, rules.freshness_of(p, window)) for p in contributed],
        "n_due": sum(1 for _, f in led_rows if f.is_due),
        "n_reportable": sum(1 for p in led if rules.is_active(p)),
        "window": window,
    }
    return render(request, "programmes/my_service.html", context)


def _refuse_crafted(request: HttpRequest, projects: list[Project]) -> None:
    unknown = sorted(set(request.POST) - allowed_post_keys(projects))
    if unknown:
        raise refuse(request, f"report form carried unexpected fields {unknown[:10]}")


def _build_forms(projects, latest, data=None) -> list[StatusReportForm]:
    """A row absent from the submission (already reported with the one-click
    "no change", which removes its inputs from the page) stays unbound and
    files nothing. A bound row compares its values with the report its page
    was opened on (a resubmitted form is then seen for what it is, see
    ``services.status_reports_submit``)."""
    bound = {p.pk for p in projects if data is not None and f"{row_prefix(p)}-based_on" in data}
    opened_on = {}
    if bound:
        posted = {}
        for p in projects:
            raw = data.get(f"{row_prefix(p)}-based_on", "") if p.pk in bound else ""
            current = latest.get(p.pk)
            if raw.isdigit() and int(raw) != (current.pk if current else None):
                posted[int(raw)] = p.pk
        if posted:
            for report in StatusReport.objects.filter(pk__in=posted, project_id__in=bound):
                if posted[report.pk] == report.project_id:
                    opened_on[report.project_id] = report
    return [
        StatusReportForm(
            data if p.pk in bound else None,
            project=p,
            latest=latest.get(p.pk),
            opened_on=opened_on.get(p.pk),
        )
        for p in projects
    ]


def _submit(request: HttpRequest, forms: list[StatusReportForm], projects, latest):
    """Validate every row and file the wanted ones, all or none. Returns
    (reports, forms): reports is None when the page must be shown again."""
    if not all(form.is_valid() for form in forms if form.is_bound):
        return None, forms
    rows = [form.to_row() for form in forms if form.wants_report()]
    if not rows:
        messages.info(request, _("Nothing to report: change a project's status or tick “no change”."))
        return None, forms
    try:
        return services.status_reports_submit(author=request.user, rows=rows), forms
    except PermissionDenied as exc:
        raise refuse(request, str(exc)) from exc
    except services.ReportConflict as conflict:
        # Show the newer reports and rebase the rows on them, keeping what
        # the author typed: submitting again is then a knowing decision.
        data = request.POST.copy()
        for project_id, newer in conflict.newer.items():
            data[f"p{project_id}-based_on"] = str(newer.pk)
            latest[project_id] = newer
        forms = _build_forms(projects, latest, data)
        for form in forms:
            newer = conflict.newer.get(form.project.pk)
            if newer is not None:
                form.is_valid()
                form.newer_report = newer
                form.add_error(
                    None,
                    _(
                        "%(author)s reported on this project at %(time)s, after you opened this page. "
                        "Nothing was saved: check their report below and submit again."
                    )
                    % {
                        "author": _author_name(newer),
                        "time": _local_time(newer),
                    },
                )
        return None, forms
    except services.NothingToRepeat:
        messages.error(request, _("“No change” needs an earlier report. Nothing was saved."))
        return None, forms


def _fresh_until(request: HttpRequest) -> str:
    date = formats.date_format(request_window(request).last_day, "SHORT_DATE_FORMAT")
    return _("Up to date until %(date)s.") % {"date": date}


def _report_confirmation(request: HttpRequest, project: Project, report: StatusReport) -> str:
    """What was recorded, and until when the project is fresh."""
    if getattr(report, "already_recorded", False):
        return _("%(code)s: this report was already recorded at %(time)s; nothing was filed twice.") % {
            "code": project.code,
            "time": _local_time(report),
        }
    values = {"code": project.code, "health": report.get_health_display(), "progress": report.progress}
    if report.is_no_change:
        text = _("%(code)s: no change reported (%(health)s, %(progress)s %% done).") % values
    else:
        text = _("%(code)s: report filed (%(health)s, %(progress)s %% done).") % values
    return f"{text} {_fresh_until(request)}"


def _author_name(report: StatusReport) -> str:
    if report.author is None:
        return _("Someone")
    return report.author.get_full_name() or report.author.get_username()


def _local_time(report: StatusReport) -> str:
    return formats.date_format(timezone.localtime(report.created_at), "SHORT_DATETIME_FORMAT")


@require_http_methods(["GET", "HEAD", "POST"])
@director_or_lead
def service_report(request: HttpRequest) -> HttpResponse:
    """One page, one submit: a row per active project the user's services lead."""
    projects = list(selectors.reportable_projects(user=request.user))
    selectors.with_planned_milestones(projects)
    latest = selectors.latest_reports(projects=projects)
    if request.method == "POST":
        _refuse_crafted(request, projects)
        forms = _build_forms(projects, latest, request.POST)
        reports, forms = _submit(request, forms, projects, latest)
        if reports is not None:
            filed = [r for r in reports if not getattr(r, "already_recorded", False)]
            left = len(projects) - len(reports)
            parts = []
            if filed:
                parts.append(
                    ngettext("%(n)d report filed.", "%(n)d reports filed.", len(filed)) % {"n": len(filed)}
                    + " "
                    + _fresh_until(request)
                )
            if len(reports) > len(filed):
                n = len(reports) - len(filed)
                parts.append(
                    ngettext(
                        "%(n)d report was already recorded: nothing was filed twice.",
                        "%(n)d reports were already recorded: nothing was filed twice.",
                        n,
                    )
                    % {"n": n}
                )
            if left:
                parts.append(
                    ngettext("%(n)d project left as it was.", "%(n)d projects left as they were.", left) % {"n": left}
                )
            messages.success(request, " ".join(parts))
            return redirect("programmes:my_service")
    else:
        forms = _build_forms(projects, latest)
    context = {
        "forms": forms,
        "errors": [f for f in forms if f.errors],
        "window": request_window(request),
        "single": False,
        "indicator_rows": selectors.indicator_rows(projects=projects),
    }
    return render(request, "programmes/report_form.html", context)


def _reportable_project_or_refuse(request: HttpRequest, pk: int) -> Project:
    project = (
        Project.objects.select_related("lead_service", "programme")
        .annotate(latest_report_id=selectors.latest_report_id_subquery())
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    if not rules.can_report(request.user, project):
        raise refuse(request, f"may not report on project {pk}")
    return project


@require_http_methods(["GET", "HEAD", "POST"])
@director_or_lead
def project_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The same row for one project: the lead's way to report, and the
    director's from the project page."""
    project = _reportable_project_or_refuse(request, pk)
    selectors.with_planned_milestones([project])
    latest = selectors.latest_reports(projects=[project])
    if request.method == "POST":
        _refuse_crafted(request, [project])
        forms = _build_forms([project], latest, request.POST)
        reports, forms = _submit(request, forms, [project], latest)
        if reports is not None:
            messages.success(request, _report_confirmation(request, project, reports[0]))
            return redirect(project.get_absolute_url())
    else:
        forms = _build_forms([project], latest)
    context = {
        "forms": forms,
        "errors": [f for f in forms if f.errors],
        "window": request_window(request),
        "single": True,
        "project": project,
        "indicator_rows": selectors.indicator_rows(projects=[project]),
    }
    return render(request, "programmes/report_form.html", context)


@require_POST
@director_or_lead
def project_report_no_change(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: repeat the latest report. With htmx, answers the row's
    new state; without, goes back to the report page."""
    project = _reportable_project_or_refuse(request, pk)
    if set(request.POST) - {"csrfmiddlewaretoken", "based_on"}:
        raise refuse(request, "no-change form carried unexpected fields")
    raw = request.POST.get("based_on", "")
    try:
        based_on = int(raw) if raw else None
    except ValueError as exc:
        raise refuse(request, "no-change form carried a malformed report id") from exc
    error = report = None
    try:
        report = services.status_report_submit(
            project=project, author=request.user, based_on_id=based_on, is_no_change=True
        )
    except PermissionDenied as exc:
        raise refuse(request, str(exc)) from exc
    except services.ReportConflict as conflict:
        newer = conflict.newer[project.pk]
        error = _("%(author)s reported on this project at %(time)s. Reload the page to see their report.") % {
            "author": _author_name(newer),
            "time": _local_time(newer),
        }
    except services.NothingToRepeat:
        error = _("“No change” needs an earlier report.")
    if request.htmx:
        return render(
            request,
            "programmes/partials/report_row_done.html",
            {
                "project": project,
                "report": report,
                "error": error,
                "already": getattr(report, "already_recorded", False),
                "window": request_window(request),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _report_confirmation(request, project, report))
    if project.lead_service.director_id == request.user.pk:
        return redirect("programmes:service_report")
    return redirect(project.get_absolute_url())


# --- The lead's reporting overview -------------------------------------------------


@require_safe
def reporting_overview(request: HttpRequest) -> HttpResponse:
    """Cycle, digest (who reported, who did not, health changes) and the
    reporting rate per service. Readable by everybody signed in, like the
    rest of the portfolio; the cycle controls are the lead's."""
    window = request_window(request)
    cycles = selectors.recent_cycles(limit=6)
    selected = None
    if request.GET.get("cycle"):
        try:
            selected = get_object_or_404(ReportingCycle, pk=int(request.GET["cycle"]))
        except ValueError as exc:
            raise Http404 from exc
    if selected is None:
        starts_at, ends_at = window.starts_at, window.ends_at
    else:
        starts_at, ends_at = selected.starts_at, selected.effective_end
    digest = selectors.cycle_digest(starts_at=starts_at, ends_at=ends_at)
    rates = selectors.reporting_rates(cycles=cycles)
    context = {
        "window": window,
        "cycle": window.cycle,
        "cycles": cycles,
        "ordered_cycles": sorted(cycles, key=lambda c: c.starts_at),
        "selected": selected,
        "digest_starts_at": starts_at,
        "digest_ends_at": ends_at,
        "digest_last_day": last_day_before(ends_at),
        "digest": digest,
        "rates": rates,
        "settings_form": CycleSettingsForm(
            initial={
                "length_months": window.length_months,
                "remind_days_before_end": window.remind_days_before_end,
            }
        ),
        "unconfirmed": list(selectors.unconfirmed_emails()[:20]),
    }
    return render(request, "programmes/reporting_overview.html", context)


@require_POST
@lead_required
def cycle_start_next(request: HttpRequest) -> HttpResponse:
    services.cycle_start_next(by=request.user)
    messages.success(request, _("A new reporting cycle is open. The previous cycle's digest is on its way."))
    return redirect("programmes:reporting_overview")


@require_POST
@lead_required
def cycle_settings(request: HttpRequest) -> HttpResponse:
    form = CycleSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the cycle settings: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("programmes:reporting_overview")
    services.cycle_update_settings(**form.cleaned_data)
    messages.success(request, _("Cycle settings saved."))
    return redirect("programmes:reporting_overview")
