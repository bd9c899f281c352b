"""SVG numbers must be written the SVG way whatever the language: the French
locale turns 9.6 into "9,6", which browsers reject ("Expected length") and
the chart silently loses its bars."""

import re

NUMERIC_ATTRIBUTES = ("x", "y", "dx", "dy", "width", "height", "cx", "cy", "r", "x1", "y1", "x2", "y2")
_ATTRIBUTE = re.compile(r"<(?:rect|circle|line|text|ellipse|use|svg)\b[^>]*>")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:%|em|px)?")


def svg_numbers(html: str) -> list[str]:
    """Every numeric attribute value of the SVG shapes in ``html``."""
    values = []
    for tag in _ATTRIBUTE.findall(html):
        for name in NUMERIC_ATTRIBUTES:
            values += re.findall(rf'\s{name}="([^"]*)"', tag)
    return values


def assert_svg_numbers_are_valid(html: str) -> None:
    values = svg_numbers(html)
    assert values, "no SVG shape found"
    bad = [v for v in values if not _NUMBER.fullmatch(v)]
    assert not bad, f"SVG attributes a browser rejects: {bad[:10]}"
