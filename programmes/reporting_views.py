"""Status reporting pages (issue 4): "My service", the one-page report, the
per-project report, the one-click "no change", and the lead's reporting
overview with cycle controls.

Who may write: a director, on the active projects their service leads
(``Service.director``); the lead, on any active project (through the
project's own report page, e.g. after a committee or for a director away).
Everything else about a project stays read-only here. A submission carrying
anything the form did not offer (another project, another field, a closed
or archived project) is refused whole and logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from smartcity.permissions import lead_required, refuse, role_required
from smartcity.roles import Role

from . import reporting, reporting_services, selectors
from .models import Project, ReportingCycle, StatusReport
from .reporting import request_window
from .reporting_forms import CycleSettingsForm, StatusReportForm, allowed_post_keys, row_prefix

director_or_lead = role_required(Role.DIRECTOR, Role.LEAD)


@require_safe
@director_or_lead
def my_service(request: HttpRequest) -> HttpResponse:
    services = list(request.user.directed_services.filter(is_archived=False).order_by("name"))
    lists = selectors.service_projects(services=services)
    led = list(lists["led"].order_by("code"))
    contributed = list(lists["contributed"].order_by("code"))
    window = request_window(request)
    led_rows = [(p, reporting.freshness_of(p, window)) for p in led]
    context = {
        "services": services,
        "led_rows": led_rows,
        "contributed_rows": [(p, reporting.freshness_of(p, window)) for p in contributed],
        "n_due": sum(1 for _, f in led_rows if f.is_due),
        "n_reportable": sum(1 for p in led if reporting.is_reportable(p)),
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
    files nothing."""
    return [
        StatusReportForm(
            data if data is not None and f"{row_prefix(p)}-based_on" in data else None,
            project=p,
            latest=latest.get(p.pk),
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
        return reporting_services.status_reports_submit(author=request.user, rows=rows), forms
    except PermissionDenied as exc:
        raise refuse(request, str(exc)) from exc
    except reporting_services.ReportConflict as conflict:
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
    except reporting_services.NothingToRepeat:
        messages.error(request, _("“No change” needs an earlier report. Nothing was saved."))
        return None, forms


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
    projects = list(reporting.reportable_projects(user=request.user))
    latest = reporting.latest_reports(projects=projects)
    if request.method == "POST":
        _refuse_crafted(request, projects)
        forms = _build_forms(projects, latest, request.POST)
        reports, forms = _submit(request, forms, projects, latest)
        if reports is not None:
            left = len(projects) - len(reports)
            messages.success(
                request,
                ngettext("%(n)d report filed.", "%(n)d reports filed.", len(reports)) % {"n": len(reports)}
                + (
                    " "
                    + ngettext("%(n)d project left as it was.", "%(n)d projects left as they were.", left) % {"n": left}
                    if left
                    else ""
                ),
            )
            return redirect("programmes:my_service")
    else:
        forms = _build_forms(projects, latest)
    context = {
        "forms": forms,
        "errors": [f for f in forms if f.errors],
        "window": request_window(request),
        "single": False,
    }
    return render(request, "programmes/report_form.html", context)


def _reportable_project_or_refuse(request: HttpRequest, pk: int) -> Project:
    project = (
        Project.objects.select_related("lead_service", "programme")
        .annotate(latest_report_id=reporting.latest_report_id_subquery())
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    if not reporting.can_report(request.user, project):
        raise refuse(request, f"may not report on project {pk}")
    return project


@require_http_methods(["GET", "HEAD", "POST"])
@director_or_lead
def project_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The same row for one project: the lead's way to report, and the
    director's from the project page."""
    project = _reportable_project_or_refuse(request, pk)
    latest = reporting.latest_reports(projects=[project])
    if request.method == "POST":
        _refuse_crafted(request, [project])
        forms = _build_forms([project], latest, request.POST)
        reports, forms = _submit(request, forms, [project], latest)
        if reports is not None:
            messages.success(request, _("Report filed."))
            return redirect(project.get_absolute_url())
    else:
        forms = _build_forms([project], latest)
    context = {
        "forms": forms,
        "errors": [f for f in forms if f.errors],
        "window": request_window(request),
        "single": True,
        "project": project,
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
        report = reporting_services.status_report_submit(
            project=project, author=request.user, based_on_id=based_on, is_no_change=True
        )
    except PermissionDenied as exc:
        raise refuse(request, str(exc)) from exc
    except reporting_services.ReportConflict as conflict:
        newer = conflict.newer[project.pk]
        error = _("%(author)s reported on this project at %(time)s. Reload the page to see their report.") % {
            "author": _author_name(newer),
            "time": _local_time(newer),
        }
    except reporting_services.NothingToRepeat:
        error = _("“No change” needs an earlier report.")
    if request.htmx:
        return render(
            request,
            "programmes/partials/report_row_done.html",
            {"project": project, "report": report, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(code)s: no change, reported.") % {"code": project.code})
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
    cycles = reporting.recent_cycles(limit=6)
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
    digest = reporting.cycle_digest(starts_at=starts_at, ends_at=ends_at)
    rates = reporting.reporting_rates(cycles=cycles)
    context = {
        "window": window,
        "cycle": window.cycle,
        "cycles": cycles,
        "ordered_cycles": sorted(cycles, key=lambda c: c.starts_at),
        "selected": selected,
        "digest_starts_at": starts_at,
        "digest_ends_at": ends_at,
        "digest_last_day": reporting.last_day_before(ends_at),
        "digest": digest,
        "rates": rates,
        "settings_form": CycleSettingsForm(
            initial={
                "length_months": window.length_months,
                "remind_days_before_end": window.remind_days_before_end,
            }
        ),
        "unconfirmed": list(reporting.unconfirmed_emails()[:20]),
    }
    return render(request, "programmes/reporting_overview.html", context)


@require_POST
@lead_required
def cycle_start_next(request: HttpRequest) -> HttpResponse:
    reporting_services.cycle_start_next(by=request.user)
    messages.success(request, _("A new reporting cycle is open. The previous cycle's digest is on its way."))
    return redirect("programmes:reporting_overview")


@require_POST
@lead_required
def cycle_settings(request: HttpRequest) -> HttpResponse:
    form = CycleSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the cycle settings: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("programmes:reporting_overview")
    reporting_services.cycle_update_settings(**form.cleaned_data)
    messages.success(request, _("Cycle settings saved."))
    return redirect("programmes:reporting_overview")
