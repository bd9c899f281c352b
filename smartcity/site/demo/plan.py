"""The demo city's smart-city plan: five objectives with measurable
targets, the projects that serve them, committed budgets, and a dozen ideas
and partners' proposals at every stage of the pipeline, each decision with
its reason and its decider.

Deterministic (its own seeded generator, dates from the builder's
``today``); the plan and the ideas are written once whatever the scale, the
projects' links and committed budgets follow the scale."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import User

from partners.models import Partner, Service
from programmes.models import (
    Idea,
    IdeaState,
    IdeaTransition,
    Objective,
    Phase,
    Project,
    ProjectPartner,
    SmartCityPlan,
    Target,
)
from programmes.rules import proposal_relationship

from .partner_fit import _trade

# code, title, description, domain slugs, programme positions, targets
# (label, unit, baseline, target, years from the plan's start, share done so far or None)
OBJECTIVES = [
    (
        "O1",
        "Décarboner les déplacements",
        "Faire passer les trajets du quotidien de la voiture individuelle aux transports partagés et aux modes actifs.",
        ["mobilite"],
        [0],
        [
            ("Part modale des transports en commun", "%", "18", "25", 6, 0.45),
            ("Points de recharge publics", "points", "120", "600", 5, 0.6),
        ],
    ),
    (
        "O2",
        "Réduire la consommation d'énergie du patrimoine public",
        "Mesurer, piloter et rénover : écoles, gymnases, éclairage public.",
        ["energie", "habitat"],
        [0],
        [("Consommation des bâtiments publics", "GWh/an", "210", "160", 6, 0.3)],
    ),
    (
        "O3",
        "Partager les données du territoire",
        "Ouvrir les données publiques et organiser leur partage avec les délégataires et les partenaires.",
        ["gouvernance"],
        [1],
        [
            ("Jeux de données ouverts", "jeux", "45", "200", 4, 0.7),
            ("Conventions de partage de données signées", "conventions", "3", "20", 5, None),
        ],
    ),
    (
        "O4",
        "Adapter la ville aux fortes chaleurs",
        "Îlots de fraîcheur, arbres, capteurs de température dans les quartiers les plus exposés.",
        ["environnement"],
        [0, 2],
        [
            ("Îlots de fraîcheur aménagés", "îlots", "12", "40", 6, 0.25),
            ("Arbres plantés depuis 2024", "arbres", "0", "15000", 6, 0.4),
        ],
    ),
    (
        "O5",
        "Rapprocher le numérique des habitants",
        "Écoles, médiathèques et lieux de culture : le programme doit aussi servir là où il est le moins attendu.",
        ["education", "culture"],
        [2],
        [
            ("Écoles équipées d'un espace numérique", "écoles", "30", "120", 5, 0.2),
            ("Médiathèques ouvertes le dimanche", "médiathèques", "2", "8", 4, 0.5),
        ],
    ),
]

# (kind, title, need, benefit, domain, proposing service or partner category, technology, path)
# path: the states after "new", each with its reason and how many days ago.
IDEAS = [
    (
        "idea",
        "Information voyageurs dans les abribus des quartiers nord",
        "Les usagers des lignes 7 et 12 n'ont aucune information en temps réel aux arrêts.",
        "Moins d'attente subie, plus de fréquentation hors heures de pointe.",
        "mobilite",
        "TC",
        "",
        [],
    ),
    (
        "idea",
        "Prêt de liseuses dans les médiathèques de quartier",
        "Les lecteurs âgés demandent des ouvrages en gros caractères que le fonds ne couvre pas.",
        "Un fonds élargi sans nouveaux rayonnages.",
        "culture",
        "BIBL",
        "",
        [
            (
                "under_study",
                "Étude de coût demandée au service ; à rapprocher du projet de portail des médiathèques.",
                20,
            )
        ],
    ),
    (
        "idea",
        "Capteurs de fréquentation des parcs pendant les canicules",
        "Savoir quels parcs servent de refuge lors des fortes chaleurs pour adapter les horaires d'ouverture.",
        "Ouvertures nocturnes ciblées, arrosage priorisé.",
        "environnement",
        "",
        "",
        [("under_study", "Cohérent avec l'objectif O4 ; la DENV chiffre le besoin.", 35)],
    ),
    (
        "idea",
        "Covoiturage des agents entre les sites de la métropole",
        "Les agents se déplacent seuls en voiture entre les sites administratifs.",
        "Moins de véhicules de service, moins d'émissions.",
        "mobilite",
        "TC",
        "",
        [
            ("under_study", "Pertinent ; enquête auprès des agents à mener.", 70),
            ("accepted", "Enquête concluante (62 % d'intéressés) ; financement sur le programme sobriété.", 12),
        ],
    ),
    (
        "idea",
        "Application de réservation des salles de quartier",
        "Les associations réservent les salles par téléphone et courrier.",
        "Moins de travail administratif, salles mieux occupées.",
        "gouvernance",
        "",
        "",
        [
            ("under_study", "Demande récurrente des mairies de quartier.", 90),
            ("declined", "Un outil régional gratuit existe déjà : on oriente les associations vers lui.", 25),
        ],
    ),
    (
        "idea",
        "Jeux vidéo patrimoniaux pour les collégiens",
        "Faire découvrir le patrimoine de la ville autrement qu'en visite guidée.",
        "Une porte d'entrée vers les musées pour un public qui n'y va pas.",
        "culture",
        "BIBL",
        "",
        [("parked", "Bonne idée, mais aucun budget culture disponible avant le prochain exercice.", 18)],
    ),
    (
        "idea",
        "Tableau de bord énergie pour les gestionnaires d'écoles",
        "Les directeurs d'école ne voient pas la consommation de leur bâtiment.",
        "Des gestes simples, mesurés, partagés avec les élèves.",
        "energie",
        "",
        "",
        [
            ("under_study", "Lien direct avec l'objectif O2.", 120),
            ("parked", "En attente de la pose des compteurs communicants (2026).", 60),
            ("under_study", "Compteurs posés plus tôt que prévu dans 14 écoles : on reprend l'étude.", 8),
        ],
    ),
    (
        "proposal",
        "Jumeau numérique des réseaux d'eau",
        "Modéliser le réseau pour localiser les fuites avant qu'elles ne coûtent.",
        "Moins de pertes en réseau, interventions planifiées.",
        "environnement",
        "company",
        "Jumeau numérique, capteurs acoustiques",
        [],
    ),
    (
        "proposal",
        "Analyse des flux piétons par caméras anonymisantes",
        "Mesurer la fréquentation du centre-ville sans suivre les personnes.",
        "Aménagements fondés sur des comptages réels.",
        "mobilite",
        "company",
        "Vision par ordinateur embarquée, floutage à la source",
        [("under_study", "Avis du délégué à la protection des données demandé avant toute expérimentation.", 15)],
    ),
    (
        "proposal",
        "Expérimentation de lampadaires à détection de présence",
        "Réduire l'éclairage des voies peu fréquentées la nuit.",
        "Jusqu'à 40 % d'économie sur l'éclairage public concerné.",
        "energie",
        "research",
        "Détection radar basse consommation",
        [
            ("under_study", "Le laboratoire propose un protocole d'évaluation sur deux rues.", 80),
            ("accepted", "Protocole validé ; pilote sur le quartier des Tanneurs.", 30),
        ],
    ),
    (
        "proposal",
        "Plateforme de données des bailleurs sociaux",
        "Croiser les données de consommation des logements sociaux pour cibler les rénovations.",
        "Des rénovations priorisées là où elles rapportent le plus.",
        "habitat",
        "company",
        "Entrepôt de données, tableaux de bord",
        [("declined", "Recoupe la plateforme régionale déjà financée ; pas de second outil.", 40)],
    ),
    (
        "proposal",
        "Modélisation des îlots de chaleur par satellite",
        "Cartographier finement les températures de surface, quartier par quartier.",
        "Des plantations là où la chaleur est la plus forte.",
        "environnement",
        "research",
        "Imagerie satellitaire thermique",
        [
            ("under_study", "Utile à l'objectif O4 ; demande de devis.", 50),
            ("parked", "Reporté : la campagne de mesures au sol doit d'abord aboutir.", 10),
        ],
    ),
    (
        "proposal",
        "Bornes de recharge sur les candélabres",
        "Installer des points de recharge lente sur l'éclairage public existant.",
        "Des recharges de proximité sans travaux de voirie.",
        "mobilite",
        "company",
        "Recharge lente intégrée aux candélabres",
        [],
    ),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def add_plan(builder) -> None:
    """Called once by ``DemoBuilder.build``."""
    rng = random.Random(f"orchestre-plan-{builder.scale}")
    today = builder.today
    lead = _user("lead")
    _committed_budgets(builder, rng)
    start = datetime.date(today.year - 2, 1, 1)
    plan = SmartCityPlan.objects.create(
        title="Orvalle, métropole intelligente et sobre 2024–2030",
        summary=(
            "Le plan adopté par la métropole : cinq objectifs mesurables, portés par les programmes et "
            "les projets du portefeuille, revus chaque année devant le comité de pilotage."
        ),
        period_start=start,
        period_end=datetime.date(today.year + 4, 12, 31),
        adopted_on=start - datetime.timedelta(days=45),
        adopted_by="Conseil métropolitain d'Orvalle",
    )
    links, n_targets = [], 0
    for position, (code, title, description, slugs, programme_positions, targets) in enumerate(OBJECTIVES):
        objective = Objective.objects.create(
            plan=plan, code=code, title=title, description=description, position=position
        )
        objective.domains.set([builder.domains[s] for s in slugs if s in builder.domains])
        objective.programmes.set([builder.programmes[i] for i in programme_positions if i < len(builder.programmes)])
        for project, domains in zip(builder.projects, builder.project_domains, strict=True):
            if domains[0] in slugs and rng.random() < 0.8:
                links.append(Objective.projects.through(objective_id=objective.pk, project_id=project.pk))
        for label, unit, baseline, target, years, done in targets:
            baseline, target = Decimal(baseline), Decimal(target)
            current = None
            if done is not None:
                current = (baseline + (target - baseline) * Decimal(str(done))).quantize(Decimal("1"))
            Target.objects.create(
                objective=objective,
                label=label,
                unit=unit,
                baseline=baseline,
                target_value=target,
                target_date=datetime.date(start.year + years, 12, 31),
                current_value=current,
                measured_on=today - datetime.timedelta(days=rng.randint(20, 120)) if current is not None else None,
            )
            n_targets += 1
    Objective.projects.through.objects.bulk_create(links)
    n_ideas = _ideas(builder, rng, lead)
    builder.counts.update(objectives=len(OBJECTIVES), targets=n_targets, ideas=n_ideas)


def _committed_budgets(builder, rng: random.Random) -> None:
    """Committed lies between spent and planned (orders signed, not all paid)."""
    for project in builder.projects:
        planned, spent = project.budget_planned, project.budget_spent
        top = max(planned, spent)
        project.budget_committed = (spent + (top - spent) * Decimal(rng.randint(20, 90)) / 100).quantize(Decimal("1"))
    Project.objects.bulk_update(builder.projects, ["budget_committed"], batch_size=500)


def _project_from(builder, idea: Idea, days_ago: int, *, number: int) -> Project:
    """An accepted idea's project, as ``services.idea_accept`` makes it: in
    emergence, the idea's need as its summary, no budget voted yet, led by
    the service of its theme; a proposal's partner joins it as the rule says
    (``proposal_relationship``), its technology as its role, from the day
    it was accepted."""
    slug = idea.domain.slug if idea.domain else ""
    lead = (
        idea.proposing_service
        or builder._themed_lead(f"{idea.title} {idea.need}")
        or (builder.services_by_domain.get(slug) or builder.services)[0]
    )
    accepted_on = builder.today - datetime.timedelta(days=days_ago)
    project = Project.objects.create(
        programme=builder.programmes[number % len(builder.programmes)],
        code=f"IDEE-{number:03d}",
        name=idea.title,
        summary=idea.need,
        lead_service=lead,
        phase=Phase.EMERGENCE,
        start_date=accepted_on,
    )
    if idea.domain:
        project.domains.set([idea.domain])
    if idea.partner is not None:
        ProjectPartner.objects.create(
            project=project,
            partner=idea.partner,
            relationship=proposal_relationship(idea.partner),
            role=idea.technology,
            start_date=accepted_on,
        )
    return project


def _ideas(builder, rng: random.Random, lead: User | None) -> int:
    services = {s.acronym: s for s in builder.services}
    by_category: dict[str, list[Partner]] = {}
    for partner in builder.partners:
        by_category.setdefault(partner.category, []).append(partner)
    tz = builder.tz
    transitions = []
    # A dozen per sector: the copies made at scale > 1 carry the sector's number.
    copies = [(k, i, spec) for k in range(1, builder.scale + 1) for i, spec in enumerate(IDEAS)]
    for k, index, (kind, title, need, benefit, slug, origin, technology, path) in copies:
        title = title if k == 1 else f"{title} — secteur {k}"
        origin = origin if k == 1 or kind == Idea.Kind.PROPOSAL or not origin else f"{origin}{k}"
        days_old = (path[0][2] if path else 10) + rng.randint(10, 60)
        created = datetime.datetime.combine(builder.today - datetime.timedelta(days=days_old), datetime.time(9), tz)
        idea = Idea(kind=kind, title=title, need=need, benefit=benefit, domain=builder.domains.get(slug))
        if kind == Idea.Kind.PROPOSAL:
            pool = by_category.get(origin) or builder.partners
            # A partner of the proposal's trade where the category has one.
            pool = [p for p in pool if slug in (_trade(p.name) or ())] or pool
            idea.partner = pool[(index + k) % len(pool)]
            idea.technology = technology
            idea.contact = (
                f"{rng.choice(['Camille', 'Romain', 'Inès', 'Hugo'])} {rng.choice(['Vernay', 'Lacombe', 'Poyet'])}"
            )
            idea.received_on = created.date()
            idea.proposed_by = lead
        else:
            service: Service | None = services.get(origin)
            idea.proposing_service = service
            idea.proposed_by = (service.director if service is not None else None) or lead
        final = path[-1][0] if path else IdeaState.NEW
        idea.state = final
        if final == IdeaState.ACCEPTED:
            idea.project = _project_from(builder, idea, path[-1][2], number=(k - 1) * len(IDEAS) + index + 1)
        idea.save()
        Idea.objects.filter(pk=idea.pk).update(created_at=created)
        if idea.proposing_service:
            idea.services_concerned.set([idea.proposing_service])
        first_reason = "Proposition enregistrée." if kind == Idea.Kind.PROPOSAL else "Idée proposée."
        transitions.append(
            IdeaTransition(
                idea=idea,
                from_state="",
                to_state=IdeaState.NEW,
                reason=first_reason,
                decided_by=idea.proposed_by,
                decided_at=created,
            )
        )
        previous = IdeaState.NEW
        for state, reason, days_ago in path:
            at = datetime.datetime.combine(builder.today - datetime.timedelta(days=days_ago), datetime.time(11), tz)
            transitions.append(
                IdeaTransition(
                    idea=idea, from_state=previous, to_state=state, reason=reason, decided_by=lead, decided_at=at
                )
            )
            previous = state
        if path:
            Idea.objects.filter(pk=idea.pk).update(state_changed_at=transitions[-1].decided_at)
    IdeaTransition.objects.bulk_create(transitions)
    return len(copies)
