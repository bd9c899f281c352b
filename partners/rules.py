"""The organisation's business rules that are not a model constraint."""

import datetime

from django.conf import settings
from django.db.models import Q


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
