"""The awareness-action log (issue 14): what the lead did to bring services
on board and what came of it. Everybody signed in reads it; the lead writes."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from smartcity.base.editing import archive_page, form_page
from smartcity.base.permissions import lead_required
from smartcity.base.roles import is_lead

from . import selectors, services
from .forms import AwarenessActionForm
from .models import AwarenessAction, Service

PAGE_SIZE = 50


@require_safe
def awareness_list(request: HttpRequest) -> HttpResponse:
    service = None
    if request.GET.get("service", "").isdigit():
        service = Service.objects.filter(pk=int(request.GET["service"])).first()
    page = Paginator(selectors.awareness_actions(service=service), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "page": page,
        "service": service,
        "today": today,
        "next_steps": selectors.next_awareness_steps(today=today),
        "user_is_lead": is_lead(request.user),
    }
    return render(request, "partners/awareness_list.html", context)


@lead_required
def awareness_create(request: HttpRequest) -> HttpResponse:
    initial = {"held_on": timezone.localdate()}
    if request.GET.get("service", "").isdigit():
        initial["services"] = [int(request.GET["service"])]
    return form_page(
        request,
        form=AwarenessActionForm(request.POST or None, initial=initial),
        save=lambda data, token: services.awareness_action_create(data=data, author=request.user),
        title=_("New awareness action"),
        success_message=_("Awareness action recorded."),
        cancel_url=reverse("partners:awareness_list"),
        parent=(_("Awareness actions"), reverse("partners:awareness_list")),
        intro=_("A workshop, presentation, demonstration, training or visit: held, or planned (a date to come)."),
    )


@lead_required
def awareness_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(AwarenessAction, pk=pk, is_archived=False)
    return form_page(
        request,
        form=AwarenessActionForm(request.POST or None, instance=action),
        save=lambda data, token: services.awareness_action_update(action, token=token, data=data),
        title=_("Edit %(name)s") % {"name": action.title},
        success_message=_("Awareness action saved."),
        cancel_url=action.get_absolute_url(),
        parent=(_("Awareness actions"), reverse("partners:awareness_list")),
    )


@lead_required
def awareness_archive(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(AwarenessAction, pk=pk, is_archived=False)
    return archive_page(
        request,
        obj=action,
        archive=lambda: services.awareness_action_archive(action),
        success_message=_("Awareness action archived."),
        next_url=reverse("partners:awareness_list"),
        question=_("Archive this awareness action? It leaves the log; its history stays."),
    )
