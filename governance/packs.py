"""The meeting pack as the templates show it, from its data (a frozen
snapshot, a sent edition, or the live portfolio). Shared by the pack page,
its PDF and the e-mail task: the same content everywhere, no query here."""

from typing import Any

from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programmes.models import Project
from programmes.rules import Freshness

from . import charts
from .models import ActionItem, Meeting
from .selectors import summarise_portfolio
from .templatetags.governance_tags import kilo_euros

# The per-project status is one line a project: long names are cut.
NAME_LENGTH = 70

# The pack's sections, in reading order: what the committee decides first,
# then the portfolio at a glance, one line per project, the detail in annex.
# A section is one template; add one here and the contents list follows.
SECTIONS = [
    {"id": "pack-decisions", "title": gettext_lazy("To decide"), "template": "governance/pack/decisions.html"},
    {
        "id": "pack-summary",
        "title": gettext_lazy("The portfolio at a glance"),
        "template": "governance/pack/summary.html",
    },
    {
        "id": "pack-ideas",
        "title": gettext_lazy("Ideas and proposals decided"),
        "template": "governance/pack/_ideas_decided.html",
    },
    {
        "id": "pack-portfolio",
        "title": gettext_lazy("Status of each project"),
        "template": "governance/pack/status.html",
    },
    {"id": "pack-annex", "title": gettext_lazy("Annex: details"), "template": "governance/pack/annex.html"},
]


def _short_date(value: str | None) -> str:
    return date_format(parse_date(value), "SHORT_DATE_FORMAT") if value else ""


def agenda_data(meeting: Meeting) -> list[dict[str, Any]]:
    """The agenda as JSON-ready rows (``agenda_items`` prefetched with their projects)."""
    return [
        {
            "title": item.title,
            "presenter": item.presenter,
            "duration_minutes": item.duration_minutes,
            "projects": [{"pk": p.pk, "code": p.code, "name": p.name, "health": p.health} for p in item.projects.all()],
        }
        for item in meeting.agenda_items.all()
    ]


def pack_context(*, meeting: Meeting, data: dict[str, Any], agenda: list[dict[str, Any]]) -> dict[str, Any]:
    """Labels, figures and charts prepared once, not per row in the
    template: the status table has a row per project (a thousand at scale 10)."""
    portfolio = data["portfolio"]["projects"]
    # Plain strings: a lazy label costs a translation lookup at each use.
    health_labels = {value: str(label) for value, label in Project._meta.get_field("health").choices}
    phase_labels = {value: str(label) for value, label in Project._meta.get_field("phase").choices}
    freshness_labels = {state: str(label) for state, label in Freshness.LABELS.items()}
    project_url = reverse("programmes:project_detail", args=[0]).replace("/0/", "/{}/")
    for row in portfolio:
        row["health_label"] = health_labels.get(row["health"], row["health"])
        row["phase_label"] = phase_labels.get(row["phase"], row["phase"])
        name = row["name"]
        # A slice, not truncatechars: a thousand rows, and names are plain text.
        row["short_name"] = name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"
        state = row.get("freshness") or (Freshness.STALE if row["stale"] else "")
        row["freshness_label"] = freshness_labels.get(state, "")
        row["domain_names"] = ", ".join(row["domains"])
        row["budget"] = f"{kilo_euros(row['budget_spent'])} / {kilo_euros(row['budget_planned'])}"
    since = data["since"]
    for key in ("health_changed", "new_projects", "closed_projects"):
        for row in since[key]:
            row["url"] = project_url.format(row["pk"])
    for key in ("new_projects", "closed_projects"):
        for row in since[key]:
            row["phase_label"] = phase_labels.get(row["phase"], row["phase"])
    for row in since["milestones_reached"]:
        row["note"] = _short_date(row["reached_on"])
    for row in since["milestones_missed"]:
        due = _("due %(date)s") % {"date": _short_date(row["due_date"])}
        if row["reached_on"]:
            late = _("reached late on %(date)s") % {"date": _short_date(row["reached_on"])}
        else:
            late = _("not reached")
        row["note"] = f"{due}, {late}"
    for row in since["health_changed"]:
        row["before_label"] = health_labels.get(row["health_before"], _("not reported"))
        row["after_label"] = health_labels.get(row["health_after"], row["health_after"])
    for item in agenda:
        for project in item["projects"]:
            project["health_label"] = health_labels.get(project["health"], project["health"])
            project["url"] = project_url.format(project["pk"])
    summary = summarise_portfolio(portfolio)
    order = {"off_track": 0, "at_risk": 1}
    attention = sorted(summary["attention"], key=lambda r: (order.get(r["health"], 2), r["code"]))
    return {
        "meeting": meeting,
        "sections": SECTIONS,
        "agenda": agenda,
        "since": since,
        "summary": summary,
        "attention": attention,
        "status_rows": summary["active"],
        "health_chart": charts.pack_health(summary),
        "freshness_chart": charts.pack_freshness(summary),
        "budget_chart": charts.pack_budget(summary),
        "health_labels": health_labels,
        # The annex table's columns: the summary's levels (an archived one only while held).
        "health_columns": [(value, health_labels.get(value, value)) for value in summary["by_health"]],
        "phase_labels": phase_labels,
        "freshness_labels": freshness_labels,
        "action_labels": {value: str(label) for value, label in ActionItem.Status.choices},
    }
