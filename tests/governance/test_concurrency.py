"""Two people saving the same committee record never silently overwrite each
other: the second save is refused, shows what the first saved next to what
was typed, and writes nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from governance.models import AgendaItem, Attendance, Committee, Meeting
from smartcity.base.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_leads():
    clients = []
    for name in ("lead-a", "lead-b"):
        client = Client()
        client.force_login(factories.UserFactory(username=name, role=Role.LEAD.value))
        clients.append(client)
    return clients


def _token(response) -> str:
    match = re.search(r'name="token" value="([^"]*)"', response.content.decode())
    assert match, "the form carries no concurrency token"
    return match.group(1)


def _meeting_data(place: str, token: str) -> dict:
    return {"starts_at": "2031-03-04T15:00", "duration_minutes": 60, "place": place, "summary": "", "token": token}


def test_meeting_edited_in_two_sessions(two_leads):
    first, second = two_leads
    meeting = factories.MeetingFactory(place="Salle A")
    url = reverse("governance:meeting_edit", args=[meeting.pk])
    token_a, token_b = _token(first.get(url)), _token(second.get(url))
    assert first.post(url, _meeting_data("Salle B", token_a)).status_code == 302
    refused = second.post(url, _meeting_data("Salle C", token_b))
    assert refused.status_code == 409
    changes = {c.field: c for c in refused.context["changes"]}
    assert (changes["place"].theirs, changes["place"].yours) == ("Salle B", "Salle C")
    assert Meeting.objects.get(pk=meeting.pk).place == "Salle B"


def test_committee_edited_in_two_sessions(two_leads):
    first, second = two_leads
    committee = factories.CommitteeFactory(name="COPIL smart city")
    url = reverse("governance:committee_edit", args=[committee.pk])
    token_a, token_b = _token(first.get(url)), _token(second.get(url))
    official = factories.ElectedOfficialFactory()
    saved = first.post(url, {"name": "COPIL ville", "short_name": "COPIL", "members": [official.pk], "token": token_a})
    assert saved.status_code == 302
    refused = second.post(url, {"name": "COPIL territoire", "short_name": "COPIL", "token": token_b})
    assert refused.status_code == 409
    assert {c.field for c in refused.context["changes"]} == {"name", "members"}
    committee = Committee.objects.get(pk=committee.pk)
    assert committee.name == "COPIL ville" and list(committee.members.all()) == [official]


def test_agenda_item_edited_in_two_sessions(two_leads):
    first, second = two_leads
    item = factories.AgendaItemFactory(title="Point budget")
    url = reverse("governance:agenda_item_edit", args=[item.pk])
    token_a, token_b = _token(first.get(url)), _token(second.get(url))
    assert first.post(url, {"title": "Budget 2031", "duration_minutes": 10, "token": token_a}).status_code == 302
    refused = second.post(url, {"title": "Budget révisé", "duration_minutes": 10, "token": token_b})
    assert refused.status_code == 409
    assert [c.theirs for c in refused.context["changes"] if c.field == "title"] == ["Budget 2031"]
    assert AgendaItem.objects.get(pk=item.pk).title == "Budget 2031"


def test_attendance_recorded_in_two_sessions(two_leads):
    first, second = two_leads
    meeting = factories.MeetingFactory()
    official = factories.ElectedOfficialFactory()
    meeting.committee.members.add(official)
    url = reverse("governance:attendance_edit", args=[meeting.pk])
    token_a, token_b = _token(first.get(url)), _token(second.get(url))
    field = f"official_{official.pk}"
    assert first.post(url, {field: "present", "add_partner_status": "present", "token": token_a}).status_code == 302
    refused = second.post(url, {field: "excused", "add_partner_status": "present", "token": token_b})
    assert refused.status_code == 409
    assert [(c.label, c.theirs) for c in refused.context["changes"]] == [(str(official), "Présent·e")]
    assert Attendance.objects.get(meeting=meeting, official=official).status == "present"


def test_attendance_page_leads_back_to_its_meeting(lead_client):
    meeting = factories.MeetingFactory()
    page = lead_client.get(reverse("governance:attendance_edit", args=[meeting.pk])).content.decode()
    back = f'<a href="{meeting.get_absolute_url()}">{meeting} — {meeting.committee.name}</a>'
    assert back in page
    assert f'<a class="btn btn-link" href="{meeting.get_absolute_url()}">' in page  # cancel
