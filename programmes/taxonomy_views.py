"""The lead's editable lists (issue 13): domains, project phases and health
levels. Add, rename, order (up/down buttons, no JavaScript needed) and
archive; a value's meaning (a phase's stage, a health level's severity) is
chosen once. Lead only: ``lead_required`` on every view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import models
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from partners import services as partner_services
from partners.models import Domain
from smartcity.base.editing import form_page
from smartcity.base.permissions import lead_required

from . import selectors, services
from .forms import DomainForm, HealthOptionForm, PhaseOptionForm
from .models import HealthOption, PhaseOption


@dataclass(frozen=True)
class Kind:
    """One editable list: its model, form and services."""

    slug: str
    model: type[models.Model]
    form: type[Form]
    new_title: Any

    def create(self, data):
        if self.model is Domain:
            return partner_services.domain_create(data=data)
        return services.taxonomy_option_create(model=self.model, data=data)

    def update(self, record, token, data):
        if self.model is Domain:
            return partner_services.domain_update(domain=record, token=token, data=data)
        return services.taxonomy_option_update(option=record, token=token, data=data)

    def move(self, record, up: bool):
        if self.model is Domain:
            return partner_services.domain_move(domain=record, up=up)
        return services.taxonomy_option_move(option=record, up=up)

    def set_archived(self, record, archived: bool):
        if self.model is Domain:
            return partner_services.domain_set_archived(domain=record, archived=archived)
        return services.taxonomy_option_set_archived(option=record, archived=archived)


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("domaines", Domain, DomainForm, gettext_lazy("New domain")),
        Kind("phases", PhaseOption, PhaseOptionForm, gettext_lazy("New project phase")),
        Kind("meteo", HealthOption, HealthOptionForm, gettext_lazy("New health level")),
    )
}


def _kind(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404("no such list") from None


def _list_url(kind: Kind) -> str:
    return f"{reverse('programmes:taxonomy')}#{kind.slug}"


@require_safe
@lead_required
def taxonomy(request: HttpRequest) -> HttpResponse:
    lists = selectors.taxonomy_lists()
    sections = [
        {
            "slug": "domaines",
            "title": _("Domains"),
            "add": _("Add a domain"),
            "meaning": "",
            "values": lists["domains"],
        },
        {
            "slug": "phases",
            "title": _("Project phases"),
            "add": _("Add a phase"),
            "meaning": _("Stage"),
            "values": lists["phases"],
        },
        {
            "slug": "meteo",
            "title": _("Health levels"),
            "add": _("Add a health level"),
            "meaning": _("Severity"),
            "values": lists["health_levels"],
        },
    ]
    return render(request, "programmes/taxonomy.html", {"sections": sections})


@lead_required
def taxonomy_create(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    return form_page(
        request,
        form=k.form(request.POST or None),
        save=lambda data, token: k.create(data),
        title=str(k.new_title),
        success_message=_("Value added."),
        cancel_url=_list_url(k),
        success_url=lambda obj: _list_url(k),
        parent=(_("Lists and labels"), _list_url(k)),
    )


@lead_required
def taxonomy_update(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    record = get_object_or_404(k.model, pk=pk)
    return form_page(
        request,
        form=k.form(request.POST or None, instance=record),
        save=lambda data, token: k.update(record, token, data),
        title=_("Edit %(name)s") % {"name": record},
        success_message=_("Value saved."),
        cancel_url=_list_url(k),
        success_url=lambda obj: _list_url(k),
        parent=(_("Lists and labels"), _list_url(k)),
    )


@require_POST
@lead_required
def taxonomy_move(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    record = get_object_or_404(k.model, pk=pk)
    k.move(record, up=request.POST.get("direction") != "down")
    return redirect(_list_url(k))


@require_POST
@lead_required
def taxonomy_archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """``archived=1`` archives, ``archived=0`` brings the value back."""
    k = _kind(kind)
    record = get_object_or_404(k.model, pk=pk)
    archived = request.POST.get("archived", "1") != "0"
    k.set_archived(record, archived)
    if archived:
        messages.success(
            request, _("“%(name)s” archived: it stays on old records and leaves the pickers.") % {"name": record}
        )
    else:
        messages.success(request, _("“%(name)s” is offered again.") % {"name": record})
    return redirect(_list_url(k))
