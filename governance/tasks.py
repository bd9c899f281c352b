"""Thin Celery tasks: load by id, call the service."""

from celery import shared_task

from . import services


@shared_task(name="governance.tasks.send_pack")
def send_pack(delivery_ids: list[int]) -> int:
    return services.pack_deliver(delivery_ids=delivery_ids)


@shared_task(name="governance.tasks.send_due_packs")
def send_due_packs() -> int:
    return services.packs_send_due()
