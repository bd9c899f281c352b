"""The create/edit/archive flow shared by every lead form.

Views stay thin: they build the form and name the service to call; this
module validates, calls the service, turns its ValidationError into field
messages and its StaleEditError into the "changed since you opened it" panel.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .concurrency import StaleEditError
from .forms import add_service_error, is_pick_round_trip
from .permissions import lead_required

FORM_TEMPLATE = "base/form_page.html"
ARCHIVE_TEMPLATE = "base/archive_confirm.html"


def form_page(
    request: HttpRequest,
    *,
    form: Form,
    save: Callable[[dict[str, Any], str | None], models.Model],
    title: str,
    success_message: str,
    cancel_url: str,
    success_url: Callable[[models.Model], str] | None = None,
    parent: tuple[str, str] | None = None,
    intro: str = "",
    template: str = FORM_TEMPLATE,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows ``form``; POST validates it and calls ``save(cleaned_data,
    token)``; success redirects to ``success_url(saved)``, by default the
    saved object's page. A picker's search (``forms.Picker``, without
    JavaScript) shows the form again and saves nothing. ``parent`` is the (label, url) of the page the form
    belongs to, shown above its title."""
    changes = None
    if request.method == "POST" and not is_pick_round_trip(request, form) and form.is_valid():
        try:
            obj = save(form.cleaned_data, form.cleaned_data.get("token"))
        except StaleEditError as exc:
            changes = exc.changes
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, success_message)
            return redirect(success_url(obj) if success_url else obj.get_absolute_url())
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "changes": changes,
        "parent": parent,
        "intro": intro,
        **(extra or {}),
    }
    status = 409 if changes is not None else 200
    return render(request, template, context, status=status)


def archive_page(
    request: HttpRequest,
    *,
    obj: models.Model,
    archive: Callable[[], Any],
    success_message: str,
    next_url: str,
    question: str,
    cancel_url: str | None = None,
) -> HttpResponse:
    """GET asks for confirmation; POST archives (never deletes)."""
    if request.method == "POST":
        archive()
        messages.success(request, success_message)
        return redirect(next_url)
    return render(
        request,
        ARCHIVE_TEMPLATE,
        {"obj": obj, "question": question, "cancel_url": cancel_url or obj.get_absolute_url()},
    )


@dataclass(frozen=True)
class RecordPages:
    """The lead's new, edit and archive pages of one kind of record
    (services, partners, officials, programmes, projects): one flow, written
    once. ``update`` and ``archive`` take the record first, then the
    service's keyword arguments (``token``, ``data``)."""

    model: type[models.Model]
    form: type[Form]
    create: Callable[..., models.Model]
    update: Callable[..., models.Model]
    archive: Callable[..., models.Model]
    list_url: str
    new_title: str
    created: str
    saved: str
    archived: str
    archive_question: str
    template: str = FORM_TEMPLATE

    def views(self) -> tuple[Callable, Callable, Callable]:
        """The create, update and archive views, for the lead only."""
        name = self.model._meta.model_name

        @lead_required
        def create_view(request: HttpRequest) -> HttpResponse:
            return form_page(
                request,
                form=self.form(request.POST or None),
                save=lambda data, token: self.create(data=data),
                title=str(self.new_title),
                success_message=str(self.created),
                cancel_url=reverse(self.list_url),
                template=self.template,
            )

        @lead_required
        def update_view(request: HttpRequest, pk: int) -> HttpResponse:
            record = get_object_or_404(self.model, pk=pk)
            return form_page(
                request,
                form=self.form(request.POST or None, instance=record),
                save=lambda data, token: self.update(record, token=token, data=data),
                title=_("Edit %(name)s") % {"name": record},
                success_message=str(self.saved),
                cancel_url=record.get_absolute_url(),
                template=self.template,
            )

        @lead_required
        def archive_view(request: HttpRequest, pk: int) -> HttpResponse:
            record = get_object_or_404(self.model, pk=pk)
            return archive_page(
                request,
                obj=record,
                archive=lambda: self.archive(record),
                success_message=str(self.archived),
                next_url=reverse(self.list_url),
                question=str(self.archive_question),
            )

        for view, action in ((create_view, "create"), (update_view, "update"), (archive_view, "archive")):
            view.__name__ = view.__qualname__ = f"{name}_{action}"
        return create_view, update_view, archive_view
