"""The shared pages of documents: add one to a record, download one, delete
one. Each finds the record through the registry (``smartcity.base.documents``)
and asks the rules its app registered; files are only ever served here."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import documents, services
from .forms import DocumentForm
from .models import Document
from .permissions import refuse


def _document_or_404(pk: int) -> tuple[Document, models.Model, documents.Attachable]:
    document = Document.objects.filter(pk=pk).first()
    owner = documents.owner_of(document) if document is not None else None
    if owner is None:
        raise Http404
    return document, owner, documents.attachable_for(owner)


def _back_url(owner: models.Model) -> str:
    return owner.get_absolute_url() + "#documents"


@require_http_methods(["GET", "HEAD", "POST"])
def document_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    attachable = documents.attachable_for_slug(kind)
    owner = attachable.model._default_manager.filter(pk=pk).first() if attachable else None
    if owner is None:
        raise Http404
    if not attachable.may_add(request.user, owner):
        raise refuse(request, f"may not add a document to {kind} {pk}")
    form = DocumentForm(request.POST, request.FILES) if request.method == "POST" else DocumentForm()
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                owner=owner, file=form.cleaned_data["file"], data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Document “%(title)s” added.") % {"title": document.title})
            return redirect(_back_url(owner))
    context = {"form": form, "owner": owner, "cancel_url": _back_url(owner)}
    return render(request, "base/document_form.html", context, status=400 if form.errors else 200)


def download_name(document: Document) -> str:
    """A safe file name from the title (letters, digits, dashes, dots), with
    the extension of the type found in the content, never the uploader's."""
    try:
        stem = get_valid_filename(re.sub(r"\.[A-Za-z0-9]{1,5}$", "", document.title))
    except SuspiciousFileOperation:
        stem = ""
    return f"{stem[:100].strip('.') or 'document'}.{document.file_type}"


@require_safe
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document, owner, attachable = _document_or_404(pk)
    if not attachable.may_view(request.user, owner):
        raise refuse(request, f"may not read document {pk}")
    filename = download_name(document)
    if request.method == "HEAD":
        # The headers only: the file is not fetched from the storage.
        response = HttpResponse(content_type=document.mime_type)
        response["Content-Length"] = document.size
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        try:
            handle = documents.storage().open(document.storage_name, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=document.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def document_archive(request: HttpRequest, pk: int) -> HttpResponse:
    document, owner, attachable = _document_or_404(pk)
    if not attachable.may_delete(request.user, owner):
        raise refuse(request, f"may not archive document {pk}")
    services.document_archive(document=document)
    messages.success(request, _("Document “%(title)s” archived.") % {"title": document.title})
    return redirect(_back_url(owner))


@require_http_methods(["GET", "HEAD", "POST"])
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document, owner, attachable = _document_or_404(pk)
    if not attachable.may_delete(request.user, owner):
        raise refuse(request, f"may not delete document {pk}")
    if request.method == "POST":
        services.document_delete(document=document)
        messages.success(request, _("Document “%(title)s” deleted.") % {"title": document.title})
        return redirect(_back_url(owner))
    return render(
        request, "base/document_delete.html", {"document": document, "owner": owner, "cancel_url": _back_url(owner)}
    )
