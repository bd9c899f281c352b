"""Template filters of the lead's reporting overview (``programmes:reporting_overview``)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


# The reporting overview lists hundreds of services and every active
# project: its long runs of links and cells are written in one pass each
# (the same markup as a template loop, at a fraction of its cost: escaping
# through format_html costs more than the rest of the page).


@register.filter
def code_links(projects) -> str:
    """``<a href="…">CODE</a>, <a …>…</a>`` for projects carrying ``url``
    (built from ``reverse`` and a primary key); each code is escaped."""
    return mark_safe(", ".join(f'<a href="{p.url}">{escape(p.code)}</a>' for p in projects))  # noqa: S308


_RATE_CELL = '<td class="text-end rate-cell">{} % <span class="small text-body-secondary">({}/{})</span></td>'


@register.filter
def rate_cells(row) -> str:
    """A reporting-rate row's cells, oldest cycle first, as ``ServiceRate.labels``
    words them ("75 %", "(3/4)"). Integers only: nothing to escape."""
    return mark_safe(  # noqa: S308
        "".join(_RATE_CELL.format(round(100 * int(r) / int(t)) if t else 0, int(r), int(t)) for r, t in row.cells)
    )
