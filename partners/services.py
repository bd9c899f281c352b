"""Writes on services, partners and contact persons. Atomic, validated with
``full_clean()``; an update carries the ``updated_at`` token of the record as
it was opened and is refused (StaleEditError) if it moved on since."""

from typing import Any

from django.db import transaction

from smartcity.base.concurrency import check_token

from .models import ContactPerson, Partner, Service

SERVICE_FIELDS = ("name", "acronym", "kind", "parent", "director", "acculturation", "email", "description")
PARTNER_FIELDS = ("name", "category", "description", "website", "city")
CONTACT_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "notes")


def _apply(instance, data: dict[str, Any], fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _create(model, data, fields, **extra):
    instance = model(**extra)
    _apply(instance, data, fields)
    instance.full_clean()
    instance.save()
    return instance


def _update(instance, token, data, fields):
    instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    check_token(instance, token, data, fields)
    _apply(instance, data, fields)
    instance.full_clean()
    instance.save()
    return instance


def _archive(instance):
    instance.is_archived = True
    instance.save(update_fields=["is_archived", "updated_at"])
    return instance


@transaction.atomic
def service_create(*, data: dict[str, Any]) -> Service:
    return _create(Service, data, SERVICE_FIELDS)


@transaction.atomic
def service_update(*, service: Service, token: str | None, data: dict[str, Any]) -> Service:
    """Refused with StaleEditError if the service changed since ``token``."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    parent = data.get("parent")
    while parent is not None:
        if parent.pk == service.pk:
            raise ValidationError({"parent": gettext("A service cannot be inside itself.")})
        parent = parent.parent
    return _update(service, token, data, SERVICE_FIELDS)


@transaction.atomic
def service_archive(*, service: Service) -> Service:
    return _archive(service)


@transaction.atomic
def partner_create(*, data: dict[str, Any]) -> Partner:
    return _create(Partner, data, PARTNER_FIELDS)


@transaction.atomic
def partner_update(*, partner: Partner, token: str | None, data: dict[str, Any]) -> Partner:
    """Refused with StaleEditError if the partner changed since ``token``."""
    return _update(partner, token, data, PARTNER_FIELDS)


@transaction.atomic
def partner_archive(*, partner: Partner) -> Partner:
    return _archive(partner)


@transaction.atomic
def contact_create(*, partner: Partner, data: dict[str, Any]) -> ContactPerson:
    return _create(ContactPerson, data, CONTACT_FIELDS, partner=partner)


@transaction.atomic
def contact_update(*, contact: ContactPerson, token: str | None, data: dict[str, Any]) -> ContactPerson:
    return _update(contact, token, data, CONTACT_FIELDS)


@transaction.atomic
def contact_archive(*, contact: ContactPerson) -> ContactPerson:
    return _archive(contact)
