"""Reads of the organisation: services, partners, contacts, officials.
What they have to do with projects and committees is added by the layers
above (``partners.extensions``)."""

from django.contrib.auth import get_user_model
from django.db.models import CharField, OuterRef, Prefetch, QuerySet, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Concat

from .extensions import PARTNER_LIST, SERVICE_LIST
from .models import (
    AcculturationChange,
    AcculturationLevel,
    AwarenessAction,
    ContactPerson,
    Interaction,
    Partner,
    Service,
)

User = get_user_model()


def service_list(*, include_archived: bool = False) -> QuerySet[Service]:
    qs = SERVICE_LIST.annotate(Service.objects.select_related("parent", "director"))
    return qs if include_archived else qs.filter(is_archived=False)


def partner_list(*, include_archived: bool = False) -> QuerySet[Partner]:
    qs = PARTNER_LIST.annotate(with_last_contact(Partner.objects.all()))
    return qs if include_archived else qs.filter(is_archived=False)


def with_last_contact(partners: QuerySet[Partner]) -> QuerySet[Partner]:
    """Partners with the date of their latest interaction
    (``last_contact_on``) and who spoke for the city then
    (``last_contact_by``), in the same query."""
    latest = Interaction.objects.filter(partner=OuterRef("pk")).order_by("-happened_on", "-pk")
    who = Concat("city_contact__first_name", Value(" "), "city_contact__last_name", output_field=CharField())
    return partners.annotate(
        last_contact_on=Subquery(latest.values("happened_on")[:1]),
        last_contact_by=Subquery(latest.annotate(who=who).values("who")[:1]),
    )


def partner_interactions(*, partner: Partner) -> list[Interaction]:
    """A partner's interactions, latest first, with everyone involved (four queries)."""
    interactions = list(
        Interaction.objects.filter(partner=partner)
        .select_related("city_contact")
        .prefetch_related(
            Prefetch("participants", queryset=User.objects.order_by("last_name", "first_name")),
            Prefetch("services", queryset=Service.objects.only("pk", "name", "acronym")),
            "contacts",
        )
        .order_by("-happened_on", "-pk")
    )
    for interaction in interactions:
        interaction.partner = partner  # read by __str__: no query per row
    return interactions


def service_detail(*, pk: int) -> QuerySet[Service]:
    return Service.objects.filter(pk=pk).select_related("parent", "director")


def acculturation_trajectory(*, service: Service) -> list[AcculturationChange]:
    """The service's levels in date order (one query)."""
    return list(
        AcculturationChange.objects.filter(service=service).select_related("recorded_by").order_by("changed_on", "pk")
    )


def acculturation_scale() -> list[tuple[int, str, str]]:
    """The documented scale: (value, label, description)."""
    descriptions = AcculturationLevel.descriptions()
    return [(value, label, descriptions[value]) for value, label in AcculturationLevel.choices]


def partner_detail(*, pk: int) -> QuerySet[Partner]:
    return Partner.objects.filter(pk=pk).prefetch_related(
        Prefetch("contacts", queryset=ContactPerson.objects.filter(is_archived=False))
    )


def service_export_rows(services: QuerySet[Service]) -> tuple[list[str], list[list]]:
    from django.utils.translation import gettext as _

    header = [_("Acronym"), _("Name"), _("Kind"), _("Direction"), _("Director"), _("Acculturation"), _("E-mail")]
    header += [str(column.label) for column in SERVICE_LIST.columns]
    rows = [
        [
            s.acronym,
            s.name,
            s.get_kind_display(),
            s.parent.acronym if s.parent else "",
            s.director.get_full_name() if s.director else "",
            s.get_acculturation_display(),
            s.email,
            *SERVICE_LIST.values(s),
        ]
        for s in services
    ]
    return header, rows


def partner_export_rows(partners: QuerySet[Partner]) -> tuple[list[str], list[list]]:
    from django.utils.translation import gettext as _

    header = [_("Name"), _("Category"), _("City"), _("Website"), _("Last contact"), _("Last contact by")]
    header += [str(column.label) for column in PARTNER_LIST.columns]
    header += [_("Description")]
    rows = [
        [
            p.name,
            p.get_category_display(),
            p.city,
            p.website,
            p.last_contact_on,
            (p.last_contact_by or "").strip(),
            *PARTNER_LIST.values(p),
            p.description,
        ]
        for p in partners
    ]
    return header, rows


# --- Awareness actions (issue 14) --------------------------------------------


def awareness_actions(*, service: Service | None = None) -> QuerySet[AwarenessAction]:
    """The log, newest first, each action with the services it reached."""
    qs = AwarenessAction.objects.filter(is_archived=False).prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("acronym"))
    )
    if service is not None:
        qs = qs.filter(services=service)
    return qs.order_by("-held_on", "-pk")


def next_awareness_steps(*, today, limit: int = 3) -> list[dict]:
    """What to do next, soonest first: actions planned from ``today`` on and
    next steps due from ``today`` on. Two queries, and one for the services
    of the actions kept."""
    base = awareness_actions().prefetch_related(None)
    planned = list(base.filter(held_on__gte=today).order_by("held_on", "pk")[:limit])
    steps = list(base.filter(next_step_on__gte=today).exclude(next_step="").order_by("next_step_on", "pk")[:limit])
    items = [
        {"on": a.held_on, "what": a.title, "kind": a.get_kind_display(), "action": a, "planned": True} for a in planned
    ]
    items += [{"on": a.next_step_on, "what": a.next_step, "kind": "", "action": a, "planned": False} for a in steps]
    items.sort(key=lambda item: (item["on"], item["action"].pk))
    items = items[:limit]
    prefetch_related_objects(
        [item["action"] for item in items], Prefetch("services", queryset=Service.objects.order_by("acronym"))
    )
    return items
