"""Writes on the organisation: services, partners, contact persons and
elected officials. Atomic and validated with ``full_clean()``; an update
carries the record's token as its form was opened and is refused
(StaleEditError) if it moved on since (conventions: smartcity.base.records)."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from smartcity.base.records import record_archive, record_create, record_update

from .models import ContactPerson, ElectedOfficial, Partner, Service

SERVICE_FIELDS = ("name", "acronym", "kind", "parent", "director", "acculturation", "email", "description")
PARTNER_FIELDS = ("name", "category", "description", "website", "city")
CONTACT_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "notes")
OFFICIAL_FIELDS = ("first_name", "last_name", "title", "delegation", "email")
OFFICIAL_M2M = ("domains",)


@transaction.atomic
def service_create(*, data: Mapping[str, Any]) -> Service:
    return record_create(Service, data=data, fields=SERVICE_FIELDS)


@transaction.atomic
def service_update(*, service: Service, token: str | None, data: Mapping[str, Any]) -> Service:
    """A service is never inside itself, however deep."""
    parent = data.get("parent")
    while parent is not None:
        if parent.pk == service.pk:
            raise ValidationError({"parent": gettext("A service cannot be inside itself.")})
        parent = parent.parent
    return record_update(service, token=token, data=data, fields=SERVICE_FIELDS)


@transaction.atomic
def service_archive(*, service: Service) -> Service:
    return record_archive(service)


@transaction.atomic
def partner_create(*, data: Mapping[str, Any]) -> Partner:
    return record_create(Partner, data=data, fields=PARTNER_FIELDS)


@transaction.atomic
def partner_update(*, partner: Partner, token: str | None, data: Mapping[str, Any]) -> Partner:
    return record_update(partner, token=token, data=data, fields=PARTNER_FIELDS)


@transaction.atomic
def partner_archive(*, partner: Partner) -> Partner:
    return record_archive(partner)


@transaction.atomic
def contact_create(*, partner: Partner, data: Mapping[str, Any]) -> ContactPerson:
    return record_create(ContactPerson, data=data, fields=CONTACT_FIELDS, partner=partner)


@transaction.atomic
def contact_update(*, contact: ContactPerson, token: str | None, data: Mapping[str, Any]) -> ContactPerson:
    return record_update(contact, token=token, data=data, fields=CONTACT_FIELDS)


@transaction.atomic
def contact_archive(*, contact: ContactPerson) -> ContactPerson:
    return record_archive(contact)


@transaction.atomic
def official_create(*, data: Mapping[str, Any]) -> ElectedOfficial:
    return record_create(ElectedOfficial, data=data, fields=OFFICIAL_FIELDS, m2m=OFFICIAL_M2M)


@transaction.atomic
def official_update(*, official: ElectedOfficial, token: str | None, data: Mapping[str, Any]) -> ElectedOfficial:
    return record_update(official, token=token, data=data, fields=OFFICIAL_FIELDS, m2m=OFFICIAL_M2M)


@transaction.atomic
def official_archive(*, official: ElectedOfficial) -> ElectedOfficial:
    """An official leaving office is kept (with history), marked not in office."""
    return record_archive(official, field="is_active", value=False)
