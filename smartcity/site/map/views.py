"""The link map pages: the map itself (SVG), its tables, the matrices, the
orphans and bridges, and the graph exports. Everybody signed in reads them.

Every page reads the graph once (``graph.build_graph``, a fixed number of
queries); filters, focus and clusters are applied in Python.
"""

from __future__ import annotations

import functools
import gc
import html
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from smartcity.base.search import search_terms

from . import export as graph_export
from . import graph as g
from . import layout

SHAPE_FILL = {
    "programme": "#1f3a5f",
    "service": "#146c43",
    "partner": "#a04f00",
    "official": "#6f42c1",
    "project": "#6c757d",
    "domain": "#6c757d",
    "data": "#0b7285",
}
MATRIX_TOP = 25
MATRICES = {
    "services-domains": ("service", "domain", _("Services × domains")),
    "partners-domains": ("partner", "domain", _("Partners × domains")),
    "services-partners": ("service", "partner", _("Services × partners")),
}
MATRIX_COLUMNS_CAP = 30  # services × partners: even "show all" keeps the 30 busiest partner columns


class MapFilterForm(forms.Form):
    """The map's GET filters. Choices come from the graph already read, so the
    form costs no query."""

    q = forms.CharField(label=_("Find an entity"), required=False, max_length=200)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    types = forms.MultipleChoiceField(
        label=_("Show"),
        required=False,
        choices=[(t, g.TYPE_LABELS[t]) for t in g.NODE_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )
    closed = forms.BooleanField(label=_("Include closed and abandoned projects"), required=False)
    focus = forms.CharField(required=False, widget=forms.HiddenInput)
    depth = forms.TypedChoiceField(
        label=_("Focus depth"),
        required=False,
        coerce=int,
        empty_value=1,
        choices=[(1, _("Direct links")), (2, _("Two links away"))],
    )

    def __init__(self, data: QueryDict, *, graph: g.Graph) -> None:
        super().__init__(data)
        self.fields["programme"].choices = [("", _("All programmes"))] + [
            (str(n.pk), n.label) for n in graph.of_type("programme")
        ]
        domains = [(n.detail, n.label) for n in graph.of_type("domain")]
        self.fields["domain"].choices = [("", _("All domains")), *domains]

    def clean_focus(self) -> str:
        value = self.cleaned_data["focus"]
        node_type, _sep, pk = value.partition(":")
        if value and (node_type not in g.NODE_TYPES or not pk.isdigit()):
            raise forms.ValidationError(_("Unknown entity."))
        return value


@dataclass
class MapView:
    """What the pages need once the request's filters are applied."""

    form: MapFilterForm
    full: g.Graph  # everything, unfiltered
    graph: g.Graph  # filtered (and focused), not clustered
    focus: g.Node | None
    depth: int
    distances: dict[str, int]
    expand: list[str]
    query: QueryDict
    matches: list[g.Node]  # the search's hits (at most SEARCH_LIMIT)
    n_matches: int

    def focus_url(self, key: str) -> str:
        """The current view focused on ``key``, groups folded again."""
        return self._focus_url(key)

    def expand_url(self, key: str) -> str:
        """The current view with the group ``key`` shown member by member."""
        return self._expand_url(key)

    def __post_init__(self) -> None:
        self._focus_url = _linker(self.query, "focus", expand=None)
        expand = _url(self.query, expand=None).removeprefix("?")
        for key in self.expand:
            expand += ("&" if expand else "") + urlencode({"expand": key})
        prefix = f"?{expand}&" if expand else "?"
        self._expand_url = lambda key: f"{prefix}{urlencode({'expand': key})}"


def _map_view(request: HttpRequest) -> MapView:
    query = request.GET.copy()
    include_closed = query.get("closed") in ("on", "1", "true")
    full = g.build_graph(include_closed=include_closed)
    form = MapFilterForm(query, graph=full)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    programme = f"programme:{data['programme']}" if data.get("programme") else ""
    domain = next((n.key for n in full.of_type("domain") if data.get("domain") and n.detail == data["domain"]), "")
    types = data.get("types") or list(g.NODE_TYPES)
    graph = g.filter_graph(full, programme=programme, domain=domain, types=types)
    matches, n_matches = search_nodes(graph, data.get("q") or "")
    focus_key = data.get("focus") or ""
    if not focus_key and n_matches == 1:
        focus_key = matches[0].key  # one hit: show it with its neighbours (ego view)
    depth = data.get("depth") or 1
    focus, distances = None, {}
    if focus_key in graph.nodes:
        focus = graph.nodes[focus_key]
        graph, distances = g.focus_graph(graph, focus_key, depth)
    expand = [key for key in query.getlist("expand") if key.startswith("cluster:")][:20]
    return MapView(form, full, graph, focus, depth, distances, expand, query, matches, n_matches)


def gc_paused(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run the view with Python's cyclic garbage collector paused. A map page
    allocates tens of thousands of small objects (the graph's nodes and
    edges, then the drawing), none of them in reference cycles: reference
    counting frees them all when the response is sent. While they are being
    built, the allocation count would trigger full collections that scan
    every object of the process; measured at scale 10, they were most of the
    p95 (about 100 ms of 250). The collector runs again as soon as the view
    returns; if it was already paused (another thread, a caller), it is left
    as it was."""

    @functools.wraps(view)
    def paused(*args, **kwargs) -> HttpResponse:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return view(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


SEARCH_LIMIT = 20


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _folded(text: str) -> str:
    """Lower case, accents dropped: "Énergie" is found by "energie". The
    combining marks are removed by one regular expression rather than a
    character-by-character loop: thousands of labels are folded per search."""
    text = text.casefold()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def search_nodes(graph: g.Graph, text: str) -> tuple[list[g.Node], int]:
    """The entities of ``graph`` whose label or detail holds every word of
    ``text`` (bounded like every search), names starting with the first word
    first; at most SEARCH_LIMIT, and how many matched. In Python, on the
    graph already read: no query."""
    words = [_folded(w) for w in search_terms(text)]
    if not words:
        return [], 0
    hits = []
    for node in graph.nodes.values():
        haystack = _folded(f"{node.label} {node.detail}")
        if all(w in haystack for w in words):
            hits.append(node)
    hits.sort(key=lambda n: (not _folded(n.label).startswith(words[0]), g.NODE_TYPES.index(n.type), n.label.lower()))
    return hits[:SEARCH_LIMIT], len(hits)


def _url(query: QueryDict, **changes) -> str:
    """The current query string with some parameters replaced (None drops)."""
    params = query.copy()
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        elif isinstance(value, list):
            params.setlist(name, value)
        else:
            params[name] = value
    text = params.urlencode()
    return f"?{text}" if text else "?"


def _linker(query: QueryDict, name: str, **changes) -> Callable[[str], str]:
    """Like ``_url(query, name=value, **changes)`` for many values: the rest of
    the query string is encoded once, the value appended (hundreds of links
    per page: copying and encoding the query for each cost more than the
    page's queries)."""
    rest = _url(query, **{name: None}, **changes).removeprefix("?")
    prefix = f"?{rest}&" if rest else "?"
    return lambda value: f"{prefix}{urlencode({name: value})}"


def _shape(node_type: str, x: float, y: float, r: float) -> str:
    """An SVG path for each type: shape, not only colour, tells them apart."""

    def poly(points: list[tuple[float, float]]) -> str:
        return "M" + "L".join(f"{layout._f(px)} {layout._f(py)}" for px, py in points) + "Z"

    if node_type == "project":
        return (
            f"M{layout._f(x - r)} {layout._f(y)}a{layout._f(r)} {layout._f(r)} 0 1 0 {layout._f(2 * r)} 0"
            f"a{layout._f(r)} {layout._f(r)} 0 1 0 {layout._f(-2 * r)} 0Z"
        )
    if node_type in ("service", "programme"):
        s = r * 0.9
        return poly([(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)])
    if node_type == "domain":
        s = r * 1.25
        return poly([(x, y - s), (x + s, y), (x, y + s), (x - s, y)])
    if node_type == "partner":
        s = r * 1.25
        return poly([(x, y - s), (x + s * 0.95, y + s * 0.7), (x - s * 0.95, y + s * 0.7)])
    if node_type == "data":  # a hexagon
        return poly(
            [(x + r * 1.2 * math.cos(i * math.pi / 3), y + r * 1.2 * math.sin(i * math.pi / 3)) for i in range(6)]
        )
    # official: a five-pointed star
    points = []
    for i in range(10):
        radius = r * 1.3 if i % 2 == 0 else r * 0.6
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    return poly(points)


def _svg_context(view: MapView, drawn: g.Graph, pic: layout.Layout) -> dict:
    degree: dict[str, int] = defaultdict(int)
    for edge in drawn.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    nodes = []
    # Translated once per page, not once per shape.
    type_label = {t: str(label) for t, label in g.TYPE_LABEL.items()}
    show_members = str(_("%(label)s: show them one by one"))
    no_project = str(_("no active project"))
    for placed in pic.nodes:
        node = placed.node
        if node.is_cluster:
            href = view.expand_url(node.key)
            title = show_members % {"label": node.label}
        else:
            href = node.url
            title = f"{type_label[node.type]}: {node.label}" + (f" ({node.detail})" if node.detail else "")
        if node.orphan:
            title = f"{title} — {no_project}"
        fill = node.color or SHAPE_FILL[node.type]
        if node.type == "project" and not node.active and not node.is_cluster:
            fill = "#ffffff"
        nodes.append(
            {
                "key": node.key,
                "type": node.type,
                "href": href,
                "title": title,
                # The accessible name holds the visible label (WCAG 2.5.3).
                "name": title if placed.label in title else f"{placed.label} — {title}",
                "links": degree[node.key],
                "d": _shape(node.type, placed.x, placed.y, placed.r),
                "fill": fill,
                "orphan": node.orphan,
                "cluster": node.is_cluster,
                "focused": view.focus is not None and node.key == view.focus.key,
                "label": placed.label,
                # A shortened label shows whole on hover and keyboard focus.
                "full": full if (full := layout.label_text(node)) != placed.label else "",
                "lx": layout._f(placed.lx),
                "ly": layout._f(placed.ly),
                "rotate": layout._f(placed.rotate),
                "anchor": placed.anchor,
                "ring": placed.ring,
            }
        )
    return {
        "view_box": pic.view_box,
        "svg_nodes": nodes,
        "svg_nodes_html": nodes_html(nodes),
        "svg_edges": edges_html(pic.edges),
        "svg_size": int(pic.half * 2),
    }


def _e(value) -> str:
    """Escape for HTML text and attributes, like Django's ``escape`` (the
    same five characters, the same entities) without its lazy-string wrapper,
    which costs more than the escaping when thousands of values are written."""
    return html.escape(str(value), quote=True)


def edges_html(edges: list[layout.PlacedEdge]) -> SafeString:
    """Hundreds of edges, written in Python rather than looped over in the
    template, which would cost more than building the graph. Every value
    is escaped."""
    return mark_safe(  # noqa: S308 - every value goes through _e
        "".join(
            f'<path d="{_e(e.path)}" class="edge {_e(" ".join(f"k-{kind}" for kind in e.kinds))}" '
            f'stroke-width="{_e(e.width)}" data-s="{_e(e.source)}" data-t="{_e(e.target)}"/>'
            for e in edges
        )
    )


def nodes_html(nodes: list[dict]) -> SafeString:
    """The shapes, each a link with its label (and its full label, shown on
    hover and keyboard focus, when the drawn one is shortened), written in
    Python like the edges. Every value is escaped."""
    parts = []
    for n in nodes:
        classes = f"node t-{n['type']}"
        for flag in ("orphan", "cluster", "focused"):
            if n[flag]:
                classes += f" {flag}"
        lx, ly = _e(n["lx"]), _e(n["ly"])
        transform = f' transform="rotate({_e(n["rotate"])} {lx} {ly})"' if n["rotate"] != "0.0" else ""
        text = f'<text x="{lx}" y="{ly}"{transform} text-anchor="{_e(n["anchor"])}" dy="0.35em" class="r{_e(n["ring"])}'
        full = f'{text} label-full">{_e(n["full"])}</text>' if n["full"] else ""
        parts.append(
            f'<a href="{_e(n["href"])}" class="{_e(classes)}" data-key="{_e(n["key"])}" aria-label="{_e(n["name"])}">'
            f'<title>{_e(n["title"])}</title><path d="{_e(n["d"])}" fill="{_e(n["fill"])}"/>'
            f'{text}{" label-short" if n["full"] else ""}">{_e(n["label"])}</text>{full}</a>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value goes through _e


def _match_links(view: MapView) -> list[dict]:
    """The search's hits, each with its page and a link focusing the map on it."""
    return [{"node": node, "type": g.TYPE_LABEL[node.type], "focus": view.focus_url(node.key)} for node in view.matches]


def _listing(view: MapView, drawn: g.Graph) -> list[tuple[str, int, SafeString]]:
    """What is drawn, by type, as lists of links: the text version of the map.
    Each list's items are written in Python (hundreds of them at rest, each
    with a translated, escaped focus link); every value is escaped."""
    group = _e(_("group"))
    no_project = _e(_("no active project"))
    focus_text = gettext('Focus<span class="visually-hidden"> on %(name)s</span>')
    groups = []
    for node_type in g.NODE_TYPES:
        items = []
        for node in sorted(drawn.of_type(node_type), key=lambda n: (n.label.lower(), n.key)):
            label = _e(node.label)
            if node.is_cluster:
                items.append(
                    f'<li><a href="{_e(view.expand_url(node.key))}">{label}</a>'
                    f' <span class="text-body-secondary">({group})</span></li>'
                )
                continue
            orphan = f' <span class="badge text-bg-danger">{no_project}</span>' if node.orphan else ""
            focus = focus_text % {"name": label}
            items.append(
                f'<li><a href="{_e(node.url)}">{label}</a>{orphan}'
                f' · <a href="{_e(view.focus_url(node.key))}" class="map-focus-link">{focus}</a></li>'
            )
        if items:
            html_items = mark_safe("\n".join(items))  # noqa: S308 - every value goes through _e
            groups.append((g.TYPE_LABELS[node_type], len(items), html_items))
    return groups


@require_safe
@gc_paused
def link_map(request: HttpRequest) -> HttpResponse:
    view = _map_view(request)
    keep = {view.focus.key} if view.focus else set()
    drawn = g.cluster_graph(view.graph, expand=view.expand, keep=keep, names=view.full)
    drawn, hidden_edges = g.prune_edges(drawn)
    if view.focus:
        distances = dict(view.distances)
        for node in drawn.nodes.values():
            if node.is_cluster:
                distances[node.key] = min(view.distances.get(m, 9) for m in node.members)
        pic = layout.focus_layout(drawn, view.focus.key, distances)
    else:
        pic = layout.overview_layout(drawn)
    clustered = sorted({g.TYPE_LABELS[n.type] for n in drawn.nodes.values() if n.is_cluster}, key=str)
    context = {
        "view": view,
        "form": view.form,
        "drawn": drawn,
        "listing": _listing(view, drawn),
        "clustered": clustered,
        "n_nodes": len(view.graph.nodes),
        "n_edges": len(view.graph.edges),
        "n_drawn": len(drawn.nodes),
        "hidden_edges": hidden_edges,
        "clear_focus": _url(view.query, focus=None, depth=None, q=None),
        "clear_expand": _url(view.query, expand=None) if view.expand else "",
        "match_links": _match_links(view),
        "depth_links": [(d, _url(view.query, depth=str(d))) for d in (1, 2)],
        "export_query": _url(view.query, expand=None),
        "tab": "map",
        **_svg_context(view, drawn, pic),
    }
    return render(request, "site/map/map.html", context)


TABLE_PAGE_SIZE = 50


@require_safe
@gc_paused
def map_tables(request: HttpRequest) -> HttpResponse:
    """The map as tables: the entities of the current view, one type at a
    time and fifty a page, each with every entity it is linked to."""
    view = _map_view(request)
    graph = view.graph
    counts = Counter(n.type for n in graph.nodes.values())
    shown = [t for t in g.NODE_TYPES if counts[t]]
    current = request.GET.get("table")
    if current not in shown:
        current = "project" if "project" in shown else (shown[0] if shown else "")
    nodes = sorted(graph.of_type(current), key=lambda n: (n.label.lower(), n.key)) if current else []
    page = Paginator(nodes, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    on_page = {node.key for node in page}
    # The links of this page's entities only, each with its note.
    notes = _link_notes()
    links: dict[str, dict[str, list[tuple[g.Node, str]]]] = {key: defaultdict(list) for key in on_page}
    for edge in graph.edges:
        for end, other in ((edge.source, edge.target), (edge.target, edge.source)):
            if end in on_page:
                node = graph.nodes[other]
                links[end][node.type].append((node, notes(edge)))
    used = {t for by_type in links.values() for t in by_type}
    columns = [t for t in g.NODE_TYPES if t in used]  # no column that would stay empty
    column_labels = [str(g.TYPE_LABELS[t]) for t in columns]
    focus_url = _linker(view.query, "focus", table=None, page=None)
    rows = []
    for node in page:
        by_type = links[node.key]
        cells = [sorted(by_type.get(t, []), key=lambda pair: pair[0].label.lower()) for t in columns]
        rows.append({"node": node, "focus": focus_url(node.key), "cells": _cells_html(cells)})
    page_url = _linker(view.query, "page")
    context = {
        "view": view,
        "form": view.form,
        "current": current,
        "current_label": g.TYPE_LABELS.get(current, ""),
        "type_tabs": [(t, g.TYPE_LABELS[t], counts[t], _url(view.query, table=t, page=None)) for t in shown],
        "rows": rows,
        "page": page,
        "page_links": [(n, page_url(str(n))) for n in page.paginator.page_range]
        if page.paginator.num_pages > 1
        else [],
        "type_labels": column_labels,
        "clear_focus": _url(view.query, focus=None, depth=None, q=None),
        "depth_links": [(d, _url(view.query, depth=str(d))) for d in (1, 2)],
        "match_links": _match_links(view),
        "tab": "tables",
    }
    return render(request, "site/map/tables.html", context)


def _link_notes() -> Callable[[g.Edge], str]:
    """How a link reads next to the linked name, the kinds translated once."""
    kinds = {kind: str(label) for kind, label in g.EDGE_KINDS.items()}

    def note(edge: g.Edge) -> str:
        if edge.kind == "partner":
            return edge.detail  # the relationship kinds over time
        if edge.kind == "shared_projects":
            return ngettext("%(n)s shared project", "%(n)s shared projects", edge.weight) % {"n": edge.weight}
        return kinds[edge.kind]

    return note


def _cells_html(cells: list[list[tuple[g.Node, str]]]) -> SafeString:
    """A row's cells: the linked entities, each a link with its note. In
    Python, like the map's shapes (fifty rows of a dozen links each); every
    value is escaped."""
    parts = []
    for cell in cells:
        links = "<br>".join(
            f'<a href="{_e(other.url)}">{_e(other.label)}</a>'
            + (f' <span class="text-body-secondary">({_e(note)})</span>' if note else "")
            for other, note in cell
        )
        parts.append(f"<td>{links}</td>")
    return mark_safe("".join(parts))  # noqa: S308 - every value goes through _e


def _cell_url(row: g.Node, column: g.Node) -> str:
    params = {}
    for node in (row, column):
        if node.type == "domain":
            params["domain"] = node.detail
        else:
            params[node.type] = node.pk
    return "?" + urlencode(params)


@require_safe
@gc_paused
def matrices(request: HttpRequest) -> HttpResponse:
    """Co-involvement counts over active projects; each cell opens the
    portfolio filtered on its row and column."""
    graph = g.build_graph()
    show_all = request.GET.get("all", "")
    blocks = []
    for slug, (rows, columns, title) in MATRICES.items():
        full = show_all == slug
        limit = None if full else MATRIX_TOP
        m = g.matrix(graph, rows, columns, limit=limit)
        if full and columns != "domain":
            m.columns = m.columns[:MATRIX_COLUMNS_CAP]
        table = [
            (row, total, [(col, n, _cell_url(row, col) if n else "") for col, n in cells])
            for row, total, cells in m.table()
        ]
        blocks.append(
            {
                "slug": slug,
                "title": title,
                "matrix": m,
                "table": table,
                "full": full,
                "truncated": len(m.rows) < m.total_rows or len(m.columns) < m.total_columns,
                "row_label": g.TYPE_LABELS[rows],
                "column_label": g.TYPE_LABELS[columns],
            }
        )
    return render(
        request,
        "site/map/matrices.html",
        {
            "blocks": blocks,
            "tab": "matrices",
            "top": MATRIX_TOP,
            "columns_cap": MATRIX_COLUMNS_CAP,
            "project_list": reverse("programmes:project_list"),
        },
    )


@require_safe
@gc_paused
def orphans(request: HttpRequest) -> HttpResponse:
    graph = g.build_graph()
    found = g.orphans(graph)
    context = {
        "tab": "orphans",
        "orphan_services": found["services"],
        "orphan_partners": found["partners"],
        "single_service": [(p, found["single_service_leads"][p.key]) for p in found["single_service_projects"]],
        "bridge_blocks": [
            (_("Partners connecting the most domains"), g.bridges(graph, "partner"), "partners"),
            (_("Services connecting the most domains"), g.bridges(graph, "service"), "services"),
        ],
    }
    return render(request, "site/map/orphans.html", context)


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@gc_paused
def graph_graphml(request: HttpRequest) -> HttpResponse:
    view = _map_view(request)
    body = graph_export.graphml(view.graph, absolute=request.build_absolute_uri)
    return _download(body, "application/graphml+xml; charset=utf-8", "orchestre-graph.graphml")


@require_safe
@gc_paused
def graph_edges_csv(request: HttpRequest) -> HttpResponse:
    view = _map_view(request)
    return _download(graph_export.edges_csv(view.graph), "text/csv; charset=utf-8", "orchestre-edges.csv")


@require_safe
@gc_paused
def graph_nodes_csv(request: HttpRequest) -> HttpResponse:
    view = _map_view(request)
    body = graph_export.nodes_csv(view.graph, absolute=request.build_absolute_uri)
    return _download(body, "text/csv; charset=utf-8", "orchestre-nodes.csv")
