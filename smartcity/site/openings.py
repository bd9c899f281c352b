"""Openings for the least engaged services: concrete places to start.

Which services get openings (``wants_openings``): a service whose engagement
index is below ``LAGGING_INDEX``, except a *direction that leads nothing*:
such a direction is an umbrella over services counted one by one, and
telling it to join a project would only repeat what its services are told.

What an opening is, for a service S (``openings_for``):

* its **domains**: the ``MAIN_DOMAINS`` domains that weigh most, counting 3
  per active project S leads there, 1 per project it joins and 1 per
  project one of its peers (the services of the same direction) leads;
* **projects that could use a contributor**: active projects in those
  domains that S neither leads nor joins, those its peers lead first, then
  the fewest contributors first;
* **partners already active there**: external partners on active projects
  in those domains, those of the heaviest domain first, then most projects;
* **services that moved up**: services whose first recorded level was S's
  current level and whose level is now higher, its peers first, then the
  highest level first;
* **upcoming committee topics**: agenda items of planned meetings about
  projects in those domains, soonest first.

Pure: the facts come from ``smartcity.site.selectors.service_openings``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LAGGING_INDEX = 40
PER_KIND = 3
MAIN_DOMAINS = 2


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

    def is_peer(self, service: int, other: int | None) -> bool:
        parent = self.parent.get(service)
        return other is not None and other != service and parent is not None and self.parent.get(other) == parent

    def domain_weights(self, service: int) -> tuple[dict[int, int], dict[int, int]]:
        """(own, peers): per domain, 3 per active project the service leads
        and 1 per project it joins; 1 per project its peers lead."""
        own: dict[int, int] = {}
        peers: dict[int, int] = {}
        # ``is_peer`` inlined: this loop visits every active project.
        parent = self.parent.get(service)
        parents, leads, contributors = self.parent, self.project_lead, self.project_contributors
        for project, domains in self.project_domains.items():
            lead = leads.get(project)
            if lead == service:
                weight, into = 3, own
            elif service in contributors.get(project, ()):
                weight, into = 1, own
            elif parent is not None and lead is not None and parents.get(lead) == parent:
                weight, into = 1, peers
            else:
                continue
            for domain in domains:
                into[domain] = into.get(domain, 0) + weight
        return own, peers


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
    own, peers = portfolio.domain_weights(service)
    weights = {d: own.get(d, 0) + peers.get(d, 0) for d in own.keys() | peers.keys()}
    result.from_peers = not own and bool(peers)
    main = sorted(weights, key=lambda d: (-weights[d], d))[:MAIN_DOMAINS]
    result.domains = main
    domains = set(main)
    in_domains = [p for p, ds in portfolio.project_domains.items() if not ds.isdisjoint(domains)]
    leads, contributors = portfolio.project_lead, portfolio.project_contributors
    free = [p for p in in_domains if leads.get(p) != service and service not in contributors.get(p, ())]
    # A project a peer leads first (the easiest door to knock on), then the
    # ones with the fewest contributors.
    free.sort(key=lambda p: (not portfolio.is_peer(service, leads.get(p)), len(contributors.get(p, ())), p))
    result.projects = free[:per_kind]
    # Partners of the heaviest domain first (the one the service knows
    # best), then by projects in its domains.
    top: dict[int, int] = {}
    counts: dict[int, int] = {}
    for p in in_domains:
        for partner in portfolio.project_partners.get(p, ()):
            counts[partner] = counts.get(partner, 0) + 1
            if main[0] in portfolio.project_domains[p]:
                top[partner] = top.get(partner, 0) + 1
    result.partners = sorted(counts, key=lambda partner: (-top.get(partner, 0), -counts[partner], partner))[:per_kind]
    current = portfolio.level.get(service)
    moved = [
        s
        for s, first in portfolio.first_level.items()
        if s != service and first == current and portfolio.level.get(s, 0) > first
    ]
    moved.sort(key=lambda s: (not portfolio.is_peer(service, s), -portfolio.level[s], s))
    result.peers = moved[:per_kind]
    result.topics = [
        i
        for i, (_key, project) in enumerate(portfolio.topics)
        if portfolio.project_domains.get(project, set()) & domains
    ][:per_kind]
    return result
