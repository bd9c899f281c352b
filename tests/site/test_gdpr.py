"""Personal data (issue 15): the review of contact persons, the right of
access, the right to erasure (records and their history), the log, the
register; only the lead."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import ContactPerson
from partners.rules import contact_due_for_review, contact_due_for_review_q
from programmes.models import ProjectPartner
from smartcity.base.roles import Role
from smartcity.site.models import PersonalDataLog
from tests import factories

PERSONAL = ["Ondinette", "Secretnom", "ondinette@partenaire.example", "06 99 88 77 66", "NOTE-PRIVEE", "Ancien-Poste"]


@pytest.fixture
def contact(db):
    partner = factories.PartnerFactory(name="Coopérative Lumen")
    factories.ProjectPartnerFactory(partner=partner)
    person = ContactPerson.objects.create(
        partner=partner, first_name="Ondinette", last_name="Secretnom", job_title="Ancien-Poste",
        email="ondinette@partenaire.example", lawful_basis="Intérêt légitime",
    )  # fmt: skip
    person.phone = "06 99 88 77 66"
    person.save()
    person.notes = "NOTE-PRIVEE"
    person.save()
    return person


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _history_text(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM partners_historicalcontactperson WHERE id = %s", [pk])
        return repr(cursor.fetchall())


def test_erasure_leaves_nothing_personal_in_the_record_nor_its_history(lead, contact):
    assert "Secretnom" in _history_text(contact.pk)
    links = list(ProjectPartner.objects.filter(partner=contact.partner).values_list("pk", flat=True))
    url = reverse("site:gdpr_erase", kwargs={"kind": "contact", "pk": contact.pk})
    response = _client(lead).post(url, {"confirm": "yes"})
    assert response.status_code == 302
    contact.refresh_from_db()
    record = repr(ContactPerson.objects.filter(pk=contact.pk).values().get())
    history = _history_text(contact.pk)
    for value in PERSONAL:
        assert value not in record and value not in history, value
    assert contact.partner.name == "Coopérative Lumen" and contact.is_archived
    assert ContactPerson.objects.filter(partner=contact.partner).count() == 1
    assert list(ProjectPartner.objects.filter(partner=contact.partner).values_list("pk", flat=True)) == links
    entry = PersonalDataLog.objects.get()
    assert (entry.action, entry.actor, entry.subject_kind, entry.subject_id) == ("erasure", lead, "contact", contact.pk)
    assert entry.summary["history_rows"] >= 3
    assert not [value for value in PERSONAL if value in json.dumps(entry.summary)]


def test_erasure_needs_the_confirmation(lead, contact):
    url = reverse("site:gdpr_erase", kwargs={"kind": "contact", "pk": contact.pk})
    response = _client(lead).post(url, {})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert ContactPerson.objects.get(pk=contact.pk).last_name == "Secretnom"
    assert not PersonalDataLog.objects.exists()


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.OFFICIAL, Role.VIEWER])
def test_only_the_lead_exports_or_erases(role, contact):
    user = factories.UserFactory(role=role.value)
    client = _client(user)
    for name, data in (("site:gdpr_erase", {"confirm": "yes"}), ("site:gdpr_export", {})):
        response = client.post(reverse(name, kwargs={"kind": "contact", "pk": contact.pk}), data)
        assert response.status_code == 403
    assert ContactPerson.objects.get(pk=contact.pk).last_name == "Secretnom"
    assert not PersonalDataLog.objects.exists()


def test_access_export_holds_the_record_its_history_and_its_organisation(lead, contact):
    url = reverse("site:gdpr_export", kwargs={"kind": "contact", "pk": contact.pk})
    response = _client(lead).post(url)
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["record"]["last_name"] == "Secretnom" and data["record"]["phone"] == "06 99 88 77 66"
    assert data["organisation"]["name"] == "Coopérative Lumen"
    assert [row["history_type"] for row in data["history"]] == ["+", "~", "~"]
    assert data["lawful_basis"]
    entry = PersonalDataLog.objects.get()
    assert (entry.action, entry.actor, entry.channel) == ("access", lead, "web")


def test_an_account_is_exported_and_erased_by_command(lead, tmp_path):
    person = factories.UserFactory(username="agent.secret", email="agent.secret@ville.example", first_name="Agathe")
    factories.ImportJobFactory(created_by=person)
    out = tmp_path / "export.json"
    call_command("gdpr_export", "account", str(person.pk), output=str(out))
    data = json.loads(out.read_text())
    assert data["record"]["email"] == "agent.secret@ville.example"
    assert "smartcity.importjob.created_by" in data["references"]
    with pytest.raises(CommandError):
        call_command("gdpr_erase", "account", str(person.pk))
    call_command("gdpr_erase", "account", str(person.pk), yes=True)
    person.refresh_from_db()
    assert (person.username, person.email, person.first_name) == (f"erased-{person.pk}", "", "")
    assert not person.is_active and not person.has_usable_password()
    assert list(PersonalDataLog.objects.order_by("at", "pk").values_list("action", "channel", "actor")) == [
        ("access", "command", None),
        ("erasure", "command", None),
    ]


def test_the_lead_cannot_erase_their_own_account(lead):
    url = reverse("site:gdpr_erase", kwargs={"kind": "compte", "pk": lead.pk})
    response = _client(lead).post(url, {"confirm": "yes"})
    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.is_active and lead.username == "lead-user"


@override_settings(ORCHESTRE_CONTACT_REVIEW_DAYS=100)
def test_contacts_neither_confirmed_nor_touched_are_due_for_review(db):
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=101)
    stale = factories.ContactPersonFactory(last_confirmed_on=today - datetime.timedelta(days=101))
    never = factories.ContactPersonFactory()
    confirmed = factories.ContactPersonFactory(last_confirmed_on=today - datetime.timedelta(days=99))
    touched = factories.ContactPersonFactory()
    ContactPerson.objects.filter(pk__in=[stale.pk, never.pk, confirmed.pk]).update(updated_at=long_ago)
    due = set(ContactPerson.objects.filter(contact_due_for_review_q(today)).values_list("pk", flat=True))
    assert due == {stale.pk, never.pk}
    for contact in ContactPerson.objects.all():
        assert contact_due_for_review(contact, today) == (contact.pk in due)
    assert touched.pk not in due


def test_confirming_takes_a_contact_off_the_review_list(lead, contact):
    ContactPerson.objects.filter(pk=contact.pk).update(updated_at=timezone.now() - datetime.timedelta(days=900))
    client = _client(lead)
    assert "Secretnom" in client.get(reverse("site:gdpr_review")).content.decode()
    client.post(reverse("site:gdpr_confirm", args=[contact.pk]))
    assert ContactPerson.objects.get(pk=contact.pk).last_confirmed_on == timezone.localdate()
    assert "Secretnom" not in client.get(reverse("site:gdpr_review")).content.decode()


def test_the_register_is_read_from_the_models(lead):
    body = _client(lead).get(reverse("site:gdpr_register")).content.decode()
    for label in ("partners.contactperson", "partners.electedofficial", "auth.user"):
        assert label in body
    assert str(ContactPerson._meta.get_field("lawful_basis").verbose_name) in body


def _grow(n: int) -> None:
    old = timezone.now() - datetime.timedelta(days=900)
    for _ in range(n):
        contact = factories.ContactPersonFactory()
        ContactPerson.objects.filter(pk=contact.pk).update(updated_at=old)


def test_gdpr_pages_query_count_is_flat(lead, contact):
    client = _client(lead)
    urls = [
        reverse("site:gdpr_register"),
        reverse("site:gdpr_review") + "?q=Contact",
        reverse("site:gdpr_person", kwargs={"kind": "contact", "pk": contact.pk}),
        reverse("site:gdpr_erase", kwargs={"kind": "contact", "pk": contact.pk}),
    ]

    def counts():
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    _grow(2)
    small = counts()
    _grow(15)
    assert counts() == small
