"""Openings for the least engaged services: concrete places to start.

Which services get openings (``wants_openings``): a service whose engagement
index is below ``LAGGING_INDEX``, except a *direction that leads nothing*:
such a direction is an umbrella over services counted one by one, and
telling it to join a project would only repeat what its services are told.

What an opening is, for a service S (``openings_for``):

* its **domains**: those of the active projects S leads or contributes to;
  when it has none, those where its peers (the services of the same
  direction) are active;
* **projects that could use a contributor**: active projects in those
  domains that S neither leads nor joins, fewest contributors first;
* **partners already active there**: external partners on active projects
  in those domains, most projects first;
* **peers that moved up**: services whose first recorded level was S's
  current level and whose level is now higher, highest first;
* **upcoming committee topics**: agenda items of planned meetings about
  projects in those domains, soonest first.

Pure: the facts come from ``smartcity.site.selectors.service_openings``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LAGGING_INDEX = 40
PER_KIND = 3


def wants_openings(*, is_direction: bool, led: int, index: int) -> bool:
    if is_direction and led == 0:
        return False
    return index < LAGGING_INDEX


@dataclass
class Portfolio:
    """What the rule reads, as plain ids (built in a fixed number of queries)."""

    project_domains: dict[int, set[int]] = field(default_factory=dict)  # project -> domains
    project_lead: dict[int, int] = field(default_factory=dict)  # project -> lead service
    project_contributors: dict[int, set[int]] = field(default_factory=dict)  # project -> services
    project_partners: dict[int, set[int]] = field(default_factory=dict)  # project -> partners
    parent: dict[int, int | None] = field(default_factory=dict)  # service -> parent
    level: dict[int, int] = field(default_factory=dict)  # service -> current level
    first_level: dict[int, int] = field(default_factory=dict)  # service -> first recorded level
    topics: list[tuple[Any, int]] = field(default_factory=list)  # (sort key, project), soonest first

    _by_service: dict[int, set[int]] | None = field(default=None, repr=False)

    def domains_of(self, service: int) -> set[int]:
        if self._by_service is None:
            self._by_service = {}
            for project, domains in self.project_domains.items():
                services = {self.project_lead.get(project), *self.project_contributors.get(project, ())}
                for s in services:
                    self._by_service.setdefault(s, set()).update(domains)
        return set(self._by_service.get(service, ()))


@dataclass
class Openings:
    domains: list[int] = field(default_factory=list)
    from_peers: bool = False
    projects: list[int] = field(default_factory=list)
    partners: list[int] = field(default_factory=list)
    peers: list[int] = field(default_factory=list)
    topics: list[int] = field(default_factory=list)  # indexes into Portfolio.topics

    @property
    def empty(self) -> bool:
        return not (self.projects or self.partners or self.peers or self.topics)


def openings_for(service: int, portfolio: Portfolio, *, per_kind: int = PER_KIND) -> Openings:
    result = Openings()
    domains = portfolio.domains_of(service)
    if not domains:
        parent = portfolio.parent.get(service)
        if parent is not None:
            for peer, peer_parent in portfolio.parent.items():
                if peer_parent == parent and peer != service:
                    domains |= portfolio.domains_of(peer)
            result.from_peers = bool(domains)
    result.domains = sorted(domains)
    in_domains = [p for p, ds in portfolio.project_domains.items() if ds & domains]
    free = [
        p
        for p in in_domains
        if portfolio.project_lead.get(p) != service and service not in portfolio.project_contributors.get(p, ())
    ]
    free.sort(key=lambda p: (len(portfolio.project_contributors.get(p, ())), p))
    result.projects = free[:per_kind]
    counts: dict[int, int] = {}
    for p in in_domains:
        for partner in portfolio.project_partners.get(p, ()):
            counts[partner] = counts.get(partner, 0) + 1
    result.partners = sorted(counts, key=lambda partner: (-counts[partner], partner))[:per_kind]
    current = portfolio.level.get(service)
    peers = [
        s
        for s, first in portfolio.first_level.items()
        if s != service and first == current and portfolio.level.get(s, 0) > first
    ]
    peers.sort(key=lambda s: (-portfolio.level[s], s))
    result.peers = peers[:per_kind]
    result.topics = [
        i
        for i, (_key, project) in enumerate(portfolio.topics)
        if portfolio.project_domains.get(project, set()) & domains
    ][:per_kind]
    return result
