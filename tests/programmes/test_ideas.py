"""The emergence pipeline: who proposes (a director for their own service
only, the lead for any), who decides (the lead only), the moves and their
log, accepting an idea as a project, and the committee pack's list of
ideas decided since the previous meeting."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import Idea, IdeaTransition, Project
from tests import factories


@pytest.fixture
def idea(lead, director_service):
    return services.idea_propose(
        by=lead, data={"title": "Abribus", "need": "Info", "proposing_service": director_service}
    )


def _snapshot():
    return (
        list(Idea.objects.order_by("pk").values_list("pk", "state", "project_id")),
        IdeaTransition.objects.count(),
        Project.objects.count(),
    )


# Who proposes --------------------------------------------------------------


@pytest.mark.django_db
def test_a_director_proposes_for_their_own_service(director_client, director, director_service, other_service):
    response = director_client.post(
        reverse("programmes:idea_create"),
        {
            "title": "Abribus",
            "need": "Info voyageurs",
            "proposing_service": director_service.pk,
            "services_concerned": [other_service.pk],
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.kind, idea.state, idea.proposed_by, idea.proposing_service) == (
        "idea",
        "new",
        director,
        director_service,
    )
    log = idea.transitions.get()
    assert (log.from_state, log.to_state, log.decided_by) == ("", "new", director)
    assert director_client.get(reverse("programmes:my_ideas")).content.decode().count("Abribus") == 1


@pytest.mark.django_db
def test_a_director_proposing_for_another_service_is_refused_and_nothing_changes(
    director_client, director, other_service
):
    before = _snapshot()
    response = director_client.post(
        reverse("programmes:idea_create"), {"title": "Ailleurs", "need": "x", "proposing_service": other_service.pk}
    )
    assert response.status_code == 200 and "proposing_service" in response.context["form"].errors
    with pytest.raises(PermissionDenied):
        services.idea_propose(by=director, data={"title": "Ailleurs", "need": "x", "proposing_service": other_service})
    with pytest.raises(PermissionDenied):
        services.idea_propose(by=director, data={"title": "Sans service", "need": "x"})
    assert _snapshot() == before


@pytest.mark.django_db
def test_the_lead_proposes_for_any_service_or_none(lead, other_service):
    services.idea_propose(by=lead, data={"title": "Pour la culture", "need": "x", "proposing_service": other_service})
    services.idea_propose(by=lead, data={"title": "Transversale", "need": "x"})
    assert Idea.objects.count() == 2


@pytest.mark.django_db
def test_only_the_lead_records_a_partners_proposal(lead, director):
    partner = factories.PartnerFactory()
    data = {"title": "Jumeau numérique", "need": "Fuites", "partner": partner, "technology": "Capteurs"}
    with pytest.raises(PermissionDenied):
        services.proposal_record(by=director, data=data)
    proposal = services.proposal_record(by=lead, data={**data, "received_on": datetime.date(2026, 3, 2)})
    assert (proposal.kind, proposal.partner, proposal.state) == ("proposal", partner, "new")
    with pytest.raises(ValidationError):
        services.proposal_record(by=lead, data={"title": "Sans partenaire", "need": "x"})


# Who decides, and the moves -----------------------------------------------


@pytest.mark.django_db
def test_a_director_cannot_move_their_own_idea(director_client, director, idea):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.idea_move(idea=idea, to_state="under_study", reason="moi", by=director)
    response = director_client.post(
        reverse("programmes:idea_move", args=[idea.pk]), {"to_state": "accepted", "reason": "moi"}
    )
    assert response.status_code == 403
    assert _snapshot() == before


@pytest.mark.django_db
def test_the_lead_moves_an_idea_with_a_reason_and_each_move_is_logged(lead_client, lead, idea):
    url = reverse("programmes:idea_move", args=[idea.pk])
    assert (
        lead_client.post(url, {"to_state": "under_study", "reason": "À chiffrer", "expected_state": "new"}).status_code
        == 302
    )
    assert (
        lead_client.post(
            url, {"to_state": "parked", "reason": "Pas de budget", "expected_state": "under_study"}
        ).status_code
        == 302
    )
    idea.refresh_from_db()
    assert idea.state == "parked" and idea.state_changed_at is not None
    moves = list(idea.transitions.values_list("from_state", "to_state", "reason", "decided_by"))
    assert moves[0][:2] == ("", "new") and moves[0][3] == lead.pk  # proposed (its words in the writer's language)
    assert moves[1:] == [
        ("new", "under_study", "À chiffrer", lead.pk),
        ("under_study", "parked", "Pas de budget", lead.pk),
    ]
    page = lead_client.get(reverse("programmes:idea_detail", args=[idea.pk])).content.decode()
    assert "Pas de budget" in page and "À chiffrer" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("post", "error_field"),
    [
        ({"to_state": "under_study", "reason": "  ", "expected_state": "new"}, "reason"),  # no reason
        ({"to_state": "accepted", "reason": "oui", "expected_state": "new"}, "to_state"),  # accepting has its form
        ({"to_state": "under_study", "reason": "oui", "expected_state": "parked"}, None),  # moved meanwhile
    ],
)
def test_a_bad_move_is_refused_with_its_reason_and_changes_nothing(lead_client, idea, post, error_field):
    before = _snapshot()
    response = lead_client.post(reverse("programmes:idea_move", args=[idea.pk]), post)
    assert response.status_code == 400
    errors = response.context["move_form"].errors
    assert (error_field or "__all__") in errors
    assert _snapshot() == before


@pytest.mark.django_db
def test_moves_follow_the_pipeline(lead, idea):
    services.idea_move(idea=idea, to_state="declined", reason="Non", by=lead)
    with pytest.raises(ValidationError):
        services.idea_move(idea=idea, to_state="parked", reason="Plus tard", by=lead)  # declined → parked: no
    services.idea_move(idea=idea, to_state="under_study", reason="On revoit", by=lead)  # reopened
    assert Idea.objects.get(pk=idea.pk).state == "under_study"


# Accept as project ------------------------------------------------------------


@pytest.mark.django_db
def test_accepting_an_idea_creates_its_project_and_keeps_its_history(lead_client, lead, idea, other_service):
    domain = factories.DomainFactory()
    Idea.objects.filter(pk=idea.pk).update(domain=domain)
    idea.services_concerned.set([other_service])
    programme = factories.ProgrammeFactory()
    services.idea_move(idea=idea, to_state="under_study", reason="À chiffrer", by=lead)
    response = lead_client.post(
        reverse("programmes:idea_accept", args=[idea.pk]),
        {
            "programme": programme.pk,
            "code": "MOB-9001",
            "name": "Abribus connectés",
            "lead_service": idea.proposing_service_id,
            "reason": "Financé par le programme",
            "expected_state": "under_study",
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    project = idea.project
    assert (idea.state, project.code, project.name, project.summary) == (
        "accepted",
        "MOB-9001",
        "Abribus connectés",
        "Info",
    )
    assert list(project.domains.all()) == [domain]
    assert list(project.contributing_services.all()) == [other_service]
    assert list(idea.transitions.values_list("to_state", flat=True)) == ["new", "under_study", "accepted"]
    page = lead_client.get(reverse("programmes:idea_detail", args=[idea.pk])).content.decode()
    assert project.get_absolute_url() in page and "Financé par le programme" in page
    # Accepted is final: neither accepted twice nor moved.
    with pytest.raises(ValidationError):
        services.idea_accept(idea=idea, by=lead, reason="encore", project_data={"code": "X-1"})
    with pytest.raises(ValidationError):
        services.idea_move(idea=idea, to_state="parked", reason="non", by=lead)


@pytest.mark.django_db
def test_accepting_a_proposal_links_its_partner_to_the_project(lead_client, lead, director_service):
    lab = factories.PartnerFactory(category="research", name="Labo capteurs")
    company = factories.PartnerFactory(category="company")
    proposal = services.proposal_record(
        by=lead, data={"title": "Capteurs", "need": "Mesurer", "partner": lab, "technology": "LoRa"}
    )
    programme = factories.ProgrammeFactory()
    form = {"programme": programme.pk, "name": "Capteurs", "lead_service": director_service.pk, "reason": "oui"}
    page = lead_client.get(reverse("programmes:idea_accept", args=[proposal.pk])).content.decode()
    assert 'value="co_construction" selected' in page  # a research body builds it with the city
    response = lead_client.post(
        reverse("programmes:idea_accept", args=[proposal.pk]),
        {**form, "code": "CAP-1", "partner_relationship": "funding", "expected_state": "new"},
    )
    assert response.status_code == 302
    link = Project.objects.get(code="CAP-1").partner_links.get()
    assert (link.partner, link.relationship, link.role) == (lab, "funding", "LoRa")
    assert link.start_date == timezone.localdate() and link.history.count() == 1
    # Through the service without a choice: the rule's kind for a company.
    other = services.proposal_record(by=lead, data={"title": "Bornes", "need": "Recharger", "partner": company})
    project = services.idea_accept(
        idea=other,
        by=lead,
        reason="oui",
        project_data={**form, "programme": programme, "code": "CAP-2", "lead_service": director_service},
    )
    assert list(project.partner_links.values_list("partner", "relationship")) == [(company.pk, "client_supplier")]


@pytest.mark.django_db
def test_an_accept_form_with_a_taken_code_rerenders_and_creates_nothing(lead_client, idea):
    taken = factories.ProjectFactory()
    before = _snapshot()
    response = lead_client.post(
        reverse("programmes:idea_accept", args=[idea.pk]),
        {
            "programme": taken.programme_id,
            "code": taken.code,
            "name": "Doublon",
            "lead_service": taken.lead_service_id,
            "reason": "oui",
            "expected_state": "new",
        },
    )
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert _snapshot() == before


@pytest.mark.django_db
def test_the_pipeline_forms_offer_pickers_and_readable_placeholders(lead_client, director_client, lead, idea):
    """No "---------" on the pipeline's forms; their long lists (services,
    partners, programmes) are type-ahead pickers, as on the project form."""
    lab = factories.PartnerFactory(category="research")
    proposal = services.proposal_record(by=lead, data={"title": "Capteurs", "need": "x", "partner": lab})
    service_pick, programme_pick = reverse("partners:service_pick"), reverse("programmes:programme_pick")
    partner_pick = reverse("partners:partner_pick")
    pages = {
        reverse("programmes:idea_create"): [service_pick],
        reverse("programmes:proposal_create"): [partner_pick, service_pick],
        reverse("programmes:idea_update", args=[idea.pk]): [service_pick],
        reverse("programmes:idea_accept", args=[idea.pk]): [programme_pick, service_pick],
        reverse("programmes:idea_accept", args=[proposal.pk]): [programme_pick, service_pick],
    }
    for url, sources in pages.items():
        page = lead_client.get(url).content.decode()
        assert "---------" not in page, url
        for source in sources:
            assert f'data-picker="{source}' in page, (url, source)
    # The accept form starts from the idea's proposing service, chosen.
    page = lead_client.get(reverse("programmes:idea_accept", args=[idea.pk])).content.decode()
    assert f'<option value="{idea.proposing_service_id}" selected>' in page
    assert "— choisir —" in page  # the programme, not chosen yet
    # A director picks among their own services: a plain select, no empty choice.
    page = director_client.get(reverse("programmes:idea_create")).content.decode()
    assert "---------" not in page and f'data-picker="{service_pick}' in page  # services concerned only
    assert page.count(f'data-picker="{service_pick}') == 1


@pytest.mark.django_db
def test_the_accept_forms_picker_searches_without_javascript(lead_client, idea):
    wanted = factories.ProgrammeFactory(name="Programme Quartiers apaisés")
    factories.ProgrammeFactory.create_batch(3)
    before = _snapshot()
    response = lead_client.post(
        reverse("programmes:idea_accept", args=[idea.pk]),
        {"programme_q": "apaisés", "_pick": "programme", "code": "", "name": "x", "reason": ""},
    )
    assert response.status_code == 200 and not response.context["form"].errors
    page = response.content.decode()
    assert f'<option value="{wanted.pk}">{wanted.name}</option>' in page
    assert page.count("<option") < 10  # only what matches, plus the services' few
    assert _snapshot() == before


# The pipeline page and the committee pack ------------------------------------------


@pytest.mark.django_db
def test_the_pipeline_filters_by_state_without_javascript(viewer_client, lead, idea):
    other = services.idea_propose(by=lead, data={"title": "Liseuses", "need": "x"})
    services.idea_move(idea=other, to_state="declined", reason="Non", by=lead)
    url = reverse("programmes:idea_pipeline")
    assert "Liseuses" in viewer_client.get(url).content.decode()
    page = viewer_client.get(url + "?state=new").content.decode()
    assert "Abribus" in page and "Liseuses" not in page
    assert "Liseuses" in viewer_client.get(url + "?state=declined&kind=idea").content.decode()


@pytest.mark.django_db
def test_the_pack_lists_the_ideas_decided_since_the_previous_meeting(official_client, lead, idea):
    now = timezone.now()
    committee = factories.CommitteeFactory()
    factories.MeetingFactory(committee=committee, starts_at=now - datetime.timedelta(days=30), status="held")
    meeting = factories.MeetingFactory(committee=committee, starts_at=now + datetime.timedelta(days=5))
    older = services.idea_propose(by=lead, data={"title": "Ancienne décision", "need": "x"})
    services.idea_move(idea=older, to_state="declined", reason="Déjà vu", by=lead)
    IdeaTransition.objects.filter(idea=older, to_state="declined").update(decided_at=now - datetime.timedelta(days=40))
    services.idea_move(idea=idea, to_state="parked", reason="Attendre le budget", by=lead)
    studied = services.idea_propose(by=lead, data={"title": "En étude", "need": "x"})
    services.idea_move(idea=studied, to_state="under_study", reason="À voir", by=lead)
    page = official_client.get(reverse("governance:meeting_pack", args=[meeting.pk])).content.decode()
    section = page[page.index('id="pack-ideas"') :]
    assert "Abribus" in section and "Attendre le budget" in section
    assert "Ancienne décision" not in section  # before the previous meeting
    assert "En étude" not in section  # not a decision


@pytest.mark.django_db
def test_state_words_agree_with_the_noun_they_qualify(viewer_client, idea):
    # An idea («idée», feminine) is «Nouvelle»; a project's reporting («suivi») is «Nouveau», «Périmé».
    assert "Nouvelle" in viewer_client.get(reverse("programmes:idea_pipeline")).content.decode()
    page = viewer_client.get(factories.ProgrammeFactory().get_absolute_url()).content.decode()
    assert "Nouveau : 0" in page and "Périmé : 0" in page and "Périmée" not in page
