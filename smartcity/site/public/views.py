"""Public pages: read-only, no sign-in. These views, and only these, are
exempt from LoginRequiredMiddleware (``login_not_required``); each reads
through ``selectors``, which load public projects and allow-listed columns
only."""

import json

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from . import linkmap, opendata, selectors
from .fields import LICENCE_NAME, LICENCE_URL, PROJECT_FIELDS, RELATED_FIELDS

PAGE_SIZE = 24
PAGE_CACHE = 300
DATA_CACHE = 3600


def public_page(view):
    """A public HTML page: no sign-in, GET/HEAD only, cacheable by anyone
    (per language cookie)."""
    return login_not_required(require_safe(cache_control(public=True, max_age=PAGE_CACHE)(vary_on_cookie(view))))


def public_data(view):
    return login_not_required(require_safe(cache_control(public=True, max_age=DATA_CACHE)(view)))


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@public_page
def portfolio(request: HttpRequest) -> HttpResponse:
    """Public projects by domain (``?domaine=<slug>``), paginated."""
    domains = selectors.public_domains()
    projects = selectors.public_projects()
    current = next((d for d in domains if d.slug == request.GET.get("domaine")), None)
    if current is not None:
        projects = projects.filter(domains=current)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "site/public/portfolio.html",
        {"domains": domains, "current": current, "page": page, "section": "portfolio"},
    )


@public_page
def project(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "site/public/project.html", {"project": selectors.public_project(pk), "section": "portfolio"}
    )


@public_page
def links(request: HttpRequest) -> HttpResponse:
    """Who works on what, in public: project ↔ domains and partner
    organisations, as a map (the page's projects only, so at most
    ``PAGE_SIZE`` drawn) and as the list that says the same in text;
    ``?domaine=<slug>`` narrows both to one domain."""
    domains = selectors.public_domains()
    projects = selectors.public_projects()
    current = next((d for d in domains if d.slug == request.GET.get("domaine")), None)
    if current is not None:
        projects = projects.filter(domains=current)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"domains": domains, "current": current, "page": page, "section": "links"}
    return render(request, "site/public/links.html", {**context, "map": linkmap.svg_context(page, primary=current)})


@public_page
def data(request: HttpRequest) -> HttpResponse:
    """The open data: addresses, licence and schema."""
    fields = [(name, kind, description) for name, (kind, description) in {**PROJECT_FIELDS, **RELATED_FIELDS}.items()]
    return render(
        request,
        "site/public/data.html",
        {"fields": fields, "licence_name": LICENCE_NAME, "licence_url": LICENCE_URL, "section": "data"},
    )


@public_data
def projects_json(request: HttpRequest) -> JsonResponse:
    payload = opendata.as_json(selectors.public_project_rows(), base_url=_base_url(request))
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})


@public_data
def projects_csv(request: HttpRequest) -> HttpResponse:
    body = opendata.as_csv(selectors.public_project_rows(), base_url=_base_url(request))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="projets.csv"'
    return response


@public_data
def schema_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(opendata.json_schema(base_url=_base_url(request)), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/schema+json; charset=utf-8")
