"""History you can read: django-simple-history's records of one object, as
"who changed what, when, old → new" in words.

Generic (any model with ``history = HistoricalRecords(...)``), written once
for every history page (projects, programmes, services, partners,
meetings). Words, not codes: field verbose names, choice labels, yes/no,
dates in the reader's format, foreign keys by the name of what they point
to. The cost of a page does not grow with the data: one query counts the
records, one reads a page of them with their authors (plus the record just
before, to diff the oldest one), one per recorded many-to-many field, and
one per kind of related object whose name a change shows (``in_bulk``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

PAGE_SIZE = 25
# Bookkeeping, not content: never shown.
HIDDEN_FIELDS = frozenset({"id", "version", "updated_at", "created_at"})
EMPTY = "—"
TEXT_LIMIT = 240


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    kind: str  # "created", "changed", "deleted"
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    subject: str = ""  # which record, when a page shows several

    @property
    def kind_label(self) -> str:
        return {
            "created": pgettext("history", "Created"),
            "changed": pgettext("history", "Changed"),
            "deleted": pgettext("history", "Deleted"),
        }[self.kind]


KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _tracked_fields(model: type[models.Model], hidden: frozenset[str]) -> list[models.Field]:
    tracked = {f.name for f in model.history.model.tracked_fields}
    return [f for f in model._meta.concrete_fields if f.name in tracked and f.name not in hidden]


def _m2m_fields(model: type[models.Model], hidden: frozenset[str]) -> list[models.ManyToManyField]:
    recorded = getattr(model.history.model, "_history_m2m_fields", []) or []
    return [f for f in recorded if f.name not in hidden]


def _m2m_sets(model: type[models.Model], m2m: models.ManyToManyField, records: list) -> dict[int, frozenset]:
    """The related ids each of ``records`` recorded for ``m2m``: one query."""
    rows_model = getattr(model.history.model, m2m.name).model
    target = f"{m2m.m2m_reverse_field_name()}_id"
    sets: dict[int, set] = defaultdict(set)
    rows = rows_model.objects.filter(history_id__in=[r.history_id for r in records]).values_list("history_id", target)
    for history_id, related_id in rows:
        sets[history_id].add(related_id)
    return {r.history_id: frozenset(sets.get(r.history_id, ())) for r in records}


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("no author recorded")
    return user.get_full_name() or user.get_username()


def _word(value: Any, f: models.Field, names: dict) -> str:
    """One stored value, in words."""
    if value is None or value == "":
        return EMPTY
    if f.is_relation:
        related = names.get(f.related_model, {}).get(value)
        return str(related) if related is not None else _("deleted record (no. %(pk)s)") % {"pk": value}
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | int | float):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return Truncator(str(value)).chars(TEXT_LIMIT)


def _names(model: type[models.Model], ids: set) -> dict:
    ids = {i for i in ids if i is not None}
    return model._base_manager.in_bulk(ids) if ids else {}


def history_entries(
    obj: models.Model, records: list, *, before=None, hidden: frozenset[str] = HIDDEN_FIELDS
) -> list[HistoryEntry]:
    """``records``: some of the object's historical records, newest first;
    ``before``: the record just before the oldest of them, if any, to diff
    it against. Changes that show nothing (bookkeeping only) are left out."""
    chain = [*records, before]
    return _entries(type(obj), [(chain[i], chain[i + 1]) for i in range(len(records))], hidden=hidden)


def related_history(
    model: type[models.Model], records: list, *, hidden: frozenset[str] = HIDDEN_FIELDS
) -> list[HistoryEntry]:
    """The history of several records of ``model`` (a project's milestones),
    ``records`` newest first and complete: each is diffed against the one
    before it of the same record, and the entry names that record."""
    pairs, previous = [], {}
    for record in reversed(records):
        pairs.append((record, previous.get(record.id)))
        previous[record.id] = record
    pairs.reverse()
    return _entries(model, pairs, hidden=hidden, named=True)


def _entries(model: type[models.Model], pairs: list, *, hidden: frozenset[str], named: bool = False) -> list:
    fields = _tracked_fields(model, hidden)
    m2ms = _m2m_fields(model, hidden)
    present = list({r.history_id: r for pair in pairs for r in pair if r is not None}.values())
    m2m_sets = {m2m.name: _m2m_sets(model, m2m, present) for m2m in m2ms} if present else {}
    # Raw differences first, then every name they need, fetched at once.
    raw: list[tuple[Any, list]] = []
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for new, old in pairs:
        diffs = []
        if old is not None and new.history_type == "~":
            for f in fields:
                before, after = getattr(old, f.attname), getattr(new, f.attname)
                if before != after:
                    diffs.append((f, before, after))
                    if f.is_relation:
                        wanted[f.related_model] |= {before, after}
            for m2m in m2ms:
                before, after = m2m_sets[m2m.name][old.history_id], m2m_sets[m2m.name][new.history_id]
                if before != after:
                    diffs.append((m2m, before, after))
                    wanted[m2m.related_model] |= before | after
        raw.append((new, diffs))
    names = {related: _names(related, ids) for related, ids in wanted.items()}
    entries = []
    for new, diffs in raw:
        changes = []
        for f, before, after in diffs:
            label = str(f.verbose_name)
            label = label[:1].upper() + label[1:]
            if f.many_to_many:
                changes.append(FieldChange(label, _m2m_words(before, f, names), _m2m_words(after, f, names)))
            else:
                changes.append(FieldChange(label, _word(before, f, names), _word(after, f, names)))
        kind = KINDS.get(new.history_type, "changed")
        if kind == "changed" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=new.history_date,
                who=_who(new),
                kind=kind,
                changes=changes,
                reason=new.history_change_reason or "",
                subject=str(new.instance) if named else "",
            )
        )
    return entries


def _m2m_words(ids: frozenset, f: models.ManyToManyField, names: dict) -> str:
    known = names.get(f.related_model, {})
    words = sorted(str(known[i]) if i in known else _("deleted record (no. %(pk)s)") % {"pk": i} for i in ids)
    return ", ".join(words) or EMPTY


def history_page(
    obj: models.Model, *, page_number: Any, per_page: int = PAGE_SIZE, hidden: frozenset[str] = HIDDEN_FIELDS
) -> tuple[Page, list[HistoryEntry]]:
    """The ``page_number``-th page of ``obj``'s history, newest first."""
    qs = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(qs, per_page).get_page(page_number)
    offset = (page.number - 1) * per_page
    records = list(qs[offset : offset + per_page + 1])
    before = records.pop() if len(records) > per_page else None
    return page, history_entries(obj, records, before=before, hidden=hidden)


def history_response(
    request: HttpRequest,
    obj: models.Model,
    *,
    title: str,
    back_url: str,
    hidden: frozenset[str] = HIDDEN_FIELDS,
    related: tuple[str, models.QuerySet] | None = None,
) -> HttpResponse:
    """The history page of ``obj``; the caller has checked that the reader
    may see the object. ``related``: (heading, historical records of records
    that belong to ``obj``, e.g. a project's milestones), shown newest first
    under it, a page of them at a time (``rpage``)."""
    page, entries = history_page(obj, page_number=request.GET.get("page"), hidden=hidden)
    context = {"obj": obj, "title": title, "back_url": back_url, "page": page, "entries": entries}
    if related is not None:
        heading, records = related
        records = list(records.select_related("history_user").order_by("-history_date", "-history_id"))
        related_entries = related_history(records[0].instance_type, records) if records else []
        related_page = Paginator(related_entries, per_page=PAGE_SIZE).get_page(request.GET.get("rpage"))
        context.update(related_heading=heading, related_page=related_page)
    return render(request, "base/history.html", context)
