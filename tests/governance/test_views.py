"""Page behaviour and pinned query counts at two data sizes."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Meeting
from tests import factories
from tests.svg import assert_svg_numbers_are_valid, svg_numbers

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def build(size: int, official_user=None) -> dict:
    """A committee with ``size`` meetings and ``size * 3`` projects, every
    meeting holding agenda items, decisions, actions and attendance."""
    domains = [factories.DomainFactory(slug=f"d{i}") for i in range(3)]
    official = official_user.official if official_user else factories.ElectedOfficialFactory()
    official.domains.set(domains[:1])
    projects = []
    for i in range(size * 3):
        project = factories.ProjectFactory(
            domains=[domains[i % 3]],
            sponsor=official if i % 2 else None,
            health=["on_track", "at_risk", "off_track"][i % 3],
            last_reported_at=NOW - datetime.timedelta(days=10 * i),
            start_date=NOW.date() - datetime.timedelta(days=5 * i),
        )
        factories.StatusReportFactory(project=project, created_at=NOW - datetime.timedelta(days=90), health="on_track")
        factories.MilestoneFactory(project=project, due_date=NOW.date() - datetime.timedelta(days=i))
        projects.append(project)
    committee = factories.CommitteeFactory()
    committee.members.add(official, factories.ElectedOfficialFactory())
    committee.invited_services.add(factories.ServiceFactory())
    meetings = []
    for n in range(size):
        meeting = factories.MeetingFactory(
            committee=committee, starts_at=NOW - datetime.timedelta(days=30 * (size - n))
        )
        item = services.agenda_item_create(
            meeting=meeting, data={"title": f"Point {n}", "projects": projects[n : n + 2]}
        )
        services.agenda_item_create(meeting=meeting, data={"title": f"Autre {n}", "projects": projects[n + 1 : n + 3]})
        decision = services.decision_create(meeting=meeting, data={"text": f"Décision {n} budget", "agenda_item": item})
        services.action_create(
            meeting=meeting,
            data={
                "title": f"Action {n}",
                "owner_service": projects[n].lead_service,
                "decision": decision,
                "due_date": NOW.date() - datetime.timedelta(days=1),
            },
        )
        services.attendance_record(
            meeting=meeting, token=services.attendance_token(meeting), officials={official: "present"}
        )
        meetings.append(meeting)
    for meeting in meetings[:-1]:
        services.meeting_mark_held(meeting=meeting)
    upcoming = factories.MeetingFactory(committee=committee, starts_at=NOW + datetime.timedelta(days=10))
    services.agenda_item_create(meeting=upcoming, data={"title": "Ouverture", "projects": projects[:3]})
    return {
        "committee": committee,
        "meetings": meetings,
        "upcoming": upcoming,
        "official": official,
        "projects": projects,
    }


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


PAGES = {
    "dashboard": lambda w: reverse("governance:dashboard"),
    "meeting": lambda w: reverse("governance:meeting_detail", args=[w["upcoming"].pk]),
    "held meeting": lambda w: reverse("governance:meeting_detail", args=[w["meetings"][-2].pk]),
    "live pack": lambda w: reverse("governance:meeting_pack", args=[w["upcoming"].pk]),
    "frozen pack": lambda w: reverse("governance:meeting_pack", args=[w["meetings"][-2].pk]),
    "register": lambda w: reverse("governance:decision_register"),
    "register filtered": lambda w: (
        reverse("governance:decision_register")
        + f"?q=budget&committee={w['committee'].pk}&official={w['official'].pk}&since=2000-01-01"
    ),
    "committee": lambda w: reverse("governance:committee_detail", args=[w["committee"].pk]),
    "feed": lambda w: reverse("governance:committee_feed", args=[w["committee"].pk, w["committee"].calendar_token]),
}
# Pinned: session + user + groups (role) are 3 of them.
EXPECTED = {
    ("lead", "dashboard"): 14,  # +2: the reporting cycle and the freshness summary; +1 the last meeting; +1 the plan
    ("official", "dashboard"): 17,  # +1: the plan (none here; with one, its objectives and roll-up add 4)
    (
        "lead",
        "meeting",
    ): 20,  # +1 reporting cycle, +1 documents, +1 the pack send log
    ("official", "meeting"): 13,  # +1: the documents; +1 the pack's send log
    ("lead", "held meeting"): 21,
    ("official", "held meeting"): 14,
    (
        "lead",
        "live pack",
    ): 21,  # +1 reporting cycle, +1 ideas decided, +1 annex reports
    ("official", "live pack"): 21,
    ("lead", "frozen pack"): 7,  # +1: the ideas decided (from their log, the same whenever read)
    ("official", "frozen pack"): 7,
    ("lead", "register"): 10,
    ("official", "register"): 10,
    ("lead", "register filtered"): 12,
    ("official", "register filtered"): 12,
    ("lead", "committee"): 8,
    ("official", "committee"): 8,
    ("lead", "feed"): 4,  # no agenda in the public feed
    ("official", "feed"): 4,
}


@pytest.fixture(scope="module")
def query_counts(django_db_setup, django_db_blocker) -> dict[str, dict[str, list[int]]]:
    """Each page's query count at both sizes, as each persona: the two
    worlds built once per persona (not once per page), rolled back."""
    from django.test import Client

    from smartcity.base.roles import Role
    from tests.world import LEAD_USERNAME

    results = {}
    with django_db_blocker.unblock():
        for persona in ("lead", "official"):
            with transaction.atomic():
                if persona == "lead":
                    user = factories.UserFactory(username=LEAD_USERNAME, role=Role.LEAD.value)
                else:
                    user = factories.UserFactory(username="official-user", role=Role.OFFICIAL.value)
                    factories.ElectedOfficialFactory(user=user)
                client = Client()
                client.force_login(user)
                counts: dict[str, list[int]] = {page: [] for page in PAGES}
                for size in (3, 9):
                    world = build(size, official_user=user if persona == "official" and size == 3 else None)
                    for page, url in PAGES.items():
                        counts[page].append(count_queries(client, url(world)))
                results[persona] = counts
                transaction.set_rollback(True)
    return results


@pytest.mark.parametrize("persona", ["lead", "official"])
@pytest.mark.parametrize("page", list(PAGES))
def test_query_counts_do_not_grow_with_data(page, persona, query_counts):
    counts = query_counts[persona][page]
    assert counts[0] == counts[1] == EXPECTED[(persona, page)], counts


def test_official_dashboard_shows_own_domains_first_and_charts(official_client, official):
    world = build(3, official_user=official)
    response = official_client.get(reverse("home"))
    html = response.content.decode()
    assert 'role="img"' in html and '<title id="health-svg-title">' in html and "<desc" in html
    assert 'lang="fr"' in html  # the French locale writes 9.6 as "9,6"…
    assert_svg_numbers_are_valid(html)  # …which must not reach the SVG
    assert any("." in value for value in svg_numbers(html))  # fractional widths were drawn
    own_domain = world["official"].domains.get()
    table = html.split('id="domain-table-title"')[1]
    assert table.index(own_domain.name) < min(
        table.index(d.name) for d in own_domain.__class__.objects.exclude(pk=own_domain.pk)
    )
    assert reverse("governance:meeting_pack", args=[world["upcoming"].pk]) in html


def test_official_dashboard_links_the_last_meetings_minutes_and_the_next_pack(official_client, official):
    world = build(3, official_user=official)
    html = official_client.get(reverse("governance:dashboard")).content.decode()
    last_held = world["meetings"][-2]  # the last one of the loop is not marked held
    assert f'{last_held.get_absolute_url()}#decisions-title"' in html
    assert "Lire le relevé" in html
    assert reverse("governance:meeting_pack", args=[world["upcoming"].pk]) in html


def test_official_sees_no_edit_controls(official_client):
    world = build(3)
    html = official_client.get(reverse("governance:meeting_detail", args=[world["upcoming"].pk])).content.decode()
    assert (
        "agenda_item_move" not in html and reverse("governance:decision_add", args=[world["upcoming"].pk]) not in html
    )
    assert "Suggested agenda items" not in html


def test_agenda_reorder_with_htmx_returns_the_fragment(lead_client):
    meeting = factories.MeetingFactory()
    first = services.agenda_item_create(meeting=meeting, data={"title": "Premier"})
    services.agenda_item_create(meeting=meeting, data={"title": "Second"})
    url = reverse("governance:agenda_item_move", args=[first.pk])
    response = lead_client.post(url, {"direction": "down"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="agenda"') and "<html" not in html
    assert html.index("Second") < html.index("Premier")


def test_agenda_reorder_without_javascript_redirects(lead_client):
    meeting = factories.MeetingFactory()
    services.agenda_item_create(meeting=meeting, data={"title": "Premier"})
    second = services.agenda_item_create(meeting=meeting, data={"title": "Second"})
    response = lead_client.post(reverse("governance:agenda_item_move", args=[second.pk]), {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == ["Second", "Premier"]


def test_locked_meeting_refuses_edits_through_the_views(lead_client):
    meeting = factories.MeetingFactory(status="held")
    services.meeting_approve_minutes(meeting=meeting)
    response = lead_client.post(reverse("governance:decision_add", args=[meeting.pk]), {"text": "Ajout tardif"})
    assert response.status_code == 302
    assert not meeting.decisions.exists()
    response = lead_client.post(
        reverse("governance:agenda_proposal_add", args=[meeting.pk]),
        {"kind": "stale", "project": factories.ProjectFactory().pk},
    )
    assert not meeting.agenda_items.exists()


def test_bad_action_input_rerenders_with_errors(lead_client):
    meeting = factories.MeetingFactory()
    response = lead_client.post(reverse("governance:action_add", args=[meeting.pk]), {"title": "Sans responsable"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode() or "alert" in response.content.decode()
    assert not meeting.actions.exists()


def test_meeting_created_through_the_form_gets_the_next_number(lead_client):
    meeting = factories.MeetingFactory()
    response = lead_client.post(
        reverse("governance:meeting_create", args=[meeting.committee.pk]),
        {"starts_at": "2031-01-02T10:00", "duration_minutes": 60, "place": "Ici"},
    )
    created = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.status_code == 302 and created.number == meeting.number + 1


def test_register_filters(official_client):
    world = build(3)
    other = build(3)
    url = reverse("governance:decision_register")
    html = official_client.get(url, {"committee": world["committee"].pk}).content.decode()
    assert html.count('class="border-bottom py-2"') == 3
    for w in (world, other):
        services.decision_create(meeting=w["meetings"][1], data={"text": "Parking relais du Mermoz : tarif unique"})
    # Every term must match (text, or a linked project's code or name); a
    # bare digit would also match project codes, so the terms are words.
    html = official_client.get(url, {"q": "relais mermoz"}).content.decode()
    assert html.count('class="border-bottom py-2"') == 2  # one per committee
    html = official_client.get(url, {"q": "relais tramway"}).content.decode()
    assert html.count('class="border-bottom py-2"') == 0
    project = other["projects"][0]
    html = official_client.get(url, {"project": project.code}).content.decode()
    assert html.count('class="border-bottom py-2"') == 1
    html = official_client.get(url, {"since": (NOW + datetime.timedelta(days=1)).date().isoformat()}).content.decode()
    assert html.count('class="border-bottom py-2"') == 0


def test_frozen_pack_reads_the_same_after_projects_change(official_client, lead):
    project = factories.ProjectFactory(name="Navettes autonomes", health="on_track", progress=30)
    meeting = factories.MeetingFactory(starts_at=NOW - datetime.timedelta(days=1))
    services.meeting_mark_held(meeting=meeting, user=lead)
    url = reverse("governance:meeting_pack", args=[meeting.pk])
    before = official_client.get(url).content.decode()
    Project = type(project)
    Project.objects.filter(pk=project.pk).update(name="Navettes renommées", health="off_track", progress=95)
    factories.ProjectFactory(name="Projet arrivé après")
    after = official_client.get(url).content.decode()
    assert "Navettes autonomes" in after and "Navettes renommées" not in after
    assert "Projet arrivé après" not in after

    def portfolio(html):
        return html.split('id="pack-portfolio"')[1].split("</article>")[0]

    assert portfolio(before) == portfolio(after)


def test_live_pack_follows_the_portfolio(official_client):
    project = factories.ProjectFactory(name="Avant")
    meeting = factories.MeetingFactory()
    url = reverse("governance:meeting_pack", args=[meeting.pk])
    assert "Avant" in official_client.get(url).content.decode()
    type(project).objects.filter(pk=project.pk).update(name="Après")
    assert "Après" in official_client.get(url).content.decode()


def test_lead_creates_a_committee_with_members(lead_client):
    official = factories.ElectedOfficialFactory()
    service = factories.ServiceFactory()
    response = lead_client.post(
        reverse("governance:committee_create"),
        {"name": "Comité données", "short_name": "CD", "members": [official.pk], "invited_services": [service.pk]},
    )
    committee = official.committees.get()
    assert response.status_code == 302 and committee.name == "Comité données"
    assert list(committee.invited_services.all()) == [service]
    assert committee.calendar_token and len(committee.calendar_token) >= 32


def test_amendment_through_the_view_is_listed_on_the_meeting_and_in_the_register(lead_client, official_client):
    meeting = factories.MeetingFactory(status="held")
    decision = factories.DecisionFactory(meeting=meeting, text="Budget de 400 k€ validé")
    services.meeting_approve_minutes(meeting=meeting)
    response = lead_client.post(
        reverse("governance:amendment_add", args=[meeting.pk]),
        {"decision": decision.pk, "text": "Lire 40 k€", "reason": "Erreur de saisie"},
    )
    assert response.status_code == 302
    assert "Lire 40 k€" in official_client.get(meeting.get_absolute_url()).content.decode()
    assert "Lire 40 k€" in official_client.get(reverse("governance:decision_register")).content.decode()
    decision.refresh_from_db()
    assert decision.text == "Budget de 400 k€ validé"  # the minutes themselves are untouched


def test_pack_rows_escape_every_value():
    from governance.templatetags.governance_tags import pack_project_rows

    hostile = '"><script>alert(1)</script>'
    row = {
        "code": hostile,
        "name": hostile,
        "short_name": hostile,
        "lead_service": hostile,
        "health": hostile,
        "health_label": hostile,
        "progress": 40,
        "freshness_label": hostile,
    }
    html = pack_project_rows([row])
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 7  # every text cell, the name's title and the health class
    assert 'class="badge health health-&quot;&gt;&lt;script&gt;' in html


def test_pack_change_and_attention_rows_escape_every_value():
    from governance.templatetags.governance_tags import pack_attention_rows, pack_change_rows

    hostile = '"><script>alert(1)</script>'
    change = {
        "url": hostile,
        "code": hostile,
        "name": hostile,
        "health_before": hostile,
        "before_label": hostile,
        "health_after": "on_track",
        "after_label": hostile,
    }
    html = pack_change_rows([change])
    assert "<script>" not in html and html.count("&lt;script&gt;") == 6
    report = {"comment": hostile, "next_milestone": hostile, "next_milestone_date": "2026-12-24"}
    attention = {
        "code": hostile,
        "short_name": hostile,
        "lead_service": hostile,
        "phase_label": hostile,
        "progress": 12,
        "budget": hostile,
        "health": hostile,
        "health_label": hostile,
        "freshness_label": hostile,
        "report": report,
    }
    html = pack_attention_rows([attention], hostile)
    assert "<script>" not in html and html.count("&lt;script&gt;") == 11
    assert "(24/12/2026)" in html
