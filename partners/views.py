from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from smartcity.base.concurrency import token_of
from smartcity.base.editing import RecordPages, archive_page, form_page
from smartcity.base.exports import export_response
from smartcity.base.forms import filter_form_widgets
from smartcity.base.history import history_response
from smartcity.base.import_views import upload_page
from smartcity.base.permissions import lead_required
from smartcity.base.pickers import PickSource
from smartcity.base.security import log_export

from . import rules, selectors, services
from .extensions import PARTNER_LIST, PARTNER_PAGE, SERVICE_LIST, SERVICE_PAGE
from .filters import PartnerFilter, ServiceFilter
from .forms import AcculturationChangeForm, ContactForm, InteractionForm, PartnerForm, ServiceForm
from .models import ContactPerson, ElectedOfficial, Interaction, Partner, Service

PAGE_SIZE = 50


def _service_filter(request: HttpRequest) -> ServiceFilter:
    base = selectors.service_list(include_archived=request.GET.get("archived") == "1").order_by("name")
    filterset = SERVICE_LIST.filterset(ServiceFilter)
    return filter_form_widgets(filterset(request.GET or None, queryset=base, request=request))


@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    filterset = _service_filter(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "services": page, "extension": SERVICE_LIST}
    return render(request, "partners/service_list.html", context)


@require_safe
def service_export(request: HttpRequest) -> HttpResponse:
    header, rows = selectors.service_export_rows(_service_filter(request).qs)
    rows = list(rows)
    log_export(request, "services with their directors", len(rows))
    return export_response(fmt=request.GET.get("format", "csv"), filename="services", header=header, rows=rows)


@require_safe
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_detail(pk=pk).first()
    if service is None:
        raise Http404
    context = {
        "service": service,
        "children": service.children.filter(is_archived=False),
        "sections": SERVICE_PAGE.bind(request, service),
        "trajectory": selectors.acculturation_trajectory(service=service),
        "scale": selectors.acculturation_scale(),
    }
    return render(request, "partners/service_detail.html", context)


@lead_required
def service_acculturation(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk, is_archived=False)
    initial = {"level": service.acculturation, "changed_on": timezone.localdate(), "token": token_of(service)}
    return form_page(
        request,
        form=AcculturationChangeForm(request.POST or None, initial=initial),
        save=lambda data, token: (
            services.acculturation_change_record(service=service, token=token, data=data, author=request.user).service
        ),
        title=_("Acculturation level of %(service)s") % {"service": service.name},
        success_message=_("Acculturation level recorded."),
        cancel_url=service.get_absolute_url(),
        parent=(service.name, service.get_absolute_url()),
        intro=_("Set the level the service has reached, the date it reached it and why. Every change is kept."),
    )


def _partner_filter(request: HttpRequest) -> PartnerFilter:
    base = selectors.partner_list(include_archived=request.GET.get("archived") == "1").order_by("name")
    filterset = PARTNER_LIST.filterset(PartnerFilter)
    return filter_form_widgets(filterset(request.GET or None, queryset=base, request=request))


@require_safe
def partner_list(request: HttpRequest) -> HttpResponse:
    filterset = _partner_filter(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "partners": page,
        "extension": PARTNER_LIST,
        "quiet_before": rules.quiet_before(timezone.localdate()),
    }
    return render(request, "partners/partner_list.html", context)


@require_safe
def partner_export(request: HttpRequest) -> HttpResponse:
    header, rows = selectors.partner_export_rows(_partner_filter(request).qs)
    rows = list(rows)
    log_export(request, "partners", len(rows))
    return export_response(fmt=request.GET.get("format", "csv"), filename="partenaires", header=header, rows=rows)


@require_safe
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_detail(pk=pk).first()
    if partner is None:
        raise Http404
    interactions = selectors.partner_interactions(partner=partner)
    today = timezone.localdate()
    last = interactions[0] if interactions else None
    context = {
        "partner": partner,
        "sections": PARTNER_PAGE.bind(request, partner),
        "interactions": interactions,
        "last_interaction": last,
        "quiet": rules.is_quiet(
            last_contact=last.happened_on if last else None, created_on=partner.created_at.date(), today=today
        ),
        "quiet_days": settings.ORCHESTRE_PARTNER_QUIET_DAYS,
    }
    return render(request, "partners/partner_detail.html", context)


@lead_required
def interaction_create(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk, is_archived=False)
    initial = {"happened_on": timezone.localdate(), "city_contact": request.user.pk}
    return form_page(
        request,
        form=InteractionForm(request.POST or None, initial=initial, partner=partner),
        save=lambda data, token: services.interaction_create(partner=partner, data=data),
        title=_("New interaction with %(partner)s") % {"partner": partner},
        success_message=_("Interaction recorded."),
        cancel_url=partner.get_absolute_url(),
        parent=(partner.name, partner.get_absolute_url()),
    )


@lead_required
def interaction_update(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = get_object_or_404(Interaction.objects.select_related("partner"), pk=pk)
    partner = interaction.partner
    return form_page(
        request,
        form=InteractionForm(request.POST or None, instance=interaction, partner=partner),
        save=lambda data, token: services.interaction_update(interaction=interaction, token=token, data=data),
        title=_("Edit the interaction of %(date)s") % {"date": date_format(interaction.happened_on)},
        success_message=_("Interaction saved."),
        cancel_url=partner.get_absolute_url(),
        parent=(partner.name, partner.get_absolute_url()),
    )


@lead_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    return form_page(
        request,
        form=ContactForm(request.POST or None),
        save=lambda data, token: services.contact_create(partner=partner, data=data) and partner,
        title=_("New contact at %(partner)s") % {"partner": partner},
        success_message=_("Contact created."),
        cancel_url=partner.get_absolute_url(),
    )


@lead_required
def contact_update(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(ContactPerson.objects.select_related("partner"), pk=pk)
    return form_page(
        request,
        form=ContactForm(request.POST or None, instance=contact),
        save=lambda data, token: services.contact_update(contact=contact, token=token, data=data).partner,
        title=_("Edit %(name)s") % {"name": contact},
        success_message=_("Contact saved."),
        cancel_url=contact.partner.get_absolute_url(),
    )


@lead_required
def contact_archive(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(ContactPerson.objects.select_related("partner"), pk=pk)
    return archive_page(
        request,
        obj=contact,
        archive=lambda: services.contact_archive(contact=contact),
        success_message=_("Contact archived."),
        next_url=contact.partner.get_absolute_url(),
        cancel_url=contact.partner.get_absolute_url(),
        question=_("Archive this contact? Their details stay in the history only."),
    )


@lead_required
def service_import(request: HttpRequest) -> HttpResponse:
    return upload_page(request, kind="services", back_url=reverse("partners:service_list"))


@lead_required
def partner_import(request: HttpRequest) -> HttpResponse:
    return upload_page(request, kind="partners", back_url=reverse("partners:partner_list"))


service_create, service_update, service_archive = RecordPages(
    model=Service,
    form=ServiceForm,
    create=services.service_create,
    update=lambda service, **kwargs: services.service_update(service=service, **kwargs),
    archive=lambda service: services.service_archive(service=service),
    list_url="partners:service_list",
    new_title=gettext_lazy("New service"),
    created=gettext_lazy("Service created."),
    saved=gettext_lazy("Service saved."),
    archived=gettext_lazy("Service archived."),
    archive_question=gettext_lazy("Archive this service? The projects it leads keep it as their lead."),
).views()

partner_create, partner_update, partner_archive = RecordPages(
    model=Partner,
    form=PartnerForm,
    create=services.partner_create,
    update=lambda partner, **kwargs: services.partner_update(partner=partner, **kwargs),
    archive=lambda partner: services.partner_archive(partner=partner),
    list_url="partners:partner_list",
    new_title=gettext_lazy("New partner"),
    created=gettext_lazy("Partner created."),
    saved=gettext_lazy("Partner saved."),
    archived=gettext_lazy("Partner archived."),
    archive_question=gettext_lazy("Archive this partner? Its project links are kept."),
).views()


# History (issue 13): whoever may see the record may read its history.


@require_safe
def service_history(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    title = _("History of %(name)s") % {"name": service.name}
    return history_response(request, service, title=title, back_url=service.get_absolute_url())


@require_safe
def partner_history(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    title = _("History of %(name)s") % {"name": partner.name}
    return history_response(request, partner, title=title, back_url=partner.get_absolute_url())


# Type-ahead searches of the forms' pickers (smartcity.base.pickers): the
# records a form may pick, one bounded query per search.
service_pick = PickSource(
    queryset=lambda: Service.objects.filter(is_archived=False).select_related("parent"),
    fields=("name", "acronym"),
    detail=lambda s: " · ".join(filter(None, [s.acronym, s.parent.name if s.parent else ""])),
).view()
partner_pick = PickSource(
    queryset=lambda: Partner.objects.filter(is_archived=False),
    fields=("name", "city"),
    detail=lambda p: " · ".join(filter(None, [str(p.get_category_display()), p.city])),
).view()
official_pick = PickSource(
    queryset=lambda: ElectedOfficial.objects.filter(is_active=True),
    fields=("first_name", "last_name", "delegation"),
    detail=lambda o: o.delegation,
).view()
