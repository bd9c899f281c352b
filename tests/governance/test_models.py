import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import ActionItem, Meeting
from governance.services import meeting_cancel, meeting_create
from tests import factories

pytestmark = pytest.mark.django_db


def test_meetings_are_numbered_per_committee():
    copil, other = factories.CommitteeFactory(), factories.CommitteeFactory()
    numbers = [meeting_create(committee=copil, data={"starts_at": timezone.now()}).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert meeting_create(committee=other, data={"starts_at": timezone.now()}).number == 1


def test_a_cancelled_or_deleted_meeting_number_is_never_reused():
    copil = factories.CommitteeFactory()
    first = meeting_create(committee=copil, data={"starts_at": timezone.now()})
    second = meeting_create(committee=copil, data={"starts_at": timezone.now()})
    meeting_cancel(meeting=second)
    Meeting.objects.filter(pk=second.pk).delete()
    assert meeting_create(committee=copil, data={"starts_at": timezone.now()}).number == 3
    assert first.number == 1


def test_two_meetings_cannot_share_a_number():
    meeting = factories.MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(committee=meeting.committee, number=meeting.number, starts_at=timezone.now())


def test_meeting_str_reads_like_a_committee_session():
    meeting = factories.MeetingFactory()
    assert str(meeting) == f"COPIL n° {meeting.number}"


def test_a_closed_action_must_say_when():
    action = factories.ActionItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=action.pk).update(status="done")
