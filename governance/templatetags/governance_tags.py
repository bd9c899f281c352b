import datetime
import functools
from decimal import Decimal

from django import template
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

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


@register.simple_tag
def pack_project_rows(rows: list[dict]) -> SafeString:
    """The body of the pack's one-line-per-project table, built with one
    ``format_html_join``: the table has a row per project (a thousand at
    scale 10), and the template engine spends ~0.5 ms a row where this
    spends a few microseconds. Every value goes through conditional_escape;
    the values that repeat from row to row (lead service, health, progress,
    reporting) are escaped once."""
    escaped: dict[object, SafeString] = {}

    def once(value) -> SafeString:
        if value not in escaped:
            escaped[value] = conditional_escape(value)
        return escaped[value]

    health_cells: dict[tuple[str, str], SafeString] = {}
    for row in rows:
        key = (row["health"], row["health_label"])
        if key not in health_cells:
            health_cells[key] = format_html(
                '<span class="badge health health-{}"><span aria-hidden="true" class="health-dot"></span>{}</span>',
                *key,
            )
    return format_html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal"><b>{}</b> <span title="{}">{}</span></th><td>{}</td><td>{}</td>'
        '<td class="text-end">{}\u00a0%</td><td>{}</td></tr>',
        (
            (
                row["code"],
                row["name"],
                row["short_name"],
                once(row["lead_service"] or "—"),
                health_cells[(row["health"], row["health_label"])],
                once(int(row["progress"])),
                once(row["freshness_label"]),
            )
            for row in rows
        ),
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
    return format_html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a> {}</th><td>{}</td><td>{}</td></tr>',
        (
            (
                row["url"],
                row["code"],
                row["name"],
                _health_badge(row["health_before"], row["before_label"]),
                _health_badge(row["health_after"], row["after_label"]),
            )
            for row in rows
        ),
    )


@register.simple_tag
def pack_attention_rows(rows: list[dict], next_label: str) -> SafeString:
    """The body of the annex's table of projects at risk or off track, with
    their latest report, as ``pack_project_rows``."""

    def report(row: dict) -> SafeString:
        latest = row.get("report")
        if not latest:
            return SafeString("—")
        milestone = ""
        if latest["next_milestone"]:
            when = parse_date(latest["next_milestone_date"]) if latest["next_milestone_date"] else None
            milestone = format_html(
                "<br>{} {}{}",
                next_label,
                latest["next_milestone"],
                format_html(" ({})", date_format(when, "SHORT_DATE_FORMAT")) if when else "",
            )
        return format_html("{}{}", latest["comment"], milestone)

    return format_html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal"><b>{}</b> {}<br><span class="small text-body-secondary">'
        '{} · {} · {}\u00a0% · {}</span></th><td>{}{}</td><td class="small">{}</td></tr>',
        (
            (
                row["code"],
                row["short_name"],
                row["lead_service"] or "—",
                row["phase_label"],
                int(row["progress"]),
                row["budget"],
                _health_badge(row["health"], row["health_label"]),
                format_html('<br><span class="small">{}</span>', row["freshness_label"])
                if row["freshness_label"]
                else "",
                report(row),
            )
            for row in rows
        ),
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
