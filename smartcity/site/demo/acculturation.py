"""The demo city's acculturation: urban services (mobility, energy) ahead,
education and culture behind, as the people who run such programmes
describe it. Each service gets a dated trajectory on the five-level scale,
ending at its current level; a few lagging services moved up recently.

Deterministic (its own seeded generator, dates from the builder's ``today``)
and bulk-written."""

import datetime
import random

from django.contrib.auth.models import User

from partners.models import AcculturationChange, Service

# The level each direction has reached; its services sit at or just below it.
TARGET = {
    "DMOB": 5,
    "DENC": 5,
    "DENV": 4,
    "DNSI": 4,
    "DHAB": 3,
    "DECI": 3,
    "DCIT": 3,
    "DPRE": 2,
    "DEDU": 2,
    "DCUL": 1,
}
LAGGING = {"DEDU", "DCUL"}

REASONS = {
    1: "Évaluation initiale : le service ne voit pas encore de lien avec le programme.",
    2: "Présentation du programme au comité de direction du service ; intérêt exprimé.",
    3: "Participe aux comités de projet et répond aux sollicitations de l'équipe.",
    4: "Met un agent et ses données à disposition d'un projet piloté par un autre service.",
    5: "Pilote un projet du programme et entraîne d'autres services.",
}


def _root(service: Service) -> str:
    return (service.parent or service).acronym.rstrip("0123456789")


def add_acculturation(builder) -> None:
    rng = random.Random(f"orchestre-demo-acculturation-{builder.scale}")
    today = builder.today
    lead = User.objects.filter(username="lead").first()
    services = list(Service.objects.select_related("parent").order_by("pk"))
    changes = []
    for service in services:
        root = _root(service)
        target = TARGET.get(root, 3)
        if service.parent_id:
            target = max(1, min(5, target + rng.choice([-1, 0, 0])))
        if root in LAGGING:
            # Most stayed where they started; one in three moved up lately.
            start = target if rng.random() < 0.67 else max(1, target - 1)
        else:
            start = max(1, target - rng.choice([1, 2, 2, 3]))
        levels = list(range(start, target + 1))
        first = today - datetime.timedelta(days=900 + rng.randrange(120))
        span = (today - datetime.timedelta(days=30) - first).days
        previous = None
        for i, level in enumerate(levels):
            offset = span * i // max(1, len(levels) - 1) if len(levels) > 1 else 0
            if root in LAGGING and i > 0:
                offset = span - rng.randrange(20, 90)  # the recent move up
            changes.append(
                AcculturationChange(
                    service=service,
                    level=level,
                    previous_level=previous,
                    changed_on=first + datetime.timedelta(days=offset),
                    reason=REASONS[level],
                    recorded_by=lead,
                )
            )
            previous = level
        service.acculturation = target
    Service.objects.bulk_update(services, ["acculturation"])
    AcculturationChange.objects.bulk_create(changes)
    builder.counts["acculturation_changes"] = len(changes)
