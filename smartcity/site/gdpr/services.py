"""Writes of the GDPR tools: the access export and the erasure, each logged
in ``PersonalDataLog`` (without the person's data)."""

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from partners.models import ContactPerson
from smartcity.base.personal_data import declaration_of, erased_values

from ..models import PersonalDataLog

User = get_user_model()

# The kinds of person one can export or erase, by the name used in URLs and commands.
SUBJECTS: dict[str, type[models.Model]] = {"contact": ContactPerson, "account": User}
EXTRA_FIELDS = {
    "contact": ("is_archived", "last_confirmed_on", "created_at", "updated_at"),
    "account": ("is_active", "date_joined"),
}


class ErasureRefused(Exception):
    pass


def _values(obj: models.Model, names) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _history(model: type[models.Model], pk: int) -> list[dict[str, Any]]:
    if not hasattr(model, "history"):
        return []
    names = declaration_of(model).fields
    rows = model.history.filter(id=pk).order_by("history_date", "history_id")
    return [{"history_date": row.history_date, "history_type": row.history_type, **_values(row, names)} for row in rows]


def _references(user) -> dict[str, list[int]]:
    """Every row of every model pointing at the account, by model and field."""
    found: dict[str, list[int]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            points_at_user = (field.many_to_one or field.one_to_one) and field.related_model is User
            if points_at_user and field.concrete and model is not PersonalDataLog:
                pks = list(model._default_manager.filter(**{field.name: user}).values_list("pk", flat=True))
                if pks:
                    found[f"{model._meta.label_lower}.{field.name}"] = pks
    return found


def _log(*, action: str, kind: str, subject: models.Model, actor, channel: str, summary: dict) -> PersonalDataLog:
    return PersonalDataLog.objects.create(
        action=action,
        subject_kind=kind,
        subject_id=subject.pk,
        actor=actor if getattr(actor, "pk", None) else None,
        channel=channel,
        summary=summary,
    )


def personal_data_export(*, kind: str, subject: models.Model, actor, channel: str) -> dict[str, Any]:
    """Everything Orchestre holds on one person, as a JSON-ready dict."""
    model = SUBJECTS[kind]
    declaration = declaration_of(model)
    record = _values(subject, declaration.fields) | _values(subject, EXTRA_FIELDS[kind])
    export: dict[str, Any] = {
        "subject": {"kind": kind, "id": subject.pk, "model": model._meta.label_lower},
        "generated_at": timezone.now(),
        "purpose": str(declaration.purpose),
        "lawful_basis": str(declaration.lawful_basis),
        "retention": str(declaration.retention),
        "record": record,
        "history": _history(model, subject.pk),
    }
    if kind == "contact":
        export["organisation"] = {"id": subject.partner_id, "name": subject.partner.name}
    else:
        export["groups"] = list(subject.groups.values_list("name", flat=True))
        export["references"] = _references(subject)
    _log(
        action=PersonalDataLog.Action.ACCESS,
        kind=kind,
        subject=subject,
        actor=actor,
        channel=channel,
        summary={"history_rows": len(export["history"])},
    )
    return export


@transaction.atomic
def personal_data_erase(*, kind: str, subject: models.Model, actor, channel: str) -> PersonalDataLog:
    """Replace the person's data by neutral placeholders, in the record and
    in every historical row of it; links to organisations stay in place."""
    model = SUBJECTS[kind]
    if kind == "account" and getattr(actor, "pk", None) == subject.pk:
        raise ErasureRefused("one cannot erase one's own account")
    values = erased_values(model, subject.pk)
    if kind == "contact":
        values["last_confirmed_on"] = None
    for name, value in values.items():
        setattr(subject, name, value)
    if kind == "contact":
        subject.is_archived = True
    else:
        subject.is_active = False
        subject.set_unusable_password()
    subject.save()
    scrubbed = 0
    if hasattr(model, "history"):
        scrubbed = model.history.filter(id=subject.pk).update(**values)
    return _log(
        action=PersonalDataLog.Action.ERASURE,
        kind=kind,
        subject=subject,
        actor=actor,
        channel=channel,
        summary={"fields": sorted(values), "history_rows": scrubbed},
    )
