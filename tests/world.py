"""A small portfolio touching every model, seen from each persona: the
world of the permission matrix (tests/test_permissions.py), the Redis-down
pages and the accessibility walk."""

from typing import Any

from smartcity.base.roles import Role
from smartcity.base.tokens import api_token_create
from tests import factories

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
    # Issue 15: a project published on the public pages (the others are not).
    public_project = factories.ProjectFactory(lead_service=other_service, domains=[domain], is_public=True)
    return {
        "api_token": api_token,
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
