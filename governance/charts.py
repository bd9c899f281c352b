"""Geometry for the dashboard's server-rendered SVG charts. The templates
draw the shapes; every chart has a table alternative next to it."""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from programmes import taxonomy
from programmes.rules import Freshness

# Each health level's colour is the lead's (``HealthOption.color``); the
# built-in ones are the badges' hues (orchestre.css), contrast >= 3:1 on white.
LABEL_WIDTH = 130
BAR_WIDTH = 260
ROW_HEIGHT = 28


def health_by_domain(domains: list) -> dict[str, Any]:
    """Stacked horizontal bars: one row per domain, one segment per health."""
    biggest = max((d.n_active for d in domains), default=0) or 1
    rows = []
    for index, domain in enumerate(domains):
        x, segments = LABEL_WIDTH, []
        for value, label, count in domain.health_counts:
            width = BAR_WIDTH * count / biggest
            if count:
                segments.append(
                    {
                        "x": round(x, 1),
                        "width": round(width, 1),
                        "colour": taxonomy.health_colour(value),
                        "label": label,
                        "count": count,
                        "show_count": width >= 22,
                    }
                )
            x += width
        rows.append(
            {
                "y": index * ROW_HEIGHT,
                "name": domain.name,
                "total": domain.n_active,
                "end": round(x, 1),
                "segments": segments,
            }
        )
    return {
        "rows": rows,
        "height": len(rows) * ROW_HEIGHT + 4,
        "width": LABEL_WIDTH + BAR_WIDTH + 40,
        "legend": _legend(domains),
    }


def _legend(domains: list) -> list[tuple[object, str]]:
    """The levels the bars may show (the rows' columns), with their colours."""
    if domains:
        return [(label, taxonomy.health_colour(value)) for value, label, _count in domains[0].health_counts]
    return [(level.label, level.color) for level in taxonomy.health_levels() if not level.is_archived]


def budget_by_domain(domains: list) -> dict[str, Any]:
    """Two bars per domain: planned (outlined) and spent (filled)."""
    biggest = max((d.budget_planned or Decimal(0) for d in domains), default=Decimal(0))
    biggest = max(biggest, max((d.budget_spent or Decimal(0) for d in domains), default=Decimal(0))) or Decimal(1)
    rows = []
    for index, domain in enumerate(domains):
        planned, spent = domain.budget_planned or Decimal(0), domain.budget_spent or Decimal(0)
        rows.append(
            {
                "y": index * (ROW_HEIGHT + 8),
                "name": domain.name,
                "planned_width": round(float(BAR_WIDTH * planned / biggest), 1),
                "spent_width": round(float(BAR_WIDTH * spent / biggest), 1),
                "planned": planned,
                "spent": spent,
                "ratio": round(100 * spent / planned) if planned else None,
            }
        )
    return {"rows": rows, "height": len(rows) * (ROW_HEIGHT + 8) + 4, "width": LABEL_WIDTH + BAR_WIDTH + 40}


# The meeting pack's charts, drawn from the snapshot's summary (no query).
FRESHNESS_COLOURS = {
    Freshness.FRESH: "#146c43",
    Freshness.DUE: "#b35c00",
    Freshness.NEW: "#0a58ca",
    Freshness.STALE: "#6c757d",
}


def pack_health(summary: dict[str, Any]) -> dict[str, Any]:
    """Stacked bars of active projects by domain and health."""
    labels = dict(taxonomy.health_choices())
    domains = [
        SimpleNamespace(
            name=name,
            n_active=sum(counts.values()),
            health_counts=[(value, labels.get(value, value), counts.get(value, 0)) for value in summary["by_health"]],
        )
        for name, counts in summary["by_domain"]
    ]
    return health_by_domain(domains)


def pack_freshness(summary: dict[str, Any]) -> dict[str, Any]:
    """One bar per reporting state: up to date, due, new, stale."""
    counts = summary["by_freshness"]
    biggest = max(counts.values(), default=0) or 1
    rows = [
        {
            "y": index * ROW_HEIGHT,
            "name": str(Freshness.LABELS[state]),
            "count": count,
            "width": round(BAR_WIDTH * count / biggest, 1),
            "end": round(LABEL_WIDTH + BAR_WIDTH * count / biggest, 1),
            "colour": FRESHNESS_COLOURS[state],
        }
        for index, (state, count) in enumerate(counts.items())
    ]
    return {"rows": rows, "height": len(rows) * ROW_HEIGHT + 4, "width": LABEL_WIDTH + BAR_WIDTH + 40}


def pack_budget(summary: dict[str, Any]) -> dict[str, Any]:
    """Planned and spent by domain (the dashboard's chart)."""
    domains = [
        SimpleNamespace(name=name, budget_planned=planned, budget_spent=spent)
        for name, planned, spent in summary["budget_by_domain"]
    ]
    return budget_by_domain(domains)
