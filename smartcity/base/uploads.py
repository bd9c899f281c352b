"""Checks for uploaded files: size and real type (not only the name).

Use ``FileCheck`` as a form or model field validator::

    file = forms.FileField(validators=[FileCheck(kinds=("csv", "xlsx"))])

or call ``check_upload(file, kinds=...)`` in a view. The request body itself
is capped by ``DATA_UPLOAD_MAX_MEMORY_SIZE`` / ``FILE_UPLOAD_MAX_MEMORY_SIZE``.
"""

import zipfile
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

SNIFF_BYTES = 8192


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                head[:-3].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def _is_ooxml(file: UploadedFile, folder: str = "xl/") -> bool:
    """An Office Open XML package (xlsx, docx, pptx) whose parts live in ``folder``."""
    try:
        with zipfile.ZipFile(file) as archive:
            return "[Content_Types].xml" in archive.namelist() and any(
                name.startswith(folder) for name in archive.namelist()
            )
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)


def _is_xlsx(file: UploadedFile) -> bool:
    return _is_ooxml(file, "xl/")


def _is_odf(file: UploadedFile, mimetype: str) -> bool:
    """An OpenDocument package: its first entry, ``mimetype``, names the type."""
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.read("mimetype").strip() == mimetype.encode()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        file.seek(0)


ZIP_SIGNATURE = b"PK\x03\x04"

SNIFFERS = {
    # A workbook renamed .csv starts like any zip archive: it is not text.
    "csv": lambda f, head: _looks_like_text(head) and not head.startswith(ZIP_SIGNATURE),
    "txt": lambda f, head: _looks_like_text(head) and not head.startswith(ZIP_SIGNATURE),
    "xlsx": lambda f, head: head.startswith(ZIP_SIGNATURE) and _is_xlsx(f),
    "pdf": lambda f, head: head.startswith(b"%PDF-"),
    "png": lambda f, head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda f, head: head.startswith(b"\xff\xd8\xff"),
    "gif": lambda f, head: head[:6] in (b"GIF87a", b"GIF89a"),
    "webp": lambda f, head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    "docx": lambda f, head: head.startswith(ZIP_SIGNATURE) and _is_ooxml(f, "word/"),
    "pptx": lambda f, head: head.startswith(ZIP_SIGNATURE) and _is_ooxml(f, "ppt/"),
    "odt": lambda f, head: head.startswith(ZIP_SIGNATURE) and _is_odf(f, "application/vnd.oasis.opendocument.text"),
    "ods": lambda f, head: (
        head.startswith(ZIP_SIGNATURE) and _is_odf(f, "application/vnd.oasis.opendocument.spreadsheet")
    ),
    "odp": lambda f, head: (
        head.startswith(ZIP_SIGNATURE) and _is_odf(f, "application/vnd.oasis.opendocument.presentation")
    ),
}
# The content type a file of each kind is served with (never the browser's guess).
CONTENT_TYPES = {
    "csv": "text/csv",
    "txt": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
ALIASES = {"jpeg": "jpg"}


def check_upload(file: UploadedFile, *, kinds: Iterable[str], max_bytes: int | None = None) -> str:
    """Raise ValidationError unless ``file`` is small enough and both its
    name and its content are one of ``kinds``. Returns the kind."""
    limit = max_bytes or settings.ORCHESTRE_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    if not file.size:
        raise ValidationError(_("The file is empty."), code="file_empty")
    extension = (file.name or "").rsplit(".", 1)[-1].lower() if "." in (file.name or "") else ""
    extension = ALIASES.get(extension, extension)
    allowed = [ALIASES.get(kind, kind) for kind in kinds]
    if extension not in allowed:
        raise ValidationError(
            _("Unsupported file type. Accepted: %(kinds)s."),
            code="file_type",
            params={"kinds": ", ".join(allowed)},
        )
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if not SNIFFERS[extension](file, head):
        raise ValidationError(
            _("The file's content does not match its type (%(kind)s)."),
            code="file_content",
            params={"kind": extension},
        )
    return extension


@deconstructible
class FileCheck:
    """A validator wrapping ``check_upload`` for form and model fields."""

    def __init__(self, kinds: Iterable[str] = ("csv", "xlsx"), max_bytes: int | None = None) -> None:
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file: UploadedFile) -> None:
        check_upload(file, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileCheck) and (self.kinds, self.max_bytes) == (other.kinds, other.max_bytes)
