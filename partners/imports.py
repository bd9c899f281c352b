"""Importers for services and partners (with their contacts).

Column headers are those of the lists' exports (in the interface language);
the column keys (``acronym``, ``name``…) and the English headers are
accepted too."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity.base.concurrency import token_of
from smartcity.base.imports import Column, Importer

from . import services
from .models import AcculturationLevel, ContactPerson, Partner, Service


class ServiceImporter(Importer):
    kind = "services"
    columns = [
        Column("acronym", gettext_lazy("Acronym"), required=True),
        Column("name", gettext_lazy("Name"), required=True),
        Column("kind", gettext_lazy("Kind")),
        Column("parent", gettext_lazy("Direction")),
        Column("acculturation", gettext_lazy("Acculturation")),
        Column("email", gettext_lazy("E-mail")),
        Column("description", gettext_lazy("Description")),
    ]
    field_columns = {c.name: c.name for c in columns}

    def example(self) -> dict[str, str]:
        return {
            "acronym": "VOI",
            "name": _("Roads and public spaces"),
            "kind": str(Service.Kind.SERVICE.label),
            "parent": "DGST",
            "acculturation": str(AcculturationLevel.AWARE.label),
            "email": "voirie@example.org",
        }

    def accepted_values(self) -> dict[str, list[str]]:
        return {
            self.header_of("kind"): [str(label) for _v, label in Service.Kind.choices],
            self.header_of("acculturation"): [str(label) for _v, label in AcculturationLevel.choices],
            self.header_of("parent"): list(Service.objects.filter(is_archived=False).values_list("acronym", flat=True)),
        }

    def _services(self) -> dict[str, Service]:
        if "services" not in self.caches:
            self.caches["services"] = {s.acronym.lower(): s for s in Service.objects.all()}
        return self.caches["services"]

    def apply_row(self, row: dict[str, str]) -> str:
        acronym = self.required(row, "acronym")
        existing = Service.objects.filter(acronym__iexact=acronym).first() if acronym else None
        data: dict = {}
        if existing is None:
            self.required(row, "name")
        self.texts(row, data, ("name", "email", "description"), required=("name",))
        self.choice_field(row, data, "kind", Service.Kind.choices)
        self.choice_field(row, data, "acculturation", AcculturationLevel.choices, cast=int)
        if self.cleared(row, "parent"):
            data["parent"] = None
        elif self.given(row, "parent"):
            data["parent"] = self.reference(
                row["parent"], "parent", self._services(), _("no service with acronym “%(value)s”.")
            )
        self.check()
        if existing is None:
            data["acronym"] = acronym
            data.setdefault("kind", Service.Kind.SERVICE)
            service = services.service_create(data=data)
            self._services()[service.acronym.lower()] = service
            return "create"
        if not self.diff(existing, data, self.field_columns):
            return "unchanged"
        services.service_update(service=existing, token=token_of(existing), data=data)
        return "update"


CONTACT_COLUMNS = {
    "first_name": "contact_first_name",
    "last_name": "contact_last_name",
    "job_title": "contact_job_title",
    "email": "contact_email",
    "phone": "contact_phone",
}


class PartnerImporter(Importer):
    """One row per partner, or one per contact: rows repeating a partner's
    name add its other contacts (their partner cells may stay empty)."""

    kind = "partners"
    columns = [
        Column("name", gettext_lazy("Name"), required=True),
        Column("category", gettext_lazy("Category"), required=True),
        Column("city", gettext_lazy("City")),
        Column("website", gettext_lazy("Website")),
        Column("description", gettext_lazy("Description")),
        Column("contact_first_name", gettext_lazy("Contact first name")),
        Column("contact_last_name", gettext_lazy("Contact last name")),
        Column("contact_job_title", gettext_lazy("Contact job title")),
        Column("contact_email", gettext_lazy("Contact e-mail")),
        Column("contact_phone", gettext_lazy("Contact phone")),
    ]
    field_columns = {n: n for n in ("name", "category", "city", "website", "description")}

    def example(self) -> dict[str, str]:
        return {
            "name": _("Example University"),
            "category": str(Partner.Category.choices[0][1]),
            "city": "Lyon",
            "website": "https://example.org",
            "contact_first_name": "Ada",
            "contact_last_name": "Lovelace",
            "contact_email": "ada@example.org",
        }

    def accepted_values(self) -> dict[str, list[str]]:
        return {self.header_of("category"): [str(label) for _v, label in Partner.Category.choices]}

    def row_key(self, row: dict[str, str]) -> str:
        parts = [row.get(n, "").strip().lower() for n in ("name", "contact_first_name", "contact_last_name")]
        return "|".join(parts)

    def row_label(self, row: dict[str, str]) -> str:
        contact = " ".join(row.get(n, "") for n in ("contact_first_name", "contact_last_name")).strip()
        return row.get("name", "") + (f" — {contact}" if contact else "")

    def apply_row(self, row: dict[str, str]) -> str:
        name = self.required(row, "name")
        partner = Partner.objects.filter(name__iexact=name).first() if name else None
        data: dict = {}
        if partner is None:
            self.required(row, "category")
        self.choice_field(row, data, "category", Partner.Category.choices)
        self.texts(row, data, ("city", "website", "description"))
        contact_data: dict = {}
        for field, column in CONTACT_COLUMNS.items():
            if self.cleared(row, column):
                if field in ("first_name", "last_name"):
                    self.error(column, _("this value is required."))
                else:
                    contact_data[field] = ""
            elif self.given(row, column):
                contact_data[field] = row[column].strip()
        self.check()
        if partner is None:
            data["name"] = name
            partner = services.partner_create(data=data)
            action = "create"
        elif self.diff(partner, data, self.field_columns):
            partner = services.partner_update(partner=partner, token=token_of(partner), data=data)
            action = "update"
        else:
            action = "unchanged"
        first, last = contact_data.get("first_name", ""), contact_data.get("last_name", "")
        if first or last:
            contact = ContactPerson.objects.filter(
                partner=partner, first_name__iexact=first, last_name__iexact=last
            ).first()
            if contact is None:
                contact_data.setdefault("first_name", "")
                contact_data.setdefault("last_name", "")
                services.contact_create(partner=partner, data=contact_data)
                if action == "unchanged":
                    action = "update"
                self.changes.append({"column": _("Contact"), "old": "", "new": f"{first} {last}".strip()})
            else:
                contact_data = {k: v for k, v in contact_data.items() if k not in ("first_name", "last_name")}
                if self.diff(contact, contact_data, CONTACT_COLUMNS):
                    services.contact_update(contact=contact, token=token_of(contact), data=contact_data)
                    if action == "unchanged":
                        action = "update"
        return action
