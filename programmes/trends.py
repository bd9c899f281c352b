"""Geometry of the small server-rendered trend lines of indicators (no
chart library): the template draws an SVG polyline from these numbers and a
table gives the same values in words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT, PAD = 160, 44, 5


@dataclass
class Trend:
    points: str = ""  # "x,y x,y …" for <polyline points>
    dots: list[tuple[float, float]] = field(default_factory=list)
    target_y: float | None = None
    first: Decimal | None = None
    last: Decimal | None = None
    change: Decimal | None = None  # last - first
    better: bool | None = None  # did it move the good way?
    width: int = WIDTH
    height: int = HEIGHT


def trend(
    values: list[tuple[datetime.date, Decimal]],
    *,
    direction: str = "up",
    target: Decimal | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Trend:
    """Dates spread on x (by day), values on y (higher up), the target as a
    line when given. One value gives a single dot; none, an empty trend."""
    result = Trend(width=width, height=height)
    if not values:
        return result
    values = sorted(values)
    days = [(d - values[0][0]).days for d, _v in values]
    numbers = [v for _d, v in values]
    low = min([*numbers, target] if target is not None else numbers)
    high = max([*numbers, target] if target is not None else numbers)
    span_x = days[-1] or 1
    span_y = (high - low) or 1

    def y_of(v: Decimal) -> float:
        if high == low:
            return round(height / 2, 1)
        return round(float(PAD + (height - 2 * PAD) * (high - v) / span_y), 1)

    for day, value in zip(days, numbers, strict=True):
        x = round(PAD + (width - 2 * PAD) * day / span_x, 1) if days[-1] else round(width / 2, 1)
        result.dots.append((x, y_of(value)))
    result.points = " ".join(f"{x},{y}" for x, y in result.dots)
    if target is not None:
        result.target_y = y_of(target)
    result.first, result.last = numbers[0], numbers[-1]
    if len(numbers) > 1:
        result.change = numbers[-1] - numbers[0]
        if result.change:
            result.better = (result.change > 0) == (direction == "up")
    return result
