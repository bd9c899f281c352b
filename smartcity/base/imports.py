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
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
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


def _read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This file is not a text CSV file."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportFileError(_("The file's text encoding is not recognised; save it as UTF-8 CSV."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = _ExcelSemicolon if sample.count(";") > sample.count(",") else csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(_("This file is not a readable XLSX workbook.")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        row = [_text(v) for v in values]
        if any(row):
            rows.append(row)
        if len(rows) > max_rows() + 1:
            break
    workbook.close()
    return rows


def read_upload(upload) -> tuple[str, list[dict[str, str]]]:
    """Check and parse an uploaded file; returns its name and rows as dicts
    keyed by lower-case column name. Raises ImportFileError with a message
    for the user."""
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
    header = [h.strip().lower() for h in table[0]]
    body = table[1:]
    if len(body) > max_rows():
        raise ImportFileError(
            _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": max_rows()}
        )
    if not body:
        raise ImportFileError(_("The file has a header but no rows."))
    rows = [
        {header[i]: (cell or "").strip() for i, cell in enumerate(row) if i < len(header) and header[i]} for row in body
    ]
    return name, rows


# Importers -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    help: str = ""


class Importer:
    """One kind of import. Subclasses list their columns and apply one row
    (creating or updating through the app's services); they raise RowError
    or ValidationError for a bad row and return "create" or "update"."""

    kind: str = ""
    columns: list[Column] = []

    def __init__(self, *, user=None) -> None:
        self.caches: dict[str, Any] = {}
        # Who imports: writes that record their author (a status report) use it.
        self.user = user

    def row_key(self, row: dict[str, str]) -> str:
        """Identifies a row, to report the same record given twice."""
        return row.get(self.columns[0].name, "").strip().lower()

    def row_label(self, row: dict[str, str]) -> str:
        """What the preview shows for a row."""
        return " — ".join(row.get(c.name, "") for c in self.columns[:2] if row.get(c.name))

    def apply_row(self, row: dict[str, str]) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_header(self, header: Iterable[str]) -> None:
        missing = [c.name for c in self.columns if c.required and c.name not in set(header)]
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

    @staticmethod
    def required(row: dict[str, str], name: str) -> str:
        value = row.get(name, "").strip()
        if not value:
            raise RowError([_("%(column)s: this value is required.") % {"column": name}])
        return value

    @staticmethod
    def choice(value: str, choices, column: str) -> str:
        """Accept a choice's value or its label in French or English."""
        if not value:
            return ""
        wanted = value.strip().lower()
        for key, label in choices:
            names = {str(key).lower()}
            for lang in ("fr", "en"):
                with translation.override(lang):
                    names.add(str(label).lower())
            if wanted in names:
                return key
        raise RowError([_("%(column)s: unknown value “%(value)s”.") % {"column": column, "value": value}])

    @staticmethod
    def date(value: str, column: str) -> datetime.date | None:
        if not value:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"):
            try:
                return datetime.datetime.strptime(value[:10], fmt).date()
            except ValueError:
                continue
        raise RowError(
            [_("%(column)s: “%(value)s” is not a date (use YYYY-MM-DD).") % {"column": column, "value": value}]
        )

    @staticmethod
    def decimal(value: str, column: str) -> Decimal | None:
        if not value:
            return None
        try:
            return Decimal(value.replace(" ", "").replace("\u202f", "").replace("€", "").replace(",", "."))
        except InvalidOperation:
            raise RowError(
                [_("%(column)s: “%(value)s” is not a number.") % {"column": column, "value": value}]
            ) from None


def kind_label(kind: str) -> str:
    registered = KINDS.get(kind)
    return str(registered.label) if registered else kind


def importer_for(kind: str, *, user=None) -> Importer:
    return KINDS[kind].importer(user=user)


def template_csv(kind: str) -> bytes:
    importer = importer_for(kind)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow([c.name for c in importer.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, RowError):
        return exc.messages
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [
                f"{field}: {message}" if field != "__all__" else message
                for field, errors in exc.message_dict.items()
                for message in errors
            ]
        return list(exc.messages)
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
    importer = importer_for(job.kind, user=job.created_by)
    report_rows, seen = [], {}
    counts = {"create": 0, "update": 0, "error": 0}
    with transaction.atomic():
        for index, row in enumerate(job.rows):
            line = index + 2  # line 1 is the header
            key = importer.row_key(row)
            entry = {"line": line, "key": importer.row_label(row), "action": "", "errors": []}
            if key and key in seen:
                entry["errors"] = [_("Same row as line %(line)s.") % {"line": seen[key]}]
            else:
                seen[key] = line
                sid = transaction.savepoint()
                try:
                    entry["action"] = importer.apply_row(row)
                    transaction.savepoint_commit(sid)
                except (RowError, ValidationError, ValueError, LookupError) as exc:
                    transaction.savepoint_rollback(sid)
                    entry["errors"] = _messages(exc)
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
    report["language"] = job.report.get("language", "")
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


def import_job_create(*, kind: str, upload, user) -> ImportJob:
    """Read the file, keep its rows in a job and check them (now, or in the
    background for a large file). Raises ImportFileError."""
    name, rows = read_upload(upload)
    importer_for(kind).check_header(rows[0].keys())
    job = ImportJob.objects.create(
        kind=kind,
        created_by=user,
        filename=name[:255],
        rows=rows,
        total_rows=len(rows),
        report={"language": translation.get_language() or ""},
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
