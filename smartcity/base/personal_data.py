"""Personal data (GDPR): what each model holds on people, declared in one place.

A model holding personal data declares it with a class attribute::

    class ContactPerson(models.Model):
        personal_data = PersonalData(
            fields=("first_name", "last_name", "email", "phone"),
            purpose=_("…"),
            retention=_("…"),
            lawful_basis=_("…"),
        )

The processing register (``smartcity.site.gdpr``) lists every installed
model carrying this attribute, its fields read from the model's metadata: a
new model with personal fields appears there by declaring it, nothing else
to edit. ``erase`` names the placeholder each field takes on erasure (absent:
the field is emptied).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PersonalData:
    fields: tuple[str, ...]
    purpose: Any
    retention: Any
    lawful_basis: Any
    # Field name → value written on erasure ("{pk}" is replaced by the row's pk).
    erase: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RegisterEntry:
    model: type[models.Model]
    declaration: PersonalData

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower

    @property
    def field_labels(self) -> list[str]:
        return [str(self.model._meta.get_field(name).verbose_name) for name in self.declaration.fields]

    @property
    def has_history(self) -> bool:
        return hasattr(self.model, "history")


# Django's user model cannot carry the attribute: its declaration lives here.
USER_ACCOUNT = PersonalData(
    fields=("username", "first_name", "last_name", "email", "last_login"),
    purpose=_("Sign in to Orchestre and sign the records one writes (reports, decisions, actions)."),
    retention=_("While the person works on the programme; deactivated then erased on request."),
    lawful_basis=_("Public task (art. 6.1 e GDPR): the city's staff and officials at work."),
    erase={"username": "erased-{pk}", "first_name": "", "last_name": "", "email": ""},
)


def declaration_of(model: type[models.Model]) -> PersonalData | None:
    if model is get_user_model():
        return USER_ACCOUNT
    found = getattr(model, "personal_data", None)
    return found if isinstance(found, PersonalData) else None


def declared_models() -> Iterator[RegisterEntry]:
    """Every installed model declaring ``personal_data`` (and the user
    model), in a stable order."""
    found = [RegisterEntry(model, declaration_of(model)) for model in apps.get_models() if declaration_of(model)]
    yield from sorted(found, key=lambda entry: entry.model._meta.label)


def erased_values(model: type[models.Model], pk: Any) -> dict[str, Any]:
    """The values a row's personal fields take when the person is erased."""
    declaration = declaration_of(model)
    values = {}
    for name in declaration.fields:
        placeholder = declaration.erase.get(name)
        if placeholder is not None:
            values[name] = placeholder.replace("{pk}", str(pk))
        else:
            model_field = model._meta.get_field(name)
            values[name] = None if model_field.null else ""
    return values
