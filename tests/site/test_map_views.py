"""The link map pages: content, determinism, exports and query counts."""

import csv
import io
import re
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

from smartcity.base.exports import neutralise
from smartcity.site.demo.builder import DemoBuilder
from smartcity.site.map import graph as g
from tests import factories
from tests.site import map_world as world
from tests.site.map_world import key
from tests.svg import assert_svg_numbers_are_valid

pytestmark = pytest.mark.django_db
map_world = world.map_world  # the fixture
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def svg_of(response) -> str:
    html = response.content.decode()
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="link-map"')
    return html[start : html.index("</svg>", start)]


def test_map_draws_every_entity_as_a_link(map_world, viewer_client):
    w = map_world
    response = viewer_client.get(reverse("site:map"))
    assert response.status_code == 200
    svg = svg_of(response)
    for name in ("one", "two", "a", "s1", "official", "mob", "p1"):
        assert f'href="{w[name].get_absolute_url()}"' in svg, name
    assert w["closed"].get_absolute_url() not in svg  # closed: only on request
    assert 'role="group"' in svg and '<title id="map-title">' in svg
    assert_svg_numbers_are_valid(svg)  # in French too
    assert re.search(rf'<a href="[^"]+" class="node t-partner orphan" data-key="partner:{w["b"].pk}"', svg)


def test_map_is_the_same_picture_for_the_same_data(map_world, lead_client):
    url = reverse("site:map")
    assert svg_of(lead_client.get(url)) == svg_of(lead_client.get(url))
    focused = f"{url}?focus={key(map_world['one'])}&depth=2"
    assert svg_of(lead_client.get(focused)) == svg_of(lead_client.get(focused))


def test_focus_depth(map_world, lead_client):
    w = map_world
    url = reverse("site:map")
    near = svg_of(lead_client.get(url, {"focus": key(w["one"]), "depth": 1}))
    far = svg_of(lead_client.get(url, {"focus": key(w["one"]), "depth": 2}))
    assert w["a"].get_absolute_url() in near
    assert w["two"].get_absolute_url() not in near
    assert w["two"].get_absolute_url() in far
    assert w["cul"].get_absolute_url() not in far
    assert 'class="node t-project focused"' in near


def test_unknown_focus_shows_the_whole_map(map_world, lead_client):
    response = lead_client.get(reverse("site:map"), {"focus": "project:999999"})
    assert response.status_code == 200 and response.context["view"].focus is None
    response = lead_client.get(reverse("site:map"), {"focus": "<script>"})
    assert response.status_code == 200 and response.context["view"].focus is None


def test_bad_parameters_are_ignored(map_world, lead_client):
    for url in ("site:map", "site:map_tables", "site:graph_edges_csv"):
        response = lead_client.get(
            reverse(url), {"programme": "zzz", "domain": "nope", "types": "bogus", "depth": "9", "page": "x"}
        )
        assert response.status_code == 200, url
    response = lead_client.get(reverse("site:map"), {"programme": "zzz"})
    assert len(response.context["view"].graph.of_type("project")) == 2  # no filter applied


def test_filters(map_world, lead_client):
    w = map_world
    svg = svg_of(lead_client.get(reverse("site:map"), {"domain": "culture"}))
    assert w["two"].get_absolute_url() in svg and w["one"].get_absolute_url() not in svg
    svg = svg_of(lead_client.get(reverse("site:map"), {"types": ["service", "partner"]}))
    assert 'class="node t-project' not in svg and "k-shared_projects" in svg


def test_big_types_are_grouped_and_a_group_expands(map_world, lead_client, monkeypatch):
    monkeypatch.setattr(g, "CLUSTER_LIMITS", {"partner": 1})
    url = reverse("site:map")
    response = lead_client.get(url)
    svg = svg_of(response)
    assert 'data-key="cluster:partner:company"' in svg
    assert map_world["a"].get_absolute_url() not in svg
    expanded = svg_of(lead_client.get(url, {"expand": "cluster:partner:company"}))
    assert map_world["a"].get_absolute_url() in expanded


def test_tables_carry_the_links(map_world, lead_client):
    w = map_world
    response = lead_client.get(reverse("site:map_tables"), {"table": "partner"})
    html = response.content.decode()
    assert w["a"].get_absolute_url() in html and w["one"].get_absolute_url() in html
    assert "?table=project" in html or "table=project" in html


def test_matrix_cells_link_to_the_filtered_portfolio(map_world, lead_client):
    w = map_world
    html = lead_client.get(reverse("site:matrix")).content.decode()
    project_list = reverse("programmes:project_list")
    assert f'href="{project_list}?service={w["s2"].pk}&amp;partner={w["a"].pk}"' in html
    assert f'href="{project_list}?service={w["s2"].pk}&amp;domain=culture"' in html
    assert f'href="{project_list}?partner={w["a"].pk}&amp;domain=energie"' in html


def test_orphans_page(map_world, lead_client):
    w = map_world
    response = lead_client.get(reverse("site:orphans"))
    assert {n.key for n in response.context["orphan_services"]} == {key(w["s3"]), key(w["s4"])}
    assert {n.key for n in response.context["orphan_partners"]} == {key(w["b"]), key(w["c"])}
    html = response.content.decode()
    assert w["b"].get_absolute_url() in html and w["two"].get_absolute_url() in html


def test_graphml_export_parses(map_world, lead_client):
    response = lead_client.get(reverse("site:graph_graphml"))
    assert response["Content-Disposition"].startswith("attachment")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    graph = g.build_graph()
    nodes = root.findall(f"{GRAPHML}graph/{GRAPHML}node")
    edges = root.findall(f"{GRAPHML}graph/{GRAPHML}edge")
    assert len(nodes) == len(graph.nodes) and len(edges) == len(graph.edges)
    alpha = next(n for n in nodes if n.get("id") == key(map_world["a"]))
    data = {d.get("key"): d.text for d in alpha}
    assert data["n_type"] == "partner" and data["n_label"] == "Alpha"
    assert data["n_url"] == "http://testserver" + map_world["a"].get_absolute_url()
    ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in ids and e.get("target") in ids for e in edges)


def test_csv_exports_neutralise_formulas(map_world, lead_client):
    w = map_world
    factories.ProjectPartnerFactory(project=w["one"], partner=w["c"])
    text = lead_client.get(reverse("site:graph_edges_csv")).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Source", "Target", "Kind"]
    assert any(row[7] == "'=HYPERLINK(1)" for row in rows[1:])
    assert not any(cell.startswith("=") for row in rows for cell in row)
    nodes = list(csv.reader(io.StringIO(lead_client.get(reverse("site:graph_nodes_csv")).content.decode())))
    assert [row[1] for row in nodes if row[0] == key(w["c"])] == ["'=HYPERLINK(1)"]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise(value):
    assert neutralise(value) == "'" + value


def test_safe_cell_leaves_plain_values():
    assert neutralise("Alpha") == "Alpha" and neutralise(3) == 3 and neutralise("a=b") == "a=b"


# Query counts: the same at demo scale 1 and 2 --------------------------------

QUERIES = {
    # session, user, role (groups), then the graph's eleven queries (the last: data assets, issue 15)
    "site:map": ("", 14),
    "site:map_tables": ("", 14),
    "site:matrix": ("", 14),
    "site:orphans": ("", 14),
    "site:graph_graphml": ("", 13),
    "site:graph_edges_csv": ("", 13),
    "site:graph_nodes_csv": ("", 13),
}
FOCUS_QUERIES = {
    "site:map": 14,
    "site:map_tables": 14,
}


@pytest.mark.parametrize("scale", [1, 2])
def test_query_counts_do_not_grow_with_the_data(scale, lead_client, django_assert_num_queries, monkeypatch):
    """Also, on the same build at scale two: groups replace the hairball."""
    DemoBuilder(scale=scale).build()
    for name, (query, expected) in QUERIES.items():
        with django_assert_num_queries(expected):
            response = lead_client.get(reverse(name) + query)
        assert response.status_code == 200, name
    project = g.build_graph().of_type("project")[0]
    for name, expected in FOCUS_QUERIES.items():
        with django_assert_num_queries(expected):
            lead_client.get(reverse(name), {"focus": project.key, "depth": 2})
    with django_assert_num_queries(14):
        lead_client.get(reverse("site:map"), {"domain": "mobilite", "types": ["service", "partner"]})
    with django_assert_num_queries(14):  # the search reads the graph already read
        lead_client.get(reverse("site:map"), {"q": "service"})
    if scale == 2:
        _scale_two_is_grouped_on_the_map(lead_client, monkeypatch)


def _scale_two_is_grouped_on_the_map(lead_client, monkeypatch):
    """At scale two, with limits at half the data, groups replace the hairball."""
    monkeypatch.setattr(g, "CLUSTER_LIMITS", {"project": 100, "service": 50, "partner": 80})
    response = lead_client.get(reverse("site:map"))
    drawn = response.context["drawn"]
    assert {n.type for n in drawn.nodes.values() if n.is_cluster} == {"project", "service", "partner"}
    assert len(drawn.nodes) < len(response.context["view"].graph.nodes) / 3


def test_map_edges_escape_their_attributes():
    from smartcity.site.map.layout import PlacedEdge
    from smartcity.site.map.views import edges_html

    hostile = '"><script>alert(1)</script>'
    edge = PlacedEdge(source=hostile, target=hostile, kinds=(hostile,), weight=1, path="M0 0L1 1", width=1.5)
    html = edges_html([edge])
    assert "<script>" not in html and html.count("&lt;script&gt;") == 3
    assert html.startswith('<path d="M0 0L1 1" class="edge k-&quot;&gt;&lt;script&gt;')


CONTROL = "".join(chr(c) for c in range(1, 32) if c not in (9, 10, 13)) + "\x7f"


def test_exports_drop_characters_xml_forbids(map_world, lead_client):
    w = map_world
    type(w["a"]).objects.filter(pk=w["a"].pk).update(name=f"Al{CONTROL}pha", description="x\x0by")
    type(w["s1"]).objects.filter(pk=w["s1"].pk).update(name="Voi\x01rie\x1f")
    type(w["one"]).objects.filter(pk=w["one"].pk).update(name="Bus\x0c à haut niveau")
    root = ET.fromstring(lead_client.get(reverse("site:graph_graphml")).content)  # noqa: S314 - our own output
    labels = [d.text for d in root.iter(f"{GRAPHML}data") if d.get("key") == "n_label"]
    assert "Alpha" in labels and "Voirie" in labels
    for name in ("site:graph_edges_csv", "site:graph_nodes_csv"):
        text = lead_client.get(reverse(name)).content.decode()
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    project_csv = lead_client.get(reverse("programmes:project_export"), {"format": "csv"}).content.decode()
    assert "Bus à haut niveau" in project_csv and not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", project_csv)
    assert lead_client.get(reverse("programmes:project_export"), {"format": "xlsx"}).status_code == 200


def test_many_data_assets_are_grouped_by_holder(map_world, lead_client, monkeypatch):
    """Above their limit, data assets fold into one group per holder; the
    group's drawn label keeps its count whole however short it is cut."""
    from programmes.models import DataAsset
    from smartcity.site.map import layout

    for name in ("Comptages vélo", "Arbres d'alignement"):
        DataAsset.objects.create(name=name, holder="city").used_by.add(map_world["one"])
    monkeypatch.setattr(g, "CLUSTER_LIMITS", {"data": 1})
    response = lead_client.get(reverse("site:map"))
    group = response.context["drawn"].nodes["cluster:data:city"]
    assert group.type == "data" and group.size == 2 and "Comptages vélo" not in svg_of(response)
    assert layout.short_label(group, 9).endswith("… (2)")  # "La vi… (2)": cut, the count kept
    assert layout.truncate("Orvalle 2030 — ville sobre", 15) == "Orvalle 2030…"


def test_tables_link_cells_are_escaped_and_paged(map_world, lead_client, monkeypatch):
    from smartcity.site.map import views as map_views

    type(map_world["a"]).objects.filter(pk=map_world["a"].pk).update(name="<b>Alpha</b>")
    monkeypatch.setattr(map_views, "TABLE_PAGE_SIZE", 1)
    response = lead_client.get(reverse("site:map_tables"), {"table": "project"})
    html = response.content.decode()
    assert "&lt;b&gt;Alpha&lt;/b&gt;" in html and "<b>Alpha" not in html
    assert response.context["page"].paginator.num_pages == 2 and len(response.context["rows"]) == 1


def test_map_views_pause_the_garbage_collector_and_restore_it():
    import gc

    from smartcity.site.map.views import gc_paused

    seen = []

    @gc_paused
    def view(fail=False):
        seen.append(gc.isenabled())
        if fail:
            raise ValueError
        return "ok"

    assert gc.isenabled() and view() == "ok" and seen == [False] and gc.isenabled()
    with pytest.raises(ValueError):
        view(fail=True)
    assert gc.isenabled()  # restored after an error too
    gc.disable()
    try:
        view()
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()
