"""Reads of the webhooks pages: a fixed number of queries whatever the
number of endpoints, deliveries and attempts."""

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

LOG_SIZE = 50


def endpoint_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.annotate(
        n_deliveries=Count("deliveries"),
        n_failed=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
        last_delivery_at=Max("deliveries__created_at"),
    ).order_by("name", "pk")


def delivery_log(endpoint: WebhookEndpoint, *, limit: int = LOG_SIZE) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first, with their attempts."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("resent_by")
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number")))
        .order_by("-created_at", "-pk")[:limit]
    )
