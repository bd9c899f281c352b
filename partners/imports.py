"""Importers for services and partners (with their contacts)."""

from django.utils.translation import gettext as _

from smartcity.base.concurrency import token_of
from smartcity.base.imports import Column, Importer, RowError

from . import services
from .models import AcculturationLevel, ContactPerson, Partner, Service


class ServiceImporter(Importer):
    kind = "services"
    columns = [
        Column("acronym", required=True),
        Column("name", required=True),
        Column("kind"),
        Column("parent"),
        Column("acculturation"),
        Column("email"),
        Column("description"),
    ]

    def apply_row(self, row: dict[str, str]) -> str:
        acronym = self.required(row, "acronym")
        data = {
            "acronym": acronym,
            "name": self.required(row, "name"),
            "kind": self.choice(row.get("kind", ""), Service.Kind.choices, "kind") or Service.Kind.SERVICE,
            "email": row.get("email", ""),
            "description": row.get("description", ""),
        }
        if row.get("acculturation"):
            data["acculturation"] = int(self.choice(row["acculturation"], AcculturationLevel.choices, "acculturation"))
        if row.get("parent"):
            parent = Service.objects.filter(acronym__iexact=row["parent"]).first()
            if parent is None:
                raise RowError([_("parent: no service with acronym “%(value)s”.") % {"value": row["parent"]}])
            data["parent"] = parent
        existing = Service.objects.filter(acronym__iexact=acronym).first()
        if existing is None:
            services.service_create(data=data)
            return "create"
        services.service_update(service=existing, token=token_of(existing), data=data)
        return "update"


class PartnerImporter(Importer):
    """One row per partner, or one per contact: rows repeating a partner's
    name add its other contacts."""

    kind = "partners"
    columns = [
        Column("name", required=True),
        Column("category", required=True),
        Column("city"),
        Column("website"),
        Column("description"),
        Column("contact_first_name"),
        Column("contact_last_name"),
        Column("contact_job_title"),
        Column("contact_email"),
        Column("contact_phone"),
    ]

    def row_key(self, row: dict[str, str]) -> str:
        parts = [row.get(n, "").strip().lower() for n in ("name", "contact_first_name", "contact_last_name")]
        return "|".join(parts)

    def row_label(self, row: dict[str, str]) -> str:
        contact = " ".join(row.get(n, "") for n in ("contact_first_name", "contact_last_name")).strip()
        return row.get("name", "") + (f" — {contact}" if contact else "")

    def apply_row(self, row: dict[str, str]) -> str:
        name = self.required(row, "name")
        data = {
            "name": name,
            "category": self.choice(row.get("category", ""), Partner.Category.choices, "category"),
            "city": row.get("city", ""),
            "website": row.get("website", ""),
            "description": row.get("description", ""),
        }
        partner = Partner.objects.filter(name__iexact=name).first()
        if partner is None:
            self.required(row, "category")
            partner = services.partner_create(data=data)
            action = "create"
        else:
            # Repeated rows for more contacts may leave the partner's own columns empty.
            data = {k: v for k, v in data.items() if v}
            partner = services.partner_update(partner=partner, token=token_of(partner), data=data)
            action = "update"
        first, last = row.get("contact_first_name", ""), row.get("contact_last_name", "")
        if first or last:
            contact_data = {
                "first_name": first,
                "last_name": last,
                "job_title": row.get("contact_job_title", ""),
                "email": row.get("contact_email", ""),
                "phone": row.get("contact_phone", ""),
            }
            contact = ContactPerson.objects.filter(
                partner=partner, first_name__iexact=first, last_name__iexact=last
            ).first()
            if contact is None:
                services.contact_create(partner=partner, data=contact_data)
            else:
                services.contact_update(contact=contact, token=token_of(contact), data=contact_data)
        return action
