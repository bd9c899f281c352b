"""Pages of partner relationships and data (issue 15): agreements, the data
register, the portfolio's relationship moves, and the change of a
project–partner relationship's kind. Everybody signed in reads; the lead
writes (``lead_required``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from smartcity.base.editing import form_page
from smartcity.base.forms import filter_form_widgets
from smartcity.base.permissions import lead_required

from . import charts, rules, selectors, services
from .filters import AgreementFilter, DataAssetFilter
from .forms import AgreementForm, DataAssetForm, KindChangeForm
from .models import Agreement, DataAsset, ProjectPartner

PAGE_SIZE = 50


# Agreements ------------------------------------------------------------------


@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    filterset = filter_form_widgets(
        AgreementFilter(request.GET or None, queryset=selectors.agreement_list(), request=request)
    )
    page = Paginator(filterset.qs.order_by("end_date", "title", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(agreement, rules.agreement_expiry(agreement, today)) for agreement in page.object_list]
    # One reverse() per kind of link, not one per agreement and per partner.
    agreement_url = reverse("programmes:agreement_detail", args=[0]).replace("/0/", "/{}/")
    partner_url = reverse("partners:partner_detail", args=[0]).replace("/0/", "/{}/")
    for agreement, _expiry in rows:
        agreement.url = agreement_url.format(agreement.pk)
        for partner in agreement.partners.all():
            partner.url = partner_url.format(partner.pk)
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "window_days": rules.agreement_window_days(),
    }
    return render(request, "programmes/agreement_list.html", context)


@require_safe
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_detail(pk=pk).first()
    if agreement is None:
        raise Http404
    context = {
        "agreement": agreement,
        "expiry": rules.agreement_expiry(agreement, timezone.localdate()),
        "window_days": rules.agreement_window_days(),
    }
    return render(request, "programmes/agreement_detail.html", context)


@lead_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=AgreementForm(request.POST or None),
        save=lambda data, token: services.agreement_create(data=data),
        title=_("New agreement"),
        success_message=_("Agreement created."),
        cancel_url=reverse("programmes:agreement_list"),
    )


@lead_required
def agreement_update(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    return form_page(
        request,
        form=AgreementForm(request.POST or None, instance=agreement),
        save=lambda data, token: services.agreement_update(agreement=agreement, token=token, data=data),
        title=_("Edit %(name)s") % {"name": agreement},
        success_message=_("Agreement saved."),
        cancel_url=agreement.get_absolute_url(),
    )


# Data assets -----------------------------------------------------------------


@require_safe
def data_asset_list(request: HttpRequest) -> HttpResponse:
    filterset = filter_form_widgets(
        DataAssetFilter(request.GET or None, queryset=selectors.data_asset_list(), request=request)
    )
    page = Paginator(filterset.qs.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "assets": page.object_list}
    return render(request, "programmes/data_asset_list.html", context)


@require_safe
def data_asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asset = selectors.data_asset_detail(pk=pk).first()
    if asset is None:
        raise Http404
    return render(request, "programmes/data_asset_detail.html", {"asset": asset})


@lead_required
def data_asset_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=DataAssetForm(request.POST or None),
        save=lambda data, token: services.data_asset_create(data=data),
        title=_("New data asset"),
        success_message=_("Data asset created."),
        cancel_url=reverse("programmes:data_asset_list"),
    )


@lead_required
def data_asset_update(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_object_or_404(DataAsset, pk=pk)
    return form_page(
        request,
        form=DataAssetForm(request.POST or None, instance=asset),
        save=lambda data, token: services.data_asset_update(asset=asset, token=token, data=data),
        title=_("Edit %(name)s") % {"name": asset},
        success_message=_("Data asset saved."),
        cancel_url=asset.get_absolute_url(),
    )


# Relationship kinds over time ---------------------------------------------------


@require_safe
def relationship_moves(request: HttpRequest) -> HttpResponse:
    moves = selectors.relationship_moves()
    context = {**moves, "chart": charts.moves_by_year(moves["rows"])}
    return render(request, "programmes/relationship_moves.html", context)


@lead_required
def project_partner_change(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = get_object_or_404(ProjectPartner.objects.select_related("project", "partner"), pk=link_pk, project_id=pk)
    initial = {"changed_on": timezone.localdate(), "role": link.role}
    return form_page(
        request,
        form=KindChangeForm(request.POST or None, initial=initial),
        save=lambda data, token: (
            services.project_partner_change_kind(
                link=link, relationship=data["relationship"], changed_on=data["changed_on"], role=data.get("role", "")
            ).project
        ),
        title=_("The relationship with %(partner)s changes") % {"partner": link.partner},
        success_message=_("Relationship change recorded."),
        cancel_url=link.project.get_absolute_url(),
        success_url=lambda project: project.get_absolute_url() + "#links",
        parent=(str(link.project), link.project.get_absolute_url()),
        intro=_(
            "Currently %(kind)s. The current relationship ends on the date given and the new kind starts "
            "that day; both stay in the project's history and the partner's trajectory."
        )
        % {"kind": link.get_relationship_display().lower()},
    )
