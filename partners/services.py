"""Writes on the organisation: services, partners, contact persons and
elected officials. Atomic and validated with ``full_clean()``; an update
carries the record's token as its form was opened and is refused
(StaleEditError) if it moved on since (conventions: smartcity.base.records)."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from smartcity.base.concurrency import check_token
from smartcity.base.records import apply_fields, record_archive, record_create, record_move, record_update

from .models import (
    AcculturationChange,
    AwarenessAction,
    ContactPerson,
    Domain,
    ElectedOfficial,
    Interaction,
    Partner,
    Service,
)

SERVICE_FIELDS = ("name", "acronym", "kind", "parent", "director", "acculturation", "email", "description")
PARTNER_FIELDS = ("name", "category", "description", "website", "city")
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "email",
    "phone",
    "notes",
    "lawful_basis",
    "last_confirmed_on",
)
OFFICIAL_FIELDS = ("first_name", "last_name", "title", "delegation", "email")
OFFICIAL_M2M = ("domains",)
DOMAIN_FIELDS = ("name", "description", "color", "icon")


# --- Domains: the lead's editable list (issue 13) ------------------------------


def _free_slug(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:90] or "domaine"
    slug, n = base, 2
    while Domain.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def domain_create(*, data: Mapping[str, Any]) -> Domain:
    """A new domain, last in the order; its slug (its address) is made from
    its name once and never changes."""
    last = Domain.objects.order_by("-position").values_list("position", flat=True).first()
    return record_create(
        Domain,
        data=data,
        fields=DOMAIN_FIELDS,
        slug=_free_slug(data.get("name", "")),
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def domain_update(*, domain: Domain, token: str | None, data: Mapping[str, Any]) -> Domain:
    return record_update(domain, token=token, data=data, fields=DOMAIN_FIELDS)


@transaction.atomic
def domain_move(*, domain: Domain, up: bool) -> Domain:
    return record_move(domain, siblings=Domain.objects.all(), up=up)


@transaction.atomic
def domain_set_archived(*, domain: Domain, archived: bool) -> Domain:
    """Archived, a domain stays on its projects and leaves the pickers."""
    return record_archive(domain, value=archived)


@transaction.atomic
def service_create(*, data: Mapping[str, Any]) -> Service:
    return record_create(Service, data=data, fields=SERVICE_FIELDS)


@transaction.atomic
def service_update(*, service: Service, token: str | None, data: Mapping[str, Any], author=None) -> Service:
    """A service is never inside itself, however deep. A level changed in
    the service form is kept in the trajectory too (reason: the form)."""
    parent = data.get("parent")
    while parent is not None:
        if parent.pk == service.pk:
            raise ValidationError({"parent": gettext("A service cannot be inside itself.")})
        parent = parent.parent
    previous = Service.objects.filter(pk=service.pk).values_list("acculturation", flat=True).first()
    service = record_update(service, token=token, data=data, fields=SERVICE_FIELDS)
    if previous is not None and service.acculturation != previous:
        AcculturationChange.objects.create(
            service=service,
            level=service.acculturation,
            previous_level=previous,
            changed_on=timezone.localdate(),
            reason=gettext("Changed in the service form."),
            recorded_by=author,
        )
    return service


ACCULTURATION_FIELDS = ("level", "changed_on", "reason")


@transaction.atomic
def acculturation_change_record(
    *, service: Service, token: str | None, data: Mapping[str, Any], author=None
) -> AcculturationChange:
    """The lead sets a service's level on a date for a reason: the change is
    kept and, if it is the latest by date, becomes the service's level. The
    service's token guards against two leads moving it at once."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    check_token(service, token, {"acculturation": data.get("level")}, ("acculturation",))
    if data.get("changed_on") and data["changed_on"] > timezone.localdate():
        raise ValidationError({"changed_on": gettext("A level is recorded once reached, not in the future.")})
    change = AcculturationChange(service=service, recorded_by=author, previous_level=service.acculturation)
    apply_fields(change, data, ACCULTURATION_FIELDS)
    later = service.acculturation_changes.filter(changed_on__gt=change.changed_on).exists()
    if later:
        earlier = service.acculturation_changes.filter(changed_on__lte=change.changed_on).order_by("-changed_on")
        change.previous_level = earlier.values_list("level", flat=True).first()
    change.full_clean()
    change.save()
    if not later:
        service.acculturation = change.level
        service.save(update_fields=["acculturation", "updated_at"])
    return change


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


# --- Interactions with partners (issue 15) ---------------------------------------

INTERACTION_FIELDS = ("kind", "happened_on", "city_contact", "note", "follow_up", "follow_up_on")
INTERACTION_M2M = ("participants", "services", "contacts")


def _check_interaction(partner: Partner, data: Mapping[str, Any]) -> None:
    """Recorded once it happened; the partner's people are its own."""
    errors = {}
    if data.get("happened_on") and data["happened_on"] > timezone.localdate():
        errors["happened_on"] = gettext("An interaction is recorded once it has happened, not before.")
    strangers = [c for c in data.get("contacts") or () if c.partner_id != partner.pk]
    if strangers:
        errors["contacts"] = gettext("Only the partner's own contact persons can be named.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interaction_create(*, partner: Partner, data: Mapping[str, Any]) -> Interaction:
    _check_interaction(partner, data)
    return record_create(Interaction, data=data, fields=INTERACTION_FIELDS, m2m=INTERACTION_M2M, partner=partner)


@transaction.atomic
def interaction_update(*, interaction: Interaction, token: str | None, data: Mapping[str, Any]) -> Interaction:
    _check_interaction(interaction.partner, data)
    return record_update(interaction, token=token, data=data, fields=INTERACTION_FIELDS, m2m=INTERACTION_M2M)


# --- Awareness actions (issue 14) --------------------------------------------

AWARENESS_FIELDS = ("kind", "held_on", "title", "people", "note", "next_step", "next_step_on")
AWARENESS_M2M = ("services",)


def _check_next_step(data: Mapping[str, Any]) -> None:
    if data.get("next_step_on") and data.get("held_on") and data["next_step_on"] < data["held_on"]:
        raise ValidationError({"next_step_on": gettext("The next step comes after the action.")})


@transaction.atomic
def awareness_action_create(*, data: Mapping[str, Any], author=None) -> AwarenessAction:
    """A workshop, demonstration, training or visit, held or planned."""
    _check_next_step(data)
    return record_create(AwarenessAction, data=data, fields=AWARENESS_FIELDS, m2m=AWARENESS_M2M, recorded_by=author)


@transaction.atomic
def awareness_action_update(action: AwarenessAction, *, token: str | None, data: Mapping[str, Any]) -> AwarenessAction:
    _check_next_step(data)
    return record_update(action, token=token, data=data, fields=AWARENESS_FIELDS, m2m=AWARENESS_M2M)


def awareness_action_archive(action: AwarenessAction) -> AwarenessAction:
    return record_archive(action)


@transaction.atomic
def contact_confirm(*, contact: ContactPerson, on: datetime.date) -> ContactPerson:
    """The lead confirmed the contact's details are still needed and right (GDPR review)."""
    contact.last_confirmed_on = on
    contact.save(update_fields=["last_confirmed_on", "updated_at"])
    return contact
