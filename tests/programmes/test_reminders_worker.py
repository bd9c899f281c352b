"""The no-duplicate reminder guarantee with a real Celery worker and Redis:
the task sent twice at once, then again, and after a worker died between
claim and send. Needs Redis (REDIS_URL, tests/base/conftest.py): skipped
when it is unreachable, a failure under REQUIRE_SERVICES=1."""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from programmes.models import ReminderLog, ReportingCycle
from smartcity.base.roles import Role
from tests import factories
from tests.base.conftest import redis_client, redis_url, unique_queue  # noqa: F401 - fixtures

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
RESULT_TIMEOUT = 40  # seconds; a cold worker starts in about 2


@pytest.fixture
def worker(tmp_path, redis_url, unique_queue):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite test database lives in this process's memory; a worker cannot reach it")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "SECRET_KEY": "worker-test-secret-key-000000000000000000000000000000",
        "DEBUG": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": "",
        "CELERY_RESULT_BACKEND": "",
        "CELERY_QUEUE": unique_queue,
        "ORCHESTRE_TEST_MAIL_DIR": str(tmp_path),
        "SITE_URL": "https://orchestre.example.fr",
    }
    cmd = [sys.executable, "-m", "celery", "-A", "smartcity", "worker", "-Q", unique_queue, "-c", "2"]
    cmd += ["--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "warning"]
    # A session of its own: the teardown ends the worker and its children together.
    process = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    from celery import Celery

    # Not the current app: the project's own (eager) app stays current for the
    # next tests. Results come back through Redis: the test waits on them.
    app = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    app.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    yield {"app": app, "queue": unique_queue, "mail_dir": tmp_path, "process": process}
    # Every task has answered: SIGKILL to the worker and its two children at
    # once, where a warm shutdown takes four seconds (the shutdown itself:
    # tests/base/test_worker.py).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()
    app.close()


def _messages(mail_dir: Path) -> list[str]:
    return [
        part for f in mail_dir.glob("*.log") for part in f.read_text().split("\n" + "-" * 79 + "\n") if part.strip()
    ]


def _results(results, process) -> list:
    try:
        return [result.get(timeout=RESULT_TIMEOUT) for result in results]
    except Exception:
        os.killpg(process.pid, signal.SIGKILL)
        print(process.stdout.read().decode(errors="replace"))
        raise


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
    # Twice at once: two worker processes race; the two sends between them.
    racing = [app.send_task("programmes.tasks.send_reporting_reminders", queue=queue) for _ in range(2)]
    assert sum(_results(racing, worker["process"])) == 2
    assert ReminderLog.objects.filter(status=ReminderLog.Status.SENT).count() == 2
    # And once more, later: nothing left to send.
    again = app.send_task("programmes.tasks.send_reporting_reminders", queue=queue)
    assert _results([again], worker["process"]) == [0]

    messages = _messages(worker["mail_dir"])
    recipients = sorted(line for m in messages for line in m.splitlines() if line.startswith("To: "))
    assert recipients == sorted(f"To: {d.email}" for d in directors[:2])
    assert all("https://orchestre.example.fr/mon-service/rapport/" in m for m in messages)
    assert ReminderLog.objects.get(recipient=directors[2]).status == ReminderLog.Status.CLAIMED
