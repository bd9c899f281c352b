"""Who may change a meeting, written once for the views and the templates."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from smartcity.base.roles import is_lead

from .models import Meeting


def can_edit_meeting(user: AbstractBaseUser | AnonymousUser, meeting: Meeting) -> bool:
    """The lead edits a meeting (agenda, decisions, actions, attendance)
    until its minutes are approved; a cancelled meeting takes no more edits.
    Approved minutes are corrected by amendments instead."""
    return is_lead(user) and meeting.is_editable
