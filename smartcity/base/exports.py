"""Spreadsheet exports shared by every app.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read as a formula by Excel and LibreOffice (CSV/formula injection,
OWASP). ``neutralise`` prefixes such text with an apostrophe so that it is
shown as typed; XLSX cells are also written as explicit strings.

Characters that XML 1.0 forbids or discourages (control characters other than tab and line
breaks, lone surrogates, U+FFFE/U+FFFF) are dropped from every exported text
(``xml_safe``): XLSX and GraphML are XML, and a CSV is read back by the
import, which refuses them.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _XML_FORBIDDEN.sub("", text)


def neutralise(value: Any) -> Any:
    """Make a cell value safe to open in a spreadsheet.

    Numbers, dates and booleans are kept as they are (a negative number is
    not a formula); text that a spreadsheet would evaluate gets a leading
    apostrophe.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | datetime.date | datetime.datetime):
        return value
    text = xml_safe(str(value))
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _cell(value: Any) -> Any:
    value = neutralise(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # BOM so that Excel opens UTF-8 accents correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Export") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")

    def cell(value: Any):
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(sheet, value=value)
        # Never let a spreadsheet read a string as a formula.
        text.data_type = TYPE_STRING
        return text

    sheet.append([cell(xml_safe(str(h))) for h in header])
    for row in rows:
        sheet.append([cell(_cell(v)) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_response(*, fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An attachment response in ``fmt`` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(header, rows, title=filename), content_type=XLSX_CONTENT_TYPE)
        ext = "xlsx"
    else:
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
        ext = "csv"
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{ext}"'
    return response
