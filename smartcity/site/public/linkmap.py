"""The public map of links: the public projects of one page, their domains
and their partner organisations, as a server-rendered SVG.

It reuses the internal link map's deterministic layout
(``smartcity.site.map.layout.overview_layout``), which is plain Python on
whatever graph it is given. The graph is built here, and only here, from
projects already loaded by ``selectors.public_projects`` (public, not
archived, allow-listed columns, non-archived partners and domains): the
internal ``build_graph``, which reads the whole portfolio, is never called,
so no private project, person, service or programme can reach the picture.
No query of its own either: everything comes from the page's prefetches.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from smartcity.site.map.layout import CHAR_WIDTH, Layout, _f, label_text, overview_layout
from smartcity.site.map.structure import Graph, Node

FILL = {"project": "#6c757d", "domain": "#6c757d", "partner": "#a04f00"}


def public_graph(projects: Iterable, *, primary=None) -> Graph:
    """Projects, their domains and partner organisations; nothing else.
    A project sits in the sector of ``primary`` (the domain the page is
    narrowed to) if it has it, else of its first domain."""
    graph = Graph()
    project_url = reverse("site:public_project", args=[987654321])
    links_url = reverse("site:public_links")
    domains: dict[int, object] = {}
    partners: dict[int, object] = {}
    rows = []
    for project in projects:
        project_domains = list(project.domains.all())
        rows.append((project, project_domains, list(project.public_links)))
        for domain in project_domains:
            domains.setdefault(domain.pk, domain)
        for link in project.public_links:
            partners.setdefault(link.partner.pk, link.partner)
    # Domains first (their order is the order of the sectors), then the rest.
    for domain in sorted(domains.values(), key=lambda d: (d.name.lower(), d.pk)):
        url = f"{links_url}?{urlencode({'domaine': domain.slug})}"
        graph.add(Node(f"domain:{domain.pk}", "domain", domain.pk, domain.name, domain.name, url, color=domain.color))
    categories = {}
    for partner in partners.values():
        if partner.category not in categories:
            categories[partner.category] = partner.get_category_display()
        graph.add(
            Node(
                f"partner:{partner.pk}",
                "partner",
                partner.pk,
                partner.name,
                partner.name,
                "",
                detail=categories[partner.category],
            )
        )
    for project, project_domains, links in rows:
        key = f"project:{project.pk}"
        first = primary if primary is not None and primary in project_domains else None
        first = first or (project_domains[0] if project_domains else None)
        sector = f"domain:{first.pk}" if first is not None else ""
        url = project_url.replace("987654321", str(project.pk))
        graph.add(Node(key, "project", project.pk, project.name, project.name, url, sector=sector))
        for domain in project_domains:
            graph.link(key, f"domain:{domain.pk}", "domain")
        for link in links:
            graph.link(key, f"partner:{link.partner.pk}", "partner")
    return graph


def _shape(node_type: str, x: float, y: float, r: float) -> str:
    """Shape, not only colour, tells the types apart (as on the internal map)."""
    if node_type == "project":
        return f"M{_f(x - r)} {_f(y)}a{_f(r)} {_f(r)} 0 1 0 {_f(2 * r)} 0a{_f(r)} {_f(r)} 0 1 0 {_f(-2 * r)} 0Z"
    s = r * 1.25
    if node_type == "domain":
        points = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
    else:  # partner: a triangle
        points = [(x, y - s), (x + s * 0.95, y + s * 0.7), (x - s * 0.95, y + s * 0.7)]
    return "M" + "L".join(f"{_f(px)} {_f(py)}" for px, py in points) + "Z"


def view_box(pic: Layout) -> str:
    """The box around what is drawn (shapes and estimated label extents),
    rather than the layout's full square: a map narrowed to one domain fills
    only part of its circle."""
    xs, ys = [], []
    for placed in pic.nodes:
        xs += [placed.x - placed.r, placed.x + placed.r]
        ys += [placed.y - placed.r, placed.y + placed.r]
        length = len(placed.label) * CHAR_WIDTH * (1.1 if placed.ring == 1 else 1.0)
        start = {"start": 0.0, "middle": -0.5, "end": -1.0}[placed.anchor]
        angle = math.radians(placed.rotate)
        for t in (start, start + 1.0):
            xs.append(placed.lx + t * length * math.cos(angle))
            ys.append(placed.ly + t * length * math.sin(angle))
    if not xs:
        return pic.view_box
    margin = 28.0
    left, top = min(xs) - margin, min(ys) - margin
    return f"{_f(left)} {_f(top)} {_f(max(xs) + margin - left)} {_f(max(ys) + margin - top)}"


def svg_context(projects: Iterable, *, primary=None) -> dict:
    """What templates/site/public/_map.html draws."""
    graph = public_graph(projects, primary=primary)
    pic: Layout = overview_layout(graph)
    kind = {"project": _("Project"), "domain": _("Domain"), "partner": _("Partner organisation")}
    nodes = []
    for placed in pic.nodes:
        node = placed.node
        title = f"{kind[node.type]}: {node.label}" + (f" ({node.detail})" if node.detail else "")
        full = label_text(node)
        nodes.append(
            {
                "type": node.type,
                "href": node.url,
                "title": title,
                "d": _shape(node.type, placed.x, placed.y, placed.r),
                "fill": node.color or FILL[node.type],
                "label": placed.label,
                "full": full if full != placed.label else "",
                "lx": _f(placed.lx),
                "ly": _f(placed.ly),
                "rotate": _f(placed.rotate),
                "anchor": placed.anchor,
                "ring": placed.ring,
            }
        )
    return {
        "view_box": view_box(pic),
        "nodes": nodes,
        "edges": [(e.path, " ".join(f"k-{k}" for k in e.kinds)) for e in pic.edges],
        "n_projects": len(graph.of_type("project")),
    }
