"""The demo city's webhooks: the data team's warehouse and the intranet,
each with a few deliveries of recent events (one that failed twice before
it went through, one given up), so that the lead's log has something to
show. Addresses are reserved example domains: nothing is ever sent."""

import datetime
import json
import uuid

from django.contrib.auth.models import User

from programmes.models import Project

from ..webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def add_webhooks(builder) -> None:
    lead_pk = User.objects.filter(username="lead").values_list("pk", flat=True).first()
    warehouse = WebhookEndpoint.objects.create(
        name="Entrepôt de données de la métropole",
        url="https://donnees.orvalle.example/webhooks/orchestre",
        events=["project.created", "project.updated", "status.reported"],
        secret="whsec_demo-" + uuid.UUID(int=builder.rng.getrandbits(128)).hex,
        created_by_id=lead_pk,
    )
    intranet = WebhookEndpoint.objects.create(
        name="Intranet des agents",
        url="https://intranet.orvalle.example/api/projets/evenements",
        events=["meeting.held", "decision.recorded"],
        secret="whsec_demo-" + uuid.UUID(int=builder.rng.getrandbits(128)).hex,
        is_active=False,
        created_by_id=lead_pk,
    )
    projects = list(Project.objects.order_by("code").values("pk", "code", "name")[:6])
    end = builder.at(builder.today, 9)
    deliveries, attempts = [], []
    # (endpoint, event, statuses of its attempts, final status)
    plan = [
        (warehouse, "status.reported", [200], "delivered"),
        (warehouse, "project.updated", [500, 503, 200], "delivered"),
        (warehouse, "status.reported", [200], "delivered"),
        (warehouse, "project.created", [None] * 6, "failed"),
        (warehouse, "project.updated", [200], "delivered"),
        (intranet, "meeting.held", [404], "failed"),
    ]
    for k, (endpoint, event, statuses, status) in enumerate(plan):
        project = projects[k % len(projects)] if projects else {"pk": 0, "code": "", "name": ""}
        created = end - datetime.timedelta(hours=7 * (len(plan) - k))
        event_id = uuid.UUID(int=builder.rng.getrandbits(128))
        body = {"id": str(event_id), "type": event, "created_at": created.isoformat(), "data": project}
        delivery = WebhookDelivery(
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            body=json.dumps(body, ensure_ascii=False),
            status=status,
            attempts=len(statuses),
            delivered_at=created if status == "delivered" else None,
        )
        deliveries.append((delivery, created, statuses))
    WebhookDelivery.objects.bulk_create([d for d, _, _ in deliveries])
    for delivery, created, statuses in deliveries:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=created)
        at = created
        for number, code in enumerate(statuses, start=1):
            failed = code is None or code >= 300
            wait = datetime.timedelta(seconds=30 * 4 ** (number - 1))
            attempts.append(
                WebhookAttempt(
                    delivery=delivery,
                    number=number,
                    started_at=at,
                    duration_ms=builder.rng.randint(40, 400) if code else 5000,
                    status_code=code,
                    error=("" if not failed else f"HTTP {code}" if code else "ConnectTimeout: délai dépassé"),
                    retry_at=at + wait if failed and number < len(statuses) else None,
                )
            )
            at += wait
    WebhookAttempt.objects.bulk_create(attempts)
    builder.counts["webhook deliveries"] = len(deliveries)
