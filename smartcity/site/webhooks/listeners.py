"""The apps' events, turned into webhook deliveries (connected in
``SiteConfig.ready``). The events are sent on commit; a listener's error is
logged by ``smartcity.base.events``, never raised into the request."""

from governance import signals as governance_signals
from programmes import signals as programme_signals

from .models import WebhookEvent
from .services import webhook_event_record


def _listener(event: WebhookEvent, argument: str):
    def listen(sender, **kwargs) -> None:
        webhook_event_record(event=event.value, obj=kwargs[argument])

    listen.__name__ = f"webhook_{event.name.lower()}"
    return listen


LISTENERS = [
    (programme_signals.project_created, WebhookEvent.PROJECT_CREATED, "project"),
    (programme_signals.project_updated, WebhookEvent.PROJECT_UPDATED, "project"),
    (programme_signals.status_reported, WebhookEvent.STATUS_REPORTED, "report"),
    (governance_signals.meeting_held, WebhookEvent.MEETING_HELD, "meeting"),
    (governance_signals.decision_recorded, WebhookEvent.DECISION_RECORDED, "decision"),
    (governance_signals.action_closed, WebhookEvent.ACTION_CLOSED, "action"),
]


def connect() -> None:
    for signal, event, argument in LISTENERS:
        signal.connect(_listener(event, argument), weak=False, dispatch_uid=f"webhooks:{event.value}")
