"""Pages of a long list shown inside another page (a domain's, a
programme's, a service's or an official's projects): one page of rows plus
one COUNT query, whatever the size of the list, in a stable order, each list
with its own page parameter so that two lists on one page page apart."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

LIST_PAGE_SIZE = 25


def paged(
    request: HttpRequest, queryset: QuerySet, *, param: str = "page", anchor: str = "", per_page: int = LIST_PAGE_SIZE
) -> Page:
    """One page of ``queryset`` (its order completed by the primary key, so
    that a row never shows on two pages), read from ``request.GET[param]``.
    The page carries the links to its neighbours (``previous_url``,
    ``next_url``, keeping the rest of the query string) and ``anchor``, the
    id of the list on the page."""
    order = list(queryset.query.order_by or queryset.model._meta.ordering or ())
    if "pk" not in order and "-pk" not in order:
        order.append("pk")
    page = Paginator(queryset.order_by(*order), per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    fragment = f"#{anchor}" if anchor else ""

    def url(number: int) -> str:
        query[param] = str(number)
        return f"?{query.urlencode()}{fragment}"

    page.previous_url = url(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = url(page.next_page_number()) if page.has_next() else ""
    return page
