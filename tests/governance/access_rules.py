from governance import services
from tests.access import EVERYONE, LEAD_ONLY, NOBODY, READ, Rule

LEAD_FORM = {"get": LEAD_ONLY, "post": LEAD_ONLY}
LEAD_POST = {"get": NOBODY, "post": LEAD_ONLY}


def _meeting(w):
    return {"pk": w["meeting"].pk}


def _pack_delivery(w):
    """A logged pack e-mail of the world's meeting, made on first use."""
    from governance.models import PackDelivery, PackEdition

    edition, _ = PackEdition.objects.get_or_create(
        meeting=w["meeting"], number=1, defaults={"fingerprint": "f" * 64, "data": {}}
    )
    delivery = PackDelivery.objects.filter(edition=edition).first() or PackDelivery.objects.create(
        edition=edition, official=w["official"], email="elu@orvalle.example", status="sent"
    )
    return {"pk": w["meeting"].pk, "delivery_pk": delivery.pk}


RULES = {
    "governance:dashboard": READ,
    "governance:official_list": READ,
    "governance:official_detail": Rule(kwargs=lambda w: {"pk": w["official"].pk}),
    "governance:official_create": Rule(
        **LEAD_FORM, post_data=lambda w: {"first_name": "Jean", "last_name": "Élu", "delegation": "Culture"}
    ),
    "governance:official_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["official"].pk},
        post_data=lambda w: {
            "first_name": "Jean",
            "last_name": "Élu",
            "delegation": "Culture",
            "token": w["official"].updated_at.isoformat(),
        },
    ),
    "governance:official_archive": Rule(**LEAD_FORM, kwargs=lambda w: {"pk": w["official"].pk}),
    "governance:committee_list": READ,
    "governance:committee_detail": Rule(kwargs=lambda w: {"pk": w["committee"].pk}),
    "governance:committee_create": Rule(
        **LEAD_FORM, post_data=lambda w: {"name": "Comité numérique", "short_name": "CN", "members": [w["official"].pk]}
    ),
    "governance:committee_edit": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["committee"].pk},
        post_data=lambda w: {"name": "Comité renommé", "short_name": "COPIL", "token": w["committee"].version},
    ),
    "governance:committee_calendar_reset": Rule(**LEAD_POST, kwargs=lambda w: {"pk": w["committee"].pk}),
    # Calendar apps send no cookie: the secret token in the address is the check.
    "governance:committee_feed": Rule(
        get=EVERYONE, kwargs=lambda w: {"pk": w["committee"].pk, "token": w["committee"].calendar_token}
    ),
    "governance:meeting_detail": Rule(kwargs=_meeting),
    "governance:meeting_create": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["committee"].pk},
        post_data=lambda w: {"starts_at": "2031-03-04T14:00", "duration_minutes": 90, "place": "Salle A"},
    ),
    "governance:meeting_edit": Rule(
        **LEAD_FORM,
        kwargs=_meeting,
        post_data=lambda w: {
            "starts_at": "2031-03-04T15:00",
            "duration_minutes": 60,
            "place": "Salle B",
            "token": w["meeting"].updated_at.isoformat(),
        },
    ),
    "governance:meeting_mark_held": Rule(**LEAD_POST, kwargs=_meeting),
    "governance:meeting_approve": Rule(**LEAD_POST, kwargs=lambda w: {"pk": w["held_meeting"].pk}),
    "governance:meeting_cancel": Rule(**LEAD_POST, kwargs=_meeting),
    "governance:meeting_ics": Rule(kwargs=_meeting),
    "governance:meeting_pack": Rule(kwargs=_meeting),
    "governance:pack_freeze": Rule(**LEAD_POST, kwargs=_meeting),
    "governance:meeting_pack_pdf": Rule(kwargs=_meeting),
    "governance:pack_send": Rule(**LEAD_POST, kwargs=_meeting),
    "governance:pack_resend": Rule(**LEAD_POST, kwargs=_pack_delivery),
    "governance:agenda_item_add": Rule(
        **LEAD_FORM, kwargs=_meeting, post_data=lambda w: {"title": "Bilan", "duration_minutes": 10}
    ),
    "governance:agenda_proposal_add": Rule(
        **LEAD_POST, kwargs=_meeting, post_data=lambda w: {"kind": "stale", "project": w["project"].pk}
    ),
    "governance:agenda_item_edit": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["agenda_item"].pk},
        post_data=lambda w: {
            "title": "Nouveau titre",
            "duration_minutes": 5,
            "token": w["agenda_item"].updated_at.isoformat(),
        },
    ),
    "governance:agenda_item_move": Rule(
        **LEAD_POST, kwargs=lambda w: {"pk": w["agenda_item"].pk}, post_data=lambda w: {"direction": "down"}
    ),
    "governance:agenda_item_delete": Rule(**LEAD_POST, kwargs=lambda w: {"pk": w["agenda_item"].pk}),
    "governance:attendance_edit": Rule(
        **LEAD_FORM,
        kwargs=_meeting,
        post_data=lambda w: {
            f"official_{w['official'].pk}": "present",
            "token": services.attendance_token(w["meeting"]),
        },
    ),
    "governance:decision_add": Rule(**LEAD_FORM, kwargs=_meeting, post_data=lambda w: {"text": "Le comité décide."}),
    "governance:action_add": Rule(
        **LEAD_FORM, kwargs=_meeting, post_data=lambda w: {"title": "Rédiger la note", "owner_name": "Mme Durand"}
    ),
    "governance:action_close": Rule(
        **LEAD_POST,
        kwargs=lambda w: {"pk": w["meeting"].pk, "action_pk": w["action"].pk},
        post_data=lambda w: {"status": "done"},
    ),
    "governance:amendment_add": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["approved_meeting"].pk},
        post_data=lambda w: {"text": "Lire 40 k€ et non 400 k€.", "reason": "Erreur de saisie"},
    ),
    "governance:decision_register": READ,
}

# --- History pages (issue 13): read like the pages they belong to. ---
RULES |= {
    "governance:meeting_history": Rule(kwargs=lambda w: {"pk": w["meeting"].pk}),
}
