import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance import selectors, services
from governance.models import ActionItem, Meeting, PackSnapshot
from programmes import cycles, rules
from programmes.models import Project, ReportingCycle
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _meeting(committee, days, status=None):
    return factories.MeetingFactory(committee=committee, starts_at=NOW + datetime.timedelta(days=days), status=status)


def test_numbers_keep_counting_after_a_cancelled_meeting():
    committee = factories.CommitteeFactory()
    first = _meeting(committee, 1)
    services.meeting_cancel(meeting=first)
    assert _meeting(committee, 2).number == 2
    assert Meeting.objects.get(pk=first.pk).number == 1


MEETING_EDITS = [
    lambda m, lead: services.agenda_item_create(meeting=m, data={"title": "x"}),
    lambda m, lead: services.decision_create(meeting=m, data={"text": "x"}),
    lambda m, lead: services.action_create(meeting=m, data={"title": "x", "owner_name": "Y"}),
    lambda m, lead: services.attendance_record(
        meeting=m, token=services.attendance_token(m), officials={factories.ElectedOfficialFactory(): "present"}
    ),
    lambda m, lead: services.meeting_update(
        meeting=m, token=None, data={"starts_at": NOW, "place": "Ailleurs", "duration_minutes": 60, "summary": ""}
    ),
    lambda m, lead: services.meeting_cancel(meeting=m),
    lambda m, lead: services.agenda_item_move(item=m.agenda_items.first(), offset=1),
    lambda m, lead: services.agenda_item_delete(item=m.agenda_items.first()),
    lambda m, lead: services.pack_freeze(meeting=m),
]


@pytest.mark.parametrize("edit", MEETING_EDITS)
def test_approved_minutes_lock_the_meeting(edit, lead):
    meeting = _meeting(factories.CommitteeFactory(), -1)
    factories.AgendaItemFactory(meeting=meeting)
    factories.AgendaItemFactory(meeting=meeting, position=1)
    services.meeting_mark_held(meeting=meeting)
    services.meeting_approve_minutes(meeting=meeting)
    # A stale in-memory copy must not get past the check either.
    stale_copy = Meeting.objects.get(pk=meeting.pk)
    stale_copy.status = Meeting.Status.HELD
    with pytest.raises(services.MeetingLocked):
        edit(stale_copy, lead)


@pytest.mark.parametrize("edit", MEETING_EDITS)
def test_a_cancelled_meeting_takes_no_edit(edit, lead):
    """What the page no longer offers on a cancelled meeting, the services
    refuse too (governance.rules.can_edit_meeting)."""
    meeting = _meeting(factories.CommitteeFactory(), 3)
    factories.AgendaItemFactory(meeting=meeting)
    factories.AgendaItemFactory(meeting=meeting, position=1)
    services.meeting_cancel(meeting=meeting)
    with pytest.raises(services.MeetingCancelled):
        edit(meeting, lead)


def test_closing_an_action_in_a_locked_meeting_is_refused():
    committee = factories.CommitteeFactory()
    raised = _meeting(committee, -10, status="held")
    action = services.action_create(meeting=raised, data={"title": "Note", "owner_name": "A"})
    services.meeting_approve_minutes(meeting=raised)
    with pytest.raises(services.MeetingLocked):
        services.action_close(action=action, meeting=raised)


def test_amendments_only_on_approved_minutes(lead):
    meeting = _meeting(factories.CommitteeFactory(), -1, status="held")
    with pytest.raises(ValidationError):
        services.amendment_create(meeting=meeting, author=lead, text="x", reason="y")
    services.meeting_approve_minutes(meeting=meeting)
    decision = factories.DecisionFactory(meeting=meeting)
    amendment = services.amendment_create(
        meeting=meeting, author=lead, text="Lire 40", reason="coquille", decision=decision
    )
    assert list(decision.amendments.all()) == [amendment]
    assert amendment.history.count() == 1


def test_open_actions_carry_over_until_closed():
    committee = factories.CommitteeFactory()
    m1 = _meeting(committee, -30, status="held")
    action = services.action_create(meeting=m1, data={"title": "Étude", "owner_name": "DSI"})
    m2, m3 = _meeting(committee, -10), _meeting(committee, 10)
    other_committee_meeting = _meeting(factories.CommitteeFactory(), 5)
    assert list(selectors.carried_actions(meeting=m2)) == [action]
    assert list(selectors.carried_actions(meeting=m3)) == [action]
    assert list(selectors.carried_actions(meeting=other_committee_meeting)) == []
    assert list(selectors.carried_actions(meeting=m1)) == []

    services.action_close(action=action, meeting=m2)
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE
    assert action.closed_in == m2 and action.closed_at is not None
    # Still shown where it was closed, gone from the meetings after.
    assert list(selectors.carried_actions(meeting=m2)) == [action]
    assert list(selectors.carried_actions(meeting=m3)) == []


def test_an_action_cannot_be_closed_before_it_was_raised_or_in_another_committee():
    committee = factories.CommitteeFactory()
    early, late = _meeting(committee, -10), _meeting(committee, 10)
    action = services.action_create(meeting=late, data={"title": "x", "owner_name": "y"})
    with pytest.raises(ValidationError):
        services.action_close(action=action, meeting=early)
    with pytest.raises(ValidationError):
        services.action_close(action=action, meeting=_meeting(factories.CommitteeFactory(), 20))


def test_an_action_needs_an_owner():
    with pytest.raises(ValidationError):
        services.action_create(meeting=_meeting(factories.CommitteeFactory(), 1), data={"title": "x"})


def test_agenda_moves_keep_positions_dense():
    meeting = _meeting(factories.CommitteeFactory(), 1)
    a, _b, c = (services.agenda_item_create(meeting=meeting, data={"title": t}) for t in "abc")
    services.agenda_item_move(item=c, offset=-1)
    assert [i.title for i in meeting.agenda_items.order_by("position")] == ["a", "c", "b"]
    services.agenda_item_move(item=a, offset=-1)  # already first: no change
    services.agenda_item_delete(item=c)
    assert list(meeting.agenda_items.order_by("position").values_list("title", "position")) == [("a", 0), ("b", 1)]


def test_pack_snapshot_is_frozen_and_immutable(lead):
    project = factories.ProjectFactory(health="on_track", progress=40, budget_planned=1000)
    meeting = _meeting(factories.CommitteeFactory(), -1)
    services.meeting_mark_held(meeting=meeting, user=lead)  # freezes the pack
    snapshot = PackSnapshot.objects.get(meeting=meeting)
    Project.objects.filter(pk=project.pk).update(health="off_track", progress=90, name="Renamed")
    snapshot.refresh_from_db()
    row = next(r for r in snapshot.data["portfolio"]["projects"] if r["pk"] == project.pk)
    assert (row["health"], row["progress"], row["name"]) == ("on_track", 40, project.name)
    with pytest.raises(ValueError):
        snapshot.save()
    with pytest.raises(ValidationError):
        services.pack_freeze(meeting=meeting)


def test_proposals_list_health_changes_stale_projects_and_overdue_actions():
    committee = factories.CommitteeFactory()
    previous = _meeting(committee, -40, status="held")
    meeting = _meeting(committee, 5)
    changed = factories.ProjectFactory(health="off_track", last_reported_at=NOW - datetime.timedelta(days=2))
    factories.StatusReportFactory(project=changed, created_at=NOW - datetime.timedelta(days=60), health="on_track")
    factories.StatusReportFactory(project=changed, created_at=NOW - datetime.timedelta(days=2), health="off_track")
    steady = factories.ProjectFactory(health="on_track", last_reported_at=NOW - datetime.timedelta(days=2))
    factories.StatusReportFactory(project=steady, created_at=NOW - datetime.timedelta(days=60), health="on_track")
    factories.StatusReportFactory(project=steady, created_at=NOW - datetime.timedelta(days=2), health="on_track")
    stale = factories.ProjectFactory(last_reported_at=NOW - datetime.timedelta(days=100))
    never = factories.ProjectFactory()
    overdue = services.action_create(
        meeting=previous,
        data={"title": "Chiffrer", "owner_name": "X", "due_date": NOW.date() - datetime.timedelta(days=3)},
    )
    services.action_create(
        meeting=previous,
        data={"title": "Plus tard", "owner_name": "X", "due_date": NOW.date() + datetime.timedelta(days=3)},
    )

    proposals = selectors.agenda_proposals(meeting=meeting)
    assert proposals["changed"] == [changed]
    assert set(proposals["stale"]) == {stale, never}
    assert proposals["overdue"] == [overdue]

    services.agenda_item_propose_project(meeting=meeting, project=changed, reason="health changed")
    services.agenda_item_propose_action(meeting=meeting, action=overdue)
    proposals = selectors.agenda_proposals(meeting=meeting)
    assert proposals["changed"] == [] and proposals["overdue"] == []
    item = meeting.agenda_items.get(projects=changed)
    assert item.presenter == changed.lead_service.acronym


def test_pack_tells_what_changed_since_the_last_committee():
    committee = factories.CommitteeFactory()
    previous = _meeting(committee, -40, status="held")
    meeting = _meeting(committee, 5)
    decision = factories.DecisionFactory(meeting=previous, text="On y va")
    services.action_create(meeting=previous, data={"title": "Suite", "owner_name": "X", "decision": decision})
    # New means registered since the last meeting, even when it started long before.
    project = factories.ProjectFactory(
        start_date=NOW.date() - datetime.timedelta(days=400), created_at=NOW - datetime.timedelta(days=10)
    )
    factories.ProjectFactory(start_date=NOW.date() - datetime.timedelta(days=10))  # started lately, logged a year ago
    factories.MilestoneFactory(project=project, due_date=NOW.date() - datetime.timedelta(days=5), reached_on=None)
    factories.MilestoneFactory(
        project=project, title="Atteint", due_date=NOW.date(), reached_on=NOW.date() - datetime.timedelta(days=1)
    )
    since = selectors.since_last_committee(meeting=meeting)
    assert since["previous"]["number"] == previous.number
    assert [p["pk"] for p in since["new_projects"]] == [project.pk]
    assert [m["title"] for m in since["milestones_missed"]] == ["Jalon"]
    assert [m["title"] for m in since["milestones_reached"]] == ["Atteint"]
    assert [d["text"] for d in since["last_decisions"]] == ["On y va"]
    assert [a["title"] for a in since["last_actions"]] == ["Suite"]


def test_stale_is_the_reporting_cycles_rule():
    """Committee pages count a project stale exactly when its freshness
    (programmes.reporting) says so: one rule, at the cycle's boundaries."""
    cycle = ReportingCycle.objects.create(
        starts_at=NOW - datetime.timedelta(days=10), ends_at=NOW + datetime.timedelta(days=20)
    )
    window = cycles.current_window()
    assert window.cycle == cycle
    just_in = factories.ProjectFactory(last_reported_at=window.previous_starts_at)
    just_out = factories.ProjectFactory(last_reported_at=window.previous_starts_at - datetime.timedelta(seconds=1))
    never = factories.ProjectFactory()
    closed = factories.ProjectFactory(phase="closed")
    archived = factories.ProjectFactory(is_archived=True)
    stale = set(selectors.stale_projects())
    assert stale == {just_out, never}
    for project in (just_in, just_out, never, closed, archived):
        assert (project in stale) == rules.freshness_of(project, window).is_stale
    # The pack's snapshot says the same, row by row.
    rows = {row["pk"]: row for row in selectors.portfolio_snapshot_data(moment=NOW)["projects"]}
    assert {pk for pk, row in rows.items() if row["stale"]} == {just_out.pk, never.pk}
    assert rows[closed.pk]["active"] is False and rows[just_in.pk]["active"] is True
    # …and its freshness is the rule's, state by state (the pack's chart counts them).
    fresh = factories.ProjectFactory(last_reported_at=window.starts_at)
    new = factories.ProjectFactory(created_at=window.starts_at)
    rows = {row["pk"]: row for row in selectors.portfolio_snapshot_data(moment=NOW)["projects"]}
    for project in (just_in, just_out, never, closed, fresh, new):
        assert rows[project.pk]["freshness"] == rules.freshness_of(project, window).state, project
    assert {rows[p.pk]["freshness"] for p in (just_in, just_out, fresh, new, closed)} == {
        "due",
        "stale",
        "fresh",
        "new",
        "closed",
    }
