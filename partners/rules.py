"""The organisation's rules."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone


def contact_review_cutoff(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=settings.ORCHESTRE_CONTACT_REVIEW_DAYS)


def contact_due_for_review_q(today: datetime.date) -> Q:
    """A contact person is due for review (GDPR retention) when neither
    confirmed nor touched for ORCHESTRE_CONTACT_REVIEW_DAYS days."""
    cutoff = contact_review_cutoff(today)
    touched_before = datetime.datetime.combine(cutoff, datetime.time.min, tzinfo=timezone.get_current_timezone())
    not_confirmed = Q(last_confirmed_on__isnull=True) | Q(last_confirmed_on__lt=cutoff)
    return Q(is_archived=False) & not_confirmed & Q(updated_at__lt=touched_before)


def contact_due_for_review(contact, today: datetime.date) -> bool:
    cutoff = contact_review_cutoff(today)
    confirmed = contact.last_confirmed_on is not None and contact.last_confirmed_on >= cutoff
    touched = timezone.localdate(contact.updated_at) >= cutoff
    return not contact.is_archived and not confirmed and not touched
