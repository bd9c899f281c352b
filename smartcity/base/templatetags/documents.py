"""``{% document_list record %}``: the documents block of a record's page
(list, download links, add and delete for those who may)."""

from django import template

from ..documents import section_context

register = template.Library()


@register.inclusion_tag("base/documents_section.html", takes_context=True)
def document_list(context: template.Context, obj) -> dict:
    return section_context(context["request"].user, obj)
