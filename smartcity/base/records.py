"""The steps every create, update and archive service shares.

The convention of the apps' ``services.py``: a service is keyword-only and
typed; a record edited through a form is written from ``data``, the form's
cleaned data, where a field present is set and a field absent is left as it
is; an update carries ``token``, the record's concurrency token as the form
was opened (``smartcity.base.concurrency``), and is refused with
``StaleEditError`` if somebody saved the record since. Actions that are not
a form's fields (a report, a link, a move) take explicit keyword arguments.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

from .concurrency import check_token

M = TypeVar("M", bound=models.Model)


def apply_fields(instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    """Set each of ``fields`` present in ``data``; leave the others alone."""
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def set_many_to_many(instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    for name in fields:
        if name in data:
            getattr(instance, name).set(data[name])


def record_create(
    model: type[M], *, data: Mapping[str, Any], fields: Iterable[str], m2m: Iterable[str] = (), **extra: Any
) -> M:
    """A new ``model`` from ``data``, validated with ``full_clean()``.
    Call inside a transaction (the apps' services are atomic)."""
    instance = model(**extra)
    apply_fields(instance, data, fields)
    instance.full_clean()
    instance.save()
    set_many_to_many(instance, data, m2m)
    return instance


def record_update(
    instance: M, *, token: str | None, data: Mapping[str, Any], fields: Iterable[str], m2m: Iterable[str] = ()
) -> M:
    """Save ``data`` on ``instance`` read again under a row lock, unless it
    changed since ``token`` (StaleEditError, nothing written). A record with
    a ``version`` field gets it bumped. Call inside a transaction."""
    fields, m2m = tuple(fields), tuple(m2m)
    instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    check_token(instance, token, data, fields + m2m)
    apply_fields(instance, data, fields)
    if hasattr(instance, "version"):
        instance.version += 1
    instance.full_clean()
    instance.save()
    set_many_to_many(instance, data, m2m)
    return instance


def record_archive(instance: M, *, field: str = "is_archived", value: bool = True) -> M:
    """Archive (never delete): the record leaves the lists, its history stays."""
    setattr(instance, field, value)
    update_fields = [field]
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    return instance


def record_move(instance: M, *, siblings: models.QuerySet, up: bool, field: str = "position") -> M:
    """Move ``instance`` one place up or down among ``siblings`` (ordered
    by ``field``, then pk), numbering them 0, 1, 2… Call inside a
    transaction; the siblings are locked while they are renumbered."""
    rows = list(siblings.select_for_update().order_by(field, "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == instance.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows):
        if getattr(row, field) != position:
            setattr(row, field, position)
            row.save(update_fields=[field])
    return next(row for row in rows if row.pk == instance.pk)
