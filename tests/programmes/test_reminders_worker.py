"""The no-duplicate reminder guarantee with a real Celery worker and Redis:
the task sent twice at once, then again, and after a worker died between
claim and send. Needs Redis on 127.0.0.1:6379 (DB given by REDIS_TEST_DB)."""

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from programmes.models import ReminderLog, ReportingCycle
from smartcity.base.roles import Role
from tests import factories

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('REDIS_TEST_DB', '4')}"
ROOT = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.fixture
def worker(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite test database lives in this process's memory; a worker cannot reach it")
    if not _redis_up():
        pytest.skip("Redis is not reachable")
    queue = f"orchestre-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "SECRET_KEY": "worker-test-secret-key-000000000000000000000000000000",
        "DEBUG": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "CELERY_QUEUE": queue,
        "ORCHESTRE_TEST_MAIL_DIR": str(tmp_path),
        "SITE_URL": "https://orchestre.example.fr",
    }
    cmd = [sys.executable, "-m", "celery", "-A", "smartcity", "worker", "-Q", queue, "-c", "2"]
    cmd += ["--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "warning"]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    from celery import Celery

    # Not the current app: the project's own (eager) app stays current for the next tests.
    app = Celery(broker=REDIS_URL, set_as_current=False)
    yield {"app": app, "queue": queue, "mail_dir": tmp_path, "process": process}
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    app.close()


def _messages(mail_dir: Path) -> list[str]:
    return [
        part for f in mail_dir.glob("*.log") for part in f.read_text().split("\n" + "-" * 79 + "\n") if part.strip()
    ]


def _wait(predicate, timeout: float = 40.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_a_real_worker_sends_each_reminder_once(worker):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    now = timezone.now()
    cycle = ReportingCycle.objects.create(
        starts_at=now - datetime.timedelta(days=25), ends_at=now + datetime.timedelta(days=3)
    )
    directors = [factories.UserFactory(role=Role.DIRECTOR.value) for _ in range(3)]
    for director in directors:
        service = factories.ServiceFactory(director=director)
        factories.ProjectFactory(lead_service=service, phase="pilot")
    # The third director's reminder was claimed by a worker that died before sending.
    ReminderLog.objects.create(cycle=cycle, recipient=directors[2], claimed_at=now)

    app, queue = worker["app"], worker["queue"]
    for _ in range(2):  # twice at once: two worker processes race
        app.send_task("programmes.tasks.send_reporting_reminders", queue=queue)
    sent = ReminderLog.objects.filter(status=ReminderLog.Status.SENT)
    assert _wait(lambda: sent.count() == 2), worker["process"].stdout.read1().decode(errors="replace")
    app.send_task("programmes.tasks.send_reporting_reminders", queue=queue)  # and once more, later
    time.sleep(4)

    messages = _messages(worker["mail_dir"])
    recipients = sorted(line for m in messages for line in m.splitlines() if line.startswith("To: "))
    assert recipients == sorted(f"To: {d.email}" for d in directors[:2])
    assert all("https://orchestre.example.fr/mon-service/rapport/" in m for m in messages)
    assert ReminderLog.objects.get(recipient=directors[2]).status == ReminderLog.Status.CLAIMED
