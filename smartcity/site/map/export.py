"""The link map's graph as files for Gephi and friends: GraphML and CSV.

``smartcity.base.exports.neutralise`` neutralises spreadsheet formulas: a text cell starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe,
so a spreadsheet shows it as text instead of running it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

from smartcity.base.exports import neutralise, xml_safe

from .structure import Graph


def escape(text: str) -> str:
    """XML text, without the characters XML 1.0 forbids."""
    return _escape(xml_safe(str(text)))


def quoteattr(text: str) -> str:
    return _quoteattr(xml_safe(str(text)))


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


GRAPHML_KEYS = [
    ("type", "node", "string"),
    ("label", "node", "string"),
    ("url", "node", "string"),
    ("detail", "node", "string"),
    ("orphan", "node", "boolean"),
    ("kind", "edge", "string"),
    ("weight", "edge", "int"),
    ("detail", "edge", "string"),
]


def graphml(graph: Graph, *, absolute: Callable[[str], str] = str) -> bytes:
    """The graph in GraphML, with the type, label and page URL of each node
    and the kind and weight of each edge. Written as text with escaped
    values: ten thousand elements through ElementTree take a second."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<graphml xmlns="{GRAPHML_NS}">\n']
    for name, domain, kind in GRAPHML_KEYS:
        out.append(f'  <key id="{domain[0]}_{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n')
    out.append('  <graph id="orchestre" edgedefault="undirected">\n')
    for node in graph.nodes.values():
        url = absolute(node.url) if node.url else ""
        out.append(
            f"    <node id={quoteattr(node.key)}>"
            f'<data key="n_type">{node.type}</data>'
            f'<data key="n_label">{escape(node.label)}</data>'
            f'<data key="n_url">{escape(url)}</data>'
            f'<data key="n_detail">{escape(node.detail)}</data>'
            f'<data key="n_orphan">{"true" if node.orphan else "false"}</data>'
            "</node>\n"
        )
    for i, edge in enumerate(graph.edges):
        out.append(
            f'    <edge id="e{i}" source={quoteattr(edge.source)} target={quoteattr(edge.target)}>'
            f'<data key="e_kind">{edge.kind}</data>'
            f'<data key="e_weight">{edge.weight}</data>'
            f'<data key="e_detail">{escape(edge.detail)}</data>'
            "</edge>\n"
        )
    out.append("  </graph>\n</graphml>\n")
    return "".join(out).encode()


def _csv(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def edges_csv(graph: Graph) -> str:
    """One line per edge; Gephi reads the Source, Target, Weight columns."""
    rows: list[list[object]] = [
        ["Source", "Target", "Kind", "Weight", "Detail", "Source label", "Source type", "Target label", "Target type"]
    ]
    for edge in graph.edges:
        source, target = graph.nodes[edge.source], graph.nodes[edge.target]
        rows.append(
            [
                edge.source,
                edge.target,
                edge.kind,
                edge.weight,
                edge.detail,
                source.label,
                source.type,
                target.label,
                target.type,
            ]
        )
    return _csv(rows)


def nodes_csv(graph: Graph, *, absolute: Callable[[str], str] = str) -> str:
    """One line per node; Gephi reads the Id and Label columns."""
    rows: list[list[object]] = [["Id", "Label", "Type", "Detail", "Orphan", "URL"]]
    for node in graph.nodes.values():
        rows.append([node.key, node.label, node.type, node.detail, node.orphan, absolute(node.url) if node.url else ""])
    return _csv(rows)
