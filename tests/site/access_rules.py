from tests.access import READ, Rule

# The link map: read-only, everybody signed in.
RULES = {
    "site:map": READ,
    "site:map_tables": READ,
    "site:matrix": READ,
    "site:orphans": READ,
    "site:graph_graphml": READ,
    "site:graph_edges_csv": READ,
    "site:graph_nodes_csv": READ,
    "home": READ,
    "site:engagement": READ,
    "site:engagement_heat_map": READ,
    "site:service_sheet": Rule(kwargs=lambda w: {"pk": w["service"].pk}),
}
