"""The decisions and actions lists of governance's section on a service's
page, written in Python: up to forty rows, each a meeting's link and name,
where the template's per-row lookups and filters cost more than the rows."""

from django import template
from django.template.defaultfilters import truncatechars
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _meeting_link(meeting, cache: dict) -> SafeString:
    if meeting.pk not in cache:
        cache[meeting.pk] = format_html('<a href="{}">{}</a>', meeting.get_absolute_url(), str(meeting))
    return cache[meeting.pk]


@register.simple_tag
def service_decision_items(decisions) -> SafeString:
    """``<li>`` per decision: its meeting, then its text cut at 120 characters."""
    links: dict = {}
    return format_html_join(
        "",
        "<li>{} — {}</li>",
        ((_meeting_link(d.meeting, links), truncatechars(d.text, 120)) for d in decisions),
    )


@register.simple_tag
def service_action_items(actions) -> SafeString:
    """``<li>`` per action: title, status, its meeting and its due date."""
    links: dict = {}
    return format_html_join(
        "",
        "<li>{} — {} · {}{}</li>",
        (
            (
                a.title,
                a.get_status_display(),
                _meeting_link(a.meeting, links),
                format_html(" · {}", formats.date_format(a.due_date, "SHORT_DATE_FORMAT")) if a.due_date else "",
            )
            for a in actions
        ),
    )
