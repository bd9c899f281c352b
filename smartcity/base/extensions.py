"""Places on a lower layer's pages that higher layers fill.

The organisation (partners) knows no project and no committee, yet a
service's page lists the projects it leads and the decisions that concern
them, and the list of services counts their projects. The lower app declares
the place (``SERVICE_PAGE = PageSections("service")``); each higher app
registers what it adds from its ``AppConfig.ready()``. The arrow stays one
way: the higher layer imports the lower one's registry, never the reverse
(ARCHITECTURE.md). pretix does the same with its plugin signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    """A block of a detail page: a template and the function that gives it
    its context from the request and the page's object."""

    name: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]]
    order: int = 50


@dataclass(frozen=True)
class BoundSection:
    section: Section
    context: dict[str, Any]

    @property
    def template(self) -> str:
        return self.section.template


class PageSections:
    """The sections higher layers add to one kind of detail page."""

    def __init__(self, page: str) -> None:
        self.page = page
        self._sections: dict[str, Section] = {}

    def register(
        self, name: str, *, template: str, context: Callable[[HttpRequest, Any], dict[str, Any]], order: int = 50
    ) -> None:
        """Add (or replace, under the same name) a section of the page."""
        self._sections[name] = Section(name=name, template=template, context=context, order=order)

    def bind(self, request: HttpRequest, obj: Any) -> list[BoundSection]:
        """The page's sections in order, each with its context computed."""
        ordered = sorted(self._sections.values(), key=lambda s: (s.order, s.name))
        return [BoundSection(section, section.context(request, obj)) for section in ordered]


@dataclass(frozen=True)
class Column:
    """A column a higher layer adds to a list: ``name`` is the attribute
    its ``annotate`` function sets on each row; ``sort_param``, when given,
    is the value of the list's ``sort`` parameter that orders by it."""

    name: str
    label: str
    numeric: bool = False
    sort_param: str = ""


@dataclass
class ListExtension:
    """Columns, annotations and filters that higher layers add to a list
    page (its table, its CSV/XLSX export and its filter form).

    The list's FilterSet declares ``sort_fields`` and ``sort_labels`` (what
    its ``sort`` ordering filter is built from) so that sortable columns can
    be added to it."""

    annotations: list[Callable[[QuerySet], QuerySet]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    filters: dict[str, django_filters.Filter] = field(default_factory=dict)
    _filtersets: dict[type, type] = field(default_factory=dict, repr=False)

    def register(
        self,
        *,
        annotate: Callable[[QuerySet], QuerySet] | None = None,
        columns: Iterable[Column] = (),
        filters: dict[str, django_filters.Filter] | None = None,
    ) -> None:
        if annotate is not None and annotate not in self.annotations:
            self.annotations.append(annotate)
        self.columns.extend(c for c in columns if c not in self.columns)
        self.filters.update(filters or {})
        self._filtersets.clear()

    def annotate(self, queryset: QuerySet) -> QuerySet:
        for annotate in self.annotations:
            queryset = annotate(queryset)
        return queryset

    def filterset(self, base: type[django_filters.FilterSet]) -> type[django_filters.FilterSet]:
        """``base`` with the registered filters and sortable columns."""
        if base not in self._filtersets:
            attrs: dict[str, Any] = dict(self.filters)
            sortable = [c for c in self.columns if c.sort_param]
            if sortable:
                attrs["sort"] = django_filters.OrderingFilter(
                    label=base.base_filters["sort"].label,
                    fields=(*base.sort_fields, *[(c.name, c.sort_param) for c in sortable]),
                    field_labels={**base.sort_labels, **{c.name: c.label for c in sortable}},
                )
            filterset = type(base.__name__, (base,), attrs)
            # The added filters before the list's own "archived" and "sort".
            last = [name for name in ("archived", "sort") if name in filterset.base_filters]
            filterset.base_filters = {
                **{k: v for k, v in filterset.base_filters.items() if k not in last},
                **{k: filterset.base_filters[k] for k in last},
            }
            self._filtersets[base] = filterset
        return self._filtersets[base]

    def values(self, row: Any) -> list[Any]:
        """The row's value in each added column, in order."""
        return [getattr(row, column.name, None) for column in self.columns]
