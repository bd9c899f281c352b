"""Optimistic concurrency for edit forms.

An edit form carries the *token* of the record as it was when the form was
opened: the ``version`` field where the model has one, else ``updated_at``.
A save whose token is no longer current is refused with ``StaleEditError``,
which lists what the other person changed (from django-simple-history), their
value and the value the refused form carried. Nothing is overwritten. If
every field they changed already holds the value the form carries, there is
nothing to overwrite and the save goes through.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.dateparse import parse_datetime


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    theirs: str
    yours: str


class StaleEditError(Exception):
    def __init__(self, changes: list[Change]):
        super().__init__("record changed since the form was opened")
        self.changes = changes


def token_of(instance: models.Model) -> str:
    if hasattr(instance, "version"):
        return str(instance.version)
    return instance.updated_at.isoformat()


def _record_at(instance: models.Model, token: str):
    history = instance.history.order_by("-history_date", "-history_id")
    if hasattr(instance, "version"):
        try:
            return history.filter(version=int(token)).first()
        except (TypeError, ValueError):
            return None
    opened = parse_datetime(token or "")
    return history.filter(updated_at=opened).first() if opened else None


def display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("yes") if value else gettext("no")
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return str(value)


def _current_display(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return display(list(getattr(instance, name).all()))
    if field.choices:
        return display(getattr(instance, f"get_{name}_display")())
    return display(getattr(instance, name))


def _submitted_display(instance: models.Model, name: str, value: Any) -> str:
    field = instance._meta.get_field(name)
    if field.choices and not field.many_to_many:
        return display(dict(field.flatchoices).get(value, value))
    return display(value)


def check_token(instance: models.Model, token: str | None, submitted: dict[str, Any], fields: Iterable[str]) -> None:
    """Raise StaleEditError if ``instance`` (freshly read, locked) moved on
    since ``token``. ``submitted`` holds the refused form's values."""
    if token is not None and str(token) == token_of(instance):
        return
    fields = [f for f in fields if f in submitted]
    old = _record_at(instance, str(token or ""))
    latest = instance.history.order_by("-history_date", "-history_id").first()
    if old is not None and latest is not None:
        m2m = [f.name for f in instance._meta.many_to_many if f.name in fields]
        try:
            delta = latest.diff_against(old, included_fields=fields)
            changed = list(delta.changed_fields)
        except Exception:  # a history this version cannot diff: every field is compared below
            changed = list(fields)
        changed += [f for f in m2m if f not in changed and _m2m_moved(latest, old, f)]
    else:
        changed = list(fields)
    changes = [
        change
        for change in (
            Change(
                field=name,
                label=str(instance._meta.get_field(name).verbose_name),
                theirs=_current_display(instance, name),
                yours=_submitted_display(instance, name, submitted.get(name)),
            )
            for name in fields
            if name in changed
        )
        # Where they saved what you typed, there is no conflict to show.
        if change.theirs != change.yours
    ]
    if changes:
        raise StaleEditError(changes)
    # Saved meanwhile, but nothing of theirs differs from this form: saving
    # it overwrites nothing, so it goes through.


def _m2m_moved(latest, old, name: str) -> bool:
    """Did the many-to-many ``name`` change between two history records? An
    m2m that history does not track cannot tell: it counts as moved, so the
    form's value is compared with the current one rather than let through."""
    before, after = _m2m_ids(old, name), _m2m_ids(latest, name)
    return before is None or after is None or before != after


def _m2m_ids(record, name: str) -> set | None:
    try:
        manager = getattr(record, name)
        field = record.instance_type._meta.get_field(name)
        target = field.m2m_reverse_field_name()
        return {getattr(row, f"{target}_id") for row in manager.all()}
    except Exception:
        return None
