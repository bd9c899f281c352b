"""The demo city's partner relationships and data (issue 15): long-standing
partners whose links with a project moved from client–supplier to
co-construction, then partnership, over several years; a dozen agreements
(two in force ending within weeks); about twenty data assets held by the
city, its delegated operators, partners and citizens; and two years of
interactions with partners (some left quiet on purpose).

Deterministic (its own seeded generator, dates from the builder's
``today``) and bulk-written; at scale k each part is made k times."""

import datetime
import random

from django.contrib.auth.models import User

from partners.models import ContactPerson, Interaction, Partner, Service
from programmes.models import Agreement, DataAsset, Project, ProjectPartner, RelationshipKind

from .partner_fit import _trade

LONG_STANDING = [
    "TransOrvalle (délégataire transports)",
    "Mobilis Data",
    "Watt & Cie",
    "Laboratoire Ville, Données et Territoires (CNRS)",
    "Chauffage urbain d'Orvalle",
    "Open Civic Tech",
]
# The path of a long-standing relationship and how long each step lasted (days).
PATH = [
    (RelationshipKind.CLIENT_SUPPLIER, 560),
    (RelationshipKind.CO_CONSTRUCTION, 520),
    (RelationshipKind.PARTNERSHIP, None),
]

# (title, kind, partner names, domain of its projects, years before today it
#  started, length in days (None: open-ended), status, document reference)
AGREEMENTS = [
    (
        "Délégation de service public des transports urbains",
        "public_service_delegation",
        ["TransOrvalle (délégataire transports)"],
        "mobilite",
        6,
        8 * 365,
        "in_force",
        "DSP 2019-07, délibération C-2019-212",
    ),
    (
        "Convention de partage des données de mobilité",
        "data_sharing",
        ["TransOrvalle (délégataire transports)", "Mobilis Data"],
        "mobilite",
        3,
        None,
        "in_force",
        "Délibération C-2022-118",
    ),
    (
        "Partenariat plateforme MaaS",
        "partnership",
        ["Mobilis Data"],
        "mobilite",
        2,
        None,
        "in_force",
        "Convention 2023-041",
    ),
    (
        "Contrat de performance énergétique des bâtiments municipaux",
        "service_contract",
        ["Watt & Cie"],
        "energie",
        4,
        None,
        "in_force",
        "Marché 2021-E-017",
    ),
    (
        "Concession du réseau de chaleur",
        "public_service_delegation",
        ["Chauffage urbain d'Orvalle"],
        "energie",
        9,
        12 * 365,
        "in_force",
        "Délibération C-2016-087",
    ),
    (
        "Convention de recherche sur les îlots de chaleur",
        "research",
        ["Laboratoire Ville, Données et Territoires (CNRS)", "Université d'Orvalle"],
        "environnement",
        3,
        3 * 365,
        "in_force",
        "Convention de recherche CNRS n° 22-1187",
    ),
    (
        "Programme commun d'observation de la qualité de l'air",
        "partnership",
        ["Observatoire régional de la qualité de l'air"],
        "environnement",
        5,
        None,
        "in_force",
        "Convention 2020-019",
    ),
    (
        "Partage des consommations d'eau télérelevées",
        "data_sharing",
        ["Eau d'Orvalle"],
        "environnement",
        2,
        None,
        "in_force",
        "Avenant n° 4 au contrat de délégation",
    ),
    (
        "Plateforme de signalement citoyen",
        "service_contract",
        ["Open Civic Tech"],
        "gouvernance",
        4,
        3 * 365,
        "ended",
        "Marché 2021-N-004",
    ),
    (
        "Co-construction du budget participatif numérique",
        "partnership",
        ["Open Civic Tech", "Conseil de développement d'Orvalle"],
        "gouvernance",
        1,
        3 * 365,
        "in_force",
        "Convention 2025-006",
    ),
    (
        "Expérimentation de la navette autonome",
        "research",
        ["Institut des transports et de la mobilité"],
        "mobilite",
        1,
        None,
        "negotiation",
        "Projet de convention v3",
    ),
    (
        "Données de fréquentation des médiathèques",
        "data_sharing",
        ["Laboratoire de sociologie des usages numériques"],
        "culture",
        1,
        2 * 365,
        "draft",
        "",
    ),
]
# Two agreements in force end within weeks of today, whatever the date.
ENDING_SOON = {
    "Convention de partage des données de mobilité": 25,
    "Contrat de performance énergétique des bâtiments municipaux": 50,
}

# (name, description, domain, holder, holding partner, agreement title,
#  licence, open data, personal data, frequency, published)
ASSETS = [
    (
        "Horaires théoriques du réseau (GTFS)",
        "Lignes, arrêts et horaires du réseau de transports urbains.",
        "mobilite",
        "delegated_operator",
        "TransOrvalle (délégataire transports)",
        "Délégation de service public des transports urbains",
        "etalab_2",
        "open",
        False,
        "weekly",
        True,
    ),
    (
        "Positions des véhicules en temps réel (GTFS-RT)",
        "Position et retard des bus et tramways.",
        "mobilite",
        "delegated_operator",
        "TransOrvalle (délégataire transports)",
        "Convention de partage des données de mobilité",
        "odbl",
        "open",
        False,
        "real_time",
        True,
    ),
    (
        "Validations billettiques agrégées",
        "Montées par arrêt et par heure, agrégées pour ne plus identifier personne.",
        "mobilite",
        "delegated_operator",
        "TransOrvalle (délégataire transports)",
        "Convention de partage des données de mobilité",
        "agreement",
        "restricted",
        False,
        "daily",
        False,
    ),
    (
        "Comptages vélo permanents",
        "Boucles de comptage sur les pistes cyclables.",
        "mobilite",
        "city",
        None,
        None,
        "etalab_2",
        "open",
        False,
        "daily",
        True,
    ),
    (
        "Disponibilité des vélos en libre-service",
        "Stations, vélos et places libres.",
        "mobilite",
        "delegated_operator",
        "Vélos en libre-service d'Orvalle",
        None,
        "odbl",
        "open",
        False,
        "real_time",
        True,
    ),
    (
        "Occupation des parkings relais",
        "Places libres par parking relais.",
        "mobilite",
        "delegated_operator",
        "Parkings d'Orvalle",
        None,
        "etalab_2",
        "planned",
        False,
        "real_time",
        False,
    ),
    (
        "Traces de déplacements de l'application MaaS",
        "Trajets des usagers de l'application, pseudonymisés.",
        "mobilite",
        "partner",
        "Mobilis Data",
        "Partenariat plateforme MaaS",
        "proprietary",
        "closed",
        True,
        "real_time",
        False,
    ),
    (
        "Consommations énergétiques des bâtiments municipaux",
        "Électricité, gaz et chaleur, par bâtiment et par mois.",
        "energie",
        "partner",
        "Watt & Cie",
        "Contrat de performance énergétique des bâtiments municipaux",
        "agreement",
        "planned",
        False,
        "monthly",
        False,
    ),
    (
        "Livraisons du réseau de chaleur",
        "Énergie livrée par sous-station.",
        "energie",
        "delegated_operator",
        "Chauffage urbain d'Orvalle",
        "Concession du réseau de chaleur",
        "agreement",
        "restricted",
        False,
        "monthly",
        False,
    ),
    (
        "Cadastre solaire",
        "Potentiel solaire de chaque toiture de la métropole.",
        "energie",
        "city",
        None,
        None,
        "etalab_2",
        "open",
        False,
        "yearly",
        True,
    ),
    (
        "Patrimoine d'éclairage public",
        "Points lumineux, puissance et programmation.",
        "energie",
        "delegated_operator",
        "Éclairage Orvallais",
        None,
        "etalab_2",
        "open",
        False,
        "quarterly",
        True,
    ),
    (
        "Mesures de qualité de l'air",
        "Capteurs fixes et micro-capteurs : NO2, particules, ozone.",
        "environnement",
        "partner",
        "Observatoire régional de la qualité de l'air",
        "Programme commun d'observation de la qualité de l'air",
        "odbl",
        "open",
        False,
        "real_time",
        True,
    ),
    (
        "Thermographie des îlots de chaleur",
        "Températures de surface relevées l'été.",
        "environnement",
        "partner",
        "Laboratoire Ville, Données et Territoires (CNRS)",
        "Convention de recherche sur les îlots de chaleur",
        "cc_by_4",
        "planned",
        False,
        "yearly",
        False,
    ),
    (
        "Consommations d'eau télérelevées",
        "Index horaires des compteurs des bâtiments publics.",
        "environnement",
        "delegated_operator",
        "Eau d'Orvalle",
        "Partage des consommations d'eau télérelevées",
        "agreement",
        "restricted",
        False,
        "daily",
        False,
    ),
    (
        "Tonnages de collecte des déchets",
        "Tonnages par tournée et par flux.",
        "environnement",
        "delegated_operator",
        "Orvalle Propreté",
        None,
        "etalab_2",
        "open",
        False,
        "monthly",
        True,
    ),
    (
        "Arbres d'alignement",
        "Inventaire des arbres de rue : essence, hauteur, état.",
        "environnement",
        "city",
        None,
        None,
        "etalab_2",
        "open",
        False,
        "yearly",
        True,
    ),
    (
        "Signalements des habitants",
        "Anomalies signalées dans l'espace public, avec photo et adresse.",
        "gouvernance",
        "citizens",
        None,
        "Plateforme de signalement citoyen",
        "undefined",
        "closed",
        True,
        "real_time",
        False,
    ),
    (
        "Propositions du budget participatif",
        "Projets proposés et votes, sans les données des votants.",
        "gouvernance",
        "citizens",
        None,
        "Co-construction du budget participatif numérique",
        "etalab_2",
        "open",
        False,
        "yearly",
        True,
    ),
    (
        "Base adresse locale",
        "Adresses certifiées de la métropole.",
        "habitat",
        "city",
        None,
        None,
        "etalab_2",
        "open",
        False,
        "weekly",
        True,
    ),
    (
        "Fréquentation des médiathèques",
        "Entrées et prêts par établissement et par jour.",
        "culture",
        "city",
        None,
        "Données de fréquentation des médiathèques",
        "undefined",
        "closed",
        False,
        "daily",
        False,
    ),
    (
        "Effectifs scolaires par école",
        "Élèves inscrits par école et par niveau, sans nom.",
        "education",
        "city",
        None,
        None,
        "etalab_2",
        "planned",
        False,
        "yearly",
        False,
    ),
]

# The city service that holds each dataset, or follows it when another holds it.
ASSET_SERVICE = {
    "Horaires théoriques du réseau (GTFS)": "TC",
    "Positions des véhicules en temps réel (GTFS-RT)": "TC",
    "Validations billettiques agrégées": "TC",
    "Comptages vélo permanents": "MACT",
    "Disponibilité des vélos en libre-service": "MACT",
    "Occupation des parkings relais": "STAT",
    "Traces de déplacements de l'application MaaS": "TC",
    "Consommations énergétiques des bâtiments municipaux": "TENE",
    "Livraisons du réseau de chaleur": "RCHA",
    "Cadastre solaire": "TENE",
    "Patrimoine d'éclairage public": "ECLA",
    "Mesures de qualité de l'air": "AIR",
    "Thermographie des îlots de chaleur": "ESPV",
    "Consommations d'eau télérelevées": "EAU",
    "Tonnages de collecte des déchets": "PROP",
    "Arbres d'alignement": "ESPV",
    "Signalements des habitants": "RELU",
    "Propositions du budget participatif": "DEMP",
    "Base adresse locale": "DATA",
    "Fréquentation des médiathèques": "BIBL",
    "Effectifs scolaires par école": "VSCO",
}
# The city service party to the agreements of each domain.
DOMAIN_SERVICE = {
    "mobilite": "TC",
    "energie": "TENE",
    "environnement": "ESPV",
    "gouvernance": "DEMP",
    "habitat": "FONC",
    "education": "VSCO",
    "culture": "BIBL",
}

INTERACTION_NOTES = {
    "meeting": "Point d'avancement sur les projets communs ; prochaines étapes validées.",
    "call": "Échange téléphonique sur le calendrier et les données à partager.",
    "event": "Rencontre lors d'un événement de l'écosystème ; intérêt pour un nouveau projet.",
    "site_visit": "Visite de terrain avec les services concernés.",
    "agreement_signed": "Signature de la convention en présence des élus.",
}
FOLLOW_UPS = [
    "Envoyer le compte rendu et la liste des jeux de données.",
    "Organiser un atelier avec les services techniques.",
    "Préparer l'avenant pour le prochain conseil.",
    "",
    "",
]


def _suffix(k: int) -> str:
    return "" if k == 1 else f" — secteur {k}"


def add_relationships(builder) -> None:
    rng = random.Random(f"orchestre-demo-relationships-{builder.scale}")
    today = builder.today
    partners = {p.name: p for p in Partner.objects.all()}
    domain_of, domains_of = {}, {}
    for project_id, slug in Project.domains.through.objects.values_list("project_id", "domain__slug"):
        domain_of.setdefault(project_id, slug)
        domains_of.setdefault(project_id, set()).add(slug)
    projects = list(Project.objects.filter(is_archived=False).order_by("start_date", "pk"))
    by_domain: dict[str, list[Project]] = {}
    for project in projects:
        by_domain.setdefault(domain_of.get(project.pk, ""), []).append(project)
    services = {s.pk: s for s in Service.objects.all()}
    by_acronym = {s.acronym: s for s in services.values()}

    def service(acronym: str | None, k: int) -> Service | None:
        return by_acronym.get(f"{acronym}{'' if k == 1 else k}") if acronym else None

    linked = set(ProjectPartner.objects.values_list("project_id", "partner_id"))
    links, agreements_made, assets_made = [], [], []
    agreement_projects, agreement_partners, agreement_services = [], [], []
    produced, used = [], []

    for k in range(1, builder.scale + 1):
        # Long-standing partners: two projects each walk the whole path.
        for name in LONG_STANDING:
            partner = partners.get(name + _suffix(k))
            if partner is None:
                continue
            # Projects of the partner's trade (partner_fit): an energy firm on energy projects.
            trade = _trade(name)
            candidates = [
                p
                for p in projects
                if (p.pk, partner.pk) not in linked and (not trade or trade & domains_of.get(p.pk, set()))
            ]
            for project in candidates[: 2 + rng.randrange(2)]:
                linked.add((project.pk, partner.pk))
                start = today - datetime.timedelta(days=rng.randint(1500, 2300))
                for kind, length in PATH:
                    end = None if length is None else start + datetime.timedelta(days=length + rng.randint(-60, 60))
                    links.append(
                        ProjectPartner(
                            project=project, partner=partner, relationship=kind, start_date=start, end_date=end
                        )
                    )
                    start = end
        # Agreements.
        for title, kind, names, domain, years, length, status, reference in AGREEMENTS:
            start = today - datetime.timedelta(days=365 * years + rng.randint(0, 120))
            end = start + datetime.timedelta(days=length) if length else None
            if title in ENDING_SOON:
                end = today + datetime.timedelta(days=ENDING_SOON[title])
            elif status == "in_force" and end is not None and end <= today + datetime.timedelta(days=120):
                end = today + datetime.timedelta(days=400 + rng.randint(0, 300))
            elif status == "ended" and end is not None and end >= today:
                end = today - datetime.timedelta(days=rng.randint(30, 200))
            agreement = Agreement(
                title=title + _suffix(k),
                kind=kind,
                status=status,
                start_date=start,
                end_date=end,
                document_reference=reference,
                notes="",
            )
            agreements_made.append(agreement)
            agreement_partners.append([partners[n + _suffix(k)] for n in names if n + _suffix(k) in partners])
            pool = by_domain.get(domain, [])
            agreement_projects.append(rng.sample(pool, min(len(pool), rng.randint(1, 3))))
            party = service(DOMAIN_SERVICE.get(domain), k)
            agreement_services.append([party.pk] if party else [])
    Agreement.objects.bulk_create(agreements_made)
    ProjectPartner.objects.bulk_create(links)
    through = Agreement.partners.through
    through.objects.bulk_create(
        [
            through(agreement_id=a.pk, partner_id=p.pk)
            for a, ps in zip(agreements_made, agreement_partners, strict=True)
            for p in ps
        ]
    )
    through = Agreement.projects.through
    through.objects.bulk_create(
        [
            through(agreement_id=a.pk, project_id=p.pk)
            for a, ps in zip(agreements_made, agreement_projects, strict=True)
            for p in ps
        ]
    )
    through = Agreement.services.through
    through.objects.bulk_create(
        [
            through(agreement_id=a.pk, service_id=s)
            for a, ss in zip(agreements_made, agreement_services, strict=True)
            for s in ss
        ]
    )
    agreements = {a.title: a for a in agreements_made}

    # Data assets.
    for k in range(1, builder.scale + 1):
        for (
            name,
            description,
            domain,
            holder,
            partner_name,
            agreement_title,
            licence,
            open_data,
            personal,
            freq,
            pub,
        ) in ASSETS:
            holder_partner = partners.get(partner_name + _suffix(k)) if partner_name else None
            asset = DataAsset(
                name=name + _suffix(k),
                description=description,
                holder=holder,
                holder_partner=holder_partner,
                holder_service=service(ASSET_SERVICE.get(name), k),
                agreement=agreements.get(agreement_title + _suffix(k)) if agreement_title else None,
                licence=licence,
                open_data=open_data,
                personal_data=personal,
                update_frequency=freq,
                publication_url=f"https://data.orvalle.example/jeux/{len(assets_made) + 1}" if pub else "",
            )
            assets_made.append(asset)
            pool = by_domain.get(domain, [])
            produced.append(rng.sample(pool, min(len(pool), 1)))
            used.append(rng.sample(pool, min(len(pool), rng.randint(1, 4))))
    DataAsset.objects.bulk_create(assets_made)
    through = DataAsset.produced_by.through
    through.objects.bulk_create(
        [through(dataasset_id=a.pk, project_id=p.pk) for a, ps in zip(assets_made, produced, strict=True) for p in ps]
    )
    through = DataAsset.used_by.through
    through.objects.bulk_create(
        [
            through(dataasset_id=a.pk, project_id=p.pk)
            for a, ps, made in zip(assets_made, used, produced, strict=True)
            for p in ps
            if p not in made
        ]
    )

    # Interactions over the last two years; a quarter of the partners left quiet.
    people = list(User.objects.filter(username__in=["lead", "director.mobility", "director.culture"]).order_by("pk"))
    contacts: dict[int, list[int]] = {}
    for contact_id, partner_id in ContactPerson.objects.values_list("pk", "partner_id").order_by("pk"):
        contacts.setdefault(partner_id, []).append(contact_id)
    service_ids = sorted(services)
    interactions, extra = [], []
    kinds = ["meeting", "meeting", "call", "call", "event", "site_visit"]
    long_standing = {
        partners[n + _suffix(k)].pk
        for n in LONG_STANDING
        for k in range(1, builder.scale + 1)
        if n + _suffix(k) in partners
    }
    for partner in sorted(partners.values(), key=lambda p: p.pk):
        regular = partner.pk in long_standing
        if not regular and rng.random() < 0.25:
            continue  # quiet: nothing recorded
        count = rng.randint(5, 9) if regular else rng.randint(1, 4)
        horizon = 700 if regular or rng.random() < 0.6 else 700 - 200
        for _ in range(count):
            day = today - datetime.timedelta(days=rng.randint(3 if regular else 200, horizon))
            kind = rng.choice(kinds)
            interactions.append(
                Interaction(
                    partner=partner,
                    kind=kind,
                    happened_on=day,
                    city_contact=rng.choice(people) if people else None,
                    note=INTERACTION_NOTES[kind],
                    follow_up=rng.choice(FOLLOW_UPS),
                )
            )
            extra.append(
                (
                    rng.sample(service_ids, rng.randint(0, 2)),
                    rng.sample(contacts.get(partner.pk, []), min(len(contacts.get(partner.pk, [])), rng.randint(0, 2))),
                )
            )
    for agreement, ps in zip(agreements_made, agreement_partners, strict=True):
        if agreement.status in ("in_force", "ended") and agreement.start_date and ps:
            interactions.append(
                Interaction(
                    partner=ps[0],
                    kind="agreement_signed",
                    happened_on=agreement.start_date,
                    city_contact=people[0] if people else None,
                    note=INTERACTION_NOTES["agreement_signed"] + " " + agreement.title,
                )
            )
            extra.append(([], []))
    Interaction.objects.bulk_create(interactions)
    through = Interaction.services.through
    through.objects.bulk_create(
        [
            through(interaction_id=i.pk, service_id=s)
            for i, (ss, _c) in zip(interactions, extra, strict=True)
            for s in ss
        ]
    )
    through = Interaction.contacts.through
    through.objects.bulk_create(
        [
            through(interaction_id=i.pk, contactperson_id=c)
            for i, (_s, cs) in zip(interactions, extra, strict=True)
            for c in cs
        ]
    )
    builder.counts.update(
        agreements=len(agreements_made),
        data_assets=len(assets_made),
        interactions=len(interactions),
        relationship_steps=len(links),
    )
