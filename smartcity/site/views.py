from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from governance.views import official_dashboard
from partners.models import Service
from programmes.cycles import request_window
from programmes.views import my_service, portfolio_overview
from smartcity.base.roles import Role, is_lead, role_of

from . import selectors
from .engagement import TERMS
from .openings import LAGGING_INDEX

OPENINGS_SHOWN = 8


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own page, at the same address."""
    role = role_of(request.user)
    if role == Role.DIRECTOR:
        return my_service(request)
    if role == Role.OFFICIAL:
        return official_dashboard(request)
    return portfolio_overview(request)


@require_safe
def engagement(request: HttpRequest) -> HttpResponse:
    """Every service's engagement index, least engaged first, each term shown."""
    rows, openings = selectors.engagement_ranking(request_window(request), limit=OPENINGS_SHOWN)
    terms = [{"label": label, "weight": weight, "cap": cap} for _key, weight, cap, label in TERMS]
    context = {
        "rows": rows,
        "ranking_rows": _ranking_rows(rows),
        "terms": terms,
        "openings": openings,
        "lagging_index": LAGGING_INDEX,
        "user_is_lead": is_lead(request.user),
    }
    return render(request, "site/engagement.html", context)


def _ranking_rows(rows) -> SafeString:
    """The ranking's rows (hundreds of services, seven terms each) written
    with ``format_html`` rather than looped over in the template, which cost
    more than counting the facts. Every value is escaped; the cells of
    numbers, which repeat from service to service, are written once each;
    the points as the template wrote them (localised decimal separator)."""
    url = reverse("partners:service_detail", args=[0]).replace("/0/", "/{}/")  # one reverse() for hundreds
    separator = get_format("DECIMAL_SEPARATOR")
    levels = {value: str(label) for value, label in Service._meta.get_field("acculturation").choices}
    cells: dict[tuple, SafeString] = {}

    def cell(key: tuple, template: str, *args) -> SafeString:
        if key not in cells:
            cells[key] = format_html(template, *args)
        return cells[key]

    def row(service, engagement) -> SafeString:
        terms = SafeString()
        for term in engagement.terms:  # safe + safe stays safe
            terms += cell(
                ("term", term.shown, term.points),
                '<td class="text-end small"><span class="text-body-secondary">{}</span><br>{}</td>',
                term.shown,
                str(term.points).replace(".", separator),
            )
        level = service.acculturation
        parent = ""
        if service.parent is not None:
            parent = format_html('<br><span class="small text-body-secondary">{}</span>', service.parent.acronym)
        return format_html(
            '<tr><th scope="row"><a href="{}">{}</a>{}</th>{}{}{}</tr>',
            url.format(service.pk),
            service.name,
            parent,
            cell(("level", level), "<td>{} ({}/5)</td>", levels.get(level, level), level),
            cell(("index", engagement.index), '<td class="text-end fw-bold">{}</td>', engagement.index),
            terms,
        )

    return format_html_join("\n", "{}", ((row(service, engagement),) for service, engagement in rows))


@require_safe
def engagement_heat_map(request: HttpRequest) -> HttpResponse:
    """Services × domains, the value in every cell beside its colour."""
    domains, rows = selectors.service_domain_heat()
    context = {"domains": domains, "rows": rows, "heat_rows": _heat_rows(rows)}
    return render(request, "site/engagement_heat_map.html", context)


def _heat_rows(rows) -> SafeString:
    """Hundreds of services × the domains, written with ``format_html``
    rather than looped over in the template; each distinct cell once."""
    url = reverse("partners:service_detail", args=[0]).replace("/0/", "/{}/")  # one reverse() for hundreds
    cells: dict[tuple[int, int], SafeString] = {}

    def cell(value: int, step: int) -> SafeString:
        if (value, step) not in cells:
            cells[value, step] = format_html('<td class="heat-{}">{}</td>', step, value)
        return cells[value, step]

    def row(service, values) -> SafeString:
        tds = SafeString()
        for value, step in values:  # safe + safe stays safe
            tds += cell(value, step)
        return format_html(
            '<tr><th scope="row" class="text-start small"><a href="{}">{}</a> '
            '<span class="visually-hidden">{}</span></th>{}</tr>',
            url.format(service.pk),
            service.acronym,
            service.name,
            tds,
        )

    return format_html_join("\n", "{}", ((row(service, values),) for service, values in rows))


@require_safe
def service_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A service's proof-of-usefulness sheet: one A4 page to show its director."""
    service = get_object_or_404(Service.objects.select_related("parent", "director"), pk=pk)
    sheet = selectors.service_sheet(request_window(request), service)
    return render(request, "site/service_sheet.html", {"sheet": sheet, "service": service})
