"""The link map's graph: programmes, projects, services, partners, domains
and elected officials, and how they are linked.

``build_graph`` reads the whole portfolio in a fixed number of queries (one
per table or link table, ``values_list`` only), whatever the data size; every
later step (filters, focus, clustering, matrices, orphans) is plain Python on
that graph, so no page of the map costs more queries with more data.

Node keys are ``"<type>:<pk>"`` (``"project:12"``); cluster keys start with
``"cluster:"``. Edges go from the project to the thing it touches, except
``delegation`` (official → domain) and ``direction`` (service → its parent
direction).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.models import Domain, ElectedOfficial, Partner, Service
from programmes import taxonomy
from programmes.models import Programme, Project, ProjectPartner, RelationshipKind
from programmes.rules import active_q

from .data_assets import add_data_assets
from .structure import Edge, Graph, Node, url_maker

NODE_TYPES = ("programme", "domain", "project", "service", "partner", "official", "data")
TYPE_LABELS = {
    "programme": _("Programmes"),
    "domain": _("Domains"),
    "project": _("Projects"),
    "service": _("Services"),
    "partner": _("Partners"),
    "official": _("Elected officials"),
    "data": _("Data assets"),
}
TYPE_LABEL = {
    "programme": _("Programme"),
    "domain": _("Domain"),
    "project": _("Project"),
    "service": _("Service"),
    "partner": _("Partner"),
    "official": _("Elected official"),
    "data": _("Data asset"),
}
# How a link reads next to the linked name, from either end ("Voirie (lead)").
EDGE_KINDS = {
    "programme": "",
    "domain": "",
    "lead": _("lead"),
    "contributes": _("contributor"),
    "partner": _("partner"),
    "sponsor": _("sponsor"),
    "delegation": _("delegation"),
    "direction": _("direction"),
    "shared_projects": _("shared projects"),
    "produces": _("produces"),
    "uses": _("uses"),
    "holder": _("holder"),
}

# Above these counts a type is drawn as clusters (projects by programme ×
# domain, services by direction, partners by category, data assets by
# holder) unless expanded.
CLUSTER_LIMITS = {"project": 150, "service": 110, "partner": 110, "data": 60}


def build_graph(*, include_closed: bool = False) -> Graph:
    """Every non-archived programme, domain, service, partner and official in
    office, and the projects (active ones, or all non-archived ones with
    ``include_closed``), with all their links, and the data assets of those projects. Eleven
    queries."""
    graph = Graph()
    projects = Project.objects.open() if include_closed else Project.objects.active()

    programme_url = url_maker(Programme)
    for pk, name in Programme.objects.filter(is_archived=False).values_list("pk", "name"):
        graph.add(Node(f"programme:{pk}", "programme", pk, name, name, programme_url(pk)))

    domain_colors = {}
    for pk, slug, name, color in Domain.objects.filter(is_archived=False).values_list("pk", "slug", "name", "color"):
        url = Domain(slug=slug).get_absolute_url()
        graph.add(Node(f"domain:{pk}", "domain", pk, name, name, url, color=color, detail=slug))
        domain_colors[f"domain:{pk}"] = color

    service_url = url_maker(Service)
    services = Service.objects.filter(is_archived=False).values_list("pk", "name", "acronym", "parent_id")
    parents = {}
    for pk, name, acronym, parent_id in services:
        key = f"service:{pk}"
        group = f"cluster:service:{parent_id or pk}"
        graph.add(Node(key, "service", pk, name, name, service_url(pk), group=group, detail=acronym))
        if parent_id:
            parents[key] = f"service:{parent_id}"

    partner_url = url_maker(Partner)
    # Translated once, not once per row.
    categories = {value: str(label) for value, label in Partner.Category.choices}
    for pk, name, category in Partner.objects.filter(is_archived=False).values_list("pk", "name", "category"):
        graph.add(
            Node(
                f"partner:{pk}",
                "partner",
                pk,
                name,
                name,
                partner_url(pk),
                group=f"cluster:partner:{category}",
                detail=categories.get(category, category),
            )
        )

    official_url = url_maker(ElectedOfficial)
    officials = ElectedOfficial.objects.filter(is_active=True).values_list(
        "pk", "first_name", "last_name", "delegation"
    )
    for pk, first, last, delegation in officials:
        name = f"{first} {last}"
        graph.add(Node(f"official:{pk}", "official", pk, name, name, official_url(pk), detail=delegation))

    project_url = url_maker(Project)
    phases = {value: str(label) for value, label in taxonomy.phase_choices()}
    rows = projects.order_by("code").values_list(
        "pk",
        "code",
        "name",
        "programme_id",
        "lead_service_id",
        "sponsor_id",
        "phase",
        ExpressionWrapper(active_q(), output_field=BooleanField()),
    )
    nodes = graph.nodes
    for pk, code, name, programme_id, lead_id, sponsor_id, phase, active in rows:
        key = f"project:{pk}"
        graph.add(
            Node(
                key,
                "project",
                pk,
                f"{code} — {name}",
                name,
                project_url(pk),
                detail=phases.get(phase, phase),
                active=active,
            )
        )
        nodes[key].group = f"programme:{programme_id}"  # completed below
        graph.link(key, f"programme:{programme_id}", "programme")
        graph.link(key, f"service:{lead_id}", "lead")
        if sponsor_id:
            graph.link(key, f"official:{sponsor_id}", "sponsor")

    domain_links = (
        Project.domains.through.objects.filter(project__in=projects)
        .order_by("pk")
        .values_list("project_id", "domain_id")
    )
    for project_id, domain_id in domain_links:
        key, domain = f"project:{project_id}", f"domain:{domain_id}"
        node = graph.nodes.get(key)
        if node is not None and domain in graph.nodes and not node.sector:
            node.sector = domain
            node.color = domain_colors[domain]
        graph.link(key, domain, "domain")
    for node in graph.of_type("project"):
        programme_pk = node.group.partition(":")[2]
        node.group = f"cluster:project:{programme_pk}:{node.sector.partition(':')[2] or 0}"

    contributions = Project.contributing_services.through.objects.filter(project__in=projects).values_list(
        "project_id", "service_id"
    )
    for project_id, service_id in contributions.order_by("pk"):
        graph.link(f"project:{project_id}", f"service:{service_id}", "contributes")

    kinds = {value: str(label) for value, label in RelationshipKind.choices}
    partner_kinds: dict[tuple[str, str], list[str]] = defaultdict(list)
    links = ProjectPartner.objects.filter(project__in=projects).order_by("project_id", "partner_id", "start_date", "pk")
    for project_id, partner_id, relationship in links.values_list("project_id", "partner_id", "relationship"):
        partner_kinds[(f"project:{project_id}", f"partner:{partner_id}")].append(kinds.get(relationship, relationship))
    for (project, partner), names in partner_kinds.items():
        graph.link(project, partner, "partner", " → ".join(names))

    delegations = ElectedOfficial.domains.through.objects.filter(electedofficial__is_active=True).order_by("pk")
    for official_id, domain_id in delegations.values_list("electedofficial_id", "domain_id"):
        graph.link(f"official:{official_id}", f"domain:{domain_id}", "delegation")

    for child, parent in parents.items():
        graph.link(child, parent, "direction")

    add_data_assets(graph, projects)  # issue 15
    _flag_orphans(graph, parents)
    return graph


def _flag_orphans(graph: Graph, parents: dict[str, str]) -> None:
    """A service or partner with no active project is an orphan; a direction
    counts the projects of its services."""
    inactive = {n.key for n in graph.nodes.values() if not n.active}
    involved = ("lead", "contributes", "partner")
    busy = {e.target for e in graph.edges if e.kind in involved and e.source not in inactive}
    busy |= {parents[key] for key in busy if key in parents}
    for node in graph.nodes.values():
        if node.type in ("service", "partner"):
            node.orphan = node.key not in busy


# Filters and focus ---------------------------------------------------------


def filter_graph(
    graph: Graph,
    *,
    programme: str = "",
    domain: str = "",
    types: Iterable[str] = NODE_TYPES,
) -> Graph:
    """Keep the projects of a programme and/or a domain (given as node keys)
    and what they touch, then keep only the requested types. Hiding projects
    links what they joined directly ("shared projects", weighted)."""
    if programme or domain:
        adj = graph.adjacency()
        projects = [
            n.key
            for n in graph.of_type("project")
            if (not programme or programme in adj[n.key]) and (not domain or domain in adj[n.key])
        ]
        keep = {programme, domain} - {""}
        for key in projects:
            keep.add(key)
            keep |= adj[key]
        kept = set(projects)
        graph = Graph(
            nodes={k: n for k, n in graph.nodes.items() if k in keep},
            edges=[
                e
                for e in graph.edges
                if e.source in keep and e.target in keep and (e.source in kept or e.kind in ("delegation", "direction"))
            ],
        )
    types = set(types)
    if types >= set(NODE_TYPES):
        return graph
    edges = [e for e in graph.edges if graph.nodes[e.source].type in types and graph.nodes[e.target].type in types]
    if "project" not in types:
        edges += _contract_projects(graph, types)
    return Graph(nodes={k: n for k, n in graph.nodes.items() if n.type in types}, edges=edges)


def _contract_projects(graph: Graph, types: set[str]) -> list[Edge]:
    around: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        if graph.nodes[edge.source].type == "project" and graph.nodes[edge.target].type in types:
            around[edge.source].append(edge.target)
    shared: Counter[tuple[str, str]] = Counter()
    for keys in around.values():
        keys = sorted(set(keys))
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if graph.nodes[a].type != graph.nodes[b].type:
                    shared[(a, b)] += 1
    return [Edge(a, b, "shared_projects", n) for (a, b), n in sorted(shared.items())]


def focus_graph(graph: Graph, key: str, depth: int) -> tuple[Graph, dict[str, int]]:
    """The focused node and its neighbours up to ``depth`` links away."""
    distances = graph.neighbourhood(key, depth)
    return graph.subgraph(distances), distances


# Clusters ------------------------------------------------------------------


def cluster_graph(
    graph: Graph,
    *,
    limits: dict[str, int] | None = None,
    expand: Iterable[str] = (),
    keep: Iterable[str] = (),
    names: Graph | None = None,
) -> Graph:
    """Fold the types that have more nodes than their limit into clusters
    (projects by programme × primary domain, services by direction, partners
    by category, data assets by holder). Clusters in ``expand`` and nodes in ``keep`` stay unfolded.
    Parallel edges are merged and weighted. ``names`` (the unfiltered graph)
    names the clusters when their programme, domain or direction is not in
    ``graph``."""
    limits = CLUSTER_LIMITS if limits is None else limits
    expand, keep = set(expand), set(keep)
    counts = Counter(n.type for n in graph.nodes.values())
    folded = {t for t, limit in limits.items() if counts[t] > limit}
    if not folded:
        return graph
    groups: dict[str, list[str]] = defaultdict(list)
    for node in graph.nodes.values():
        if node.type in folded and node.key not in keep and node.group not in expand:
            groups[node.group].append(node.key)
    mapping = {key: key for key in graph.nodes}
    nodes: dict[str, Node] = {}
    for group, members in groups.items():
        if len(members) < 2:
            continue
        for key in members:
            mapping[key] = group
        nodes[group] = _cluster_node(graph, names or graph, group, members)
    for key, node in graph.nodes.items():
        if mapping[key] == key:
            nodes[key] = node
    weights: Counter[tuple[str, str, str]] = Counter()
    for edge in graph.edges:
        source, target = mapping[edge.source], mapping[edge.target]
        if source != target:
            weights[(source, target, edge.kind)] += edge.weight
    edges = [Edge(s, t, k, w) for (s, t, k), w in weights.items()]
    return Graph(nodes=dict(sorted(nodes.items())), edges=edges)


def _cluster_node(graph: Graph, names: Graph, group: str, members: list[str]) -> Node:
    first = graph.nodes[members[0]]
    n = len(members)
    if first.type == "project":
        programme_pk, _sep, domain_pk = group.removeprefix("cluster:project:").partition(":")
        programme = names.nodes.get(f"programme:{programme_pk}")
        domain = names.nodes.get(f"domain:{domain_pk}")
        programme_name = programme.label if programme else "?"
        domain_name = domain.label if domain else str(_("No domain"))
        label = ngettext("%(n)s project: %(domain)s, %(programme)s", "%(n)s projects: %(domain)s, %(programme)s", n) % {
            "n": n,
            "domain": domain_name,
            "programme": programme_name,
        }
        short = f"{domain_name} · {programme_name}"
        return Node(
            group, "project", group, label, short, sector=first.sector, color=first.color, members=tuple(members)
        )
    if first.type == "service":
        direction = names.nodes.get("service:" + group.removeprefix("cluster:service:"))
        name = direction.label if direction else str(_("Other services"))
        label = ngettext("%(n)s service: %(name)s", "%(n)s services: %(name)s", n) % {"n": n, "name": name}
        orphan = all(graph.nodes[m].orphan for m in members)
        short = f"{direction.detail} · {name}" if direction else name
        return Node(group, "service", group, label, short, members=tuple(members), orphan=orphan)
    if first.type == "data":
        label = ngettext("%(n)s data asset: %(name)s", "%(n)s data assets: %(name)s", n) % {
            "n": n,
            "name": first.detail,
        }
        return Node(group, "data", group, label, first.detail, members=tuple(members))
    label = ngettext("%(n)s partner: %(name)s", "%(n)s partners: %(name)s", n) % {"n": n, "name": first.detail}
    orphan = all(graph.nodes[m].orphan for m in members)
    return Node(group, "partner", group, label, first.detail, members=tuple(members), orphan=orphan)


STRUCTURAL_KINDS = ("programme", "domain", "delegation", "direction")


def prune_edges(graph: Graph, *, per_node: int = 3) -> tuple[Graph, int]:
    """Against the hairball once things are grouped: an edge touching a
    cluster is kept only if it is among the ``per_node`` heaviest of one of
    its ends. Programme, domain, delegation and direction edges always stay.
    Returns the pruned graph and the number of edges left out."""
    ranked: dict[str, list[Edge]] = defaultdict(list)
    for edge in graph.edges:
        if edge.kind not in STRUCTURAL_KINDS:
            ranked[edge.source].append(edge)
            ranked[edge.target].append(edge)
    strongest = set()
    for edges in ranked.values():
        edges.sort(key=lambda e: (-e.weight, e.source, e.target, e.kind))
        strongest.update(id(e) for e in edges[:per_node])
    kept = [
        e
        for e in graph.edges
        if e.kind in STRUCTURAL_KINDS
        or id(e) in strongest
        or not (graph.nodes[e.source].is_cluster or graph.nodes[e.target].is_cluster)
    ]
    return Graph(nodes=graph.nodes, edges=kept), len(graph.edges) - len(kept)


# Matrices, orphans, bridges -------------------------------------------------


@dataclass
class Matrix:
    rows: list[Node]
    columns: list[Node]
    cells: dict[tuple[str, str], int]
    row_totals: dict[str, int]
    column_totals: dict[str, int]
    total_rows: int
    total_columns: int

    def table(self) -> list[tuple[Node, int, list[tuple[Node, int]]]]:
        return [
            (row, self.row_totals[row.key], [(col, self.cells.get((row.key, col.key), 0)) for col in self.columns])
            for row in self.rows
        ]


def _project_sets(graph: Graph) -> dict[str, dict[str, set[str]]]:
    """For each active project: the services involved, partners and domains."""
    sets: dict[str, dict[str, set[str]]] = {
        n.key: {"service": set(), "partner": set(), "domain": set()} for n in graph.of_type("project") if n.active
    }
    for edge in graph.edges:
        if edge.source in sets:
            target_type = graph.nodes[edge.target].type
            if target_type in ("service", "partner", "domain"):
                sets[edge.source][target_type].add(edge.target)
    return sets


def matrix(graph: Graph, rows: str, columns: str, *, limit: int | None = None) -> Matrix:
    """Number of active projects involving each row entity and column entity
    (services × domains, partners × domains, services × partners). Rows and
    columns that are all zero are left out; with ``limit``, only the largest
    rows and columns (by total) are kept."""
    cells: Counter[tuple[str, str]] = Counter()
    for sets in _project_sets(graph).values():
        for r in sets[rows]:
            for c in sets[columns]:
                cells[(r, c)] += 1
    row_totals: Counter[str] = Counter()
    column_totals: Counter[str] = Counter()
    for (r, c), n in cells.items():
        row_totals[r] += n
        column_totals[c] += n

    def ranked(totals: Counter[str], keep_order: bool) -> list[str]:
        keys = list(totals)
        if keep_order:  # domains: in their own order
            return [n.key for n in graph.of_type(columns if columns == "domain" else rows) if n.key in totals]
        return sorted(keys, key=lambda k: (-totals[k], graph.nodes[k].label.lower(), k))

    row_keys = ranked(row_totals, rows == "domain")
    column_keys = ranked(column_totals, columns == "domain")
    total_rows, total_columns = len(row_keys), len(column_keys)
    if limit:
        row_keys, column_keys = row_keys[:limit], column_keys[:limit]
    return Matrix(
        rows=[graph.nodes[k] for k in row_keys],
        columns=[graph.nodes[k] for k in column_keys],
        cells=dict(cells),
        row_totals=dict(row_totals),
        column_totals=dict(column_totals),
        total_rows=total_rows,
        total_columns=total_columns,
    )


@dataclass
class Bridge:
    node: Node
    domains: list[Node]
    projects: int


def orphans(graph: Graph) -> dict[str, list]:
    """Services and partners with no active project, active projects with a
    single service (their lead) involved."""
    sets = _project_sets(graph)
    single = [graph.nodes[key] for key, s in sets.items() if len(s["service"]) <= 1]
    return {
        "services": [n for n in graph.of_type("service") if n.orphan],
        "partners": [n for n in graph.of_type("partner") if n.orphan],
        "single_service_projects": sorted(single, key=lambda n: n.label),
        "single_service_leads": {
            key: next((graph.nodes[s] for s in sorted(sets[key]["service"])), None) for key in (n.key for n in single)
        },
    }


def bridges(graph: Graph, node_type: str, *, limit: int = 20) -> list[Bridge]:
    """The services or partners whose active projects span the most domains."""
    domains: dict[str, set[str]] = defaultdict(set)
    projects: Counter[str] = Counter()
    for sets in _project_sets(graph).values():
        for key in sets[node_type]:
            domains[key] |= sets["domain"]
            projects[key] += 1
    ranked = sorted(domains, key=lambda k: (-len(domains[k]), -projects[k], graph.nodes[k].label.lower(), k))
    order = {n.key: i for i, n in enumerate(graph.of_type("domain"))}
    return [
        Bridge(graph.nodes[k], [graph.nodes[d] for d in sorted(domains[k], key=order.get)], projects[k])
        for k in ranked[:limit]
        if len(domains[k]) > 1
    ]
