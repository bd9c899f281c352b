"""Spreadsheet imports (CSV or XLSX): upload → preview → confirm.

The same code runs both passes: every row is applied inside one transaction,
each in its own savepoint so that one bad row is reported without hiding the
others. The preview pass always rolls back; the apply pass commits only if no
row failed (all or nothing). Files over ``MAX_ROWS`` rows or ``MAX_BYTES``
are refused; files over ``SYNC_ROWS`` rows are handled by a Celery task while
the page shows a progress bar.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ImportJob
from .queue import enqueue
from .uploads import check_upload

log = logging.getLogger("orchestre.imports")

PROGRESS_EVERY = 25


@dataclass(frozen=True)
class ImportKind:
    """One kind of import, registered by the app that owns its records."""

    kind: str
    label: str
    importer: type[Importer]
    upload_url: str  # URL name of the upload page


KINDS: dict[str, ImportKind] = {}


def register(kind: str, *, label: str, importer: type[Importer], upload_url: str) -> None:
    """Called from the owning app's ``AppConfig.ready()``."""
    KINDS[kind] = ImportKind(kind=kind, label=label, importer=importer, upload_url=upload_url)


def max_rows() -> int:
    return int(getattr(settings, "ORCHESTRE_IMPORT_MAX_ROWS", 5000))


def sync_rows() -> int:
    """Files up to this many rows are processed during the request."""
    return int(getattr(settings, "ORCHESTRE_IMPORT_SYNC_ROWS", 200))


class ImportFileError(Exception):
    """The file itself is refused (type, size, rows, header)."""


class RowError(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# Reading files -------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _ExcelSemicolon(csv.excel):
    """Excel's CSV as French spreadsheets write it (csv.excel itself is
    shared by the whole process and is never changed)."""

    delimiter = ";"


# Longest cell accepted (the csv module's own limit is 131,072 characters).
MAX_CELL_CHARS = 100_000
# Multi-byte UTF-8 sequences: a file that has some is UTF-8, even if broken.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE.search(data):
            # UTF-8 with some bytes of another encoding: never guess.
            raise ImportFileError(
                _("Line %(line)s of the file is not valid UTF-8 text (mixed encodings); save the file as UTF-8 CSV.")
                % {"line": _line_of(data, exc.start)}
            ) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Line %(line)s of the file is in an unknown text encoding; save the file as UTF-8 CSV.")
            % {"line": _line_of(data, exc.start)}
        ) from None


def _read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This file is not a text CSV file."))
    if b"\x00" in data:
        raise ImportFileError(
            _("Line %(line)s contains a NUL character: this is not a text CSV file.")
            % {"line": _line_of(data, data.index(b"\x00"))}
        )
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = _ExcelSemicolon if sample.count(";") > sample.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    try:
        for row in reader:
            if any(len(cell) > MAX_CELL_CHARS for cell in row):
                raise ImportFileError(_too_long(reader.line_num))
            if any(cell.strip() for cell in row):
                rows.append(row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(_too_long(reader.line_num)) from None
        raise ImportFileError(
            _("Line %(line)s of the file cannot be read as CSV.") % {"line": reader.line_num}
        ) from None
    return rows


def _too_long(line: int) -> str:
    return _("Line %(line)s has a cell longer than %(limit)s characters.") % {
        "line": line,
        "limit": f"{MAX_CELL_CHARS:,}".replace(",", "\u202f"),
    }


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(_("This file is not a readable XLSX workbook.")) from exc
    sheet = workbook.worksheets[0]
    # The sheet's declared dimension may say 16,384 columns (a formatted
    # empty row far down): bound the columns by the header's last cell.
    sheet.reset_dimensions()
    rows, width = [], None
    for values in sheet.iter_rows(values_only=True):
        row = [_text(v) for v in values[:width]]
        if not any(row):
            continue
        if width is None:
            width = max(i for i, cell in enumerate(row) if cell) + 1
            row = row[:width]
        rows.append(row)
        if len(rows) > max_rows() + 1:
            break
    workbook.close()
    return rows


def _cell_text(cell: str | None) -> str:
    text = (cell or "").strip()
    # An export writes text a spreadsheet would compute with an apostrophe
    # before it (exports.neutralise): read it back as it was.
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def read_upload(upload) -> tuple[str, list[dict[str, str]]]:
    """Check and parse an uploaded file; returns its name and rows as dicts
    keyed by column header as written in the file. Raises ImportFileError
    with a message for the user."""
    name = upload.name or ""
    try:
        # Size (ORCHESTRE_UPLOAD_MAX_BYTES), name and sniffed content.
        ext = check_upload(upload, kinds=("csv", "xlsx"))
    except ValidationError as exc:
        raise ImportFileError(" ".join(exc.messages)) from exc
    data = upload.read()
    table = _read_xlsx(data) if ext == "xlsx" else _read_csv(data)
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [h.strip() for h in table[0]]
    # A note line ("# …" in the first cell only, as the template has) is not a row.
    body = [row for row in table[1:] if not (row[0].startswith("# ") and not any(c.strip() for c in row[1:]))]
    if len(body) > max_rows():
        raise ImportFileError(
            _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": max_rows()}
        )
    if not body:
        raise ImportFileError(_("The file has a header but no rows."))
    rows = [
        {header[i]: _cell_text(cell) for i, cell in enumerate(row) if i < len(header) and header[i]} for row in body
    ]
    return name, rows


# Importers -----------------------------------------------------------------

# A cell that holds exactly one of these clears the field (an empty cell
# leaves it as it is). Documented on the upload page and in the README.
CLEAR_MARKERS = ("-", "(vide)", "(empty)")


def _in_languages(text: Any) -> set[str]:
    names = set()
    for lang in ("fr", "en"):
        with translation.override(lang):
            names.add(str(text).strip().lower())
    return names


@dataclass(frozen=True)
class Column:
    name: str
    label: Any = ""  # the header in the interface language (lazy)
    required: bool = False
    help: str = ""

    @property
    def header(self) -> str:
        return str(self.label or self.name)

    def matches(self, header: str) -> bool:
        wanted = header.strip().lower()
        return wanted == self.name or (bool(self.label) and wanted in _in_languages(self.label))


class Importer:
    """One kind of import. Subclasses list their columns and apply one row
    (creating or updating through the app's services). A row's problems are
    collected with ``error()`` and raised together by ``check()``;
    ``apply_row`` returns "create", "update" or "unchanged" and lists what
    it changes in ``self.changes``.

    A column absent from the file, or an empty cell, leaves a field as it
    is; a cell holding a clear marker (``CLEAR_MARKERS``) empties it."""

    kind: str = ""
    columns: list[Column] = []
    # Label of the "create missing references" option, if the kind has one.
    create_option: Any = None

    def __init__(self, *, user=None, headers: dict[str, str] | None = None, options: dict | None = None) -> None:
        self.caches: dict[str, Any] = {}
        # Who imports: writes that record their author (a status report) use it.
        self.user = user
        # Column name → the header as written in the file.
        self.headers = headers or {}
        self.options = options or {}
        self.errors: list[str] = []
        self.changes: list[dict[str, str]] = []

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def header_of(self, name: str) -> str:
        """A column as the user sees it in the file."""
        return self.headers.get(name) or self.column(name).header

    def match_header(self, header: Iterable[str]) -> dict[str, str]:
        """File header → column name, for the headers that name a column."""
        found = {}
        for text in header:
            for column in self.columns:
                if column.name not in found.values() and column.matches(text):
                    found[text] = column.name
                    break
        return found

    def row_key(self, row: dict[str, str]) -> str:
        """Identifies a row, to report the same record given twice."""
        return row.get(self.columns[0].name, "").strip().lower()

    def row_label(self, row: dict[str, str]) -> str:
        """What the preview shows for a row."""
        return " — ".join(row.get(c.name, "") for c in self.columns[:2] if row.get(c.name))

    def example(self) -> dict[str, str]:
        """An example row for the template (column name → cell)."""
        return {}

    def accepted_values(self) -> dict[str, list[str]]:
        """Column header → the values it accepts, listed in the template."""
        return {}

    def start_row(self) -> None:
        self.errors, self.changes = [], []

    def apply_row(self, row: dict[str, str]) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_header(self, header: Iterable[str]) -> None:
        """The file must name the key column (the first); the other
        required columns are required to create a record (row errors)."""
        named = set(self.match_header(header).values())
        missing = [c.header for c in self.columns[:1] if c.name not in named]
        if missing:
            raise ImportFileError(
                ngettext(
                    "Missing column: %(columns)s. Download the template to see the expected columns.",
                    "Missing columns: %(columns)s. Download the template to see the expected columns.",
                    len(missing),
                )
                % {"columns": ", ".join(missing)}
            )

    # Helpers for subclasses

    def error(self, name: str, message: str) -> None:
        self.errors.append(_("%(column)s: %(message)s") % {"column": self.header_of(name), "message": message})

    def check(self) -> None:
        """Raise every error found in the row so far."""
        if self.errors:
            raise RowError(list(dict.fromkeys(self.errors)))

    @staticmethod
    def given(row: dict[str, str], name: str) -> bool:
        """The file sets (or clears) this column in this row."""
        return bool(row.get(name, "").strip())

    @staticmethod
    def cleared(row: dict[str, str], name: str) -> bool:
        return row.get(name, "").strip().lower() in CLEAR_MARKERS

    def required(self, row: dict[str, str], name: str) -> str:
        value = row.get(name, "").strip()
        if not value or self.cleared(row, name):
            self.error(name, _("this value is required."))
            return ""
        return value

    def texts(self, row: dict[str, str], data: dict[str, Any], names: Iterable[str], *, required=()) -> None:
        """Text columns into ``data`` (field = column name): a cell sets,
        a clear marker empties, an empty cell or absent column leaves."""
        for name in names:
            if self.cleared(row, name):
                if name in required:
                    self.error(name, _("this value is required."))
                else:
                    data[name] = ""
            elif self.given(row, name):
                data[name] = row[name].strip()

    def choice_field(self, row: dict[str, str], data: dict[str, Any], name: str, choices, *, cast=None) -> None:
        if self.cleared(row, name):
            self.error(name, _("this value cannot be cleared."))
        elif self.given(row, name):
            value = self.choice(row[name], choices, name)
            if value is not None:
                data[name] = cast(value) if cast else value

    def choice(self, value: str, choices, column: str):
        """Accept a choice's value or its label in French or English."""
        if not value:
            return ""
        wanted = value.strip().lower()
        for key, label in choices:
            if wanted == str(key).lower() or wanted in _in_languages(label):
                return key
        accepted = ", ".join(str(label) for _key, label in choices)
        self.error(
            column, _("unknown value “%(value)s” (accepted: %(accepted)s).") % {"value": value, "accepted": accepted}
        )
        return None

    def reference(self, value: str, column: str, options: dict[str, Any], message: str) -> Any:
        """The object named ``value`` among ``options`` (lower-case name →
        object); else an error (``message``, with ``%(value)s``) that
        suggests the closest names."""
        found = options.get(value.strip().lower())
        if found is not None:
            return found
        close = difflib.get_close_matches(value.strip().lower(), list(options), n=3, cutoff=0.6)
        names = list(dict.fromkeys(getattr(options[c], "acronym", None) or str(options[c]) for c in close))
        message = message % {"value": value}
        if names:
            message += " " + _("Did you mean: %(names)s?") % {"names": ", ".join(names)}
        self.error(column, message)
        return None

    def date(self, value: str, column: str) -> datetime.date | None:
        if not value:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"):
            try:
                return datetime.datetime.strptime(value[:10], fmt).date()
            except ValueError:
                continue
        self.error(column, _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value})
        return None

    def decimal(self, value: str, column: str) -> Decimal | None:
        if not value:
            return None
        try:
            return Decimal(value.replace(" ", "").replace("\u202f", "").replace("€", "").replace(",", "."))
        except InvalidOperation:
            self.error(column, _("“%(value)s” is not a number.") % {"value": value})
            return None

    # What an update changes

    @staticmethod
    def shown(instance, name: str, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list | tuple | set) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            return ", ".join(sorted(getattr(v, "acronym", None) or str(v) for v in items))
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # not a model field: show the value as it is
            field = None
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if hasattr(value, "acronym"):
            return value.acronym
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    def diff(self, instance, data: dict[str, Any], columns: dict[str, str]) -> list[dict[str, str]]:
        """The changes ``data`` makes to ``instance`` (``columns``: field →
        column name), also added to ``self.changes``."""
        changes = []
        for field, value in data.items():
            if field not in columns:
                continue
            old = getattr(instance, field) if instance is not None else None
            if hasattr(old, "all"):
                same = {o.pk for o in old.all()} == {v.pk for v in value}
            elif isinstance(old, Decimal) and isinstance(value, Decimal):
                same = old == value
            else:
                same = (old or "") == (value or "")
            if not same:
                changes.append(
                    {
                        "column": self.header_of(columns[field]),
                        "old": self.shown(instance, field, old),
                        "new": self.shown(instance, field, value),
                    }
                )
        self.changes.extend(changes)
        return changes


def kind_label(kind: str) -> str:
    registered = KINDS.get(kind)
    return str(registered.label) if registered else kind


def importer_for(kind: str, *, user=None, headers=None, options=None) -> Importer:
    return KINDS[kind].importer(user=user, headers=headers, options=options)


def template_csv(kind: str) -> bytes:
    """The header in the interface language, an example row, and the
    accepted values of the columns that have a list of them."""
    importer = importer_for(kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([c.header for c in importer.columns])
    writer.writerow([importer.example().get(c.name, "") for c in importer.columns])
    for title, values in importer.accepted_values().items():
        writer.writerow(
            ["# " + _("Accepted values of %(column)s: %(values)s") % {"column": title, "values": ", ".join(values)}]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _field_errors(exc: ValidationError, importer: Importer) -> list[str]:
    """A model's validation errors with the file's column names."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    names = {c.name for c in importer.columns}
    field_columns = getattr(importer, "field_columns", {})
    messages = []
    for field, errors in exc.message_dict.items():
        column = field_columns.get(field, field)
        for message in errors:
            if field == "__all__":
                messages.append(message)
            elif column in names:
                messages.append(
                    _("%(column)s: %(message)s") % {"column": importer.header_of(column), "message": message}
                )
            else:
                messages.append(message)
    return messages


def _messages(exc: Exception, importer: Importer) -> list[str]:
    if isinstance(exc, RowError):
        return exc.messages
    if isinstance(exc, ValidationError):
        return _field_errors(exc, importer)
    return [str(exc)]


def progress_key(job_id: int) -> str:
    return f"orchestre:import-progress:{job_id}"


def job_progress(job: ImportJob) -> int:
    if job.is_running:
        cached = cache.get(progress_key(job.pk))
        if cached is not None:
            return int(cached)
    return job.progress


def _run_rows(job: ImportJob, *, commit: bool) -> dict:
    importer = importer_for(
        job.kind, user=job.created_by, headers=job.report.get("headers"), options=job.report.get("options")
    )
    report_rows, seen = [], {}
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    with transaction.atomic():
        for index, row in enumerate(job.rows):
            line = index + 2  # line 1 is the header
            key = importer.row_key(row)
            entry = {"line": line, "key": importer.row_label(row), "action": "", "errors": [], "changes": []}
            if key and key in seen:
                entry["errors"] = [_("Same row as line %(line)s.") % {"line": seen[key]}]
            else:
                seen[key] = line
                sid = transaction.savepoint()
                importer.start_row()
                try:
                    entry["action"] = importer.apply_row(row)
                    entry["changes"] = importer.changes
                    transaction.savepoint_commit(sid)
                except (RowError, ValidationError, ValueError, LookupError) as exc:
                    transaction.savepoint_rollback(sid)
                    entry["errors"] = _messages(exc, importer)
            counts["error" if entry["errors"] else entry["action"]] += 1
            report_rows.append(entry)
            if index % PROGRESS_EVERY == 0:
                cache.set(progress_key(job.pk), index + 1, 3600)
        if not commit or counts["error"]:
            transaction.set_rollback(True)
    return {"rows": report_rows, "counts": counts}


def import_job_run(*, job_id: int, phase: str) -> ImportJob:
    """Check (``phase="validate"``) or apply (``phase="apply"``) a job. The
    apply pass writes everything or nothing."""
    job = ImportJob.objects.get(pk=job_id)
    try:
        with translation.override(job.report.get("language") or settings.LANGUAGE_CODE):
            report = _run_rows(job, commit=(phase == "apply"))
    except Exception as exc:
        log.exception("import %s failed", job.pk)
        job.status, job.error = ImportJob.Status.FAILED, str(exc)[:2000]
        job.save(update_fields=["status", "error", "updated_at"])
        return job
    for key in ("language", "headers", "options"):
        report[key] = job.report.get(key) or ({} if key != "language" else "")
    job.report, job.progress = report, job.total_rows
    if report["counts"]["error"]:
        job.status = ImportJob.Status.REJECTED if phase == "validate" else ImportJob.Status.FAILED
    else:
        job.status = ImportJob.Status.PREVIEW if phase == "validate" else ImportJob.Status.DONE
    job.save(update_fields=["report", "progress", "status", "updated_at"])
    cache.delete(progress_key(job.pk))
    return job


def _start(job: ImportJob, phase: str) -> None:

    if job.total_rows <= sync_rows():
        import_job_run(job_id=job.pk, phase=phase)
        job.refresh_from_db()
    else:
        enqueue("smartcity.tasks.import_run", job_id=job.pk, phase=phase)


def import_job_create(*, kind: str, upload, user, options: dict | None = None) -> ImportJob:
    """Read the file, keep its rows in a job and check them (now, or in the
    background for a large file). Columns are named by their key, or by
    their header in French or English; others are ignored. Raises
    ImportFileError."""
    name, rows = read_upload(upload)
    importer = importer_for(kind)
    header = list(rows[0].keys())
    importer.check_header(header)
    names = importer.match_header(header)
    rows = [{names[k]: v for k, v in row.items() if k in names} for row in rows]
    job = ImportJob.objects.create(
        kind=kind,
        created_by=user,
        filename=name[:255],
        rows=rows,
        total_rows=len(rows),
        report={
            "language": translation.get_language() or "",
            "headers": {column: text for text, column in names.items()},
            "options": options or {},
        },
    )
    _start(job, "validate")
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Apply a checked job. Only a job whose preview found no error."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.PREVIEW:
            raise ValidationError(_("This import cannot be confirmed in its current state."))
        job.status, job.progress = ImportJob.Status.APPLYING, 0
        job.save(update_fields=["status", "progress", "updated_at"])
    _start(job, "apply")
    job.refresh_from_db()
    return job
