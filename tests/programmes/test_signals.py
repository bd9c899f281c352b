"""The apps announce their events once the transaction commits, without
knowing who listens; a failing listener never fails the write."""

import pytest

from governance import services as governance_services
from governance import signals as governance_signals
from programmes import services, signals
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events = []

    def listener(signal, sender, **kwargs):
        events.append((signal, kwargs))

    connected = [
        signals.project_created,
        signals.project_updated,
        signals.status_reported,
        governance_signals.meeting_held,
        governance_signals.decision_recorded,
        governance_signals.action_closed,
    ]
    for signal in connected:
        signal.connect(listener, weak=False, dispatch_uid="test-heard")
    yield events
    for signal in connected:
        signal.disconnect(dispatch_uid="test-heard")


def test_status_reported_is_sent_on_commit_only(heard, lead, django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.status_report_submit(project=project, author=lead, health="at_risk", progress=30)
        assert heard == []
    assert heard == [(signals.status_reported, {"report": report})]


def test_project_update_and_governance_events(heard, django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    meeting = factories.MeetingFactory()
    action = factories.ActionItemFactory(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_update(project=project, token=str(project.version), data={"name": "Nouveau"})
        decision = governance_services.decision_create(meeting=meeting, data={"text": "Adopté"})
        governance_services.action_close(action=action, meeting=meeting)
        governance_services.meeting_mark_held(meeting=meeting)
    sent = [signal for signal, _kwargs in heard]
    assert sent == [
        signals.project_updated,
        governance_signals.decision_recorded,
        governance_signals.action_closed,
        governance_signals.meeting_held,
    ]
    assert heard[1][1] == {"decision": decision}


def test_a_failing_listener_does_not_fail_the_write(lead, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("listener down")

    signals.status_reported.connect(broken, weak=False, dispatch_uid="test-broken")
    try:
        project = factories.ProjectFactory()
        with django_capture_on_commit_callbacks(execute=True):
            services.status_report_submit(project=project, author=lead, health="on_track", progress=10)
        project.refresh_from_db()
        assert project.progress == 10
    finally:
        signals.status_reported.disconnect(dispatch_uid="test-broken")
