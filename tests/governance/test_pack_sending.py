"""Sending the meeting pack by e-mail: once per member and version, logged,
resent on demand, by the lead only."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance import rules, services
from governance.models import PackDelivery, PackEdition
from programmes.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cheap_pdf(monkeypatch):
    """The PDF itself is tested in test_pack_pdf.py; here it only has to exist."""
    monkeypatch.setattr(
        "governance.pdf.render_pack", lambda context, **kw: b"%%PDF-1.7 version %d" % context["edition"].number
    )


@pytest.fixture
def meeting():
    meeting = factories.MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=4))
    members = [
        factories.ElectedOfficialFactory(first_name="Anne", email="anne@orvalle.example"),
        factories.ElectedOfficialFactory(first_name="Paul", email="paul@orvalle.example"),
        factories.ElectedOfficialFactory(email=""),  # no address: nothing to send
        factories.ElectedOfficialFactory(email="gone@orvalle.example", is_active=False),  # left office
    ]
    meeting.committee.members.add(*members)
    factories.ProjectFactory(name="Navettes autonomes")
    return meeting


def send(meeting, user, capture):
    with capture(execute=True):
        return services.pack_send(meeting=meeting, user=user)


def test_each_member_gets_each_version_once(meeting, lead, django_capture_on_commit_callbacks):
    first = send(meeting, lead, django_capture_on_commit_callbacks)
    assert sorted(d.email for d in first) == ["anne@orvalle.example", "paul@orvalle.example"]
    assert sorted(m.to[0] for m in mail.outbox) == ["anne@orvalle.example", "paul@orvalle.example"]
    message = mail.outbox[0]
    assert "version 1" in message.subject and str(meeting) in message.subject
    assert message.attachments[0][1].startswith(b"%PDF") and message.attachments[0][2] == "application/pdf"

    # Unchanged pack: nothing new is sent.
    assert send(meeting, lead, django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 2 and PackEdition.objects.filter(meeting=meeting).count() == 1

    # The pack changed: a new version, sent to everyone again.
    Project.objects.update(name="Navettes renommées")
    again = send(meeting, lead, django_capture_on_commit_callbacks)
    assert len(again) == 2 and {d.edition.number for d in again} == {2}
    assert len(mail.outbox) == 4 and "version 2" in mail.outbox[-1].subject


def test_every_send_is_logged_and_shown_on_the_meeting_page(
    meeting, lead, lead_client, official_client, django_capture_on_commit_callbacks
):
    send(meeting, lead, django_capture_on_commit_callbacks)
    log = PackDelivery.objects.filter(edition__meeting=meeting)
    assert {(d.status, d.requested_by_id, d.edition.number) for d in log} == {("sent", lead.pk, 1)}
    assert all(d.sent_at is not None for d in log)
    page = lead_client.get(meeting.get_absolute_url()).content.decode()
    assert "anne@orvalle.example" in page
    assert page.count('/renvoyer/"') == 2
    # Officials read the log, without addresses or buttons.
    page = official_client.get(meeting.get_absolute_url()).content.decode()
    assert "Anne" in page and "anne@orvalle.example" not in page and "/renvoyer/" not in page


def test_a_failed_send_is_logged_and_the_lead_resends_it(
    meeting, lead, lead_client, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise OSError("SMTP refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    send(meeting, lead, django_capture_on_commit_callbacks)
    failed = PackDelivery.objects.get(edition__meeting=meeting, official__first_name="Anne")
    assert failed.status == "failed" and "SMTP refused" in failed.error
    monkeypatch.undo()
    monkeypatch.setattr("governance.pdf.render_pack", lambda context, **kw: b"%PDF-1.7")

    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(reverse("governance:pack_resend", args=[meeting.pk, failed.pk]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["anne@orvalle.example"]]
    resent = PackDelivery.objects.get(is_resend=True)
    assert (resent.status, resent.edition_id, resent.requested_by) == ("sent", failed.edition_id, lead)
    assert PackDelivery.objects.count() == 3  # the failed row stays in the log


def test_a_delivery_is_sent_once_even_if_the_task_runs_twice(meeting, lead):
    created = services.pack_send(meeting=meeting, user=lead)  # on_commit not run: still queued
    ids = [d.pk for d in created]
    assert services.pack_deliver(delivery_ids=ids) == 2
    assert services.pack_deliver(delivery_ids=ids) == 0
    assert len(mail.outbox) == 2


def test_who_may_send(meeting, lead, official, director, viewer_client, official_client, director_client):
    assert rules.can_send_pack(lead, meeting)
    assert not any(rules.can_send_pack(user, meeting) for user in (official, director))
    for client in (viewer_client, official_client, director_client):
        assert client.post(reverse("governance:pack_send", args=[meeting.pk])).status_code == 403
    assert not PackDelivery.objects.exists()
    services.meeting_cancel(meeting=meeting)
    meeting.refresh_from_db()
    assert not rules.can_send_pack(lead, meeting)
    with pytest.raises(services.PackNotSendable):
        services.pack_send(meeting=meeting, user=lead)


def test_the_beat_sends_each_meeting_its_first_version_on_the_committees_day(
    meeting, django_capture_on_commit_callbacks
):
    meeting.committee.pack_days_before = 3
    meeting.committee.save()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.packs_send_due(today=today) == 0  # four days ahead: not yet
        assert services.packs_send_due(today=today + datetime.timedelta(days=1)) == 1
        Project.objects.update(name="Changed")
        assert services.packs_send_due(today=today + datetime.timedelta(days=2)) == 0  # later versions: the lead's call
    assert len(mail.outbox) == 2
