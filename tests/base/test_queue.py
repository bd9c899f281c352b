"""Enqueueing while the broker is down: the request succeeds, the task waits
in the DeferredTask outbox, and is sent once the broker is back."""

import base64
import json
import logging
import time
import uuid

import pytest
from celery import current_app
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from kombu import pools as kombu_pools

from smartcity.base.models import DeferredTask
from smartcity.base.queue import enqueue
from smartcity.base.services import deferred_tasks_resend

# Nothing listens there: connections are refused at once.
DEAD_BROKER = "redis://127.0.0.1:6390/0"
# The outbox must not make a user wait: a refused connection gives up fast.
# A bound against hanging requests (it was 20 s before the fix), loose enough for a loaded CI machine.
MAX_FAILING_ENQUEUE_SECONDS = 10


def _reset_connections(app) -> None:
    """Drop the pooled broker connections so a new broker_url takes effect."""
    kombu_pools.reset()  # closes and forgets every pooled connection
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)  # the result backend, cached per thread


@pytest.fixture
def broker():
    """Point the Celery app at a broker for one test, then put it back."""
    app = current_app
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}

    def use(url: str | None) -> None:
        if url is None:  # the embedded default: run in-process
            app.conf.update(broker_url="", result_backend=None, task_always_eager=True)
        else:  # as in production, Redis is both broker and result backend
            app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
        _reset_connections(app)

    yield use
    app.conf.update(saved)
    _reset_connections(app)


def enqueue_in_request(request):
    with transaction.atomic():
        enqueue("smartcity.tasks.ping", token=request.GET["token"])
    return HttpResponse("saved")


urlpatterns = [path("enqueue/", enqueue_in_request)]


@pytest.mark.urls("tests.base.test_queue")
@pytest.mark.django_db(transaction=True)
def test_request_that_enqueues_succeeds_while_the_broker_is_down(broker, lead_client, caplog):
    broker(DEAD_BROKER)
    caplog.set_level(logging.ERROR, logger="orchestre.queue")

    started = time.monotonic()
    response = lead_client.get("/enqueue/", {"token": "abc"})
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    deferred = DeferredTask.objects.get()
    assert deferred.task_name == "smartcity.tasks.ping"
    assert deferred.kwargs == {"token": "abc"}
    assert "6390" in deferred.error
    assert any("could not enqueue smartcity.tasks.ping" in r.getMessage() for r in caplog.records)
    assert elapsed < MAX_FAILING_ENQUEUE_SECONDS, f"a failing enqueue took {elapsed:.2f}s"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(broker):
    broker(DEAD_BROKER)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("smartcity.tasks.ping", token="never")
        raise RuntimeError("the write failed")
    assert not DeferredTask.objects.exists()


@pytest.mark.django_db
def test_enqueue_waits_for_the_commit(broker, django_capture_on_commit_callbacks):
    broker(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue("smartcity.tasks.ping", token="later")
    assert not DeferredTask.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert DeferredTask.objects.filter(kwargs={"token": "later"}).exists()


@pytest.mark.django_db
def test_resend_keeps_the_outbox_while_the_broker_is_down(broker):
    broker(DEAD_BROKER)
    first = DeferredTask.objects.create(task_name="smartcity.tasks.ping", kwargs={"token": "1"})
    DeferredTask.objects.create(task_name="smartcity.tasks.ping", kwargs={"token": "2"})

    assert deferred_tasks_resend() == 0

    assert DeferredTask.objects.count() == 2
    first.refresh_from_db()
    assert first.attempts == 2
    assert "6390" in first.error


@pytest.mark.django_db
def test_resend_empties_the_outbox_once_tasks_can_run(broker):
    broker(DEAD_BROKER)
    DeferredTask.objects.create(task_name="smartcity.tasks.ping", kwargs={"token": "1"})
    DeferredTask.objects.create(task_name="smartcity.tasks.ping", kwargs={"token": "2"})
    assert deferred_tasks_resend() == 0

    broker(None)  # back to running in-process
    assert deferred_tasks_resend() == 2
    assert not DeferredTask.objects.exists()


def _take_queued_message(redis_client, queue: str, token: str) -> dict | None:
    """Remove from a Redis queue the message (Celery protocol 2) whose kwargs
    carry ``token`` and return those kwargs."""
    for raw in redis_client.lrange(queue, 0, -1):
        message = json.loads(raw)
        _args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        if kwargs.get("token") == token:
            redis_client.lrem(queue, 1, raw)
            return kwargs
    return None


@pytest.mark.django_db
def test_resend_hands_the_outbox_to_redis_when_it_is_back(
    broker, redis_url, redis_client, django_capture_on_commit_callbacks
):
    token = uuid.uuid4().hex
    broker(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("smartcity.tasks.ping", token=token)
    assert DeferredTask.objects.filter(kwargs={"token": token}).exists()

    broker(redis_url)
    assert deferred_tasks_resend() == 1

    assert not DeferredTask.objects.exists()
    queued = _take_queued_message(redis_client, current_app.conf.task_default_queue, token)
    assert queued == {"token": token}


@pytest.mark.django_db
def test_resend_command_reports_what_it_sent(broker, capsys):
    broker(DEAD_BROKER)
    DeferredTask.objects.create(task_name="smartcity.tasks.ping", kwargs={"token": "1"})

    call_command("resend_deferred_tasks")
    assert "0 sent, 1 still waiting" in capsys.readouterr().out

    broker(None)
    call_command("resend_deferred_tasks")
    assert "1 sent, 0 still waiting" in capsys.readouterr().out
    assert not DeferredTask.objects.exists()
