"""Writes of the webhooks: endpoints (the lead's form), the deliveries an
event makes, each HTTP attempt, retries and resends."""

import datetime
import logging
import secrets
import time
import uuid
from typing import Any

import requests
from celery import current_app
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from smartcity.base.queue import enqueue, send_now
from smartcity.base.records import record_create, record_update

from . import signing
from .destinations import UnsafeDestination, check_destination
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .payloads import event_body

log = logging.getLogger("orchestre.webhooks")

DELIVER_TASK = "site.deliver_webhook"
ENDPOINT_FIELDS = ("name", "url", "events", "is_active")
SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret
USER_AGENT = "Orchestre-Webhooks/1"


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def webhook_endpoint_create(*, data: dict[str, Any], created_by: AbstractBaseUser) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (to show once)."""
    secret = _new_secret()
    endpoint = record_create(WebhookEndpoint, data=data, fields=ENDPOINT_FIELDS, secret=secret, created_by=created_by)
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(endpoint: WebhookEndpoint, *, token: str | None, data: dict[str, Any]) -> WebhookEndpoint:
    return record_update(endpoint, token=token, data=data, fields=ENDPOINT_FIELDS)


@transaction.atomic
def webhook_endpoint_renew_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret replaces the old one at once (the receiver must be given it)."""
    secret = _new_secret()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=secret, updated_at=timezone.now())
    return secret


def webhook_event_record(*, event: str, obj: Any) -> list[WebhookDelivery]:
    """One delivery per active endpoint subscribed to ``event``, each queued
    after commit. One query when nobody listens."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if event in e.events]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    body = event_body(event, obj, event_id=event_id)
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint=e, event=event, event_id=event_id, body=body) for e in endpoints]
        )
        for delivery in deliveries:
            enqueue(DELIVER_TASK, delivery_id=delivery.pk)
    return deliveries


@transaction.atomic
def webhook_delivery_resend(*, delivery: WebhookDelivery, by: AbstractBaseUser) -> WebhookDelivery:
    """Send the same event again (same event id, same body, a fresh
    signature) as a new delivery with its own attempts."""
    again = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        body=delivery.body,
        resend_of=delivery,
        resent_by=by,
    )
    enqueue(DELIVER_TASK, delivery_id=again.pk)
    return again


def backoff_seconds(attempt: int) -> float:
    """Delay before attempt ``attempt + 1``: the base, then four times more
    at each failure (30 s, 2 min, 8 min, 32 min, 2 h 8 min by default)."""
    return settings.ORCHESTRE_WEBHOOK_RETRY_BASE * 4 ** (attempt - 1)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """One HTTP POST of the delivery: (status code, error)."""
    endpoint = delivery.endpoint
    try:
        check_destination(endpoint.url)
    except UnsafeDestination as exc:
        return None, str(exc)
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.event_id),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.sign(endpoint.secret, timestamp, body),
    }
    try:
        # No redirects: a redirect could lead to an address the guard refuses.
        response = requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=settings.ORCHESTRE_WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    response.close()
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return response.status_code, error


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookAttempt | None:
    """Make the next attempt of a delivery still due, log it, and schedule
    the following one after a failure (``backoff_seconds``) until
    ``ORCHESTRE_WEBHOOK_MAX_ATTEMPTS``. A delivery already delivered or
    given up, or being attempted by another worker, is left alone."""
    retry_in = None
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING])
            .first()
        )
        if delivery is None:
            return None
        started = timezone.now()
        clock = time.monotonic()
        status_code, error = _post(delivery)
        duration_ms = int((time.monotonic() - clock) * 1000)
        delivery.attempts += 1
        attempt = WebhookAttempt(
            delivery=delivery,
            number=delivery.attempts,
            started_at=started,
            duration_ms=duration_ms,
            status_code=status_code,
            error=error,
        )
        if not error:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif delivery.attempts >= settings.ORCHESTRE_WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            retry_in = backoff_seconds(delivery.attempts)
            delivery.status = WebhookDelivery.Status.RETRYING
            delivery.next_attempt_at = attempt.retry_at = timezone.now() + datetime.timedelta(seconds=retry_in)
        attempt.save()
        delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    log.info(
        "webhook delivery=%s endpoint=%s event=%s attempt=%s status=%s ms=%s error=%s",
        delivery.pk,
        delivery.endpoint_id,
        delivery.event,
        attempt.number,
        status_code,
        duration_ms,
        error,
    )
    if retry_in is not None:
        schedule_retry(delivery.pk, retry_in)
    return attempt


def schedule_retry(delivery_id: int, countdown: float) -> None:
    """Queue the next attempt ``countdown`` seconds from now. Without a
    broker (embedded mode, tasks run in the request) nothing can wait: the
    delivery stays "retrying" and the lead may resend it."""
    if current_app.conf.task_always_eager:
        log.warning("webhook delivery=%s: no broker to wait %ss for the next attempt", delivery_id, countdown)
        return
    send_now(DELIVER_TASK, {"delivery_id": delivery_id}, countdown=countdown)
