"""The link map's data structure: nodes, edges and the graph that holds
them, with the walks every view needs (neighbours, subgraphs). What goes in
it is ``graph.py``'s business (``build_graph``) and ``data_assets.py``'s;
both build on this module, which imports neither."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(slots=True)
class Node:
    key: str
    type: str
    pk: int | str
    label: str  # full label, for tables, titles and exports
    short: str = ""  # the label drawn on the map
    url: str = ""
    group: str = ""  # the cluster this node falls into when its type is clustered
    sector: str = ""  # projects: key of the primary domain (first linked)
    color: str = ""
    detail: str = ""  # phase, category, acronym, delegation…
    active: bool = True  # projects: not archived and not closed/abandoned
    orphan: bool = False  # services/partners: no active project
    members: tuple[str, ...] = ()  # clusters: keys of the nodes inside

    @property
    def is_cluster(self) -> bool:
        return bool(self.members)

    @property
    def size(self) -> int:
        return len(self.members) or 1


class Edge(NamedTuple):
    # A named tuple rather than a frozen dataclass: thousands are built per page.
    source: str
    target: str
    kind: str
    weight: int = 1
    detail: str = ""


_new_tuple = tuple.__new__


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def add(self, node: Node) -> None:
        self.nodes[node.key] = node

    def link(self, source: str, target: str, kind: str, detail: str = "") -> None:
        nodes = self.nodes
        if source in nodes and target in nodes:
            # tuple.__new__ skips the named tuple's Python-level constructor:
            # the same Edge, built a third faster (thousands per page).
            self.edges.append(_new_tuple(Edge, (source, target, kind, 1, detail)))

    def adjacency(self) -> dict[str, set[str]]:
        adj: dict[str, set[str]] = {key: set() for key in self.nodes}
        for edge in self.edges:
            adj[edge.source].add(edge.target)
            adj[edge.target].add(edge.source)
        return adj

    def of_type(self, node_type: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.type == node_type]

    def subgraph(self, keys: Iterable[str]) -> Graph:
        keep = set(keys)
        return Graph(
            nodes={k: n for k, n in self.nodes.items() if k in keep},
            edges=[e for e in self.edges if e.source in keep and e.target in keep],
        )

    def neighbourhood(self, key: str, depth: int) -> dict[str, int]:
        """The nodes within ``depth`` links of ``key``, with their distance."""
        adj = self.adjacency()
        seen = {key: 0}
        queue = deque([key])
        while queue:
            current = queue.popleft()
            if seen[current] >= depth:
                continue
            for other in sorted(adj[current]):
                if other not in seen:
                    seen[other] = seen[current] + 1
                    queue.append(other)
        return seen


def url_maker(model) -> callable:
    """Build detail URLs with the model's own ``get_absolute_url`` once, then
    by substitution: reversing thousands of URLs one by one is the slowest
    part of the map otherwise."""
    sentinel = 987654321
    template = model(pk=sentinel).get_absolute_url()
    head, _sep, tail = template.partition(str(sentinel))
    return lambda pk: f"{head}{pk}{tail}"
