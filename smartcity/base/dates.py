"""Calendar arithmetic in the city's time zone."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` plus whole calendar months, in local time (31 Jan + 1 = 28/29 Feb)."""
    local = timezone.localtime(moment)
    shifted = local.replace(tzinfo=None) + relativedelta(months=months)
    return timezone.make_aware(shifted, timezone.get_current_timezone())


def month_start(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.datetime(local.year, local.month, 1), timezone.get_current_timezone())


def last_day_before(moment: datetime.datetime) -> datetime.date:
    """The last calendar day before ``moment`` (an exclusive end)."""
    return (timezone.localtime(moment) - datetime.timedelta(microseconds=1)).date()
