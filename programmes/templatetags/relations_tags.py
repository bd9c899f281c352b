"""Rows repeated on the organisation's pages, written in Python: a data
asset's holder and open-data badge (issue 15), on every row of the data
lists and of the service, partner and project pages, and the partners met
through a service's projects; a template include or a blocktranslate per
row cost more than the row."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()

_OPEN_DATA_CLASS = {"open": "text-bg-success", "planned": "text-bg-info", "restricted": "text-bg-secondary"}


@register.simple_tag
def data_holder(asset) -> SafeString:
    """Who holds the asset: the kind of holder, then the partner or service."""
    parts = [format_html("{}", asset.get_holder_display())]
    partner = asset.holder_partner
    if partner:
        parts.append(format_html(' — <a href="{}">{}</a>', partner.get_absolute_url(), partner.name))
    service = asset.holder_service
    if service:
        parts.append(format_html(' — <a href="{}">{}</a>', service.get_absolute_url(), service.acronym or service.name))
    return mark_safe("".join(parts))  # noqa: S308  (each part is format_html's)


@register.simple_tag
def open_data_badge(asset) -> SafeString:
    """The open-data status as a badge, and a badge for personal data."""
    badge = format_html(
        '<span class="badge {}">{}</span>',
        _OPEN_DATA_CLASS.get(asset.open_data, "text-bg-light border"),
        asset.get_open_data_display(),
    )
    if not asset.personal_data:
        return badge
    # As {% translate %}: the catalogue's strings are trusted, not escaped.
    return format_html(
        '{} <span class="badge text-bg-danger" title="{}">{}</span>',
        badge,
        mark_safe(gettext("Holds personal data (GDPR)")),  # noqa: S308
        mark_safe(gettext("personal data")),  # noqa: S308
    )


@register.simple_tag
def partner_project_items(partners) -> SafeString:
    """``<li>`` per partner met through a service's projects (annotated
    with ``n_projects``): its link and its number of projects."""
    return format_html_join(
        "",
        '<li><a href="{}">{}</a> — {}</li>',
        (
            (
                partner.get_absolute_url(),
                partner.name,
                ngettext("%(counter)s project", "%(counter)s projects", partner.n_projects)
                % {"counter": partner.n_projects},
            )
            for partner in partners
        ),
    )
