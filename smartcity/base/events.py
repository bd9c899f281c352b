"""Events the apps announce without knowing who listens (webhooks, in the
top layer, for one). A signal is sent once the transaction commits, and a
listener's error is logged, never raised into the request."""

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger("orchestre.events")


def send_on_commit(signal: Signal, sender: type, **kwargs: Any) -> None:
    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                log.error("event listener %r failed: %r", receiver, result, exc_info=result)

    transaction.on_commit(send)
