"""The lead's webhooks pages: endpoints, their delivery log, resend."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from smartcity.base.editing import form_page
from smartcity.base.permissions import lead_required

from . import selectors, services
from .forms import WebhookEndpointForm
from .models import WebhookDelivery, WebhookEndpoint


@lead_required
@require_http_methods(["GET", "HEAD"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    return render(request, "site/webhooks/list.html", {"endpoints": selectors.endpoint_list()})


@lead_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def webhook_create(request: HttpRequest) -> HttpResponse:
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint, secret = services.webhook_endpoint_create(data=form.cleaned_data, created_by=request.user)
        # The secret is in this response only, never stored in a message or a redirect.
        return render(request, "site/webhooks/secret.html", {"endpoint": endpoint, "secret": secret})
    return form_page(
        request,
        form=form,
        save=lambda data, token: None,  # not reached: a valid form is saved above
        title=_("New webhook endpoint"),
        success_message="",
        cancel_url=reverse("site:webhooks"),
        parent=(_("Webhooks"), reverse("site:webhooks")),
    )


@lead_required
@require_http_methods(["GET", "HEAD"])
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    deliveries = selectors.delivery_log(endpoint)
    return render(
        request,
        "site/webhooks/detail.html",
        {"endpoint": endpoint, "deliveries": deliveries, "log_size": selectors.LOG_SIZE},
    )


@lead_required
@require_http_methods(["GET", "HEAD", "POST"])
def webhook_update(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    return form_page(
        request,
        form=WebhookEndpointForm(request.POST or None, instance=endpoint),
        save=lambda data, token: services.webhook_endpoint_update(endpoint, token=token, data=data),
        title=_("Edit %(name)s") % {"name": endpoint},
        success_message=_("Webhook endpoint saved."),
        cancel_url=endpoint.get_absolute_url(),
        parent=(_("Webhooks"), reverse("site:webhooks")),
    )


@lead_required
@never_cache
@require_POST
def webhook_secret(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    secret = services.webhook_endpoint_renew_secret(endpoint=endpoint)
    return render(request, "site/webhooks/secret.html", {"endpoint": endpoint, "secret": secret, "renewed": True})


@lead_required
@require_POST
def webhook_resend(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=pk)
    services.webhook_delivery_resend(delivery=delivery, by=request.user)
    messages.success(request, _("The event was queued to be sent again."))
    return redirect(delivery.endpoint.get_absolute_url())
