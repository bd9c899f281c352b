"""Hand work to Celery without ever failing the user's request.

``enqueue`` sends on commit. If the broker cannot be reached, the task is
written to the ``DeferredTask`` outbox and logged; the beat task
``resend_deferred_tasks`` (or ``manage.py resend_deferred_tasks``) sends it
once the broker is back. Without a broker (embedded default) Celery runs the
task in-process.
"""

import logging
from typing import Any

from celery import current_app
from django.db import transaction

log = logging.getLogger("orchestre.queue")


def dispatch(task_name: str, kwargs: dict[str, Any], countdown: float | None = None) -> None:
    """Hand a task to the broker (to run ``countdown`` seconds from now, if
    given), or run it here at once when there is none. Raises when the broker
    is unreachable."""
    if current_app.conf.task_always_eager:
        if task_name not in current_app.tasks:
            # Outside a worker the apps' tasks modules are only imported on demand.
            current_app.loader.import_default_modules()
        current_app.tasks[task_name].apply(kwargs=kwargs)
    else:
        # Fire and forget: nobody reads the result, and asking for one makes
        # the Redis result backend subscribe (with ~20 s of retries) first.
        current_app.send_task(task_name, kwargs=kwargs, countdown=countdown, retry=False, ignore_result=True)


def send_now(task_name: str, kwargs: dict[str, Any], countdown: float | None = None) -> bool:
    """Try to hand the task to the broker. True on success; on failure the
    task is kept in the outbox (sent without delay once the broker is back)
    and False is returned."""
    from .models import DeferredTask

    try:
        dispatch(task_name, kwargs, countdown)
    except Exception as exc:  # kombu.OperationalError, redis errors, DNS…
        log.error("could not enqueue %s (%s); kept in the outbox", task_name, exc)
        DeferredTask.objects.create(task_name=task_name, kwargs=kwargs, error=str(exc)[:2000])
        return False
    return True


def enqueue(task_name: str, **kwargs: Any) -> None:
    """Queue ``task_name`` with JSON-serialisable ``kwargs`` once the current
    transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: send_now(task_name, kwargs), robust=True)
