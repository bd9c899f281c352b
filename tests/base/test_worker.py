"""A real ``celery worker`` process, started and stopped by the test, runs
tasks sent through Redis, against the test database."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from smartcity.base.models import DeferredTask

pytestmark = pytest.mark.worker

ROOT = Path(settings.BASE_DIR)
RESULT_TIMEOUT = 60  # seconds; a cold worker starts in about 2


def _database_url() -> str:
    """The URL of the database this test runs on (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        return ""
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    auth = f"{user}{password}@" if user else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{host}{port}/{db['NAME']}"


class Worker:
    """``celery -A smartcity worker`` in a subprocess, consuming one queue."""

    def __init__(self, *, redis_url: str, queue: str, database_url: str) -> None:
        self.queue = queue
        self.log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "smartcity.settings",
            "DEBUG": "1",
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": "",
            "CELERY_RESULT_BACKEND": "",
            "CELERY_QUEUE": queue,
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "smartcity",
            "worker",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self, timeout: float = 15, *, sig: int = signal.SIGTERM) -> None:
        """Warm shutdown by SIGTERM (about two seconds, as a cold one by
        SIGQUIT); SIGKILL, at once, when ``sig`` is SIGKILL (a worker whose
        tasks have all answered) or if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


@pytest.fixture
def client_app(redis_url):
    """A Celery client on Redis, separate from the project's (eager) app."""
    app = Celery("orchestre-tests", broker=redis_url, backend=redis_url, set_as_current=False)
    app.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    yield app
    app.close()


@pytest.fixture
def worker(redis_url, unique_queue):
    process = Worker(redis_url=redis_url, queue=unique_queue, database_url=_database_url())
    yield process
    pid = process.process.pid
    process.stop(sig=signal.SIGKILL)  # the shutdown itself: test_worker_stops_on_sigterm
    assert process.process.poll() is not None, f"worker {pid} still running"


def _result(async_result, worker: Worker):
    try:
        return async_result.get(timeout=RESULT_TIMEOUT)
    except Exception:
        print(worker.output())
        raise


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_sent_through_redis(client_app, worker):
    token = uuid.uuid4().hex
    result = client_app.send_task("smartcity.tasks.ping", kwargs={"token": token}, queue=worker.queue)
    assert _result(result, worker) == f"pong:{token}"
    assert worker.process.poll() is None, "the worker should still be running"


@pytest.mark.django_db(transaction=True)
def test_worker_drains_the_outbox_of_the_test_database(client_app, worker):
    if not _database_url():
        pytest.skip("the SQLite test database lives in this process's memory; a worker cannot reach it")
    token = uuid.uuid4().hex
    DeferredTask.objects.create(task_name="smartcity.tasks.ping", kwargs={"token": token})

    result = client_app.send_task("smartcity.tasks.resend_deferred_tasks", queue=worker.queue)

    assert _result(result, worker) == 1
    assert not DeferredTask.objects.exists()
    # The resent ping went to the worker's default queue (CELERY_QUEUE) and ran there.
    deadline = time.monotonic() + RESULT_TIMEOUT
    while f"pong:{token}" not in worker.output() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert f"pong:{token}" in worker.output()


def test_worker_stops_on_sigterm(redis_url, unique_queue):
    process = Worker(redis_url=redis_url, queue=unique_queue, database_url="")
    try:
        deadline = time.monotonic() + RESULT_TIMEOUT
        while "ready" not in process.output() and time.monotonic() < deadline:
            assert process.process.poll() is None, process.output()
            time.sleep(0.2)
        assert "ready" in process.output()
    finally:
        process.stop()
    assert process.process.returncode in (0, -signal.SIGTERM)
