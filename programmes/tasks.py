"""Thin Celery tasks: load by id, call the service."""

from celery import shared_task

from . import services
from .models import ReportingCycle


@shared_task(name="programmes.tasks.roll_reporting_cycle")
def roll_reporting_cycle() -> int | None:
    closed = services.cycle_roll_over()
    return closed.pk if closed else None


@shared_task(name="programmes.tasks.send_reporting_reminders")
def send_reporting_reminders() -> int:
    return services.reminders_send()


@shared_task(name="programmes.tasks.send_cycle_digest")
def send_cycle_digest(cycle_id: int) -> int:
    cycle = ReportingCycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return 0
    return services.digest_send(cycle=cycle)


@shared_task(name="programmes.tasks.send_agreement_reminders")
def send_agreement_reminders() -> int:
    return services.agreement_reminders_send()
