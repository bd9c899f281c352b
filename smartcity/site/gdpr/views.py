"""The GDPR pages: the processing register (everybody signed in), the
review list, a person's page, the access export and the erasure (the lead)."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partners.rules import contact_due_for_review
from partners.services import contact_confirm
from smartcity.base.permissions import lead_required

from . import selectors, services

PAGE_SIZE = 50
# The kind of person as it reads in the address → the services' name.
URL_KINDS = {"contact": "contact", "compte": "account"}


def _subject(kind: str, pk: int):
    if kind not in URL_KINDS:
        raise Http404
    model = services.SUBJECTS[URL_KINDS[kind]]
    queryset = model.objects.select_related("partner") if URL_KINDS[kind] == "contact" else model.objects
    return URL_KINDS[kind], get_object_or_404(queryset, pk=pk)


@require_safe
def register(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/gdpr/register.html",
        {"entries": selectors.register(), "review_days": settings.ORCHESTRE_CONTACT_REVIEW_DAYS},
    )


@require_safe
@lead_required
def review(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(selectors.contacts_due(today), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.get("q", "")
    contacts, accounts = selectors.search_people(query)
    return render(
        request,
        "site/gdpr/review.html",
        {
            "page": page,
            "query": query,
            "found_contacts": contacts,
            "found_accounts": accounts,
            "log": selectors.recent_log(),
            "review_days": settings.ORCHESTRE_CONTACT_REVIEW_DAYS,
        },
    )


@require_safe
@lead_required
def person(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    service_kind, subject = _subject(kind, pk)
    due = service_kind == "contact" and contact_due_for_review(subject, timezone.localdate())
    return render(request, "site/gdpr/person.html", {"kind": kind, "subject": subject, "due": due})


@require_POST
@lead_required
def export(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    service_kind, subject = _subject(kind, pk)
    data = services.personal_data_export(kind=service_kind, subject=subject, actor=request.user, channel="web")
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donnees-{kind}-{subject.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@lead_required
def erase(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    service_kind, subject = _subject(kind, pk)
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm the erasure.")
        else:
            try:
                services.personal_data_erase(kind=service_kind, subject=subject, actor=request.user, channel="web")
            except services.ErasureRefused:
                error = _("You cannot erase your own account.")
            else:
                messages.success(request, _("The person's data was erased; the organisations' links are kept."))
                return redirect("site:gdpr_review")
    return render(
        request,
        "site/gdpr/erase.html",
        {"kind": kind, "subject": subject, "error": error},
    )


@require_POST
@lead_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _kind, contact = _subject("contact", pk)
    contact_confirm(contact=contact, on=timezone.localdate())
    messages.success(request, _("Confirmed today: the contact leaves the review list."))
    return redirect("site:gdpr_person", kind="contact", pk=contact.pk)
