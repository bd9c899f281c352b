"""One delivery through a real Celery worker and Redis: the receiver fails
twice, the worker schedules its retries through the broker with the
backoff, the third attempt is accepted."""

import signal
import time

import pytest

from smartcity.site.webhooks import signing
from smartcity.site.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.base.conftest import redis_client, redis_url, unique_queue  # noqa: F401 - fixtures
from tests.base.test_worker import RESULT_TIMEOUT, Worker, _database_url
from tests.site.webhook_receiver import Receiver

pytestmark = pytest.mark.worker

BASE = 0.5  # seconds: retries after 0.5 s, then 2 s


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_through_redis_with_backoff(redis_url, unique_queue, monkeypatch):  # noqa: F811
    if not _database_url():
        pytest.skip("a worker cannot reach the SQLite test database")
    hook = Receiver([500, 500, 200])
    monkeypatch.setenv("ORCHESTRE_WEBHOOK_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("ORCHESTRE_WEBHOOK_RETRY_BASE", str(BASE))
    worker = Worker(redis_url=redis_url, queue=unique_queue, database_url=_database_url())
    try:
        endpoint = WebhookEndpoint.objects.create(
            name="BI",
            url=hook.url,
            events=["project.updated"],
            secret="whsec_worker",
        )
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="project.updated", body='{"x":1}')
        from celery import Celery

        client = Celery("orchestre-tests", broker=redis_url, set_as_current=False)
        client.send_task("site.deliver_webhook", kwargs={"delivery_id": delivery.pk}, queue=unique_queue)
        deadline = time.monotonic() + RESULT_TIMEOUT
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
                break
            time.sleep(0.2)
        client.close()
        assert delivery.status == WebhookDelivery.Status.DELIVERED, worker.output()
    finally:
        worker.stop(sig=signal.SIGKILL)  # every attempt is in: no shutdown to wait for
        hook.close()
    assert [a.status_code for a in delivery.attempt_log.order_by("number")] == [500, 500, 200]
    times = [got.at for got in hook.received]
    assert times[1] - times[0] >= BASE * 0.9
    assert times[2] - times[1] >= BASE * 4 * 0.9
    last = hook.received[-1]
    assert signing.verify(
        "whsec_worker", last.headers["X-Orchestre-Timestamp"], last.body, last.headers["X-Orchestre-Signature"]
    )
