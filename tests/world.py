"""A small portfolio touching every model, seen from each persona: the
world of the permission matrix (tests/test_permissions.py), the Redis-down
pages and the accessibility walk."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from smartcity.base.roles import Role
from smartcity.base.services import document_add
from smartcity.base.tokens import api_token_create
from tests import factories
from tests.site.webhook_world import webhook_world

LEAD_USERNAME = "lead-user"


def build_world(*, lead=None, director_service=None, other_service=None) -> dict[str, Any]:
    """Build the world. The personas' users and services may be given (the
    function-scoped fixtures of conftest.py); the others are made here."""
    lead = lead or factories.UserFactory(username=LEAD_USERNAME, role=Role.LEAD.value)
    if director_service is None:
        director = factories.UserFactory(username="director-user", role=Role.DIRECTOR.value)
        director_service = factories.ServiceFactory(name="Service des mobilités", acronym="MOB", director=director)
    other_service = other_service or factories.ServiceFactory(name="Service de la culture", acronym="CUL")
    domain = factories.DomainFactory(slug="mobilite")
    official = factories.ElectedOfficialFactory()
    own_project = factories.ProjectFactory(lead_service=director_service, domains=[domain], sponsor=official)
    project = factories.ProjectFactory(lead_service=other_service, domains=[domain])
    contributor = factories.ServiceFactory()
    project.contributing_services.add(contributor)
    partner = factories.PartnerFactory()
    partner_link = factories.ProjectPartnerFactory(project=project, partner=partner)
    contact = factories.ContactPersonFactory(partner=partner)
    factories.StatusReportFactory(project=project)
    factories.MilestoneFactory(project=project)
    meeting = factories.MeetingFactory()
    committee = meeting.committee
    committee.members.add(official)
    item = factories.AgendaItemFactory(meeting=meeting)
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Second point")
    decision = factories.DecisionFactory(meeting=meeting)
    action = factories.ActionItemFactory(meeting=meeting)
    held_meeting = factories.MeetingFactory(committee=committee, status="held")
    approved_meeting = factories.MeetingFactory(committee=committee, status="approved")
    import_job = factories.ImportJobFactory(created_by=lead)
    api_token, _secret = api_token_create(user=lead, name="BI", scope="read")
    webhook, webhook_delivery = webhook_world(lead)
    document = document_add(
        owner=own_project, file=SimpleUploadedFile("n.txt", b"note\n"), data={"title": "Note"}, by=lead
    )
    relations = _relations(partner=partner, project=project, lead=lead)  # issue 15
    # Issue 15: a project published on the public pages (the others are not).
    public_project = factories.ProjectFactory(lead_service=other_service, domains=[domain], is_public=True)
    return {
        **relations,
        "api_token": api_token,
        "webhook": webhook,
        "webhook_delivery": webhook_delivery,
        "document": document,
        "public_project": public_project,
        "domain": domain,
        "domain2": factories.DomainFactory(),
        "contributor": contributor,
        "partner_link": partner_link,
        "contact": contact,
        "import_job": import_job,
        "official": official,
        "project": project,
        "own_project": own_project,
        "service": other_service,
        "own_service": director_service,
        "partner": partner,
        "committee": committee,
        "meeting": meeting,
        "agenda_item": item,
        "decision": decision,
        "action": action,
        "held_meeting": held_meeting,
        "approved_meeting": approved_meeting,
        "lead": lead,
        "director": director_service.director,
    }


def _relations(*, partner, project, lead) -> dict[str, Any]:
    """Partner relationships and data (issue 15): an interaction, an
    agreement and a data asset."""
    import datetime

    from partners.models import Interaction
    from programmes.models import Agreement, DataAsset

    agreement = Agreement.objects.create(title="Convention du monde", kind="partnership", status="in_force")
    agreement.partners.add(partner)
    agreement.projects.add(project)
    data_asset = DataAsset.objects.create(name="Jeu de données du monde", holder="city", agreement=agreement)
    data_asset.used_by.add(project)
    interaction = Interaction.objects.create(
        partner=partner, kind="meeting", happened_on=datetime.date(2025, 3, 1), city_contact=lead
    )
    return {"agreement": agreement, "data_asset": data_asset, "interaction": interaction}
