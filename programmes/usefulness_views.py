"""Indicators and proof of usefulness (issue 14): a project's indicators
and their values, its one-page usefulness sheet, and the committee's
summary of what the portfolio delivered.

Who may write: the lead, everything here; a director, the values of the
indicators of the projects their service leads (``rules.can_record_indicator``),
from the project page or while reporting.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from smartcity.base.editing import form_page
from smartcity.base.permissions import lead_required, refuse
from smartcity.base.roles import is_lead

from . import rules, selectors, services
from .forms import IndicatorForm, IndicatorValueForm, UsefulnessSheetForm
from .models import Indicator, Project


def _indicators_url(project: Project) -> str:
    return reverse("programmes:project_detail", args=[project.pk]) + "#indicators"


@lead_required
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk, is_archived=False)
    return form_page(
        request,
        form=IndicatorForm(request.POST or None),
        save=lambda data, token: services.indicator_create(project=project, data=data),
        title=_("New indicator"),
        success_message=_("Indicator added."),
        cancel_url=_indicators_url(project),
        parent=(f"{project.code} — {project.name}", project.get_absolute_url()),
        intro=_("What the project measures to show what it changed: a baseline, a target and its date."),
    )


@lead_required
def indicator_update(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("project"), pk=indicator_pk, project_id=pk)
    project = indicator.project
    return form_page(
        request,
        form=IndicatorForm(request.POST or None, instance=indicator),
        save=lambda data, token: services.indicator_update(indicator, token=token, data=data),
        title=_("Edit the indicator %(name)s") % {"name": indicator.name},
        success_message=_("Indicator saved."),
        cancel_url=_indicators_url(project),
        parent=(f"{project.code} — {project.name}", project.get_absolute_url()),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def indicator_value_create(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """Record a measured value: the lead, or the director of the project's
    lead service. ``next`` (a local address) is where to go back to, the
    report page when the value was entered while reporting."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("project__lead_service"), pk=indicator_pk, project_id=pk, is_archived=False
    )
    project = indicator.project
    if not rules.can_record_indicator(request.user, project):
        raise refuse(request, f"may not record a value on indicator {indicator.pk}")
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = ""
    back = back or _indicators_url(project)
    prefix = f"ind{indicator.pk}"
    return form_page(
        request,
        form=IndicatorValueForm(request.POST or None, indicator=indicator, prefix=prefix),
        save=lambda data, token: services.indicator_value_record(indicator=indicator, author=request.user, data=data),
        title=_("New value of %(name)s") % {"name": indicator.name},
        success_message=_("Value recorded."),
        cancel_url=back,
        success_url=lambda value: back,
        parent=(f"{project.code} — {project.name}", project.get_absolute_url()),
        extra={"next": back},
    )


@require_safe
def usefulness_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """One page, printable on A4 and readable on a phone, at a stable address."""
    project = selectors.usefulness_sheet(pk=pk)
    if project is None:
        raise Http404
    sheet = selectors.sheet_of(project)
    context = {
        "project": project,
        "sheet": sheet,
        "indicators": project.indicator_rows,
        "user_is_lead": is_lead(request.user),
    }
    return render(request, "programmes/usefulness_sheet.html", context)


@lead_required
def usefulness_sheet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("usefulness"), pk=pk, is_archived=False)
    sheet = selectors.sheet_of(project)
    return form_page(
        request,
        form=UsefulnessSheetForm(request.POST or None, instance=sheet),
        save=lambda data, token: services.usefulness_sheet_save(
            project=project, token=token, data=data, author=request.user
        ),
        title=_("Usefulness sheet of %(code)s") % {"code": project.code},
        success_message=_("Usefulness sheet saved."),
        cancel_url=reverse("programmes:usefulness_sheet", args=[project.pk]),
        parent=(f"{project.code} — {project.name}", project.get_absolute_url()),
        intro=_("What the project changed, for whom, at what cost and what was learnt: one page to show a director."),
    )


@require_safe
def usefulness_summary(request: HttpRequest) -> HttpResponse:
    """For the committee: what the portfolio delivered, by domain, with the
    trend of each indicator."""
    return render(request, "programmes/usefulness_summary.html", {"rows": selectors.usefulness_summary()})
