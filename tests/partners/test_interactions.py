"""The interaction log of a partner (issue 15): last contact (date and who)
on the partners list, quiet partners flagged after a configurable period,
the lead records, flat query counts on the partner page and list."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import Interaction, Partner
from partners.rules import is_quiet
from partners.selectors import partner_list
from tests import factories

pytestmark = pytest.mark.django_db


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _old(partner: Partner) -> Partner:
    Partner.objects.filter(pk=partner.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    return partner


def test_quiet_partners_are_flagged_after_the_configured_period(settings, viewer_client):
    settings.ORCHESTRE_PARTNER_QUIET_DAYS = 90
    lead = factories.UserFactory(first_name="Claire", last_name="Martin")
    stale = _old(factories.PartnerFactory(name="Ancien contact"))
    fresh = _old(factories.PartnerFactory(name="Contact récent"))
    _old(factories.PartnerFactory(name="Jamais vu"))
    newcomer = factories.PartnerFactory(name="Nouveau venu")  # created today: not quiet yet
    Interaction.objects.create(partner=stale, kind="call", happened_on=_days_ago(91), city_contact=lead)
    Interaction.objects.create(partner=fresh, kind="meeting", happened_on=_days_ago(200))
    Interaction.objects.create(partner=fresh, kind="site_visit", happened_on=_days_ago(89), city_contact=lead)

    rows = {p.name: p for p in partner_list()}
    assert rows["Contact récent"].last_contact_on == _days_ago(89)
    assert rows["Contact récent"].last_contact_by == "Claire Martin"
    assert rows["Jamais vu"].last_contact_on is None
    today = timezone.localdate()
    quiet = {
        name
        for name, p in rows.items()
        if is_quiet(last_contact=p.last_contact_on, created_on=p.created_at.date(), today=today)
    }
    assert quiet == {"Ancien contact", "Jamais vu"}

    page = viewer_client.get(reverse("partners:partner_list") + "?quiet=1").content.decode()
    assert "Ancien contact" in page and "Jamais vu" in page
    assert "Contact récent" not in page and newcomer.name not in page
    page = viewer_client.get(reverse("partners:partner_list") + "?quiet=0").content.decode()
    assert "Contact récent" in page and "Claire Martin" in page

    settings.ORCHESTRE_PARTNER_QUIET_DAYS = 30
    page = viewer_client.get(fresh.get_absolute_url()).content.decode()
    assert "text-bg-warning" in page  # quiet after 30 days


def test_the_partner_page_lists_interactions_latest_first(viewer_client):
    partner = factories.PartnerFactory()
    Interaction.objects.create(partner=partner, kind="call", happened_on=_days_ago(40), note="Appel ancien")
    Interaction.objects.create(partner=partner, kind="event", happened_on=_days_ago(2), note="Salon récent")
    page = viewer_client.get(partner.get_absolute_url()).content.decode()
    assert page.index("Salon récent") < page.index("Appel ancien")
    assert "Record an interaction" not in page and "Consigner un échange" not in page


def test_interaction_rules():
    partner = factories.PartnerFactory()
    stranger = factories.ContactPersonFactory()  # another partner's contact
    with pytest.raises(ValidationError) as error:
        services.interaction_create(
            partner=partner,
            data={"kind": "call", "happened_on": _days_ago(-3), "contacts": [stranger]},
        )
    assert set(error.value.message_dict) == {"happened_on", "contacts"}
    assert not Interaction.objects.exists()


def test_the_lead_records_an_interaction(lead_client, lead):
    partner = factories.PartnerFactory()
    contact = factories.ContactPersonFactory(partner=partner)
    service = factories.ServiceFactory()
    response = lead_client.post(
        reverse("partners:interaction_create", args=[partner.pk]),
        {
            "kind": "site_visit",
            "happened_on": _days_ago(1).isoformat(),
            "city_contact": lead.pk,
            "services": [service.pk],
            "contacts": [contact.pk],
            "note": "Visite du démonstrateur",
            "follow_up": "Envoyer le compte rendu",
        },
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert list(interaction.contacts.all()) == [contact] and list(interaction.services.all()) == [service]


@pytest.mark.parametrize("persona", ["director_client", "official_client"])
def test_others_cannot_record_interactions(request, persona):
    partner = factories.PartnerFactory()
    url = reverse("partners:interaction_create", args=[partner.pk])
    client = request.getfixturevalue(persona)
    assert client.post(url, {"kind": "call", "happened_on": _days_ago(1).isoformat()}).status_code == 403
    assert not Interaction.objects.exists()


def _grow(n: int) -> None:
    users = [factories.UserFactory() for _ in range(2)]
    for _ in range(n):
        partner = factories.PartnerFactory()
        contact = factories.ContactPersonFactory(partner=partner)
        for days in (5, 50):
            interaction = Interaction.objects.create(
                partner=partner, kind="meeting", happened_on=_days_ago(days), city_contact=users[0]
            )
            interaction.participants.add(users[1])
            interaction.services.add(factories.ServiceFactory())
            interaction.contacts.add(contact)


def test_partner_page_and_list_cost_the_same_queries_at_two_scales(lead_client):
    _grow(2)
    partner = Partner.objects.order_by("pk").first()
    urls = [partner.get_absolute_url(), reverse("partners:partner_list") + "?quiet=0&sort=last_contact"]
    small = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(url).status_code == 200
        small[url] = len(queries.captured_queries)
    _grow(6)
    for i in range(4):  # the partner itself gets more of everything
        Interaction.objects.create(partner=partner, kind="call", happened_on=_days_ago(10 + i)).services.add(
            factories.ServiceFactory()
        )
    large = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(url).status_code == 200
        large[url] = len(queries.captured_queries)
    assert small == large
