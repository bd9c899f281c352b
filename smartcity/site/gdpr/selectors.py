"""Reads of the GDPR tools; each page's query count is fixed."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet

from partners.models import ContactPerson
from partners.rules import contact_due_for_review_q
from smartcity.base.personal_data import RegisterEntry, declared_models

from ..models import PersonalDataLog

SEARCH_LIMIT = 20


def register() -> list[RegisterEntry]:
    """The processing register: no query, read from the models."""
    return list(declared_models())


def contacts_due(today: datetime.date) -> QuerySet[ContactPerson]:
    return (
        ContactPerson.objects.filter(contact_due_for_review_q(today))
        .select_related("partner")
        .only("pk", "first_name", "last_name", "job_title", "last_confirmed_on", "updated_at", "partner__name")
        # Never confirmed first, then the longest unconfirmed.
        .order_by(F("last_confirmed_on").asc(nulls_first=True), "updated_at", "pk")
    )


def search_people(text: str) -> tuple[list[ContactPerson], list]:
    """Contact persons and user accounts matching a name or e-mail (bounded)."""
    text = text.strip()
    if len(text) < 2:
        return [], []
    words = Q(first_name__icontains=text) | Q(last_name__icontains=text) | Q(email__icontains=text)
    contacts = list(
        ContactPerson.objects.filter(words)
        .select_related("partner")
        .only("pk", "first_name", "last_name", "email", "partner__name")
        .order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT]
    )
    accounts = list(
        get_user_model()
        .objects.filter(words | Q(username__icontains=text))
        .only("pk", "username", "first_name", "last_name", "email")
        .order_by("username")[:SEARCH_LIMIT]
    )
    return contacts, accounts


def recent_log(limit: int = 20) -> list[PersonalDataLog]:
    return list(
        PersonalDataLog.objects.select_related("actor").only(
            "at", "action", "channel", "subject_kind", "subject_id", "actor__username"
        )[:limit]
    )
