"""The link map's graph, clusters, matrices, orphans, bridges and layout."""

import math

import pytest

from smartcity.site.map import graph as g
from smartcity.site.map import layout
from tests.site import map_world as world
from tests.site.map_world import key

pytestmark = pytest.mark.django_db
map_world = world.map_world  # the fixture


def edges(graph):
    return {(e.source, e.target, e.kind) for e in graph.edges}


def test_graph_holds_active_projects_and_their_links(map_world):
    w = map_world
    graph = g.build_graph()
    projects = {n.key for n in graph.of_type("project")}
    assert projects == {key(w["one"]), key(w["two"])}
    one = key(w["one"])
    assert {
        (one, key(w["p1"]), "programme"),
        (one, key(w["s1"]), "lead"),
        (one, key(w["s2"]), "contributes"),
        (one, key(w["mob"]), "domain"),
        (one, key(w["ene"]), "domain"),
        (one, key(w["a"]), "partner"),
        (one, key(w["official"]), "sponsor"),
        (key(w["official"]), key(w["mob"]), "delegation"),
        (key(w["s1"]), key(w["direction"]), "direction"),
    } <= edges(graph)
    node = graph.nodes[one]
    assert node.url == w["one"].get_absolute_url()
    assert node.sector == key(w["mob"])  # the first domain linked
    assert graph.nodes[key(w["a"])].url == w["a"].get_absolute_url()
    assert graph.nodes[key(w["official"])].url == w["official"].get_absolute_url()
    assert graph.nodes[key(w["mob"])].url == w["mob"].get_absolute_url()
    assert graph.nodes[key(w["p1"])].url == w["p1"].get_absolute_url()
    assert graph.nodes[key(w["s1"])].url == w["s1"].get_absolute_url()


def test_closed_projects_on_request_archived_never(map_world):
    w = map_world
    graph = g.build_graph(include_closed=True)
    projects = {n.key for n in graph.of_type("project")}
    assert projects == {key(w["one"]), key(w["two"]), key(w["closed"])}
    assert graph.nodes[key(w["closed"])].active is False
    assert (key(w["closed"]), key(w["s4"]), "contributes") in edges(graph)


def test_build_graph_costs_the_same_queries_whatever_the_data(map_world, django_assert_num_queries):
    with django_assert_num_queries(11):  # the last: data assets (issue 15)
        g.build_graph()


def test_orphans(map_world):
    w = map_world
    graph = g.build_graph()
    found = g.orphans(graph)
    # The direction is busy through its services; Éclairage only worked on a closed project.
    assert {n.key for n in found["services"]} == {key(w["s3"]), key(w["s4"])}
    assert {n.key for n in found["partners"]} == {key(w["b"]), key(w["c"])}
    assert [n.key for n in found["single_service_projects"]] == [key(w["two"])]
    assert found["single_service_leads"][key(w["two"])].key == key(w["s2"])
    # Orphans stay orphans when closed projects are drawn too.
    assert graph.nodes[key(w["s4"])].orphan
    assert g.build_graph(include_closed=True).nodes[key(w["s4"])].orphan


def test_bridges_rank_by_domains_connected(map_world):
    w = map_world
    graph = g.build_graph()
    partners = g.bridges(graph, "partner")
    assert [b.node.key for b in partners] == [key(w["a"])]
    assert {d.key for d in partners[0].domains} == {key(w["mob"]), key(w["ene"]), key(w["cul"])}
    assert partners[0].projects == 2
    services = g.bridges(graph, "service")
    assert [(b.node.key, len(b.domains)) for b in services] == [(key(w["s2"]), 3), (key(w["s1"]), 2)]


def test_matrices_count_shared_active_projects(map_world):
    w = map_world
    graph = g.build_graph()
    m = g.matrix(graph, "service", "partner")
    assert m.cells[(key(w["s2"]), key(w["a"]))] == 2
    assert m.cells[(key(w["s1"]), key(w["a"]))] == 1
    assert [r.key for r in m.rows] == [key(w["s2"]), key(w["s1"])]  # busiest first
    m = g.matrix(graph, "service", "domain")
    assert m.cells[(key(w["s2"]), key(w["cul"]))] == 1
    assert (key(w["s1"]), key(w["cul"])) not in m.cells
    assert [c.key for c in m.columns] == [key(w["mob"]), key(w["ene"]), key(w["cul"])]  # the domains' order
    top = g.matrix(graph, "service", "partner", limit=1)
    assert len(top.rows) == 1 and top.total_rows == 2


def test_focus_depth_one_and_two(map_world):
    w = map_world
    graph = g.build_graph()
    one = key(w["one"])
    near, distances = g.focus_graph(graph, one, 1)
    assert set(near.nodes) == {
        one,
        key(w["p1"]),
        key(w["s1"]),
        key(w["s2"]),
        key(w["mob"]),
        key(w["ene"]),
        key(w["a"]),
        key(w["official"]),
    }
    assert distances[one] == 0 and distances[key(w["a"])] == 1
    far, distances = g.focus_graph(graph, one, 2)
    assert key(w["two"]) in far.nodes and distances[key(w["two"])] == 2
    assert key(w["direction"]) in far.nodes
    assert key(w["cul"]) not in far.nodes  # three links away
    assert all(e.source in far.nodes and e.target in far.nodes for e in far.edges)


def test_filter_by_domain_keeps_its_projects_and_what_they_touch(map_world):
    w = map_world
    graph = g.filter_graph(g.build_graph(), domain=key(w["cul"]))
    assert {n.key for n in graph.of_type("project")} == {key(w["two"])}
    assert {key(w["s2"]), key(w["a"]), key(w["p2"]), key(w["cul"])} <= set(graph.nodes)
    assert key(w["s1"]) not in graph.nodes


def test_filter_by_programme(map_world):
    w = map_world
    graph = g.filter_graph(g.build_graph(), programme=key(w["p1"]))
    assert {n.key for n in graph.of_type("project")} == {key(w["one"])}


def test_hiding_projects_links_what_they_joined(map_world):
    w = map_world
    graph = g.filter_graph(g.build_graph(), types=["service", "partner"])
    assert {n.type for n in graph.nodes.values()} == {"service", "partner"}
    shared = {(e.source, e.target): e.weight for e in graph.edges if e.kind == "shared_projects"}
    pair = tuple(sorted((key(w["s2"]), key(w["a"]))))
    assert shared[pair] == 2


def test_clusters_fold_big_types_and_weigh_edges(map_world):
    w = map_world
    graph = g.build_graph()
    folded = g.cluster_graph(graph, limits={"partner": 1})
    group = "cluster:partner:company"
    assert folded.nodes[group].members == (key(w["a"]), key(w["b"]))
    assert key(w["c"]) in folded.nodes  # alone in its category: not folded
    weights = {(e.source, e.target): e.weight for e in folded.edges}
    assert weights[(key(w["one"]), group)] == 1 and weights[(key(w["two"]), group)] == 1
    # Expanding the group, or keeping a member, unfolds it.
    assert group not in g.cluster_graph(graph, limits={"partner": 1}, expand=[group]).nodes
    kept = g.cluster_graph(graph, limits={"partner": 1}, keep=[key(w["a"])])
    assert key(w["a"]) in kept.nodes and group not in kept.nodes  # Bêta is alone now


def test_prune_keeps_structure_and_strongest_links(map_world):
    graph = g.build_graph()
    folded = g.cluster_graph(graph, limits={"partner": 1, "project": 1})
    pruned, hidden = g.prune_edges(folded, per_node=1)
    assert hidden == len(folded.edges) - len(pruned.edges)
    assert {e for e in folded.edges if e.kind in g.STRUCTURAL_KINDS} <= set(pruned.edges)


def test_spread_keeps_neighbours_apart_and_close_to_their_place():
    desired = [(0.0, (i,), f"n{i}") for i in range(5)] + [(math.pi, (9,), "alone")]
    angles = layout.spread(desired, 0.1)
    ordered = sorted(angles.values())
    gaps = [(b - a) % (2 * math.pi) for a, b in zip(ordered, ordered[1:] + ordered[:1], strict=True)]
    assert min(gaps) >= 0.1 - 1e-9
    assert abs(angles["alone"] - math.pi) < 1e-9  # nothing pushes it
    crowd = [angles[f"n{i}"] for i in range(5)]
    centre = math.atan2(sum(map(math.sin, crowd)), sum(map(math.cos, crowd)))
    assert abs(centre) < 1e-9  # the crowd stays centred where it wanted to be


def test_spread_fills_the_circle_when_crowded():
    desired = [(0.0, (i,), f"n{i}") for i in range(40)]
    angles = sorted(layout.spread(desired, 1.0).values())
    assert angles[-1] - angles[0] < 2 * math.pi


def test_layouts_are_deterministic(map_world):
    w = map_world
    first = layout.overview_layout(g.build_graph())
    second = layout.overview_layout(g.build_graph())
    assert first == second
    graph, distances = g.focus_graph(g.build_graph(), key(w["one"]), 2)
    assert layout.focus_layout(graph, key(w["one"]), distances) == layout.focus_layout(graph, key(w["one"]), distances)
    placed = {p.node.key: p for p in layout.focus_layout(graph, key(w["one"]), distances).nodes}
    assert (placed[key(w["one"])].x, placed[key(w["one"])].y) == (0.0, 0.0)
    assert math.hypot(placed[key(w["two"])].x, placed[key(w["two"])].y) > math.hypot(
        placed[key(w["a"])].x, placed[key(w["a"])].y
    )


def test_overview_puts_projects_in_the_sector_of_their_domain(map_world):
    w = map_world
    pic = layout.overview_layout(g.build_graph())
    placed = {p.node.key: p for p in pic.nodes}
    assert placed[key(w["one"])].ring == 2 and placed[key(w["a"])].ring == 3 and placed[key(w["mob"])].ring == 1

    def angle(k):
        return math.atan2(placed[k].y, placed[k].x)

    def apart(a, b):
        return abs((a - b + math.pi) % (2 * math.pi) - math.pi)

    assert apart(angle(key(w["one"])), angle(key(w["mob"]))) < apart(angle(key(w["one"])), angle(key(w["cul"])))
