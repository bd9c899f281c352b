"""Thin Celery tasks of the top layer: load by id, call the service."""

from celery import shared_task

from .webhooks.services import DELIVER_TASK, webhook_delivery_attempt


@shared_task(name=DELIVER_TASK)
def deliver_webhook(delivery_id: int) -> int | None:
    attempt = webhook_delivery_attempt(delivery_id=delivery_id)
    return attempt.status_code if attempt else None
