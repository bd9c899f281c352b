import logging

from django.db import transaction
from django.utils import timezone

from .models import DeferredTask
from .queue import dispatch

log = logging.getLogger("orchestre.queue")


def deferred_tasks_resend(*, limit: int = 500) -> int:
    """Send the tasks kept in the outbox. A task leaves the outbox only once
    the broker has accepted it. Returns how many were sent."""
    sent = 0
    with transaction.atomic():
        pending = list(DeferredTask.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        for deferred in pending:
            try:
                dispatch(deferred.task_name, deferred.kwargs)
            except Exception as exc:
                deferred.attempts += 1
                deferred.error = str(exc)[:2000]
                deferred.last_attempt_at = timezone.now()
                deferred.save(update_fields=["attempts", "error", "last_attempt_at"])
                log.warning("broker still unreachable, tasks kept: %s", len(pending) - sent)
                break
            deferred.delete()
            sent += 1
    return sent
