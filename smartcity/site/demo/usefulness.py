"""The demo city's proof of usefulness (issue 14): awareness actions aimed
mostly at the lagging education and culture services (with a few planned
ones and next steps), usefulness sheets on a few themed projects, and
indicators measured every six months over nearly three years, with standard
codes where one fits. All values are invented.

Deterministic (its own seeded generator, dates from the builder's
``today``) and bulk-written."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import User

from partners.models import AwarenessAction, Service
from programmes.models import Indicator, IndicatorCode, IndicatorValue, Project, UsefulnessSheet

# (day offset from today, kind, title, services reached, people, note, next step, next step in days)
ACTIONS = [
    (
        -840,
        "presentation",
        "Présentation du programme au comité de direction de l'Éducation",
        ["DEDU", "VSCO", "BATS"],
        14,
        "Accueil poli ; la question posée : « qu'est-ce que ça change pour les écoles ? »",
        "",
        None,
    ),
    (
        -760,
        "visit",
        "Visite du poste de pilotage de l'éclairage public",
        ["BATS", "REST"],
        6,
        "Les agents des bâtiments scolaires ont vu les courbes de consommation : déclic sur le pilotage énergétique.",
        "Proposer un pilote sur deux groupes scolaires",
        -700,
    ),
    (
        -690,
        "workshop",
        "Atelier « données des écoles » avec les directeurs d'école",
        ["VSCO", "BATS", "REST"],
        18,
        "Trois irritants retenus : réservation de la cantine, chauffage le week-end, qualité de l'air.",
        "",
        None,
    ),
    (
        -620,
        "presentation",
        "Le programme expliqué aux équipes de la Culture",
        ["DCUL", "BIBL", "MUSE", "ARCH"],
        22,
        "Peu de lien perçu avec le métier ; intérêt des Archives pour la numérisation.",
        "",
        None,
    ),
    (
        -540,
        "demo",
        "Démonstration du prêt sans contact dans une médiathèque d'une ville voisine",
        ["BIBL"],
        5,
        "La responsable des médiathèques demande les chiffres de fréquentation avant/après.",
        "Envoyer la fiche d'utilité de l'éclairage comme exemple",
        -520,
    ),
    (
        -430,
        "training",
        "Formation « lire un tableau de bord » pour les cadres de l'Éducation",
        ["VSCO", "PENF", "BATS"],
        12,
        "Bonne participation ; la Petite enfance veut suivre les inscriptions en crèche.",
        "",
        None,
    ),
    (
        -360,
        "workshop",
        "Atelier co-construction du portail famille",
        ["VSCO", "PENF", "DNSI"],
        15,
        "Le service Vie scolaire accepte de co-piloter le portail famille.",
        "",
        None,
    ),
    (
        -300,
        "visit",
        "Visite des réserves numérisées des Archives départementales",
        ["ARCH", "MUSE"],
        7,
        "Les Musées envisagent une visite augmentée ; besoin d'un partenaire.",
        "Présenter les partenaires numériques du programme aux Musées",
        -250,
    ),
    (
        -210,
        "presentation",
        "Bilan de la première année de pilotage énergétique des écoles",
        ["BATS", "DEDU"],
        9,
        "Baisse de consommation mesurée : la direction de l'Éducation demande l'extension à dix écoles.",
        "",
        None,
    ),
    (
        -150,
        "workshop",
        "Atelier spectacle vivant : billetterie et données de fréquentation",
        ["SPEC", "BIBL"],
        10,
        "Le Spectacle vivant reste réservé : peur d'une charge de saisie.",
        "Montrer le rapport en une page aux directeurs concernés",
        -90,
    ),
    (
        -60,
        "demo",
        "Démonstration de la billetterie culturelle unique",
        ["SPEC", "MUSE", "BIBL"],
        11,
        "Intérêt réel des Musées ; le Spectacle vivant attend les premiers chiffres.",
        "Revoir le Spectacle vivant avec les chiffres du trimestre",
        20,
    ),
    (
        -25,
        "training",
        "Prise en main du rapport d'avancement pour les directeurs de la Culture",
        ["BIBL", "MUSE", "ARCH"],
        8,
        "Chacun a rempli son premier rapport en moins de cinq minutes.",
        "",
        None,
    ),
    (12, "workshop", "Atelier qualité de l'air dans les écoles", ["BATS", "VSCO", "AIR"], 0, "", "", None),
    (30, "visit", "Visite du réseau de chaleur piloté pour la Petite enfance", ["PENF", "RCHA"], 0, "", "", None),
    (
        55,
        "presentation",
        "Présentation des résultats au comité de direction de la Culture",
        ["DCUL", "SPEC", "ARCH"],
        0,
        "",
        "",
        None,
    ),
]

# Project name pattern -> indicators: (code or None, name, unit, direction, baseline, target, yearly change)
INDICATORS = [
    (
        r"^Éclairage public intelligent",
        [
            (("iso37120", "7.6"), "Consommation de l'éclairage public", "MWh/km/an", "down", 42.0, 24.0, -5.5),
            (("iso37122", "7.3"), "Points lumineux pilotés à distance", "%", "up", 8.0, 90.0, 24.0),
        ],
    ),
    (
        r"^Pilotage énergétique des écoles",
        [
            (("iso37120", "7.5"), "Consommation d'énergie des écoles", "kWh/m²/an", "down", 182.0, 140.0, -12.0),
        ],
    ),
    (
        r"^Information voyageurs en temps réel",
        [
            (("iso37122", "19.2"), "Arrêts avec information en temps réel", "%", "up", 22.0, 80.0, 17.0),
        ],
    ),
    (
        r"^Compteurs vélo connectés",
        [
            (("iso37120", "19.3"), "Part des trajets domicile-travail hors voiture", "%", "up", 41.0, 50.0, 1.6),
        ],
    ),
    (
        r"^Détection des fuites du réseau d'eau",
        [
            (("iso37120", "23.5"), "Pertes du réseau d'eau", "%", "down", 21.0, 14.0, -1.9),
        ],
    ),
    (
        r"^Capteurs de qualité de l'air",
        [
            (("iso37120", "8.4"), "Concentration moyenne en NO₂", "µg/m³", "down", 34.0, 25.0, -1.8),
        ],
    ),
    (
        r"^Écoles numériques",
        [
            (("iso37122", "6.2"), "Élèves équipés d'outils numériques en classe", "%", "up", 35.0, 85.0, 13.0),
        ],
    ),
    (
        r"^Numérisation des archives",
        [
            (("iso37122", "17.2"), "Fonds d'archives numérisés", "%", "up", 6.0, 40.0, 9.0),
        ],
    ),
    (
        r"^Médiathèques : prêt sans contact",
        [
            (None, "Prêts par an dans les médiathèques", "prêts", "up", 412000, 460000, 11000),
        ],
    ),
]

SHEETS = {
    r"^Éclairage public intelligent": (
        "Les lampadaires baissent d'intensité aux heures creuses et signalent leurs pannes : la consommation de "
        "l'éclairage a baissé d'un tiers et les pannes sont réparées en deux jours au lieu de neuf.",
        "Les habitants (rues éclairées, pannes plus rares), le service Éclairage public (interventions ciblées), "
        "les finances de la métropole (facture d'électricité).",
        Decimal("1850000"),
        "Dont 40 % financés par un appel à projets ; retour sur investissement estimé à sept ans.",
        "Associer les communes dès le choix des horaires d'abaissement ; publier les données de pannes "
        "a fait gagner la confiance des élus de quartier.",
    ),
    r"^Pilotage énergétique des écoles": (
        "Le chauffage des écoles suit l'occupation réelle (vacances, week-ends, mercredis) : la consommation a "
        "baissé de 18 % dans les douze écoles équipées.",
        "Les enfants et les enseignants (confort constant), le service Bâtiments scolaires (alertes avant les "
        "pannes), la direction de l'Éducation (budget de fonctionnement libéré).",
        Decimal("420000"),
        "Capteurs et logiciel ; l'économie annuelle couvre la dépense en quatre ans.",
        "Partir d'un irritant des directeurs d'école (le chauffage le lundi matin) plutôt que de la technique ; "
        "le service des bâtiments scolaires est passé de spectateur à pilote.",
    ),
    r"^Information voyageurs en temps réel": (
        "Les voyageurs voient l'heure réelle de passage à l'arrêt et sur leur téléphone.",
        "Les usagers des bus et tramways, en particulier les personnes âgées qui n'ont pas de smartphone.",
        Decimal("960000"),
        "",
        "Les écrans aux arrêts comptent autant que l'application : la moitié des usagers âgés ne l'utilisent pas.",
    ),
    r"^Numérisation des archives": (
        "Les fonds les plus demandés sont consultables en ligne ; la salle de lecture accueille les recherches "
        "plus fines.",
        "Les chercheurs, les généalogistes, les écoles (dossiers pédagogiques), le service des Archives.",
        Decimal("180000"),
        "Subvention de l'État pour moitié.",
        "Commencer par les fonds que le public demande, pas par les plus anciens.",
    ),
}


def _project(pattern: str) -> Project | None:
    return Project.objects.filter(name__regex=pattern, is_archived=False).order_by("pk").first()


def add_usefulness(builder) -> None:
    rng = random.Random(f"orchestre-demo-usefulness-{builder.scale}")
    today = builder.today
    lead = User.objects.filter(username="lead").first()
    services = {s.acronym: s for s in Service.objects.all()}

    actions, links = [], []
    for offset, kind, title, acronyms, people, note, next_step, next_in in ACTIONS:
        held_on = today + datetime.timedelta(days=offset)
        actions.append(
            AwarenessAction(
                kind=kind,
                held_on=held_on,
                title=title,
                people=people,
                note=note,
                next_step=next_step,
                next_step_on=today + datetime.timedelta(days=next_in) if next_in is not None else None,
                recorded_by=lead,
            )
        )
        links.append([services[a] for a in acronyms if a in services])
    created = AwarenessAction.objects.bulk_create(actions)
    through = AwarenessAction.services.through
    through.objects.bulk_create(
        [
            through(awarenessaction_id=a.pk, service_id=s.pk)
            for a, reached in zip(created, links, strict=True)
            for s in reached
        ]
    )

    codes = {(c.framework, c.code): c for c in IndicatorCode.objects.all()}
    earliest = today - datetime.timedelta(days=1000)
    indicators, series = [], []
    for pattern, rows in INDICATORS:
        project = _project(pattern)
        if project is None:
            continue
        # Measured from the project's start (at least a year and a few values ago).
        start = max(earliest, min(project.start_date or earliest, today - datetime.timedelta(days=400)))
        for code, name, unit, direction, baseline, target, yearly in rows:
            indicator = Indicator(
                project=project,
                code=codes.get(code) if code else None,
                name=name,
                unit=unit,
                direction=direction,
                baseline=Decimal(str(baseline)),
                baseline_on=start,
                target=Decimal(str(target)),
                target_on=today + datetime.timedelta(days=540),
            )
            indicators.append(indicator)
            series.append((baseline, yearly, start))
    Indicator.objects.bulk_create(indicators)
    values = []
    for indicator, (baseline, yearly, start) in zip(indicators, series, strict=True):
        for step in range(1, 6):  # every six months, after the baseline
            day = start + datetime.timedelta(days=182 * step + rng.randrange(-10, 10))
            if day > today:
                break
            noise = rng.uniform(-0.15, 0.15) * abs(yearly) / 2
            value = baseline + yearly * step / 2 + noise
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    measured_on=day,
                    value=Decimal(str(round(value, 1))),
                    source="Relevé du service" if step % 2 else "Tableau de bord du prestataire",
                    recorded_by=lead,
                )
            )
    IndicatorValue.objects.bulk_create(values)

    sheets = []
    for pattern, (changed, for_whom, cost, cost_note, lessons) in SHEETS.items():
        project = _project(pattern)
        if project is not None:
            sheets.append(
                UsefulnessSheet(
                    project=project,
                    changed=changed,
                    for_whom=for_whom,
                    cost=cost,
                    cost_note=cost_note,
                    lessons=lessons,
                    updated_by=lead,
                )
            )
    UsefulnessSheet.objects.bulk_create(sheets)
    builder.counts["awareness_actions"] = len(created)
    builder.counts["indicators"] = len(indicators)
    builder.counts["indicator_values"] = len(values)
    builder.counts["usefulness_sheets"] = len(sheets)
