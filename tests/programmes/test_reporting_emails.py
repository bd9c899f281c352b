"""Reminders and digests: at most one per recipient and cycle, in French,
with plain-text and HTML parts."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from programmes import services as reporting_services
from programmes import tasks
from programmes.models import Project, ReminderLog
from smartcity.base.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


class WorkerLost(BaseException):
    """What a killed worker looks like from inside: not an Exception."""


@pytest.fixture
def november():
    """An open November cycle; the clock on the 25th, past the reminder date."""
    with time_machine.travel(paris(2026, 11, 2), tick=False):
        reporting_services.cycle_roll_over()
    with time_machine.travel(paris(2026, 11, 25, 8, 30), tick=False):
        yield


@pytest.fixture
def directors(db):
    """Two directors with due projects, and what must never be reminded."""
    a = factories.UserFactory(username="dir-a", role=Role.DIRECTOR.value, first_name="Paul", last_name="Arnaud")
    b = factories.UserFactory(username="dir-b", role=Role.DIRECTOR.value)
    service_a = factories.ServiceFactory(director=a, acronym="TC")
    service_b = factories.ServiceFactory(director=b)
    due = factories.ProjectFactory(lead_service=service_a, phase="pilot", name="Bus à haut niveau de service")
    factories.ProjectFactory(lead_service=service_a, phase="pilot", last_reported_at=paris(2026, 10, 20))
    factories.ProjectFactory(lead_service=service_b, phase="study")
    # Never in a reminder: fresh, closed, archived.
    fresh = factories.ProjectFactory(lead_service=service_a, phase="pilot", last_reported_at=paris(2026, 11, 3))
    closed = factories.ProjectFactory(lead_service=service_a, phase="closed")
    archived = factories.ProjectFactory(lead_service=service_a, phase="pilot", is_archived=True)
    return {"a": a, "b": b, "due": due, "excluded": [fresh, closed, archived]}


@override_settings(SITE_URL="https://orchestre.example.fr")
def test_one_reminder_per_director_listing_only_due_projects(november, directors):
    assert tasks.send_reporting_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["dir-a@example.org", "dir-b@example.org"]
    message = next(m for m in mail.outbox if m.to == ["dir-a@example.org"])
    assert directors["due"].code in message.body
    for project in directors["excluded"]:
        assert project.code not in message.body
    assert "https://orchestre.example.fr/mon-service/rapport/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'lang="fr"' in html
    assert 'href="https://orchestre.example.fr/mon-service/rapport/"' in html
    assert directors["due"].code in html and "Bus à haut niveau de service" in html
    # French rendering: French date formats (Django's own French locale).
    assert "30 novembre 2026" in message.body and "30 novembre 2026" in html
    assert "2 projects" in message.subject or "2 projets" in message.subject


def test_running_the_task_twice_sends_no_duplicate(november, directors):
    assert tasks.send_reporting_reminders() == 2
    assert tasks.send_reporting_reminders() == 0
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(status=ReminderLog.Status.SENT).count() == 2


def test_a_worker_dying_between_claim_and_send_sends_no_duplicate(november, directors, monkeypatch):
    original = EmailMultiAlternatives.send

    def die(self, *args, **kwargs):
        raise WorkerLost

    monkeypatch.setattr(EmailMultiAlternatives, "send", die)
    with pytest.raises(WorkerLost):
        tasks.send_reporting_reminders()
    claimed = ReminderLog.objects.get()
    assert claimed.status == ReminderLog.Status.CLAIMED
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    # The restarted worker sends the other director's reminder, never the claimed one again.
    assert tasks.send_reporting_reminders() == 1
    assert tasks.send_reporting_reminders() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to != [claimed.recipient.email]
    assert ReminderLog.objects.get(pk=claimed.pk).status == ReminderLog.Status.CLAIMED


def test_a_refused_send_is_retried_next_run(november, directors, monkeypatch):
    original = EmailMultiAlternatives.send

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    assert tasks.send_reporting_reminders() == 0
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderLog.Status.FAILED}
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    assert tasks.send_reporting_reminders() == 2
    assert tasks.send_reporting_reminders() == 0
    assert len(mail.outbox) == 2


def test_no_reminder_before_the_reminder_date_or_once_everything_is_fresh(directors):
    with time_machine.travel(paris(2026, 11, 2), tick=False):
        reporting_services.cycle_roll_over()
        assert tasks.send_reporting_reminders() == 0  # reminders start 7 days before the end
    with time_machine.travel(paris(2026, 11, 25), tick=False):
        Project.objects.update(last_reported_at=paris(2026, 11, 20))
        assert tasks.send_reporting_reminders() == 0
    assert mail.outbox == []


def test_a_new_cycle_reminds_again(november, directors):
    assert tasks.send_reporting_reminders() == 2
    with time_machine.travel(paris(2026, 12, 1, 0, 5), tick=False):
        reporting_services.cycle_roll_over()
    with time_machine.travel(paris(2026, 12, 28, 8, 30), tick=False):
        assert tasks.send_reporting_reminders() == 2
    assert len(mail.outbox) == 4


def test_the_leads_get_the_digest_once_when_the_cycle_closes(
    november, directors, lead, django_capture_on_commit_callbacks
):
    lead.email = "lead@example.org"
    lead.save()
    factories.StatusReportFactory(project=directors["due"], health="on_track", created_at=paris(2026, 10, 5))
    factories.StatusReportFactory(project=directors["due"], health="off_track", created_at=paris(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=True):
        closed = reporting_services.cycle_start_next(by=lead)
    digests = [m for m in mail.outbox if m.to == ["lead@example.org"]]
    assert len(digests) == 1
    body = digests[0].body
    assert directors["due"].code in body and "En difficulté" in body
    assert 'lang="fr"' in digests[0].alternatives[0][0]
    previous = ReminderLog.objects.get(kind=ReminderLog.Kind.DIGEST)
    assert tasks.send_cycle_digest(cycle_id=previous.cycle_id) == 0
    assert closed.pk != previous.cycle_id


def test_the_hourly_roll_over_closes_the_cycle_and_sends_the_digest(
    november, directors, lead, django_capture_on_commit_callbacks
):
    lead.email = "lead@example.org"
    lead.save()
    with time_machine.travel(paris(2026, 12, 1, 0, 5), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tasks.roll_reporting_cycle() is not None
        assert tasks.roll_reporting_cycle() is None  # already rolled over
    digests = [m for m in mail.outbox if m.to == ["lead@example.org"]]
    assert len(digests) == 1
    assert "30/11/2026" in digests[0].subject
    assert "Non renseignée" in digests[0].body and directors["due"].code in digests[0].body
