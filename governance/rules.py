"""Who may change a meeting, attach documents to it or send its pack,
written once for the views, the services and the templates."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from smartcity.base.roles import is_lead

from .models import Meeting


def can_edit_meeting(user: AbstractBaseUser | AnonymousUser, meeting: Meeting) -> bool:
    """The lead edits a meeting (agenda, decisions, actions, attendance)
    until its minutes are approved; a cancelled meeting takes no more edits.
    Approved minutes are corrected by amendments instead."""
    return is_lead(user) and meeting.is_editable


def can_add_meeting_document(user: AbstractBaseUser | AnonymousUser, meeting: Meeting) -> bool:
    """The lead attaches documents (the pack's studies, the signed minutes)
    to a meeting whatever its status: signed minutes come after approval."""
    return is_lead(user)


def can_send_pack(user: AbstractBaseUser | AnonymousUser, meeting: Meeting) -> bool:
    """The lead sends the pack to the committee's members (and resends it to
    one of them), for any meeting that is not cancelled: before it, the
    pack as it stands; after it, the frozen pack."""
    return is_lead(user) and meeting.status != Meeting.Status.CANCELLED
