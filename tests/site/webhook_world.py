"""The webhooks part of the matrix's world: an endpoint and one delivery
(the URL is never called there: no transaction commits in those tests)."""

from smartcity.site.webhooks.models import WebhookDelivery, WebhookEndpoint


def webhook_world(lead):
    endpoint = WebhookEndpoint.objects.create(
        name="Entrepôt de données",
        url="https://donnees.orvalle.example/hooks/orchestre",
        events=["project.updated", "status.reported"],
        secret="whsec_world",
        created_by=lead,
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="project.updated", body='{"type":"project.updated"}', status="failed", attempts=6
    )
    return endpoint, delivery
