from celery import shared_task

from . import services


@shared_task(name="smartcity.tasks.ping")
def ping(token: str = "") -> str:
    """Round-trip check used by the worker test and the health page."""
    return f"pong:{token}"


@shared_task(name="smartcity.tasks.resend_deferred_tasks")
def resend_deferred_tasks() -> int:
    return services.deferred_tasks_resend()


@shared_task(name="smartcity.tasks.import_run")
def import_run(job_id: int, phase: str) -> str:
    from .imports import import_job_run

    return import_job_run(job_id=job_id, phase=phase).status
