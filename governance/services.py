"""Writes for committees and meetings.

Every write that touches a meeting's content goes through
``_ensure_editable``: once the minutes are approved the meeting is locked,
and corrections are explicit amendments (``amendment_create``).
"""

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from partners.models import ElectedOfficial, Partner, Service
from programmes.models import Project
from smartcity.base.concurrency import Change, StaleEditError
from smartcity.base.events import send_on_commit
from smartcity.base.queue import enqueue
from smartcity.base.records import record_create, record_update

from . import signals
from .models import (
    ActionItem,
    AgendaItem,
    Amendment,
    Attendance,
    Committee,
    Decision,
    Meeting,
    PackDelivery,
    PackEdition,
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
COMMITTEE_FIELDS = ("name", "short_name", "description", "pack_days_before")
COMMITTEE_M2M = ("members", "invited_services")
MEETING_FIELDS = ("starts_at", "duration_minutes", "place", "summary")
AGENDA_ITEM_FIELDS = ("title", "presenter", "duration_minutes")
AGENDA_ITEM_M2M = ("projects",)
DECISION_FIELDS = ("text", "agenda_item")
ACTION_FIELDS = ("title", "owner_service", "owner_name", "due_date", "decision")


@transaction.atomic
def committee_create(*, data: Mapping[str, Any]) -> Committee:
    return record_create(Committee, data=data, fields=COMMITTEE_FIELDS, m2m=COMMITTEE_M2M)


@transaction.atomic
def committee_update(*, committee: Committee, token: str | None, data: Mapping[str, Any]) -> Committee:
    return record_update(committee, token=token, data=data, fields=COMMITTEE_FIELDS, m2m=COMMITTEE_M2M)


@transaction.atomic
def committee_reset_calendar_token(*, committee: Committee) -> Committee:
    """Give the committee a new calendar address; the old one stops working."""
    committee.calendar_token = new_calendar_token()
    committee.save(update_fields=["calendar_token"])
    return committee


# Meetings -------------------------------------------------------------------
@transaction.atomic
def meeting_create(*, committee: Committee, data: Mapping[str, Any]) -> Meeting:
    """Create the committee's next meeting.

    The number comes from the committee's counter, which only increases: two
    meetings never share a number, and a cancelled meeting's number is never
    handed out again. The counter row stays locked until commit, so
    concurrent creations are serialised.
    """
    Committee.objects.filter(pk=committee.pk).update(next_meeting_number=F("next_meeting_number") + 1)
    number = Committee.objects.values_list("next_meeting_number", flat=True).get(pk=committee.pk) - 1
    return record_create(Meeting, data=data, fields=MEETING_FIELDS, committee=committee, number=number)


@transaction.atomic
def meeting_update(*, meeting: Meeting, token: str | None, data: Mapping[str, Any]) -> Meeting:
    """Date, place, duration and summary (the minutes' text) of a meeting
    still open; refused if somebody saved it since ``token``."""
    _ensure_editable(meeting)
    return record_update(meeting, token=token, data=data, fields=MEETING_FIELDS)


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
    send_on_commit(signals.meeting_held, sender=Meeting, meeting=meeting)
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
def agenda_item_create(*, meeting: Meeting, data: Mapping[str, Any]) -> AgendaItem:
    """Add an item at the end of the agenda."""
    _ensure_editable(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    return record_create(
        AgendaItem, data=data, fields=AGENDA_ITEM_FIELDS, m2m=AGENDA_ITEM_M2M, meeting=meeting, position=position
    )


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, token: str | None, data: Mapping[str, Any]) -> AgendaItem:
    _ensure_editable(item.meeting)
    return record_update(item, token=token, data=data, fields=AGENDA_ITEM_FIELDS, m2m=AGENDA_ITEM_M2M)


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
        data={"title": f"{project.name} — {reason}", "presenter": project.lead_service.acronym, "projects": [project]},
    )


@transaction.atomic
def agenda_item_propose_action(*, meeting: Meeting, action: ActionItem) -> AgendaItem:
    """Put an overdue action on the agenda, in one click."""
    return agenda_item_create(
        meeting=meeting,
        data={
            "title": str(_("Overdue action: %(title)s") % {"title": action.title}),
            "presenter": action.owner_service.acronym if action.owner_service else action.owner_name,
            "projects": list(action.projects.all()),
        },
    )


# Minutes --------------------------------------------------------------------
def attendance_token(meeting: Meeting) -> str:
    """The concurrency token of a meeting's attendance: a digest of its rows."""
    rows = sorted(meeting.attendances.values_list("official_id", "service_id", "partner_id", "status"), key=str)
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]


def _refuse_stale_attendance(meeting: Meeting, **submitted: dict | None) -> None:
    labels = dict(Attendance.Status.choices)
    saved = {(a.official_id, a.service_id, a.partner_id): a.status for a in meeting.attendances.all()}
    changes = []
    for field, entries in submitted.items():
        for attendee, status in (entries or {}).items():
            key = {
                "officials": (attendee.pk, None, None),
                "services": (None, attendee.pk, None),
                "partners": (None, None, attendee.pk),
            }[field]
            theirs = saved.get(key, "")
            if theirs != (status or ""):
                changes.append(
                    Change(
                        field=f"{field}-{attendee.pk}",
                        label=str(attendee),
                        theirs=str(labels.get(theirs, "—")),
                        yours=str(labels.get(status, "—")),
                    )
                )
    raise StaleEditError(changes)


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    token: str | None,
    officials: dict[ElectedOfficial, str] | None = None,
    services: dict[Service, str] | None = None,
    partners: dict[Partner, str] | None = None,
) -> list[Attendance]:
    """Record who attended. A status of "" removes the attendee's row.

    ``token`` is ``attendance_token(meeting)`` as the form was opened: if
    somebody recorded attendance since, nothing is written and
    StaleEditError lists the attendees whose saved status differs from the
    one submitted."""
    _ensure_editable(meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).exists()
    if token != attendance_token(meeting):
        _refuse_stale_attendance(meeting, officials=officials, services=services, partners=partners)
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
def decision_create(*, meeting: Meeting, data: Mapping[str, Any]) -> Decision:
    """Record a decision; without projects of its own it takes its agenda
    item's."""
    _ensure_editable(meeting)
    agenda_item = data.get("agenda_item")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("The agenda item belongs to another meeting."))
    projects = list(data.get("projects") or []) or (list(agenda_item.projects.all()) if agenda_item else [])
    decision = record_create(
        Decision, data={**data, "projects": projects}, fields=DECISION_FIELDS, m2m=("projects",), meeting=meeting
    )
    send_on_commit(signals.decision_recorded, sender=Decision, decision=decision)
    return decision


@transaction.atomic
def action_create(*, meeting: Meeting, data: Mapping[str, Any]) -> ActionItem:
    """Record an action, owned by a service or a person; without projects of
    its own it takes its decision's."""
    _ensure_editable(meeting)
    if data.get("owner_service") is None and not data.get("owner_name"):
        raise ValidationError(_("Give the action an owner: a service or a person."))
    decision = data.get("decision")
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ValidationError(_("The decision belongs to another meeting."))
    projects = list(data.get("projects") or []) or (list(decision.projects.all()) if decision else [])
    return record_create(
        ActionItem, data={**data, "projects": projects}, fields=ACTION_FIELDS, m2m=("projects",), meeting=meeting
    )


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
    send_on_commit(signals.action_closed, sender=ActionItem, action=action)
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


# Sending the pack -------------------------------------------------------------
class PackNotSendable(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("This meeting is cancelled: its pack is not sent."))


def _pack_content(meeting: Meeting) -> dict[str, Any]:
    """The pack as it stands: the frozen snapshot, or the live one, with the agenda."""
    from .packs import agenda_data
    from .selectors import agenda_items, pack_data

    snapshot = PackSnapshot.objects.filter(meeting=meeting).first()
    meeting = Meeting.objects.prefetch_related(Prefetch("agenda_items", queryset=agenda_items())).get(pk=meeting.pk)
    return {"pack": snapshot.data if snapshot else pack_data(meeting=meeting), "agenda": agenda_data(meeting)}


def _fingerprint(content: dict[str, Any]) -> str:
    # The moment a live pack is computed for is not part of its content.
    portfolio = {k: v for k, v in content["pack"]["portfolio"].items() if k != "taken_for"}
    stable = {**content, "pack": {**content["pack"], "portfolio": portfolio}}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def pack_edition_current(*, meeting: Meeting, user: User | None = None) -> PackEdition:
    """The pack's current version: the last one if its content has not
    changed, else a new one numbered next. Call inside a transaction that
    holds the meeting's row lock."""
    content = _pack_content(meeting)
    fingerprint = _fingerprint(content)
    edition = PackEdition.objects.filter(meeting=meeting, fingerprint=fingerprint).first()
    if edition is None:
        last = PackEdition.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0
        edition = PackEdition.objects.create(
            meeting=meeting, number=last + 1, fingerprint=fingerprint, data=content, created_by=user
        )
    return edition


@transaction.atomic
def pack_send(*, meeting: Meeting, user: User | None = None) -> list[PackDelivery]:
    """E-mail the pack's current version to every member of the committee
    in office with an address who has not received that version yet.

    Idempotent: sending the same version again sends nothing new; once the
    pack has changed (a report, a new agenda item, the freeze), it is a new
    version and every member gets it. Each e-mail is a PackDelivery row
    (the log), written here and sent by the worker after commit."""
    status = Meeting.objects.select_for_update().values_list("status", flat=True).get(pk=meeting.pk)
    if status == Meeting.Status.CANCELLED:
        raise PackNotSendable()
    edition = pack_edition_current(meeting=meeting, user=user)
    members = meeting.committee.members.filter(is_active=True).exclude(email="").order_by("last_name", "pk")
    already = set(edition.deliveries.filter(is_resend=False).values_list("official_id", flat=True))
    created = PackDelivery.objects.bulk_create(
        [
            PackDelivery(edition=edition, official=official, email=official.email, requested_by=user)
            for official in members
            if official.pk not in already
        ]
    )
    if created:
        enqueue("governance.tasks.send_pack", delivery_ids=[d.pk for d in created])
    return created


@transaction.atomic
def pack_resend(*, delivery: PackDelivery, user: User | None = None) -> PackDelivery:
    """Send the same version again to one member, on the lead's demand (a
    lost or deleted e-mail): a new row in the log, to the member's current
    address."""
    official = ElectedOfficial.objects.get(pk=delivery.official_id)
    again = PackDelivery.objects.create(
        edition_id=delivery.edition_id,
        official=official,
        email=official.email or delivery.email,
        is_resend=True,
        requested_by=user,
    )
    enqueue("governance.tasks.send_pack", delivery_ids=[again.pk])
    return again


def pack_deliver(*, delivery_ids: list[int]) -> int:
    """The worker's side: send each queued e-mail once, the PDF rendered
    once per version. A row is claimed (queued → sending) before its e-mail
    goes, so a task run twice sends nothing twice; a failed send is marked
    failed with its error, and the lead can resend it. Returns how many
    were sent."""
    from .packs import pack_context
    from .pdf import render_pack

    sent = 0
    pdfs: dict[int, bytes] = {}
    deliveries = PackDelivery.objects.filter(pk__in=delivery_ids, status=PackDelivery.Status.QUEUED).select_related(
        "edition__meeting__committee", "official"
    )
    for delivery in deliveries:
        claimed = PackDelivery.objects.filter(pk=delivery.pk, status=PackDelivery.Status.QUEUED).update(
            status=PackDelivery.Status.SENDING
        )
        if not claimed:
            continue
        edition = delivery.edition
        try:
            if edition.pk not in pdfs:
                with translation.override(settings.LANGUAGE_CODE):
                    context = pack_context(
                        meeting=edition.meeting, data=edition.data["pack"], agenda=edition.data["agenda"]
                    )
                    context["edition"] = edition
                    pdfs[edition.pk] = render_pack(context, language=settings.LANGUAGE_CODE)
            _pack_email(delivery, pdfs[edition.pk]).send()
        except Exception as exc:  # SMTP refused, rendering failed…
            PackDelivery.objects.filter(pk=delivery.pk).update(status=PackDelivery.Status.FAILED, error=str(exc)[:500])
        else:
            PackDelivery.objects.filter(pk=delivery.pk).update(
                status=PackDelivery.Status.SENT, sent_at=timezone.now(), error=""
            )
            sent += 1
    return sent


def _pack_email(delivery: PackDelivery, pdf: bytes) -> EmailMultiAlternatives:
    from .ical import ascii_filename

    meeting = delivery.edition.meeting
    context = {
        "meeting": meeting,
        "official": delivery.official,
        "edition": delivery.edition,
        "pack_url": settings.SITE_URL + reverse("governance:meeting_pack", args=[meeting.pk]),
        "city_name": settings.ORCHESTRE_CITY_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("governance/email/pack_subject.txt", context).split())
        text = render_to_string("governance/email/pack.txt", context)
        html = render_to_string("governance/email/pack.html", context)
        filename = ascii_filename(
            f"{meeting.committee.short_name}-{meeting.number}-dossier-v{delivery.edition.number}", suffix=".pdf"
        )
    message = EmailMultiAlternatives(subject=subject, body=text, to=[delivery.email])
    message.attach_alternative(html, "text/html")
    message.attach(filename, pdf, "application/pdf")
    return message


def packs_send_due(*, today: datetime.date | None = None) -> int:
    """The beat's side: a planned meeting whose committee's sending day has
    come gets its pack sent once (the first version). Later versions go
    only when the lead sends them. Returns how many meetings were sent."""
    today = today or timezone.localdate()
    count = 0
    upcoming = Meeting.objects.filter(status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()).select_related(
        "committee"
    )
    for meeting in upcoming.exclude(pack_editions__isnull=False).order_by("starts_at"):
        if timezone.localdate(meeting.starts_at) - datetime.timedelta(days=meeting.committee.pack_days_before) <= today:
            pack_send(meeting=meeting)
            count += 1
    return count
