"""Geometry of the roadmap timeline (server-rendered SVG, no chart
library): one row per project, its start–end bar, its milestones as
diamonds (late ones marked), grouped by programme, with year and quarter
ticks and a line at today. The template draws the shapes from these
numbers; the same data is given as a table under the chart.

Pure functions of loaded objects: no query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from .models import Milestone, Project
from .rules import milestone_state

LABEL_WIDTH = 250
PLOT_WIDTH = 900
RIGHT_MARGIN = 14
AXIS_HEIGHT = 36
ROW_HEIGHT = 22
GROUP_HEIGHT = 26
BAR_HEIGHT = 10
DIAMOND = 6  # half-diagonal, px
LABEL_CHARS = 34


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return max(1, (self.end - self.start).days + 1)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def default_period(today: datetime.date) -> Period:
    """From the start of last year to the end of the year after next."""
    return Period(datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 2, 12, 31))


_SHORT: dict[tuple[datetime.date, str | None], str] = {}


def _short(day: datetime.date) -> str:
    """A short date, formatted once per day and language (a page of the
    roadmap writes hundreds, mostly the same few)."""
    key = (day, get_language())
    text = _SHORT.get(key)
    if text is None:
        if len(_SHORT) > 20_000:
            _SHORT.clear()
        text = _SHORT[key] = formats.date_format(day, "SHORT_DATE_FORMAT")
    return text


def _truncate(text: str, length: int) -> str:
    """``Truncator.chars``, skipped when the text is short enough (it then
    returns the text as is)."""
    return text if len(text) <= length else Truncator(text).chars(length)


def milestone_badge(milestone: Milestone, state: str) -> str:
    """A milestone's badge (``rules.milestone_state``), written in Python for
    long tables (a template include per row costs more than the row); the
    ``milestone_badge`` template tag, and ``partials/milestone_badge.html``
    through it, hand on to it."""
    if state == "late":
        return format_html('<span class="badge text-bg-danger milestone-late">{}</span>', _("Late"))
    if state == "done":
        done_on = " " + formats.date_format(milestone.reached_on, "SHORT_DATE_FORMAT") if milestone.reached_on else ""
        label = pgettext("milestone status", "Done")
        return format_html('<span class="badge text-bg-success">{}{}</span>', label, done_on)
    if state == "cancelled":
        return format_html('<span class="badge text-bg-secondary">{}</span>', pgettext("milestone status", "Cancelled"))
    return ""


def roadmap_chart(projects: list[Project], *, period: Period, today: datetime.date) -> dict:
    """Rows, bars, diamonds and ticks for ``projects`` (each carrying its
    ``roadmap_milestones``), in the order given; a new programme starts a
    group heading."""

    def x_of(day: datetime.date) -> float:
        offset = min(max((day - period.start).days, 0), period.days)
        return round(LABEL_WIDTH + offset / period.days * PLOT_WIDTH, 1)

    labels = _Labels()
    rows, groups, y = [], [], AXIS_HEIGHT
    n_bars = n_markers = n_late = 0
    current_programme = None
    for project in projects:
        if project.programme_id != current_programme:
            current_programme = project.programme_id
            groups.append({"y": y, "text_y": y + 17, "name": _truncate(project.programme.name, 60)})
            y += GROUP_HEIGHT
        middle = y + ROW_HEIGHT / 2
        bar = None
        first = project.start_date or period.start
        last = project.end_date or period.end
        if first <= period.end and last >= period.start:
            x1, x2 = x_of(max(first, period.start)), x_of(min(last, period.end) + datetime.timedelta(days=1))
            bar = {
                "x": x1,
                "y": round(middle - BAR_HEIGHT / 2, 1),
                "width": max(round(x2 - x1, 1), 2),
                "height": BAR_HEIGHT,
                "open": project.start_date is None or project.end_date is None,
            }
            n_bars += 1
        markers = []
        for milestone in getattr(project, "roadmap_milestones", []):
            if not period.contains(milestone.due_date):
                continue
            state = milestone_state(milestone, today)
            if state == "cancelled":
                continue  # listed in the table, not drawn
            cx = x_of(milestone.due_date) + round(PLOT_WIDTH / period.days / 2, 1)
            cx = round(cx, 1)
            size = DIAMOND + (1 if state == "late" else 0)
            markers.append(
                {
                    "state": state,
                    "points": f"{cx},{middle - size} {cx + size},{middle} {cx},{middle + size} {cx - size},{middle}",
                    "mark_x": round(cx + size + 2, 1),
                    "mark_y": round(middle + 4, 1),
                    "title": milestone.title,
                    "date": _short(milestone.due_date),
                }
            )
            n_markers += 1
            n_late += state == "late"
        row = {
            "project": project,
            "y": y,
            "text_y": round(middle + 4, 1),
            "band": len(rows) % 2 == 1,
            "label": _truncate(f"{project.code} — {project.name}", LABEL_CHARS),
            "bar": bar,
            "markers": markers,
        }
        row["svg"] = _row_svg(row, labels)
        row["table"] = _row_table(project, labels, today)
        rows.append(row)
        y += ROW_HEIGHT
    return {
        "width": LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN,
        "height": y + 8,
        "left": LABEL_WIDTH,
        "right": LABEL_WIDTH + PLOT_WIDTH,
        "plot_width": PLOT_WIDTH,
        "axis_y": AXIS_HEIGHT - 4,
        "rows": rows,
        "groups": groups,
        "ticks": _ticks(period, x_of),
        "today_x": x_of(today) if period.contains(today) else None,
        "n_bars": n_bars,
        "n_markers": n_markers,
        "n_late": n_late,
        "start": _short(period.start),
        "end": _short(period.end),
    }


class _Labels:
    """What every row repeats, looked up once per chart: the project page's
    address and the labels of health and of the markers."""

    def __init__(self) -> None:
        self.url = reverse("programmes:project_detail", args=[0]).replace("/0/", "/{}/")
        self.health = {value: str(label) for value, label in Project._meta.get_field("health").choices}
        self.words = {"late": _("late"), "done": _("done")}

    def project_url(self, project: Project) -> str:
        return self.url.format(project.pk)

    def health_of(self, project: Project) -> str:
        return self.health.get(project.health, project.health)


def _row_svg(row: dict, labels: _Labels) -> str:
    """One project's row of shapes. Written here with ``format_html`` rather
    than in the template: a hundred rows of template nodes cost ten times
    more. Numbers go through ``str``, never localised ("9.6", not "9,6")."""
    project, bar = row["project"], row["bar"]
    parts = [
        format_html(
            '<a href="{}"><text class="row-label" x="{}" y="{}">{}</text></a>',
            labels.project_url(project),
            8,
            row["text_y"],
            row["label"],
        )
    ]
    if bar:
        parts.append(
            format_html(
                '<rect class="bar h-{}{}" x="{}" y="{}" width="{}" height="{}" rx="2">'
                "<title>{} — {}: {} → {}, {}</title></rect>",
                project.health,
                " open" if bar["open"] else "",
                bar["x"],
                bar["y"],
                bar["width"],
                bar["height"],
                project.code,
                project.name,
                _short(project.start_date) if project.start_date else "?",
                _short(project.end_date) if project.end_date else "?",
                labels.health_of(project),
            )
        )
    words = labels.words
    for m in row["markers"]:
        parts.append(
            format_html(
                '<polygon class="ms ms-{}" points="{}"><title>{} — {}{}</title></polygon>',
                m["state"],
                m["points"],
                m["date"],
                m["title"],
                f" ({words[m['state']]})" if m["state"] in words else "",
            )
        )
        if m["state"] == "late":
            parts.append(
                format_html(
                    '<text class="late-mark" x="{}" y="{}" aria-hidden="true">!</text>', m["mark_x"], m["mark_y"]
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 - every part built by format_html


def _row_table(project: Project, labels: _Labels, today: datetime.date) -> str:
    """The project's row of the table under the chart (its milestones in the
    period, cancelled ones included), with ``format_html`` for the same
    reason as ``_row_svg``."""
    milestones = getattr(project, "roadmap_milestones", [])
    if milestones:
        items = format_html_join(
            "",
            '<li><span class="text-nowrap">{}</span> — {} {}</li>',
            ((_short(m.due_date), m.title, milestone_badge(m, milestone_state(m, today))) for m in milestones),
        )
        listed = format_html('<ul class="list-unstyled mb-0">{}</ul>', items)
    else:
        listed = "—"
    return format_html(
        '<tr><th scope="row" class="fw-normal"><a href="{}">{} — {}</a></th><td>{}</td><td>{}</td>'
        '<td class="text-nowrap">{}</td><td class="text-nowrap">{}</td><td>{}</td><td>{}</td></tr>',
        labels.project_url(project),
        project.code,
        project.name,
        project.programme.name,
        project.lead_service.name,
        _short(project.start_date) if project.start_date else "—",
        _short(project.end_date) if project.end_date else "—",
        labels.health_of(project),
        listed,
    )


ROWS_PER_CHART = 26  # one chart fits an A4 landscape page, with its axis


def roadmap_charts(projects: list[Project], *, period: Period, today: datetime.date) -> dict:
    """The roadmap cut into charts of ``ROWS_PER_CHART`` projects, each with
    its axis and its programme heading, so that printing never cuts a chart
    in two; with the totals of the whole."""
    charts = [
        roadmap_chart(projects[i : i + ROWS_PER_CHART], period=period, today=today)
        for i in range(0, len(projects), ROWS_PER_CHART)
    ]
    return {
        "charts": charts,
        "rows": [row for chart in charts for row in chart["rows"]],
        "n_bars": sum(c["n_bars"] for c in charts),
        "n_markers": sum(c["n_markers"] for c in charts),
        "n_late": sum(c["n_late"] for c in charts),
        "start": _short(period.start),
        "end": _short(period.end),
    }


def _ticks(period: Period, x_of) -> list[dict]:
    """A labelled line at each 1 January; quarters (or months, over a
    short period) as lighter lines."""
    years = period.days / 365.25
    step = 1 if years <= 1.5 else 3 if years <= 6 else 12
    ticks = []
    day = datetime.date(period.start.year, period.start.month, 1)
    while day <= period.end:
        if day >= period.start and (day.month - 1) % step == 0:
            major = day.month == 1
            if major:
                label = str(day.year)
            elif step == 1:
                label = formats.date_format(day, "M")
            else:
                label = _("Q%(n)s") % {"n": (day.month + 2) // 3}
            ticks.append({"x": x_of(day), "major": major, "label": label if major or years <= 3 else ""})
        day = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return ticks
