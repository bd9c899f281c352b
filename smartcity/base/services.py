import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import documents, uploads
from .models import DeferredTask, Document
from .queue import dispatch

log = logging.getLogger("orchestre.queue")


def deferred_tasks_resend(*, limit: int = 500) -> int:
    """Send the tasks kept in the outbox. A task leaves the outbox only once
    the broker has accepted it. Returns how many were sent."""
    sent = 0
    with transaction.atomic():
        pending = list(DeferredTask.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        for deferred in pending:
            try:
                dispatch(deferred.task_name, deferred.kwargs)
            except Exception as exc:
                deferred.attempts += 1
                deferred.error = str(exc)[:2000]
                deferred.last_attempt_at = timezone.now()
                deferred.save(update_fields=["attempts", "error", "last_attempt_at"])
                log.warning("broker still unreachable, tasks kept: %s", len(pending) - sent)
                break
            deferred.delete()
            sent += 1
    return sent


# --- Documents -------------------------------------------------------------------

DOCUMENT_FIELDS = ("title", "kind", "date")


def document_add(*, owner: models.Model, file: UploadedFile, data: dict[str, Any], by: AbstractBaseUser) -> Document:
    """Attach ``file`` to ``owner`` (a registered record). The file's size
    and type are checked on its content (``uploads.check_upload``, limit
    ``ORCHESTRE_DOCUMENT_MAX_BYTES``); a refused file raises ValidationError
    and nothing is stored. The caller has checked the registry's ``may_add``."""
    from django.conf import settings

    if documents.attachable_for(owner) is None:
        raise ValidationError(_("Documents cannot be attached to this record."))
    file_type = uploads.check_upload(
        file, kinds=documents.ALLOWED_TYPES, max_bytes=settings.ORCHESTRE_DOCUMENT_MAX_BYTES
    )
    storage = documents.storage()
    name = storage.save(documents.new_storage_name(file_type), file)
    try:
        with transaction.atomic():
            document = Document(
                content_type=ContentType.objects.get_for_model(owner),
                object_id=owner.pk,
                storage_name=name,
                original_name=(file.name or "")[-255:],
                size=file.size,
                file_type=file_type,
                mime_type=uploads.CONTENT_TYPES[file_type],
                added_by=by,
                **{field: data[field] for field in DOCUMENT_FIELDS if field in data},
            )
            document.full_clean(exclude=["content_type", "added_by"])
            document.save()
    except BaseException:
        storage.delete(name)
        raise
    return document


def document_archive(*, document: Document) -> None:
    """Move the document to the record's archived documents (kept, still
    downloadable); its file stays."""
    document.is_archived = True
    document.save(update_fields=["is_archived"])


def document_delete(*, document: Document) -> None:
    """Delete the document; its file goes when the transaction commits."""
    document.delete()
