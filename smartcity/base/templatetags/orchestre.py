"""Template tags shared by every app."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def render_sections(context: template.Context, sections) -> SafeString:
    """Render the sections higher layers added to this page
    (``smartcity.base.extensions.PageSections``), each with its own context
    on top of the page's."""
    parts = []
    for bound in sections:
        with context.push(**bound.context):
            parts.append(context.template.engine.get_template(bound.template).render(context))
    # Each part is the output of a template render, escaped by the engine.
    return mark_safe("".join(parts))  # noqa: S308


@register.filter
def column_values(row, extension) -> list:
    """``{% for value in row|column_values:extension %}``: the cells a
    ListExtension adds to a row."""
    return extension.values(row)
