"""Partners that make sense for their projects.

The builder draws each project's partners at random; a water-network
company on a school-canteen project reads as noise to anyone who knows the
trade. Here each specialised partner gets the domains it works in, and a
link to a project of none of them moves to a partner of the right trade (same
category when one fits, else any fitting one). Generalists (universities,
public funders, the French Tech network…) stay where they are.

Deterministic (its own seeded generator) and bulk-written, after the
projects' links are made."""

import random
from collections import defaultdict

from partners.models import Partner
from programmes.models import Project, ProjectPartner

# partner name -> the domains (slugs) it works in; absent: a generalist.
TRADES = {
    "École nationale d'architecture d'Orvalle": {"habitat", "culture"},
    "École supérieure d'art et de design d'Orvalle": {"culture", "education"},
    "Campus des métiers de la ville durable": {"habitat", "energie", "environnement"},
    "Conservatoire à rayonnement régional": {"culture", "education"},
    "Institut de recherche en énergie et bâtiment": {"energie", "habitat"},
    "Laboratoire d'écologie urbaine": {"environnement"},
    "INRAE — unité Eau et territoires": {"environnement"},
    "Laboratoire de sociologie des usages numériques": {"gouvernance", "education", "culture"},
    "Institut des transports et de la mobilité": {"mobilite"},
    "Observatoire régional de la qualité de l'air": {"environnement", "mobilite"},
    "Mobilis Data": {"mobilite"},
    "Urbanéo": {"habitat"},
    "Watt & Cie": {"energie"},
    "CityFlow": {"mobilite"},
    "Hydrolia": {"environnement"},
    "Lumen Réseaux": {"energie"},
    "Capteurs de l'Orve": {"environnement", "mobilite", "energie"},
    "Open Civic Tech": {"gouvernance"},
    "Batilink": {"habitat", "energie"},
    "Vélocité Services": {"mobilite"},
    "Energia Solutions": {"energie"},
    "Pôle Mobilités d'avenir": {"mobilite"},
    "Pôle Eau et territoires": {"environnement"},
    "Pôle Énergies renouvelables": {"energie"},
    "Cluster Éco-bâtiment": {"habitat", "energie"},
    "Pôle Images et industries créatives": {"culture"},
    "Cluster Logistique urbaine": {"mobilite"},
    "Start-up Vélobox": {"mobilite"},
    "Start-up ClimaSense": {"environnement", "energie"},
    "Start-up Kidsmart": {"education"},
    "Start-up MusArt": {"culture"},
    "Association Vélo Orvalle": {"mobilite"},
    "Association des usagers des transports": {"mobilite"},
    "Maison de l'environnement": {"environnement"},
    "Repair Café Orvalle": {"environnement"},
    "Fédération des parents d'élèves": {"education"},
    "Association Énergie partagée": {"energie"},
    "Compagnie de théâtre Les Passeurs": {"culture"},
    "Caisse d'allocations familiales": {"habitat", "education"},
    "Agence de l'eau": {"environnement"},
    "Rectorat de l'académie": {"education"},
    "Direction régionale des affaires culturelles": {"culture"},
    "TransOrvalle (délégataire transports)": {"mobilite"},
    "Eau d'Orvalle": {"environnement"},
    "Chauffage urbain d'Orvalle": {"energie"},
    "Parkings d'Orvalle": {"mobilite"},
    "Orvalle Propreté": {"environnement"},
    "Éclairage Orvallais": {"energie"},
    "Vélos en libre-service d'Orvalle": {"mobilite"},
    "Orvalle Habitat": {"habitat"},
    "Orvalle Énergies": {"energie"},
}


def _trade(name: str) -> set[str] | None:
    # At scale > 1 the copies carry a suffix (" — secteur 2").
    return TRADES.get(name.split(" — secteur ")[0])


def fit_partners(builder) -> int:
    """Move the links of specialised partners to projects of their trade.
    Returns how many links moved."""
    rng = random.Random(f"orchestre-demo-partners-{builder.scale}")
    partners = list(Partner.objects.order_by("pk").only("pk", "name", "category"))
    by_domain: dict[str, list[Partner]] = defaultdict(list)
    for partner in partners:
        for slug in _trade(partner.name) or ():
            by_domain[slug].append(partner)
    trade = {p.pk: _trade(p.name) for p in partners}
    category = {p.pk: p.category for p in partners}
    domains: dict[int, set[str]] = defaultdict(set)
    for project_id, slug in Project.domains.through.objects.values_list("project_id", "domain__slug"):
        domains[project_id].add(slug)
    links = list(ProjectPartner.objects.order_by("pk"))
    taken = {(link.project_id, link.partner_id, link.relationship) for link in links}
    moved = []
    for link in links:
        fits = trade[link.partner_id]
        wanted = domains[link.project_id]
        if fits is None or fits & wanted or not wanted:
            continue
        candidates = [p for slug in sorted(wanted) for p in by_domain[slug]]
        same_kind = [p for p in candidates if p.category == category[link.partner_id]]
        for partner in rng.sample(same_kind, len(same_kind)) + rng.sample(candidates, len(candidates)):
            key = (link.project_id, partner.pk, link.relationship)
            if key not in taken:
                taken.discard((link.project_id, link.partner_id, link.relationship))
                taken.add(key)
                link.partner_id = partner.pk
                moved.append(link)
                break
    ProjectPartner.objects.bulk_update(moved, ["partner"], batch_size=500)
    return len(moved)
