"""Writes for committees and meetings.

Every write that touches a meeting's content goes through
``_ensure_editable``: once the minutes are approved the meeting is locked,
and corrections are explicit amendments (``amendment_create``).
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import ElectedOfficial, Partner, Service
from programmes.models import Project

from .models import (
    ActionItem,
    AgendaItem,
    Amendment,
    Attendance,
    Committee,
    Decision,
    Meeting,
    PackSnapshot,
    new_calendar_token,
)


class MeetingLocked(ValidationError):
    """The minutes are approved: the meeting can no longer be edited."""

    def __init__(self) -> None:
        super().__init__(_("The minutes are approved: this meeting is locked. Add an amendment instead."))


class MeetingCancelled(ValidationError):
    """A cancelled meeting takes no more edits (its number is kept)."""

    def __init__(self) -> None:
        super().__init__(_("This meeting is cancelled: it can no longer be edited."))


def _ensure_editable(meeting: Meeting) -> Meeting:
    """Re-read the meeting's status under a row lock, so that an approval and
    an edit cannot interleave; refuse unless ``meeting.is_editable``."""
    status = Meeting.objects.select_for_update().values_list("status", flat=True).get(pk=meeting.pk)
    meeting.status = status
    if meeting.is_locked:
        raise MeetingLocked()
    if not meeting.is_editable:
        raise MeetingCancelled()
    return meeting


# Committees -----------------------------------------------------------------
@transaction.atomic
def committee_save(
    *,
    committee: Committee | None = None,
    name: str,
    short_name: str,
    description: str = "",
    members: Iterable[ElectedOfficial] = (),
    invited_services: Iterable[Service] = (),
) -> Committee:
    committee = committee or Committee()
    committee.name, committee.short_name, committee.description = name, short_name, description
    committee.full_clean()
    committee.save()
    committee.members.set(members)
    committee.invited_services.set(invited_services)
    return committee


@transaction.atomic
def committee_reset_calendar_token(*, committee: Committee) -> Committee:
    """Give the committee a new calendar address; the old one stops working."""
    committee.calendar_token = new_calendar_token()
    committee.save(update_fields=["calendar_token"])
    return committee


# Meetings -------------------------------------------------------------------
@transaction.atomic
def meeting_create(
    *,
    committee: Committee,
    starts_at: datetime.datetime,
    place: str = "",
    duration_minutes: int = 120,
    summary: str = "",
) -> Meeting:
    """Create the committee's next meeting.

    The number comes from the committee's counter, which only increases: two
    meetings never share a number, and a cancelled meeting's number is never
    handed out again. The counter row stays locked until commit, so
    concurrent creations are serialised.
    """
    Committee.objects.filter(pk=committee.pk).update(next_meeting_number=F("next_meeting_number") + 1)
    number = Committee.objects.values_list("next_meeting_number", flat=True).get(pk=committee.pk) - 1
    meeting = Meeting(
        committee=committee,
        number=number,
        starts_at=starts_at,
        place=place,
        duration_minutes=duration_minutes,
        summary=summary,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, starts_at: datetime.datetime, place: str, duration_minutes: int, summary: str
) -> Meeting:
    _ensure_editable(meeting)
    meeting.starts_at, meeting.place = starts_at, place
    meeting.duration_minutes, meeting.summary = duration_minutes, summary
    meeting.full_clean()
    meeting.save(update_fields=["starts_at", "place", "duration_minutes", "summary", "updated_at"])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting. It keeps its number, which is not reused."""
    _ensure_editable(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, user: User | None = None) -> Meeting:
    """The meeting took place. Freezes its pack if the lead had not already."""
    _ensure_editable(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be marked as held."))
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    if not PackSnapshot.objects.filter(meeting=meeting).exists():
        pack_freeze(meeting=meeting, user=user)
    return meeting


@transaction.atomic
def meeting_approve_minutes(*, meeting: Meeting) -> Meeting:
    """Approve the minutes of a held meeting. From then on it is locked."""
    _ensure_editable(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Mark the meeting as held before approving its minutes."))
    meeting.status = Meeting.Status.APPROVED
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def pack_freeze(*, meeting: Meeting, user: User | None = None) -> PackSnapshot:
    """Freeze the portfolio as the pack shows it. Done once per meeting; the
    snapshot is never rewritten."""
    from .selectors import pack_data

    _ensure_editable(meeting)
    if PackSnapshot.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("The pack of this meeting is already frozen."))
    snapshot = PackSnapshot(meeting=meeting, taken_at=timezone.now(), taken_by=user, data=pack_data(meeting=meeting))
    snapshot.full_clean()
    snapshot.save()
    return snapshot


# Agenda ---------------------------------------------------------------------
@transaction.atomic
def agenda_item_create(
    *,
    meeting: Meeting,
    title: str,
    presenter: str = "",
    duration_minutes: int = 10,
    projects: Iterable[Project] = (),
) -> AgendaItem:
    """Add an item at the end of the agenda."""
    _ensure_editable(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem(
        meeting=meeting,
        position=0 if last is None else last + 1,
        title=title,
        presenter=presenter,
        duration_minutes=duration_minutes,
    )
    item.full_clean()
    item.save()
    item.projects.set(projects)
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, title: str, presenter: str, duration_minutes: int, projects: Iterable[Project]
) -> AgendaItem:
    _ensure_editable(item.meeting)
    item.title, item.presenter, item.duration_minutes = title, presenter, duration_minutes
    item.full_clean()
    item.save()
    item.projects.set(projects)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    _ensure_editable(item.meeting)
    meeting = item.meeting
    item.delete()
    _renumber(meeting, list(meeting.agenda_items.order_by("position", "pk")))


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int) -> AgendaItem:
    """Move an item up (offset -1) or down (+1); positions stay 0..n-1."""
    _ensure_editable(item.meeting)
    items = list(item.meeting.agenda_items.select_for_update().order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    _renumber(item.meeting, items)
    return item


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    changed = []
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            changed.append(other)
    AgendaItem.objects.bulk_update(changed, ["position"])


@transaction.atomic
def agenda_item_propose_project(*, meeting: Meeting, project: Project, reason: str) -> AgendaItem:
    """Put a project the helper proposed on the agenda, in one click."""
    return agenda_item_create(
        meeting=meeting,
        title=f"{project.name} — {reason}",
        presenter=project.lead_service.acronym,
        projects=[project],
    )


@transaction.atomic
def agenda_item_propose_action(*, meeting: Meeting, action: ActionItem) -> AgendaItem:
    """Put an overdue action on the agenda, in one click."""
    return agenda_item_create(
        meeting=meeting,
        title=str(_("Overdue action: %(title)s") % {"title": action.title}),
        presenter=action.owner_service.acronym if action.owner_service else action.owner_name,
        projects=list(action.projects.all()),
    )


# Minutes --------------------------------------------------------------------
@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    officials: dict[ElectedOfficial, str] | None = None,
    services: dict[Service, str] | None = None,
    partners: dict[Partner, str] | None = None,
) -> list[Attendance]:
    """Record who attended. A status of "" removes the attendee's row."""
    _ensure_editable(meeting)
    rows = []
    for field, entries in (("official", officials), ("service", services), ("partner", partners)):
        for attendee, status in (entries or {}).items():
            lookup = {"meeting": meeting, field: attendee}
            if not status:
                Attendance.objects.filter(**lookup).delete()
                continue
            row = Attendance.objects.filter(**lookup).first() or Attendance(**lookup)
            row.status = status
            row.full_clean()
            row.save()
            rows.append(row)
    return rows


@transaction.atomic
def decision_create(
    *, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None, projects: Iterable[Project] = ()
) -> Decision:
    _ensure_editable(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("The agenda item belongs to another meeting."))
    decision = Decision(meeting=meeting, text=text, agenda_item=agenda_item)
    decision.full_clean()
    decision.save()
    projects = list(projects) or (list(agenda_item.projects.all()) if agenda_item else [])
    decision.projects.set(projects)
    return decision


@transaction.atomic
def action_create(
    *,
    meeting: Meeting,
    title: str,
    owner_service: Service | None = None,
    owner_name: str = "",
    due_date: datetime.date | None = None,
    decision: Decision | None = None,
    projects: Iterable[Project] = (),
) -> ActionItem:
    _ensure_editable(meeting)
    if owner_service is None and not owner_name:
        raise ValidationError(_("Give the action an owner: a service or a person."))
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ValidationError(_("The decision belongs to another meeting."))
    action = ActionItem(
        meeting=meeting,
        title=title,
        owner_service=owner_service,
        owner_name=owner_name,
        due_date=due_date,
        decision=decision,
    )
    action.full_clean()
    action.save()
    projects = list(projects) or (list(decision.projects.all()) if decision else [])
    action.projects.set(projects)
    return action


@transaction.atomic
def action_close(*, action: ActionItem, meeting: Meeting, status: str = ActionItem.Status.DONE) -> ActionItem:
    """Close an open action in ``meeting``: records when and where. The action
    must have been raised in this meeting or an earlier one of the committee."""
    _ensure_editable(meeting)
    action = ActionItem.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    if action.status != ActionItem.Status.OPEN:
        raise ValidationError(_("This action is already closed."))
    if status not in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED):
        raise ValidationError(_("An action is closed as done or cancelled."))
    if action.meeting.committee_id != meeting.committee_id or action.meeting.number > meeting.number:
        raise ValidationError(_("An action is closed in its committee, at or after the meeting that raised it."))
    action.status, action.closed_at, action.closed_in = status, timezone.now(), meeting
    action.full_clean()
    action.save(update_fields=["status", "closed_at", "closed_in"])
    return action


@transaction.atomic
def amendment_create(
    *, meeting: Meeting, author: User, text: str, reason: str, decision: Decision | None = None
) -> Amendment:
    """Correct approved minutes. Only approved meetings take amendments: a
    meeting still open is simply edited."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_locked:
        raise ValidationError(_("Only approved minutes take amendments; edit the meeting instead."))
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ValidationError(_("The decision belongs to another meeting."))
    amendment = Amendment(meeting=meeting, decision=decision, text=text, reason=reason, author=author)
    amendment.full_clean()
    amendment.save()
    return amendment


OFFICIAL_FIELDS = ("first_name", "last_name", "title", "delegation", "email")


@transaction.atomic
def official_create(*, data: dict) -> ElectedOfficial:
    official = ElectedOfficial()
    for name in OFFICIAL_FIELDS:
        if name in data:
            setattr(official, name, data[name])
    official.full_clean()
    official.save()
    if "domains" in data:
        official.domains.set(data["domains"])
    return official


@transaction.atomic
def official_update(*, official: ElectedOfficial, token: str | None, data: dict) -> ElectedOfficial:
    """Refused with StaleEditError if the official changed since ``token``."""
    from smartcity.base.concurrency import check_token

    official = ElectedOfficial.objects.select_for_update().get(pk=official.pk)
    check_token(official, token, data, (*OFFICIAL_FIELDS, "domains"))
    for name in OFFICIAL_FIELDS:
        if name in data:
            setattr(official, name, data[name])
    official.full_clean()
    official.save()
    if "domains" in data:
        official.domains.set(data["domains"])
    return official


@transaction.atomic
def official_archive(*, official: ElectedOfficial) -> ElectedOfficial:
    """An official leaving office is kept (with history), marked not in office."""
    official.is_active = False
    official.save(update_fields=["is_active", "updated_at"])
    return official
