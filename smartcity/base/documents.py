"""Documents attached to records of higher layers: the registry of what may
carry documents, with its rules, and the reads.

The bottom layer knows no project and no meeting. An app whose records take
documents registers the model once, from its ``AppConfig.ready()``, with the
rules that live where its other rules live::

    documents.register(Project, slug="projet", may_add=rules.can_add_document)

and shows them on the record's page with one template line,
``{% document_list project %}`` (``documents`` template library). The
upload, download and delete pages (``smartcity.base.document_views``) are
shared: they find the record through the registry and ask its rules.

Files go to the ``documents`` storage (``settings.STORAGES``): local disk by
default, an S3-compatible object store when ``ORCHESTRE_S3_BUCKET`` is set.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Document
from .roles import is_lead

STORAGE_ALIAS = "documents"
# Sniffed from the content by ``uploads.check_upload``, never trusted from the name.
ALLOWED_TYPES = ("pdf", "png", "jpg", "gif", "webp", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt")

Rule = Callable[[AbstractBaseUser | AnonymousUser, Any], bool]


def _signed_in(user: AbstractBaseUser | AnonymousUser, obj: Any) -> bool:
    """Everybody signed in reads the whole portfolio (PRODUCT.md)."""
    return user.is_authenticated


def _lead(user: AbstractBaseUser | AnonymousUser, obj: Any) -> bool:
    return is_lead(user)


@dataclass(frozen=True)
class Attachable:
    """A model whose records carry documents, and who may do what with them."""

    model: type[models.Model]
    slug: str
    may_add: Rule
    may_view: Rule = _signed_in
    # Archiving and deleting a document.
    may_delete: Rule = _lead

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name


_BY_SLUG: dict[str, Attachable] = {}
_BY_MODEL: dict[type[models.Model], Attachable] = {}


def register(
    model: type[models.Model],
    *,
    slug: str,
    may_add: Rule = _lead,
    may_view: Rule = _signed_in,
    may_delete: Rule = _lead,
) -> None:
    """Let ``model``'s records carry documents. ``slug`` names it in the
    URLs (``/documents/<slug>/<pk>/ajouter/``); each rule takes the user and
    the record and must cost no query beyond what the record has loaded.
    A deleted record takes its documents with it (and their files, once
    the deletion is committed), however it goes: admin, cascade, command."""
    attachable = Attachable(model=model, slug=slug, may_add=may_add, may_view=may_view, may_delete=may_delete)
    _BY_SLUG[slug] = attachable
    _BY_MODEL[model] = attachable
    post_delete.connect(
        _delete_documents_of_owner, sender=model, weak=False, dispatch_uid=f"documents_of_{model._meta.label_lower}"
    )


def attachable_for_slug(slug: str) -> Attachable | None:
    return _BY_SLUG.get(slug)


def attachable_for(obj_or_model: Any) -> Attachable | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return _BY_MODEL.get(model._meta.concrete_model)


def registered() -> list[Attachable]:
    return list(_BY_SLUG.values())


def storage() -> Storage:
    """The storage documents are written to and read from (looked up at each
    call, so that a changed ``STORAGES`` setting takes effect)."""
    return storages[STORAGE_ALIAS]


def new_storage_name(file_type: str) -> str:
    """An unguessable name: 192 random bits, nothing of the original name."""
    return f"documents/{secrets.token_urlsafe(24)}.{file_type}"


@receiver(post_delete, sender=Document, dispatch_uid="document_file_delete")
def _delete_file_on_commit(sender, instance: Document, **kwargs) -> None:
    """A deleted document's file goes once the deletion is committed (a
    rolled-back deletion keeps it). However the row goes: the delete page,
    the admin, a cascade."""
    name = instance.storage_name
    transaction.on_commit(lambda: storage().delete(name))


def _delete_documents_of_owner(sender, instance: models.Model, **kwargs) -> None:
    """A registered record is gone: its documents go in the same
    transaction (a generic relation does not cascade); each document's
    file follows on commit (``_delete_file_on_commit``)."""
    documents_of(instance).delete()


# --- Reads ---------------------------------------------------------------------


def documents_of(obj: models.Model) -> QuerySet[Document]:
    """The documents of one record, newest first, with who added them: one
    query, whatever their number (the content type is matched by a join,
    not fetched)."""
    meta = obj._meta.concrete_model._meta
    return (
        Document.objects.filter(
            content_type__app_label=meta.app_label, content_type__model=meta.model_name, object_id=obj.pk
        )
        .select_related("added_by")
        .order_by(F("date").desc(nulls_last=True), "-added_at", "-pk")
    )


def owner_of(document: Document) -> models.Model | None:
    """The record a document is attached to (one query), or None if it is
    gone or its model no longer takes documents."""
    model = ContentType.objects.get_for_id(document.content_type_id).model_class()
    if model is None or attachable_for(model) is None:
        return None
    return model._default_manager.filter(pk=document.object_id).first()


def section_context(user: AbstractBaseUser | AnonymousUser, obj: models.Model) -> dict[str, Any]:
    """What the documents block of a record's page shows (one query)."""
    from django.urls import reverse

    attachable = attachable_for(obj)
    rows = list(documents_of(obj))
    return {
        "documents": [d for d in rows if not d.is_archived],
        "archived_documents": [d for d in rows if d.is_archived],
        "documents_owner": obj,
        "may_add_document": attachable.may_add(user, obj),
        "may_delete_document": attachable.may_delete(user, obj),
        "document_add_url": reverse("documents:add", args=[attachable.slug, obj.pk]),
    }
