"""Geometry of the portfolio's small server-rendered SVG charts. The
templates draw the shapes (whole numbers only, so that no locale writes
"9,6" in an attribute); every chart has its table next to it."""

from typing import Any

BAR_HEIGHT = 120
SLOT = 48
BAR = 32
TOP = 18
BOTTOM = 22


def moves_by_year(rows: list[dict]) -> dict[str, Any]:
    """One vertical bar per year: the relationships that changed kind."""
    biggest = max((row["total"] for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        height = round(BAR_HEIGHT * row["total"] / biggest)
        x = index * SLOT + (SLOT - BAR) // 2
        bars.append(
            {
                "year": row["year"],
                "total": row["total"],
                "x": x,
                "centre": x + BAR // 2,
                "y": TOP + BAR_HEIGHT - height,
                "height": height,
                "label_y": TOP + BAR_HEIGHT - height - 4,
            }
        )
    return {
        "bars": bars,
        "width": max(len(rows), 1) * SLOT,
        "height": TOP + BAR_HEIGHT + BOTTOM,
        "baseline": TOP + BAR_HEIGHT,
        "year_y": TOP + BAR_HEIGHT + 16,
    }
