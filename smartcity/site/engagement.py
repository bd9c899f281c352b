"""The engagement index of a service: what Orchestre knows of its part in the
programme, on 0-100, beside the level the lead declares.

    index = 20 × min(led, 3) / 3              projects it leads (active)
          + 15 × min(contributed, 5) / 5      projects it contributes to (active)
          + 15 × fresh / led                  its led projects reported this cycle
          + 15 × present / invited            committee attendance
          + 10 × min(owned, 4) / 4            committee actions it owns (not cancelled)
          + 10 × closed / owned               of which closed
          + 15 × min(partners, 5) / 5         external partners on its projects

A ratio with nothing to divide (no led project, no invitation, no action)
counts 0: the index measures what the service did, not what it was spared.
Pure: the facts come from ``smartcity.site.selectors.engagement_facts``."""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# (key, weight, cap or None for a ratio, label)
TERMS = (
    ("led", 20, 3, _("Projects led")),
    ("contributed", 15, 5, _("Projects contributed to")),
    ("fresh", 15, None, _("Reporting up to date")),
    ("attendance", 15, None, _("Committee attendance")),
    ("owned", 10, 4, _("Actions owned")),
    ("closed", 10, None, _("Actions closed")),
    ("partners", 15, 5, _("Partners worked with")),
)


@dataclass
class Facts:
    """What Orchestre counts for one service."""

    led: int = 0
    contributed: int = 0
    fresh: int = 0
    invited: int = 0
    present: int = 0
    owned: int = 0
    closed: int = 0
    partners: int = 0


@dataclass
class Term:
    key: str
    label: str
    weight: int
    shown: str  # the counts behind the points, e.g. "2 / 3"
    points: float


class Engagement:
    """A service's engagement: ``index`` (0-100) is computed at once; the
    ``terms`` behind it (labels, counts shown, points) only when read. The
    ranking computes hundreds of engagements and shows the terms of a few."""

    __slots__ = ("_facts", "_points", "_terms", "index")

    def __init__(self, facts: Facts) -> None:
        self._facts = facts
        self._terms: list[Term] | None = None
        self._points = [round(weight * share, 1) for weight, share in zip(WEIGHTS, _shares(facts), strict=True)]
        self.index = round(sum(self._points))

    @property
    def terms(self) -> list[Term]:
        if self._terms is None:
            self._terms = _terms(self._facts, self._points)
        return self._terms


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


_LABELS: dict[str | None, dict[str, str]] = {}


def _labels() -> dict[str, str]:
    """The terms' labels in the active language, translated once per
    language: the ranking computes hundreds of engagements."""
    language = get_language()
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = {key: str(label) for key, _weight, _cap, label in TERMS}
    return labels


WEIGHTS = tuple(weight for _key, weight, _cap, _label in TERMS)


def _shares(facts: Facts) -> tuple[float, ...]:
    """Each term's share of its weight, in the order of ``TERMS``."""
    return (
        min(facts.led, 3) / 3,
        min(facts.contributed, 5) / 5,
        _ratio(facts.fresh, facts.led),
        _ratio(facts.present, facts.invited),
        min(facts.owned, 4) / 4,
        _ratio(facts.closed, facts.owned),
        min(facts.partners, 5) / 5,
    )


def _terms(facts: Facts, points: list[float]) -> list[Term]:
    shown = (
        f"{facts.led}",
        f"{facts.contributed}",
        f"{facts.fresh} / {facts.led}",
        f"{facts.present} / {facts.invited}",
        f"{facts.owned}",
        f"{facts.closed} / {facts.owned}",
        f"{facts.partners}",
    )
    labels = _labels()
    return [
        Term(key=key, label=labels[key], weight=weight, shown=counts, points=term_points)
        for (key, weight, _cap, _label), term_points, counts in zip(TERMS, points, shown, strict=True)
    ]


def engagement(facts: Facts) -> Engagement:
    return Engagement(facts)
