import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance import ical
from tests import factories

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_escaping_and_folding():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 100
    folded = ical.fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


def test_meeting_ics_is_valid_icalendar(official_client):
    committee = factories.CommitteeFactory(name="Comité, énergie; données\\ville")
    starts = datetime.datetime(2031, 3, 4, 14, 0, tzinfo=datetime.UTC)
    meeting = factories.MeetingFactory(committee=committee, starts_at=starts, place="Salle 1, étage 2")
    factories.AgendaItemFactory(meeting=meeting, title="Point très long " * 10)
    response = official_client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode()
    assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    props = dict(line.split(":", 1) for line in lines if ":" in line)
    assert props["DTSTART"] == "20310304T140000Z"
    assert props["DTEND"] == "20310304T160000Z"
    assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTAMP"])
    assert props["UID"] == ical.meeting_uid(meeting)
    assert props["LOCATION"] == "Salle 1\\, étage 2"
    assert "Comité\\, énergie\\; données\\\\ville" in props["SUMMARY"]
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1


def test_uid_is_stable_across_downloads(official_client):
    meeting = factories.MeetingFactory()
    url = reverse("governance:meeting_ics", args=[meeting.pk])
    uids = [re.search(r"UID:(.*)\r\n", official_client.get(url).content.decode()).group(1) for _ in range(2)]
    assert uids[0] == uids[1]


def test_feed_needs_the_right_token_not_a_session():
    committee = factories.CommitteeFactory()
    for _ in range(3):
        factories.MeetingFactory(committee=committee, starts_at=timezone.now())
    anonymous = Client()
    ok = anonymous.get(reverse("governance:committee_feed", args=[committee.pk, committee.calendar_token]))
    assert ok.status_code == 200
    assert unfold(ok.content.decode()).count("BEGIN:VEVENT") == 3
    wrong = anonymous.get(reverse("governance:committee_feed", args=[committee.pk, "x" + committee.calendar_token]))
    assert wrong.status_code == 404
    other = factories.CommitteeFactory()
    swapped = anonymous.get(reverse("governance:committee_feed", args=[other.pk, committee.calendar_token]))
    assert swapped.status_code == 404


def test_resetting_the_token_closes_the_old_address(lead_client):
    committee = factories.CommitteeFactory()
    old = committee.calendar_token
    lead_client.post(reverse("governance:committee_calendar_reset", args=[committee.pk]))
    committee.refresh_from_db()
    assert committee.calendar_token != old
    assert Client().get(reverse("governance:committee_feed", args=[committee.pk, old])).status_code == 404


def _feed(committee):
    return Client().get(reverse("governance:committee_feed", args=[committee.pk, committee.calendar_token]))


def test_public_feed_carries_no_agenda_or_summary():
    committee = factories.CommitteeFactory(name="Comité mobilités")
    meeting = factories.MeetingFactory(committee=committee, place="Salle du conseil", summary="Résumé confidentiel")
    factories.AgendaItemFactory(meeting=meeting, title="Point secret sur le budget")
    raw = _feed(committee).content.decode()
    text = "".join(unfold(raw))
    assert "Point secret" not in text and "Résumé confidentiel" not in text and "DESCRIPTION" not in text
    assert "Salle du conseil" in text and "Comité mobilités" in text and "DTSTART" in text


def test_meeting_at_the_end_of_time_never_gives_a_500(official_client):
    committee = factories.CommitteeFactory()
    last = datetime.datetime(9999, 12, 31, 23, 30, tzinfo=datetime.UTC)
    meeting = factories.MeetingFactory(committee=committee, starts_at=last, duration_minutes=120)
    response = official_client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    props = dict(line.split(":", 1) for line in unfold(response.content.decode()) if ":" in line)
    assert props["DTSTART"] == "99991231T233000Z" and props["DTEND"] == "99991231T235959Z"
    assert _feed(committee).status_code == 200


def test_control_characters_never_break_the_header_or_the_calendar(official_client):
    committee = factories.CommitteeFactory(name="Comité\r\nSet-Cookie: x=1", short_name="CO\r\nPIL\x01é\x1b")
    meeting = factories.MeetingFactory(committee=committee, place="Salle\x07 1\r\nBIS", summary="a\x0bb")
    factories.AgendaItemFactory(meeting=meeting, title="Point\x02 un\x1f")
    response = official_client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+\.ics"', header), header
    for raw in (response.content.decode(), _feed(committee).content.decode()):
        assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
        assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", raw.replace("\r\n", ""))
        lines = unfold(raw)
        assert not any(line.startswith("Set-Cookie") for line in lines)
        props = dict(line.split(":", 1) for line in lines if ":" in line)
        assert props["LOCATION"] == "Salle 1\\nBIS"
