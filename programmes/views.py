from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from partners.models import Domain, Service
from smartcity.editing import archive_page, form_page
from smartcity.exports import export_response
from smartcity.forms import fast_selects, filter_form_widgets
from smartcity.import_views import upload_page
from smartcity.permissions import lead_required
from smartcity.roles import is_lead
from smartcity.search import search_backend

from . import reporting_views, selectors, services
from .filters import ProjectFilter
from .forms import DomainLinkForm, PartnerLinkForm, ProgrammeForm, ProjectForm, ServiceLinkForm, SponsorForm
from .models import Programme, Project, ProjectPartner

PAGE_SIZE = 50


@require_safe
def portfolio_overview(request: HttpRequest) -> HttpResponse:
    context = selectors.portfolio_counts()
    context["programmes"] = selectors.programme_list()
    return render(request, "programmes/portfolio_overview.html", context)


# --- Status reporting (issue 4) ------------------------------------------------
# "My service" lives with the other reporting views; smartcity.views.home
# imports it from here.
my_service = reporting_views.my_service
# --- end of status reporting -------------------------------------------------


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
    context = {"project": project, **selectors.project_relations(project=project)}
    if is_lead(request.user):
        context.update(
            service_form=fast_selects(forms.get("service_form") or ServiceLinkForm()),
            partner_form=fast_selects(forms.get("partner_form") or PartnerLinkForm(prefix="link")),
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
def project_create(request: HttpRequest) -> HttpResponse:
    form = fast_selects(ProjectForm(request.POST or None))
    return form_page(
        request,
        form=form,
        save=lambda data, token: services.project_create(data=data),
        title=_("New project"),
        success_message=_("Project created."),
        cancel_url=reverse("programmes:project_list"),
    )


@lead_required
def project_update(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = fast_selects(ProjectForm(request.POST or None, instance=project))
    return form_page(
        request,
        form=form,
        save=lambda data, token: services.project_update(project=project, version=token, data=data),
        title=_("Edit %(name)s") % {"name": project},
        success_message=_("Project saved."),
        cancel_url=project.get_absolute_url(),
    )


@lead_required
def project_archive(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    return archive_page(
        request,
        obj=project,
        archive=lambda: services.project_archive(project=project),
        success_message=_("Project archived."),
        next_url=reverse("programmes:project_list"),
        question=_("Archive this project? It leaves the portfolio lists."),
    )


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
    if not form.is_valid():
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
    if not form.is_valid():
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


# Programmes and domains --------------------------------------------------


@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/programme_list.html", {"programmes": selectors.programme_list()})


@require_safe
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    projects = selectors.project_list().filter(programme=programme)
    return render(
        request,
        "programmes/programme_detail.html",
        {"programme": programme, "projects": projects},
    )


@lead_required
def programme_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=ProgrammeForm(request.POST or None),
        save=lambda data, token: services.programme_create(data=data),
        title=_("New programme"),
        success_message=_("Programme created."),
        cancel_url=reverse("programmes:programme_list"),
    )


@lead_required
def programme_update(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    return form_page(
        request,
        form=ProgrammeForm(request.POST or None, instance=programme),
        save=lambda data, token: services.programme_update(programme=programme, token=token, data=data),
        title=_("Edit %(name)s") % {"name": programme},
        success_message=_("Programme saved."),
        cancel_url=programme.get_absolute_url(),
    )


@lead_required
def programme_archive(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    return archive_page(
        request,
        obj=programme,
        archive=lambda: services.programme_archive(programme=programme),
        success_message=_("Programme archived."),
        next_url=reverse("programmes:programme_list"),
        question=_("Archive this programme? Its projects are kept."),
    )


@require_safe
def domain_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/domain_list.html", {"domains": selectors.domain_list()})


@require_safe
def domain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    domain = get_object_or_404(Domain, slug=slug)
    projects = selectors.project_list().filter(domains=domain)
    context = {"domain": domain, "projects": projects, **selectors.domain_relations(domain=domain)}
    return render(request, "programmes/domain_detail.html", context)
