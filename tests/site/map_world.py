"""A small portfolio whose link map is known by heart, for the map's tests."""

import pytest

from partners.models import Domain, Partner
from programmes.models import Phase
from tests import factories


@pytest.fixture
def map_world(db):
    mob = Domain.objects.get(slug="mobilite")
    ene = Domain.objects.get(slug="energie")
    cul = Domain.objects.get(slug="culture")
    p1, p2 = factories.ProgrammeFactory(name="Ville sobre"), factories.ProgrammeFactory(name="Données")
    direction = factories.ServiceFactory(name="Direction des mobilités", acronym="DMOB", kind="direction")
    s1 = factories.ServiceFactory(name="Voirie", acronym="VOI", parent=direction)
    s2 = factories.ServiceFactory(name="Transports", acronym="TC", parent=direction)
    s3 = factories.ServiceFactory(name="Archives", acronym="ARC")
    s4 = factories.ServiceFactory(name="Éclairage", acronym="ECL")
    a = factories.PartnerFactory(name="Alpha", category=Partner.Category.COMPANY)
    b = factories.PartnerFactory(name="Bêta", category=Partner.Category.COMPANY)
    c = factories.PartnerFactory(name="=HYPERLINK(1)", category=Partner.Category.RESEARCH)
    official = factories.ElectedOfficialFactory(first_name="Claire", last_name="Moreau")
    official.domains.set([mob])
    one = factories.ProjectFactory(
        code="MOB-1", name="Bus à haut niveau", programme=p1, lead_service=s1, sponsor=official, domains=[mob, ene]
    )
    one.contributing_services.set([s2])
    two = factories.ProjectFactory(code="CUL-2", name="Pass culture", programme=p2, lead_service=s2, domains=[cul])
    closed = factories.ProjectFactory(
        code="MOB-3", name="Ancien pilote", programme=p1, lead_service=s1, phase=Phase.CLOSED, domains=[mob]
    )
    closed.contributing_services.set([s4])
    archived = factories.ProjectFactory(code="ARC-4", name="Archivé", programme=p1, lead_service=s3, is_archived=True)
    factories.ProjectPartnerFactory(project=one, partner=a)
    factories.ProjectPartnerFactory(project=two, partner=a, relationship="client_supplier")
    factories.ProjectPartnerFactory(project=closed, partner=b)
    return {
        "mob": mob,
        "ene": ene,
        "cul": cul,
        "p1": p1,
        "p2": p2,
        "direction": direction,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "s4": s4,
        "a": a,
        "b": b,
        "c": c,
        "official": official,
        "one": one,
        "two": two,
        "closed": closed,
        "archived": archived,
    }


def key(obj) -> str:
    """The graph key of a model instance."""
    names = {"electedofficial": "official"}
    name = obj._meta.model_name
    return f"{names.get(name, name)}:{obj.pk}"
