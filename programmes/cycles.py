"""Reporting cycles: the window in force, against which a project's last
report is fresh, due or stale (``programmes.rules``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.http import HttpRequest
from django.utils import timezone

from smartcity.base.dates import add_months, last_day_before, month_start

from .models import ReportingCycle


@dataclass(frozen=True)
class CycleWindow:
    """The reporting window in force. ``cycle`` is None when no cycle has
    been opened yet (the default calendar month is used) or when the open
    cycle's end has passed and the beat task has not rolled it over yet."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    length_months: int
    remind_days_before_end: int = 7
    cycle: ReportingCycle | None = field(default=None, compare=False)

    @cached_property
    def last_day(self) -> datetime.date:
        """The window's last calendar day (``ends_at`` is exclusive). Cached,
        like ``previous_starts_at``: a long project table asks it per row."""
        return last_day_before(self.ends_at)

    @property
    def length_label(self) -> str:
        try:
            return str(ReportingCycle.Length(self.length_months).label)
        except ValueError:
            return str(self.length_months)

    @cached_property
    def previous_starts_at(self) -> datetime.datetime:
        return add_months(self.starts_at, -self.length_months)

    @property
    def remind_from(self) -> datetime.datetime:
        return self.ends_at - datetime.timedelta(days=self.remind_days_before_end)


def window_for(cycle: ReportingCycle | None, now: datetime.datetime | None = None) -> CycleWindow:
    """The window in force at ``now`` given the open cycle (or none)."""
    now = now or timezone.now()
    if cycle is None:
        start = month_start(now)
        return CycleWindow(start, add_months(start, 1), ReportingCycle.Length.MONTHLY)
    if now < cycle.ends_at:
        return CycleWindow(
            cycle.starts_at, cycle.ends_at, cycle.length_months, cycle.remind_days_before_end, cycle=cycle
        )
    # The planned end has passed: roll forward in whole lengths, as the beat
    # task will, so that freshness never depends on the beat being on time.
    start, end = cycle.starts_at, cycle.ends_at
    while end <= now:
        start, end = end, add_months(end, cycle.length_months)
    return CycleWindow(start, end, cycle.length_months, cycle.remind_days_before_end)


def open_cycle() -> ReportingCycle | None:
    return ReportingCycle.objects.filter(closed_at__isnull=True).order_by("-starts_at").first()


def current_window(now: datetime.datetime | None = None) -> CycleWindow:
    """One query: the window in force now."""
    return window_for(open_cycle(), now)


def request_window(request: HttpRequest) -> CycleWindow:
    """The window in force, fetched once per request and shared by the view,
    its selectors and the templates (context processor)."""
    if not hasattr(request, "_reporting_window"):
        request._reporting_window = current_window()
    return request._reporting_window
