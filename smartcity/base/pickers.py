"""Type-ahead pickers: search a long list of records (services, partners,
officials, programmes) on the server, a bounded number at a time.

One search serves both faces of a picker (``forms.Picker``): the JSON
endpoint that ``static/js/picker.js`` calls while the lead types, and the
plain "search, then pick" of a form sent without JavaScript. Either way a
search is one query whatever the size of the list: at most ``PICK_LIMIT``
rows (one more is read to know whether there are more), each word of the
query matched anywhere in one of the record's search fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Func, Model, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from .search import search_terms
from .sqlite import fold

PICK_LIMIT = 20

# Accented letters and their plain lower-case forms, for PostgreSQL's
# built-in translate() (no extension needed): "energie" finds "Énergie".
ACCENTED = "àâäáãåéèêëíìîïóòôöõúùûüýÿçñÀÂÄÁÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÝŸÇÑ"
PLAIN = "aaaaaaeeeeiiiiooooouuuuyycnaaaaaaeeeeiiiiooooouuuuyycn"


def _folded(name: str) -> Func:
    """``fold`` in SQL: PostgreSQL's built-in translate(), or on SQLite the
    ORCHESTRE_FOLD() each connection is given (``smartcity.base.sqlite``)."""
    if connection.vendor == "sqlite":
        return Func(F(name), function="ORCHESTRE_FOLD")
    return Lower(Func(F(name), Value(ACCENTED), Value(PLAIN), function="translate"))


def pick_search(queryset: QuerySet, query: str | None, *, fields: Iterable[str], limit: int = PICK_LIMIT) -> QuerySet:
    """Up to ``limit + 1`` rows of ``queryset`` (ordered by its default
    order, then pk, so pages are stable) matching every word of ``query``
    in one of ``fields``, accents and case ignored (PostgreSQL and SQLite;
    case only elsewhere). The query is bounded (``search.search_terms``)."""
    fields = tuple(fields)
    terms = search_terms(query)
    accents_folded = connection.vendor in ("postgresql", "sqlite")
    if terms and accents_folded:
        queryset = queryset.annotate(**{f"_folded_{name}": _folded(name) for name in fields})
    for term in terms:
        match = Q()
        for name in fields:
            if accents_folded:
                match |= Q(**{f"_folded_{name}__contains": fold(term)})
            else:
                match |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(match)
    order = list(queryset.query.order_by or queryset.model._meta.ordering or ())
    return queryset.order_by(*order, "pk")[: limit + 1]


@dataclass(frozen=True)
class PickSource:
    """What a picker searches: the records offered (a callable, so that
    each request reads the database afresh), the fields searched, and a
    short detail shown under each label (the acronym, the category…)."""

    queryset: Callable[[], QuerySet]
    fields: tuple[str, ...]
    detail: Callable[[Model], str] = lambda obj: ""

    def view(self) -> Callable[[HttpRequest], JsonResponse]:
        """A GET view answering ``?q=…`` with ``{"results": [{"value",
        "label", "detail"}], "more": bool}``. Everybody signed in may read
        (the sign-in middleware guards it): the lists are readable anyway."""

        @require_safe
        def pick(request: HttpRequest) -> JsonResponse:
            rows = list(pick_search(self.queryset(), request.GET.get("q"), fields=self.fields))
            more = len(rows) > PICK_LIMIT
            results = [
                {"value": str(obj.pk), "label": str(obj), "detail": str(self.detail(obj) or "")}
                for obj in rows[:PICK_LIMIT]
            ]
            return JsonResponse({"results": results, "more": more})

        return pick
