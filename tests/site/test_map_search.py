"""The link map's search: every word, accents ignored, bounded; one hit
opens its ego view; several are listed with a link to focus each. Shortened
labels carry their full text for hover and keyboard focus."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from smartcity.site.map import views as map_views
from tests import factories
from tests.site import map_world as world
from tests.site.map_world import key

pytestmark = pytest.mark.django_db
map_world = world.map_world  # the fixture


def test_one_hit_opens_its_ego_view(map_world, viewer_client):
    response = viewer_client.get(reverse("site:map"), {"q": "moreau"})
    view = response.context["view"]
    assert view.n_matches == 1
    assert view.focus.key == key(map_world["official"])
    drawn = set(response.context["drawn"].nodes)
    assert key(map_world["one"]) in drawn  # the project she sponsors, one link away
    assert key(map_world["two"]) not in drawn  # nothing to do with her


def test_words_and_accents(map_world, viewer_client):
    """ "energie" finds "Énergie"; two words must both be there."""
    response = viewer_client.get(reverse("site:map"), {"q": "energie"})
    assert key(map_world["ene"]) in [n.key for n in response.context["view"].matches]
    response = viewer_client.get(reverse("site:map"), {"q": "bus niveau"})
    assert [n.key for n in response.context["view"].matches] == [key(map_world["one"])]
    response = viewer_client.get(reverse("site:map"), {"q": "bus culture-inexistante"})
    assert response.context["view"].n_matches == 0
    html = response.content.decode()
    assert 'id="map-matches-title"' in html and "bus culture-inexistante" in html  # says so


def test_several_hits_are_listed_with_their_focus_links(map_world, lead_client, monkeypatch):
    monkeypatch.setattr(map_views, "SEARCH_LIMIT", 2)
    for i in range(3):
        factories.ServiceFactory(name=f"Voirie secteur {i}", acronym=f"VS{i}")
    response = lead_client.get(reverse("site:map"), {"q": "voirie"})
    view = response.context["view"]
    assert view.n_matches == 4 and len(view.matches) == 2
    assert view.focus is None  # several hits: the whole map, and the list
    assert view.matches[0].label == "Voirie"  # the name starting with the word first
    html = response.content.decode()
    assert f"focus={view.matches[1].key.replace(':', '%3A')}" in html


def test_tables_page_shares_the_search(map_world, lead_client):
    response = lead_client.get(reverse("site:map_tables"), {"q": "alpha"})
    assert response.context["view"].focus.key == key(map_world["a"])


def test_a_huge_query_is_cut(map_world, lead_client):
    response = lead_client.get(reverse("site:map"), {"q": "bus " * 3000})
    assert response.status_code == 200


def test_shortened_labels_carry_their_full_text(lead_client):
    long_name = "Observatoire métropolitain de la qualité de l'air et des îlots de chaleur urbains"
    project = factories.ProjectFactory(name=long_name)
    response = lead_client.get(reverse("site:map"), {"focus": key(project)})
    node = next(n for n in response.context["svg_nodes"] if n["key"] == key(project))
    assert node["label"] != node["full"] and long_name in node["full"]
    assert f'label-full">{escape(node["full"])}</text>' in response.content.decode()
