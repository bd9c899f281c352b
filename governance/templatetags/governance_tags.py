import datetime
import functools
import html
from decimal import Decimal

from django import template
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()


@register.filter
def editable_by(meeting, user) -> bool:
    """``{% if meeting|editable_by:user %}``: governance.rules.can_edit_meeting."""
    from governance.rules import can_edit_meeting

    return can_edit_meeting(user, meeting)


@register.filter
def lookup(mapping: dict, key):
    """``{{ labels|lookup:value }}``: read a dict entry in a template."""
    return mapping.get(key, key) if mapping else key


@register.filter
def isodate(value: str | None) -> datetime.date | datetime.datetime | None:
    """Snapshot data keeps dates as ISO strings; give them back as dates."""
    if not value:
        return None
    if "T" in value:
        return parse_datetime(value)
    return parse_date(value)


@register.filter
def kilo_euros(value) -> str:
    """12345678 -> "12 346 k€"; budgets read faster in thousands."""
    amount = Decimal(value or 0) / 1000
    return f"{amount:,.0f}".replace(",", "\u202f") + "\u00a0k€"


def _esc(value) -> str:
    """``conditional_escape`` without its wrappers: the pack's long tables
    escape tens of thousands of cells, and ``format_html`` per cell was most
    of the pack's time at scale 10. Same output: safe strings pass as they
    are, everything else through ``html.escape`` as Django's ``escape``."""
    if isinstance(value, SafeData):
        return value
    return html.escape(str(value))


@register.simple_tag
def pack_project_rows(rows: list[dict]) -> SafeString:
    """The body of the pack's one-line-per-project table, written in Python:
    the table has a row per project (a thousand at scale 10), and the
    template engine spends ~0.5 ms a row where this spends a few
    microseconds. Every value is escaped (``_esc``); the values that repeat
    from row to row (lead service, health, progress, reporting) once."""
    escaped: dict[object, str] = {}

    def once(value) -> str:
        if value not in escaped:
            escaped[value] = _esc(value)
        return escaped[value]

    health_cells: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row["health"], row["health_label"])
        if key not in health_cells:
            health_cells[key] = format_html(
                '<span class="badge health health-{}"><span aria-hidden="true" class="health-dot"></span>{}</span>',
                *key,
            )
    return mark_safe(  # noqa: S308 - every value escaped by _esc or format_html
        "\n".join(
            f'<tr><th scope="row" class="fw-normal"><b>{_esc(row["code"])}</b> '
            f'<span title="{_esc(row["name"])}">{_esc(row["short_name"])}</span></th>'
            f"<td>{once(row['lead_service'] or '—')}</td>"
            f"<td>{health_cells[(row['health'], row['health_label'])]}</td>"
            f'<td class="text-end">{once(int(row["progress"]))}\u00a0%</td>'
            f"<td>{once(row['freshness_label'])}</td></tr>"
            for row in rows
        )
    )


@functools.lru_cache(maxsize=64)
def _health_badge(health: str | None, label: str) -> SafeString:
    """A few distinct badges, drawn once each (the arguments are plain strings)."""
    return format_html(
        '<span class="badge health health-{}"><span aria-hidden="true" class="health-dot"></span>{}</span>',
        health or "unknown",
        label,
    )


@register.simple_tag
def pack_change_rows(rows: list[dict]) -> SafeString:
    """The body of the pack's "health changed" table (one row per project
    whose health changed: hundreds at scale 10), as ``pack_project_rows``."""
    return mark_safe(  # noqa: S308 - every value escaped by _esc or format_html
        "\n".join(
            f'<tr><th scope="row" class="fw-normal"><a href="{_esc(row["url"])}">{_esc(row["code"])}</a> '
            f"{_esc(row['name'])}</th>"
            f"<td>{_health_badge(row['health_before'], row['before_label'])}</td>"
            f"<td>{_health_badge(row['health_after'], row['after_label'])}</td></tr>"
            for row in rows
        )
    )


@register.simple_tag
def pack_attention_rows(rows: list[dict], next_label: str) -> SafeString:
    """The body of the annex's table of projects at risk or off track, with
    their latest report, as ``pack_project_rows``."""
    next_label = _esc(next_label)

    def report(row: dict) -> str:
        latest = row.get("report")
        if not latest:
            return "—"
        milestone = ""
        if latest["next_milestone"]:
            when = parse_date(latest["next_milestone_date"]) if latest["next_milestone_date"] else None
            on = f" ({_esc(date_format(when, 'SHORT_DATE_FORMAT'))})" if when else ""
            milestone = f"<br>{next_label} {_esc(latest['next_milestone'])}{on}"
        return f"{_esc(latest['comment'])}{milestone}"

    def freshness(row: dict) -> str:
        label = row["freshness_label"]
        return f'<br><span class="small">{_esc(label)}</span>' if label else ""

    return mark_safe(  # noqa: S308 - every value escaped by _esc or format_html
        "\n".join(
            f'<tr><th scope="row" class="fw-normal"><b>{_esc(row["code"])}</b> {_esc(row["short_name"])}<br>'
            f'<span class="small text-body-secondary">{_esc(row["lead_service"] or "—")} · '
            f"{_esc(row['phase_label'])} · {_esc(int(row['progress']))}\u00a0% · {_esc(row['budget'])}</span></th>"
            f"<td>{_health_badge(row['health'], row['health_label'])}{freshness(row)}</td>"
            f'<td class="small">{report(row)}</td></tr>'
            for row in rows
        )
    )


@register.simple_tag
def pack_project_items(rows: list[dict], empty: str) -> SafeString:
    """``<li>`` items of the pack's new and closed projects, with their phase."""
    if not rows:
        return format_html("<li>{}</li>", empty)
    return format_html_join(
        "\n",
        '<li><a href="{}">{}</a> {} <span class="text-body-secondary">({})</span></li>',
        ((row["url"], row["code"], row["name"], row["phase_label"]) for row in rows),
    )


@register.simple_tag
def pack_milestone_items(rows: list[dict], empty: str) -> SafeString:
    """``<li>`` items of the milestones reached or missed, with their note
    (prepared by ``governance.packs``)."""
    if not rows:
        return format_html("<li>{}</li>", empty)
    return format_html_join(
        "\n",
        '<li>{} — {} <span class="text-body-secondary">({})</span></li>',
        ((row["project_code"], row["title"], row["note"]) for row in rows),
    )
