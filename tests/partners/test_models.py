import datetime

import pytest
from django.db import IntegrityError, transaction

from programmes.models import ProjectPartner, RelationshipKind
from tests import factories

pytestmark = pytest.mark.django_db


def test_service_acronyms_are_unique_whatever_the_case():
    factories.ServiceFactory(acronym="DMOB")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ServiceFactory(acronym="dmob")


def test_partner_names_are_unique_whatever_the_case():
    factories.PartnerFactory(name="Université d'Orvalle")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PartnerFactory(name="UNIVERSITÉ D'ORVALLE".lower())


def test_a_partner_can_move_from_supplier_to_partner_on_one_project():
    link = factories.ProjectPartnerFactory(relationship=RelationshipKind.CLIENT_SUPPLIER)
    ProjectPartner.objects.create(project=link.project, partner=link.partner, relationship=RelationshipKind.PARTNERSHIP)
    assert link.project.partner_links.count() == 2


def test_the_same_kind_of_link_cannot_be_recorded_twice():
    link = factories.ProjectPartnerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectPartner.objects.create(project=link.project, partner=link.partner, relationship=link.relationship)


def test_a_link_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProjectPartnerFactory(start_date=datetime.date(2026, 1, 2), end_date=datetime.date(2026, 1, 1))


def test_acculturation_changes_are_kept_in_history():
    service = factories.ServiceFactory(acculturation=1)
    service.acculturation = 3
    service.save()
    assert [h.acculturation for h in service.history.order_by("history_date")] == [1, 3]
