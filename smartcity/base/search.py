"""Free-text search: PostgreSQL full-text search with French stemming, or a
plain ``icontains`` on other databases (the embedded SQLite).

Every search is bounded (``bounded_query``, ``search_terms``): a query is cut
at ``MAX_QUERY_CHARS`` characters and ``MAX_TERMS`` words, so that a 10 kB
query costs about what a one-word one does (a 1,500-word query on the
decision register once held a worker for 25 s)."""

from django.db import connection
from django.db.models import Q, QuerySet

MAX_QUERY_CHARS = 200
MAX_TERMS = 8


def search_terms(value: str | None) -> list[str]:
    """The words of a query, at most ``MAX_TERMS`` of them, read from its
    first ``MAX_QUERY_CHARS`` characters (control characters dropped)."""
    return bounded_query(value).split()[:MAX_TERMS]


def bounded_query(value: str | None) -> str:
    """The query as searched: control characters become spaces, the text is
    cut at ``MAX_QUERY_CHARS`` characters and ``MAX_TERMS`` words."""
    text = "".join(ch if ch.isprintable() else " " for ch in (value or "")[: MAX_QUERY_CHARS * 4])
    text = text.strip()[:MAX_QUERY_CHARS]
    return " ".join(text.split()[:MAX_TERMS])


def text_search(qs: QuerySet, value: str, *, fields: list[str], exact_fields: tuple[str, ...] = ()) -> QuerySet:
    """Rows whose ``fields`` match ``value``. On PostgreSQL, French stemming
    ("mobilités" finds "mobilité") plus a substring match, so that partial
    words and codes are still found. ``value`` is bounded first."""
    value = bounded_query(value)
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
