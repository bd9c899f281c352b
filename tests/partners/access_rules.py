from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import LEAD_ONLY, READ, Rule

LEAD_FORM = {"get": LEAD_ONLY, "post": LEAD_ONLY}


def _service_data(w, **extra):
    return {"name": "Service écrit", "acronym": "SEC", "kind": "service", "acculturation": 2, **extra}


def _partner_data(w, **extra):
    return {"name": "Partenaire écrit", "category": "research", **extra}


RULES = {
    # The pickers' type-ahead searches: read-only, like the lists they search.
    "partners:service_pick": Rule(query="?q=serv"),
    "partners:partner_pick": Rule(query="?q=part"),
    "partners:official_pick": READ,
    "partners:service_list": READ,
    "partners:service_export": Rule(query="?format=xlsx"),
    "partners:service_detail": Rule(kwargs=lambda w: {"pk": w["service"].pk}),
    "partners:service_create": Rule(**LEAD_FORM, post_data=_service_data),
    "partners:service_import": Rule(
        **LEAD_FORM,
        post_data=lambda w: {"file": SimpleUploadedFile("s.csv", b"acronym;name\nIMP;Service import\xc3\xa9\n")},
    ),
    "partners:service_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["service"].pk},
        post_data=lambda w: _service_data(w, token=w["service"].updated_at.isoformat()),
    ),
    "partners:service_acculturation": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["service"].pk},
        post_data=lambda w: {
            "level": 3,
            "changed_on": "2024-01-15",
            "reason": "Atelier",
            "token": w["service"].updated_at.isoformat(),
        },
    ),
    "partners:service_archive": Rule(**LEAD_FORM, kwargs=lambda w: {"pk": w["service"].pk}),
    "partners:partner_list": READ,
    "partners:partner_export": Rule(query="?format=csv"),
    "partners:partner_detail": Rule(kwargs=lambda w: {"pk": w["partner"].pk}),
    "partners:partner_create": Rule(**LEAD_FORM, post_data=_partner_data),
    "partners:partner_import": Rule(
        **LEAD_FORM,
        post_data=lambda w: {"file": SimpleUploadedFile("p.csv", b"name;category\nImport SA;company\n")},
    ),
    "partners:partner_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["partner"].pk},
        post_data=lambda w: _partner_data(w, token=w["partner"].updated_at.isoformat()),
    ),
    "partners:partner_archive": Rule(**LEAD_FORM, kwargs=lambda w: {"pk": w["partner"].pk}),
    "partners:contact_create": Rule(
        **LEAD_FORM, kwargs=lambda w: {"pk": w["partner"].pk}, post_data=lambda w: {"first_name": "A", "last_name": "B"}
    ),
    "partners:contact_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["contact"].pk},
        post_data=lambda w: {"first_name": "C", "last_name": "D", "token": w["contact"].updated_at.isoformat()},
    ),
    "partners:contact_archive": Rule(**LEAD_FORM, kwargs=lambda w: {"pk": w["contact"].pk}),
}


# --- Interactions with partners (issue 15) ---
RULES |= {
    "partners:interaction_create": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["partner"].pk},
        post_data=lambda w: {"kind": "call", "happened_on": "2025-02-03", "note": "Appel"},
    ),
    "partners:interaction_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["interaction"].pk},
        post_data=lambda w: {
            "kind": "event",
            "happened_on": "2025-02-04",
            "token": w["interaction"].updated_at.isoformat(),
        },
    ),
}


# --- Awareness actions (issue 14): everybody signed in reads the log; the lead writes.


def _awareness(world):
    from partners.models import AwarenessAction

    action = AwarenessAction.objects.filter(title="Atelier de test").first()
    if action is None:
        action = AwarenessAction.objects.create(kind="workshop", held_on="2024-03-01", title="Atelier de test")
        action.services.add(world["service"])
    return action


def _awareness_data(world, **extra):
    return {
        "kind": "demo",
        "held_on": "2024-04-02",
        "title": "Démonstration",
        "services": [world["service"].pk],
        "people": "4",
        **extra,
    }


RULES |= {
    "partners:awareness_list": READ,
    "partners:awareness_create": Rule(**LEAD_FORM, post_data=_awareness_data),
    "partners:awareness_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": _awareness(w).pk},
        post_data=lambda w: _awareness_data(w, token=_awareness(w).updated_at.isoformat()),
    ),
    "partners:awareness_archive": Rule(**LEAD_FORM, kwargs=lambda w: {"pk": _awareness(w).pk}),
}


# --- History pages (issue 13): read like the pages they belong to. ---
RULES |= {
    "partners:service_history": Rule(kwargs=lambda w: {"pk": w["service"].pk}),
    "partners:partner_history": Rule(kwargs=lambda w: {"pk": w["partner"].pk}),
}
