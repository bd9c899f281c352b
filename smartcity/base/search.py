"""Free-text search: PostgreSQL full-text search with French stemming, or a
plain ``icontains`` on other databases (the embedded SQLite)."""

from django.db import connection
from django.db.models import Q, QuerySet


def text_search(qs: QuerySet, value: str, *, fields: list[str], exact_fields: tuple[str, ...] = ()) -> QuerySet:
    """Rows whose ``fields`` match ``value``. On PostgreSQL, French stemming
    ("mobilités" finds "mobilité") plus a substring match, so that partial
    words and codes are still found."""
    value = (value or "").strip()
    if not value:
        return qs
    substring = Q()
    for name in (*exact_fields, *fields):
        substring |= Q(**{f"{name}__icontains": value})
    if connection.vendor != "postgresql":
        return qs.filter(substring)
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = SearchVector(*fields, config="french")
    query = SearchQuery(value, config="french", search_type="websearch")
    return qs.annotate(_search=vector).filter(Q(_search=query) | substring)


def search_backend() -> str:
    return "postgresql-fts" if connection.vendor == "postgresql" else "icontains"
