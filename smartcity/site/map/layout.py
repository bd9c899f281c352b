"""Deterministic layouts for the link map, in plain Python.

No randomness and no iteration to convergence: the same graph always gives
the same coordinates, so the same data always gives the same picture.

*Overview* (concentric rings by type): programmes in the centre; domains on
an inner ring, each owning an angular sector sized by its projects; projects
on the middle ring inside the sector of their primary domain, ordered by
programme; services, partners and officials on the outer ring, each at the
circular mean of the angles of the projects and domains it touches, spread
apart by an isotonic (pool-adjacent-violators) pass so that labels never
overlap while staying as close as possible to where they belong.

*Focus*: the focused node in the centre, its neighbours on a first ring
(ordered by type and name), neighbours of neighbours on a second ring, each
at the mean angle of its first-ring neighbours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .structure import Edge, Graph, Node

TAU = 2 * math.pi
TOP = -math.pi / 2
TYPE_ORDER = {"programme": 0, "domain": 1, "official": 2, "service": 3, "partner": 4, "project": 5, "data": 6}
BASE_RADIUS = {
    "programme": 9.0,
    "domain": 11.0,
    "project": 5.5,
    "service": 6.5,
    "partner": 6.5,
    "official": 7.5,
    "data": 6.0,
}
CHAR_WIDTH = 6.3  # average width of a 12px sans-serif character, in SVG units
OUTER_LABEL = 190.0  # room left outside the outer ring for its labels
CLUSTER_FONT = 13 / 11  # a group of projects' label type size, to a project's (map.css)


@dataclass(frozen=True)
class PlacedNode:
    node: Node
    x: float
    y: float
    r: float
    label: str
    lx: float
    ly: float
    rotate: float
    anchor: str
    ring: int


@dataclass(frozen=True)
class PlacedEdge:
    source: str
    target: str
    kinds: tuple[str, ...]
    weight: int
    path: str
    width: float


@dataclass(frozen=True)
class Layout:
    half: float  # the picture spans [-half, half] on both axes
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]

    @property
    def view_box(self) -> str:
        return f"{_f(-self.half)} {_f(-self.half)} {_f(2 * self.half)} {_f(2 * self.half)}"


def _f(value: float) -> str:
    """Coordinates with one decimal: stable text, small files."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def node_radius(node: Node) -> float:
    base = BASE_RADIUS[node.type]
    if node.is_cluster:
        return min(28.0, base + 2.4 * math.sqrt(node.size))
    return base


def truncate(text: str, chars: int) -> str:
    chars = max(6, chars)
    # No dangling dash or separator before the ellipsis ("Orvalle 2030…").
    return text if len(text) <= chars else text[: chars - 1].rstrip(" —–-·,:;") + "…"


def _sort_key(node: Node) -> tuple:
    return (TYPE_ORDER[node.type], node.label.lower(), node.key)


def spread(
    desired: list[tuple[float, tuple, str]], gap: float, widths: dict[str, float] | None = None
) -> dict[str, float]:
    """Angles as close as possible to the desired ones (least squares), with
    neighbours on the circle kept apart.

    ``desired`` holds (angle, tie-break, key). Two neighbours i, j stay at
    least ``gap`` radians apart, or (w_i + w_j) / 2 when ``widths`` gives each
    key its own angular width. The circle is cut at the widest empty arc,
    then x_i - c_i (c_i: the cumulated gaps before i) must be non-decreasing:
    an isotonic regression, solved exactly by pool-adjacent-violators.
    """
    n = len(desired)
    if n == 0:
        return {}
    if n == 1:
        return {desired[0][2]: desired[0][0]}
    items = sorted(((a % TAU, tie, key) for a, tie, key in desired), key=lambda t: (t[0], t[1]))
    angles = [a for a, _, _ in items]
    widest = max(range(n), key=lambda i: ((angles[(i + 1) % n] - angles[i]) % TAU, -i))
    start = (widest + 1) % n
    items = items[start:] + items[:start]
    width = [widths[key] if widths else gap for _, _, key in items]
    gaps = [(width[i] + width[(i + 1) % n]) / 2 for i in range(n)]
    if sum(gaps) > TAU:  # too many to keep apart: shrink every gap alike
        gaps = [g * TAU / sum(gaps) for g in gaps]
    offsets = [0.0]
    for g in gaps[:-1]:
        offsets.append(offsets[-1] + g)
    base = items[0][0]
    unrolled = [(a - base) % TAU for a, _, _ in items]
    targets = [a - c for a, c in zip(unrolled, offsets, strict=True)]
    # Pool adjacent violators: blocks of (sum, count), merged while decreasing.
    blocks: list[list[float]] = []
    for t in targets:
        blocks.append([t, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    fitted = []
    for total, count in blocks:
        fitted += [total / count] * int(count)
    xs = [y + c for y, c in zip(fitted, offsets, strict=True)]
    span, room = xs[-1] - xs[0], TAU - gaps[-1]
    if span > room + 1e-9:
        xs = [xs[0] + (x - xs[0]) * room / span for x in xs]
    return {key: (base + x) % TAU for (_, _, key), x in zip(items, xs, strict=True)}


def _circular_mean(angles: list[tuple[float, float]]) -> float | None:
    sx = sum(w * math.cos(a) for a, w in angles)
    sy = sum(w * math.sin(a) for a, w in angles)
    if abs(sx) < 1e-9 and abs(sy) < 1e-9:
        return angles[0][0] if angles else None
    return math.atan2(sy, sx)


def _radial_label(
    node: Node, angle: float, radius: float, r: float, chars: int, *, inward: bool, ring: int, text: str = ""
):
    """A label along the radius, outward or inward, always reading left to right."""
    x, y = radius * math.cos(angle), radius * math.sin(angle)
    degrees = math.degrees(angle) % 360
    left = 90 < degrees < 270
    offset = radius - r - 4 if inward else radius + r + 4
    lx, ly = offset * math.cos(angle), offset * math.sin(angle)
    rotate = degrees + 180 if left else degrees
    anchor = ("start" if left else "end") if inward else ("end" if left else "start")
    return PlacedNode(node, x, y, r, short_label(node, chars, text), lx, ly, rotate % 360, anchor, ring)


def label_text(node: Node) -> str:
    text = node.short or node.label
    return f"{text} ({node.size})" if node.is_cluster else text


def short_label(node: Node, chars: int, text: str = "") -> str:
    """The drawn label within ``chars``; a group keeps its count whole.
    ``text`` replaces the group's name (its programme only, in its domain's
    sector)."""
    if not node.is_cluster:
        return truncate(label_text(node), chars)
    count = f" ({node.size})"
    return truncate(text or node.short or node.label, chars - len(count)) + count


def _flat_label(node: Node, x: float, y: float, r: float, chars: int, ring: int, below: bool = True) -> PlacedNode:
    if below:
        return PlacedNode(node, x, y, r, short_label(node, chars), x, y + r + 13, 0.0, "middle", ring)
    return PlacedNode(node, x, y, r, short_label(node, chars), x + r + 5, y, 0.0, "start", ring)


def _edges(graph: Graph, positions: dict[str, tuple[float, float]], pull: float = 0.55) -> list[PlacedEdge]:
    """One curve per linked pair (kinds merged), bent towards the centre."""
    merged: dict[tuple[str, str], list[Edge]] = {}
    for edge in graph.edges:
        if edge.source in positions and edge.target in positions:
            pair = (edge.source, edge.target) if edge.source < edge.target else (edge.target, edge.source)
            merged.setdefault(pair, []).append(edge)
    placed = []
    for (a, b), edges in sorted(merged.items()):
        (x1, y1), (x2, y2) = positions[a], positions[b]
        cx, cy = (x1 + x2) / 2 * pull, (y1 + y2) / 2 * pull
        weight = sum(e.weight for e in edges)
        path = f"M{_f(x1)} {_f(y1)}Q{_f(cx)} {_f(cy)} {_f(x2)} {_f(y2)}"
        kinds = tuple(sorted({e.kind for e in edges}))
        placed.append(PlacedEdge(a, b, kinds, weight, path, round(min(6.0, 1.0 + math.log2(weight)), 1)))
    return placed


def overview_layout(graph: Graph) -> Layout:
    nodes = sorted(graph.nodes.values(), key=_sort_key)
    programmes = [n for n in nodes if n.type == "programme"]
    domains = [n for n in nodes if n.type == "domain"]
    domain_order = [n.key for n in graph.nodes.values() if n.type == "domain"]
    projects = [n for n in nodes if n.type == "project"]
    outer = [n for n in nodes if n.type in ("service", "partner", "official", "data")]
    placed: list[PlacedNode] = []
    angle_of: dict[str, float] = {}
    positions: dict[str, tuple[float, float]] = {}

    # Centre: programmes stacked, labels to their right.
    width = max((len(label_text(n)) for n in programmes), default=0)
    chars = min(width, 24)
    left = -(chars * CHAR_WIDTH) / 2 - 10
    for i, node in enumerate(programmes):
        y = (i - (len(programmes) - 1) / 2) * 28
        r = node_radius(node)
        placed.append(_flat_label(node, left, y, r, chars, 0, below=False))
        positions[node.key] = (left, y)
    centre = max(60.0, len(programmes) * 14 + 20, chars * CHAR_WIDTH / 2 + 30)

    # Sectors: one per domain (in the domains' own order), plus "no domain".
    sector_keys = [*domain_order, ""]
    slots = dict.fromkeys(sector_keys, 0)
    for node in projects:
        slots[node.sector if node.sector in slots else ""] += 1
    shown_sectors = [k for k in sector_keys if slots[k] or (k and k in graph.nodes)]
    units = {k: max(slots[k], 1) + 1 for k in shown_sectors}  # one slot of padding each
    total_units = sum(units.values()) or 1
    max_r2 = max((node_radius(n) for n in projects), default=5.5)
    gap2 = max(15.0, 2 * max_r2 + 4)
    r1 = max(centre + 70, 150.0)
    r2 = max(r1 + 220, total_units * gap2 / TAU)
    sector_start, sector_span = {}, {}
    cursor = TOP
    for key in shown_sectors:
        sector_start[key] = cursor
        sector_span[key] = TAU * units[key] / total_units
        cursor += sector_span[key]

    # Domains at the centre of their sector, kept apart for their labels.
    desired = [
        (sector_start[n.key] + sector_span[n.key] / 2 if n.key in sector_start else TOP, (i,), n.key)
        for i, n in enumerate(sorted(domains, key=lambda n: domain_order.index(n.key)))
    ]
    domain_angles = spread(desired, 96 / r1)
    for node in domains:
        a = domain_angles[node.key]
        x, y = r1 * math.cos(a), r1 * math.sin(a)
        placed.append(_flat_label(node, x, y, node_radius(node), 16, 1))
        angle_of[node.key], positions[node.key] = a, (x, y)

    # Projects in their sector, by programme then name; labels point inwards.
    # Stop short of the domain labels (drawn under the domain shapes).
    chars2 = int((r2 - r1 - 72) / (CHAR_WIDTH * 0.95))
    by_sector: dict[str, list[Node]] = {k: [] for k in shown_sectors}
    for node in projects:
        by_sector[node.sector if node.sector in by_sector else ""].append(node)
    for key, members in by_sector.items():
        members.sort(key=lambda n: (n.group, n.label.lower(), n.key))
        step = sector_span[key] / units[key]
        for i, node in enumerate(members):
            a = sector_start[key] + step * (i + 1)
            if node.is_cluster:
                # A group of projects sits in its domain's sector, in its
                # colour: its label names the programme (whole on hover), in
                # a larger type (CLUSTER_FONT times the projects' own).
                text = node.short.partition(" · ")[2] if node.sector == key else ""
                chars = int(chars2 / CLUSTER_FONT)
                placed.append(_radial_label(node, a, r2, node_radius(node), chars, inward=True, ring=2, text=text))
            else:
                placed.append(_radial_label(node, a, r2, node_radius(node), chars2, inward=True, ring=2))
            angle_of[node.key], positions[node.key] = a, (r2 * math.cos(a), r2 * math.sin(a))

    # Outer ring: each at the mean angle of what it touches on inner rings.
    outer_keys = {n.key for n in outer}
    neighbours: dict[str, list[tuple[str, float]]] = {n.key: [] for n in outer}
    for edge in graph.edges:
        for a, b in ((edge.source, edge.target), (edge.target, edge.source)):
            if a in outer_keys:
                neighbours[a].append((b, float(edge.weight)))
    desired_outer: dict[str, float] = {}
    for _pass in range(2):
        for node in outer:
            if node.key in desired_outer:
                continue
            known = [(angle_of.get(b, desired_outer.get(b)), w) for b, w in neighbours[node.key]]
            known = [(a, w) for a, w in known if a is not None]
            if known:
                desired_outer[node.key] = _circular_mean(known)
    for node in outer:
        desired_outer.setdefault(node.key, TOP)
    width3 = {n.key: max(15.0, 2 * node_radius(n) + 4) for n in outer}
    r3 = max(r2 + 130, sum(width3.values()) / TAU)
    outer_angles = spread(
        [(desired_outer[n.key], _sort_key(n), n.key) for n in outer],
        0.0,
        {k: w / r3 for k, w in width3.items()},
    )
    chars3 = int(OUTER_LABEL / CHAR_WIDTH)
    for node in outer:
        a = outer_angles[node.key]
        placed.append(_radial_label(node, a, r3, node_radius(node), chars3, inward=False, ring=3))
        positions[node.key] = (r3 * math.cos(a), r3 * math.sin(a))

    radius = r3 if outer else r2 if projects else r1
    half = radius + (OUTER_LABEL + 20 if outer or projects else 60)
    return Layout(half=round(half), nodes=placed, edges=_edges(graph, positions, pull=0.8))


def focus_layout(graph: Graph, centre: str, distances: dict[str, int]) -> Layout:
    """The focused node in the middle, then one ring per link distance."""
    nodes = graph.nodes
    placed: list[PlacedNode] = []
    positions: dict[str, tuple[float, float]] = {}
    angle_of: dict[str, float] = {}
    rings: dict[int, list[Node]] = {}
    for key, d in distances.items():
        if key in nodes and key != centre:
            rings.setdefault(d, []).append(nodes[key])
    if centre in nodes:
        node = nodes[centre]
        placed.append(_flat_label(node, 0.0, 0.0, node_radius(node) + 4, 40, 0))
        positions[centre] = (0.0, 0.0)
    adjacency = graph.adjacency()
    radius = 0.0
    chars = int(OUTER_LABEL / CHAR_WIDTH)
    for depth in sorted(rings):
        members = sorted(rings[depth], key=_sort_key)
        widths = {n.key: max(16.0, 2 * node_radius(n) + 4) for n in members}
        radius = max(radius + (170 if depth == 1 else 240), sum(widths.values()) / TAU)
        if depth == 1:
            step = TAU / len(members)
            desired = [(TOP + i * step, _sort_key(n), n.key) for i, n in enumerate(members)]
        else:
            desired = []
            for n in members:
                inner = [(angle_of[b], 1.0) for b in sorted(adjacency.get(n.key, ())) if b in angle_of]
                desired.append((_circular_mean(inner) if inner else TOP, _sort_key(n), n.key))
        angles = spread(desired, 0.0, {k: w / radius for k, w in widths.items()})
        for n in members:
            a = angles[n.key]
            placed.append(_radial_label(n, a, radius, node_radius(n), chars, inward=False, ring=depth))
            positions[n.key] = (radius * math.cos(a), radius * math.sin(a))
            angle_of[n.key] = a
    half = radius + OUTER_LABEL + 20 if rings else 160
    return Layout(half=round(half), nodes=placed, edges=_edges(graph, positions, pull=0.8))
