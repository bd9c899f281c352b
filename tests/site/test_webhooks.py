"""Webhooks: signing, delivery to a real HTTP receiver with retries and
backoff, the SSRF guard, the lead's pages (resend, secret shown once,
stale edits) and their query counts."""

import json
import socket
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from programmes import services as programme_services
from smartcity.site.webhooks import services, signing
from smartcity.site.webhooks.destinations import UnsafeDestination, check_destination
from smartcity.site.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.site.webhook_receiver import Receiver

SECRET = "whsec_test-secret"


@pytest.fixture
def receiver():
    made = []

    def make(*statuses: int) -> Receiver:
        made.append(Receiver(list(statuses)))
        return made[-1]

    yield make
    for one in made:
        one.close()


@pytest.fixture
def local_receivers(settings):
    """The receivers of these tests listen on 127.0.0.1: allow it, as an
    operator would for an intranet receiver."""
    settings.ORCHESTRE_WEBHOOK_ALLOW_PRIVATE = True
    return settings


def _endpoint(url: str, events=("project.updated",), **extra) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(name="BI", url=url, events=list(events), secret=SECRET, **extra)


def test_signature_verifies_only_the_same_bytes_with_the_same_secret_in_the_window():
    body = b'{"type":"project.updated"}'
    now = 1_800_000_000
    signature = signing.sign(SECRET, now, body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert signing.verify(SECRET, str(now), body, signature, now=now + 299)
    assert not signing.verify(SECRET, str(now), body + b" ", signature, now=now)
    assert not signing.verify("whsec_other", str(now), body, signature, now=now)
    assert not signing.verify(SECRET, str(now + 1), body, signature, now=now)
    assert not signing.verify(SECRET, str(now), body, signature, now=now + 301)  # replayed too late
    assert not signing.verify(SECRET, "yesterday", body, signature, now=now)


def test_backoff_grows_four_times_from_the_base(settings):
    settings.ORCHESTRE_WEBHOOK_RETRY_BASE = 30
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4, 5)] == [30, 120, 480, 1920, 7680]


@pytest.mark.django_db
def test_an_event_reaches_a_real_receiver_that_fails_twice_then_accepts(
    receiver, local_receivers, django_capture_on_commit_callbacks, monkeypatch
):
    local_receivers.ORCHESTRE_WEBHOOK_RETRY_BASE = 30
    hook = receiver(500, 500, 200)
    endpoint = _endpoint(hook.url, events=["project.updated", "status.reported"])
    project = factories.ProjectFactory(name="Capteurs de crue")
    before = time.time()

    scheduled = []
    monkeypatch.setattr(services, "schedule_retry", lambda pk, countdown: scheduled.append((pk, countdown)))

    # The edit commits; the event is sent on commit; the delivery is queued
    # on commit and attempted (tasks run in-process in the tests).
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.project_update(project=project, token=str(project.version), data={"name": "Capteurs"})
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert scheduled == [(delivery.pk, 30)]
    # The broker would run the task again after the countdown: run it now.
    services.webhook_delivery_attempt(delivery_id=delivery.pk)
    assert scheduled == [(delivery.pk, 30), (delivery.pk, 120)]
    services.webhook_delivery_attempt(delivery_id=delivery.pk)
    assert len(scheduled) == 2  # accepted: nothing more to schedule
    assert services.webhook_delivery_attempt(delivery_id=delivery.pk) is None  # delivered: left alone
    delivery.refresh_from_db()
    attempts = list(delivery.attempt_log.order_by("number"))
    assert [a.number for a in attempts] == [1, 2, 3]
    assert [a.status_code for a in attempts] == [500, 500, 200]
    assert [a.error for a in attempts] == ["HTTP 500", "HTTP 500", ""]
    # Each failure scheduled the next attempt after the backoff (30 s, then 2 min).
    waits = [(a.retry_at - a.started_at).total_seconds() for a in attempts[:2]]
    assert 30 <= waits[0] < 32 and 120 <= waits[1] < 122
    assert attempts[2].retry_at is None
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 3
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None

    assert len(hook.received) == 3
    for got in hook.received:
        headers = got.headers
        assert headers["X-Orchestre-Event"] == "project.updated"
        assert headers["X-Orchestre-Delivery"] == str(delivery.event_id)
        assert int(headers["X-Orchestre-Timestamp"]) >= int(before)
        assert signing.verify(SECRET, headers["X-Orchestre-Timestamp"], got.body, headers["X-Orchestre-Signature"])
        assert not signing.verify(
            "whsec_wrong", headers["X-Orchestre-Timestamp"], got.body, headers["X-Orchestre-Signature"]
        )
    payload = json.loads(hook.received[-1].body)
    assert payload["id"] == str(delivery.event_id)
    assert payload["type"] == "project.updated"
    assert payload["data"]["id"] == project.pk and payload["data"]["name"] == "Capteurs"
    assert payload["links"]["api"].endswith(f"/api/v1/projects/{project.pk}/")
    assert payload["created_at"]


@pytest.mark.django_db
def test_a_delivery_gives_up_after_the_last_attempt_and_the_lead_resends_it(
    receiver, local_receivers, lead_client, django_capture_on_commit_callbacks
):
    local_receivers.ORCHESTRE_WEBHOOK_MAX_ATTEMPTS = 2
    hook = receiver(503)
    endpoint = _endpoint(hook.url, events=["project.created"])
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_event_record(event="project.created", obj=factories.ProjectFactory())
    failed = WebhookDelivery.objects.get(endpoint=endpoint)
    # Without a broker nothing waits for the retry: it stays due.
    assert failed.status == WebhookDelivery.Status.RETRYING and failed.next_attempt_at is not None
    services.webhook_delivery_attempt(delivery_id=failed.pk)
    failed.refresh_from_db()
    assert failed.status == WebhookDelivery.Status.FAILED and failed.attempts == 2
    assert failed.next_attempt_at is None and len(hook.received) == 2

    hook.statuses[:] = [200]
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(reverse("site:webhook_resend", args=[failed.pk]))
    assert response.status_code == 302
    again = WebhookDelivery.objects.exclude(pk=failed.pk).get()
    assert again.status == WebhookDelivery.Status.DELIVERED and again.resend_of == failed
    assert again.event_id == failed.event_id and again.body == failed.body
    # The same event, so the receiver can tell it already has it; a fresh signature.
    assert hook.received[-1].headers["X-Orchestre-Delivery"] == str(failed.event_id)

    page = lead_client.get(endpoint.get_absolute_url()).content.decode()
    assert "HTTP 503" in page and reverse("site:webhook_resend", args=[again.pk]) in page


@pytest.mark.django_db
def test_only_the_lead_resends(director_client, django_capture_on_commit_callbacks):
    delivery = WebhookDelivery.objects.create(
        endpoint=_endpoint("https://bi.orvalle.example/hook"), event="project.updated", body="{}", status="failed"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = director_client.post(reverse("site:webhook_resend", args=[delivery.pk]))
    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 1 and not callbacks


@pytest.mark.django_db
def test_private_addresses_are_refused_unless_allowed(receiver, settings, monkeypatch):
    settings.ORCHESTRE_WEBHOOK_ALLOW_PRIVATE = False
    for url in (
        "http://127.0.0.1:8000/",
        "http://localhost/hook",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:192.168.0.1]/",
        "ftp://example.org/",
    ):
        with pytest.raises(UnsafeDestination):
            check_destination(url)
    # A public-looking name that resolves to a private address is refused at delivery.
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("192.168.1.20", 443))])
    with pytest.raises(UnsafeDestination):
        check_destination("https://intranet.orvalle.example/hook")
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))])
    check_destination("https://bi.orvalle.example/hook")
    monkeypatch.undo()

    hook = receiver(200)
    delivery = WebhookDelivery.objects.create(endpoint=_endpoint(hook.url), event="project.updated", body="{}")
    settings.ORCHESTRE_WEBHOOK_MAX_ATTEMPTS = 1
    attempt = services.webhook_delivery_attempt(delivery_id=delivery.pk)
    assert attempt.status_code is None and attempt.error == gettext("A private or local address is refused.")
    assert hook.received == []  # nothing left the application server


@pytest.mark.django_db
def test_nobody_listening_costs_one_query_and_inactive_or_unsubscribed_endpoints_get_nothing():
    project = factories.ProjectFactory()
    with CaptureQueriesContext(connection) as queries:
        assert services.webhook_event_record(event="project.updated", obj=project) == []
    assert len(queries) == 1
    _endpoint("https://a.example/", events=["meeting.held"])
    _endpoint("https://b.example/", is_active=False)
    assert services.webhook_event_record(event="project.updated", obj=project) == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_the_lead_creates_an_endpoint_and_sees_its_secret_once(lead_client):
    url = reverse("site:webhook_create")
    bad = lead_client.post(url, {"name": "", "url": "http://127.0.0.1/x", "events": ["nope"]})
    assert bad.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert "is-invalid" in bad.content.decode()

    response = lead_client.post(
        url,
        {"name": "SIG", "url": "https://sig.orvalle.example/hook", "events": ["project.created"], "is_active": "on"},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    assert endpoint.events == ["project.created"] and endpoint.created_by.username == "lead-user"
    assert endpoint.secret not in lead_client.get(endpoint.get_absolute_url()).content.decode()

    old = endpoint.secret
    renewed = lead_client.post(reverse("site:webhook_secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in renewed.content.decode()


@pytest.mark.django_db
def test_a_stale_edit_is_refused(lead_client):
    endpoint = _endpoint("https://bi.orvalle.example/hook")
    url = reverse("site:webhook_update", args=[endpoint.pk])
    opened = str(endpoint.version)
    services.webhook_endpoint_update(endpoint, token=opened, data={"name": "Entrepôt"})
    data = {"name": "Mine", "url": endpoint.url, "events": ["project.updated"], "is_active": "on", "token": opened}
    assert lead_client.post(url, data).status_code == 409
    endpoint.refresh_from_db()
    assert endpoint.name == "Entrepôt"


def _grow(endpoint: WebhookEndpoint, n: int) -> None:
    for _ in range(n):
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="project.updated", body="{}")
        for number in (1, 2):
            WebhookAttempt.objects.create(
                delivery=delivery, number=number, started_at=delivery.created_at, status_code=500
            )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["site:webhooks", "site:webhook_detail"])
def test_webhook_pages_query_count_does_not_grow(lead_client, page):
    endpoints = [_endpoint(f"https://{n}.orvalle.example/") for n in "ab"]
    args = [endpoints[0].pk] if page == "site:webhook_detail" else []
    url = reverse(page, args=args)
    for endpoint in endpoints:
        _grow(endpoint, 2)
    with CaptureQueriesContext(connection) as small:
        assert lead_client.get(url).status_code == 200
    for n in "cde":
        _grow(_endpoint(f"https://{n}.orvalle.example/"), 1)
    for endpoint in endpoints:
        _grow(endpoint, 6)
    with CaptureQueriesContext(connection) as large:
        assert lead_client.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
