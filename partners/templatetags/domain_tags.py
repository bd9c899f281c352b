"""A domain's icon next to its name (``{{ domain|domain_icon }}``), drawn
from the bundled sprite ``static/img/domain-icons.svg`` (no CDN)."""

from functools import cache

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@cache
def _sprite() -> str:
    return static("img/domain-icons.svg")


@register.filter
def domain_icon(domain) -> str:
    """The icon as inline SVG, decorative (the name follows it); empty
    for a domain without one."""
    # A queryset that left the icon out (``only()``) shows none rather
    # than paying one query per domain.
    if domain is None or "icon" in domain.get_deferred_fields():
        return ""
    icon = domain.icon
    if not icon:
        return ""
    return format_html(
        '<svg class="domain-icon" width="12" height="12" aria-hidden="true" focusable="false">'
        '<use href="{}#{}"></use></svg> ',
        _sprite(),
        icon,
    )
