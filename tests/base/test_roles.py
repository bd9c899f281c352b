import pytest
from django.contrib.auth.models import Group

from smartcity.base.roles import Role, assign_role, role_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_roles_are_created_by_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_the_most_capable_role_wins():
    user = factories.UserFactory(role=Role.VIEWER.value)
    user.groups.add(Group.objects.get(name=Role.DIRECTOR.value))
    assert role_of(user) == Role.DIRECTOR


def test_a_signed_in_user_without_group_reads_like_a_viewer():
    assert role_of(factories.UserFactory()) == Role.VIEWER


def test_inactive_users_have_no_role():
    assert role_of(factories.UserFactory(role=Role.LEAD.value, is_active=False)) is None


def test_assign_role_replaces_the_previous_one():
    user = factories.UserFactory(role=Role.LEAD.value)
    assign_role(user, Role.VIEWER)
    user.refresh_from_db()
    assert role_of(user) == Role.VIEWER
    assert list(user.groups.values_list("name", flat=True)) == [Role.VIEWER.value]


def test_home_depends_on_the_role(lead_client, director_client, official_client, viewer_client):
    assert "Portefeuille smart city" in lead_client.get("/").content.decode()
    assert "Mon service" in director_client.get("/").content.decode()
    assert "Tableau de bord du comité" in official_client.get("/").content.decode()
    assert "Portefeuille smart city" in viewer_client.get("/").content.decode()


def test_director_home_lists_the_projects_of_their_service(director_client, director_service, other_service):
    own = factories.ProjectFactory(lead_service=director_service, name="Billettique sans contact")
    factories.ProjectFactory(lead_service=other_service, name="Musée augmenté")
    page = director_client.get("/").content.decode()
    assert own.name in page
    assert "Musée augmenté" not in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/projets/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_sign_in_page_is_french_and_labelled(client):
    page = client.get("/compte/login/").content.decode()
    assert 'lang="fr"' in page
    assert 'for="id_username"' in page and 'for="id_password"' in page
    assert "Aller au contenu principal" in page
