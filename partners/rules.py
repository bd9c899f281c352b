"""The organisation's business rules that are not a model constraint: quiet
partners, contacts due for review (GDPR retention)."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone


def quiet_before(today: datetime.date) -> datetime.date:
    """A partner untouched since before this date is quiet: its last
    interaction, or its creation when it has none, is older
    (``ORCHESTRE_PARTNER_QUIET_DAYS``)."""
    return today - datetime.timedelta(days=settings.ORCHESTRE_PARTNER_QUIET_DAYS)


def is_quiet(*, last_contact: datetime.date | None, created_on: datetime.date, today: datetime.date) -> bool:
    return (last_contact or created_on) < quiet_before(today)


def quiet_q(today: datetime.date) -> Q:
    """``is_quiet`` on a Partner queryset annotated with ``last_contact_on``."""
    cutoff = quiet_before(today)
    return Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True, created_at__date__lt=cutoff)


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
