"""The editable vocabulary of phases and health levels (issue 13), read
once per process and kept until it changes.

Projects and status reports store a code; this module turns a code into
its label, its stage (a phase) or its severity and colour (a health level),
and lists the values a picker offers: the values not archived, plus the
record's own value (an archived value stays on old records and leaves the
pickers).

Cost: no SQL query on a page. The vocabulary is loaded in one query the
first time a process needs it and kept with the version read from the cache;
any save of a value (``post_save``) forgets it in this process and writes a
new version in the cache, again on commit, so every other process reloads
it on its next request (one cache read per request, in ``request_started``).
Without the tables (a database not migrated yet) the built-in values stand.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.core.signals import request_started
from django.db import DatabaseError, transaction
from django.utils.translation import get_language

VERSION_KEY = "orchestre:taxonomy:version"
# Outside requests (workers, commands) the version is read again after this.
RECHECK_SECONDS = 30


@dataclass(frozen=True)
class Value:
    code: str
    label: object  # a typed label, or the built-in lazy translation
    meaning: str  # a phase's stage, a health level's severity
    color: str
    position: int
    is_archived: bool
    is_builtin: bool

    def __str__(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Vocabulary:
    phases: tuple[Value, ...]
    health: tuple[Value, ...]


_state: dict = {"vocabulary": None, "version": None, "checked": 0.0}


def _builtin() -> Vocabulary:
    from .models import BUILTIN_HEALTH, BUILTIN_PHASES, Health, Phase

    phases = tuple(
        Value(code, Phase(code).label, stage, "", i, False, True)
        for i, (code, stage) in enumerate(BUILTIN_PHASES.items())
    )
    health = tuple(
        Value(code, Health(code).label, severity, color, i, False, True)
        for i, (code, (severity, color)) in enumerate(BUILTIN_HEALTH.items())
    )
    return Vocabulary(phases, health)


def _load() -> Vocabulary | None:
    """The stored vocabulary; None without its tables."""
    from .models import HealthOption, PhaseOption

    try:
        phases = tuple(
            Value(o.code, o.display_label, o.stage, "", o.position, o.is_archived, o.is_builtin)
            for o in PhaseOption.objects.order_by("position", "pk")
        )
        health = tuple(
            Value(o.code, o.display_label, o.severity, o.color, o.position, o.is_archived, o.is_builtin)
            for o in HealthOption.objects.order_by("position", "pk")
        )
    except DatabaseError:
        return None
    builtin = _builtin()
    return Vocabulary(phases or builtin.phases, health or builtin.health)


def vocabulary() -> Vocabulary:
    now = time.monotonic()
    if _state["vocabulary"] is not None and now - _state["checked"] > RECHECK_SECONDS:
        _check_version()
    if _state["vocabulary"] is None:
        version = cache.get(VERSION_KEY)
        loaded = _load()
        if loaded is None:  # not migrated yet: the built-in values, not kept
            return _builtin()
        _state.update(vocabulary=loaded, version=version, checked=now)
    return _state["vocabulary"]


def _check_version(**_kwargs) -> None:
    """Reload when another process saved a value. An empty cache (flushed,
    or Redis down) signals nothing: every save writes a new version."""
    _state["checked"] = time.monotonic()
    if _state["vocabulary"] is None:
        return
    version = cache.get(VERSION_KEY)
    if version is not None and version != _state["version"]:
        _state["vocabulary"] = None


def forget() -> None:
    """Drop this process's copy."""
    _state["vocabulary"] = None


def kept() -> Vocabulary | None:
    """This process's copy, if any (tests keep the migrated one aside)."""
    return _state["vocabulary"]


def keep(vocabulary: Vocabulary | None) -> None:
    """Put back a copy known to match the database (tests: the migrated
    vocabulary once a test's changes are rolled back)."""
    _state.update(vocabulary=vocabulary, version=cache.get(VERSION_KEY), checked=time.monotonic())


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def changed(**_kwargs) -> None:
    """A value was saved: reload here, and everywhere once committed."""
    forget()
    _bump()
    transaction.on_commit(_bump)


def connect() -> None:
    """Called from ``ProgrammesConfig.ready``."""
    from django.db.models.signals import post_delete, post_save

    from .models import HealthOption, PhaseOption

    request_started.connect(_check_version, dispatch_uid="taxonomy_version")
    for model in (PhaseOption, HealthOption):
        post_save.connect(changed, sender=model, dispatch_uid=f"taxonomy_{model.__name__}_saved")
        post_delete.connect(changed, sender=model, dispatch_uid=f"taxonomy_{model.__name__}_deleted")


# --- Reads ---------------------------------------------------------------------


def phases() -> tuple[Value, ...]:
    return vocabulary().phases


def health_levels() -> tuple[Value, ...]:
    return vocabulary().health


def health_shown(counts: Mapping[str, int]) -> list[tuple[str, object]]:
    """The health levels a chart or a table lists: every level not
    archived, and an archived one only while some record it counts holds it
    (``counts``: code → number of records); otherwise it would show as an
    empty column or row."""
    return [(v.code, v.label) for v in health_levels() if not v.is_archived or counts.get(v.code)]


def phase_choices() -> list[tuple[str, object]]:
    return [(v.code, v.label) for v in phases()]


def health_choices() -> list[tuple[str, object]]:
    return [(v.code, v.label) for v in health_levels()]


def _picker(values, current, *, exclude=()) -> list[tuple[str, object]]:
    return [
        (v.code, v.label)
        for v in values
        if v.meaning not in exclude and (not v.is_archived or (current is not None and v.code == current))
    ]


def phase_picker(current: str | None = None) -> list[tuple[str, object]]:
    """The phases a form offers: not archived, plus ``current``."""
    return _picker(phases(), current)


def health_picker(current: str | None = None, *, reportable: bool = False) -> list[tuple[str, object]]:
    """The health levels a form or filter offers: not archived, plus
    ``current``; ``reportable`` leaves out "not reported" levels."""
    from .models import Severity

    return _picker(health_levels(), current, exclude=(Severity.UNKNOWN,) if reportable else ())


_LABELS: dict[tuple[str, str | None], tuple[Vocabulary, dict[str, str]]] = {}


def _label(kind: str, code: str) -> str:
    """A code's label as text, from a dict built once per vocabulary and
    language: looking it up and turning a lazy label into text at every row
    was a fifth of a long project table's time."""
    current = vocabulary()
    key = (kind, get_language())
    kept = _LABELS.get(key)
    if kept is None or kept[0] is not current:
        values = current.phases if kind == "phase" else current.health
        kept = _LABELS[key] = (current, {v.code: str(v.label) for v in values})
    return kept[1].get(code, code)


def phase_label(code: str) -> str:
    return _label("phase", code)


def health_label(code: str) -> str:
    return _label("health", code)


def stage_of(code: str) -> str | None:
    return next((v.meaning for v in phases() if v.code == code), None)


def phases_of_stage(*stages: str) -> tuple[str, ...]:
    return tuple(v.code for v in phases() if v.meaning in stages)


def severity_of(code: str) -> str:
    from .models import Severity

    return next((v.meaning for v in health_levels() if v.code == code), Severity.UNKNOWN)


def health_of_severity(*severities: str) -> tuple[str, ...]:
    return tuple(v.code for v in health_levels() if v.meaning in severities)


def health_colour(code: str) -> str:
    return next((v.color for v in health_levels() if v.code == code), "#6c757d")
