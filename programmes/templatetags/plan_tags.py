"""Template helpers of the plan pages: money in thousands of euros, a
target's gap (``rollups.target_gap``), the objectives at a glance for the
officials' dashboard, and the ideas decided for a committee pack."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timezone import template_localtime

from programmes import rollups, selectors
from programmes.cycles import request_window

register = template.Library()

# A pack's window when the committee has no previous meeting (as the pack's own "since").
FIRST_MEETING_WINDOW = datetime.timedelta(days=60)


@register.filter
def k_euros(value) -> str:
    """12345678 -> "12 346 k€"."""
    amount = Decimal(value or 0) / 1000
    return f"{amount:,.0f}".replace(",", "\u202f") + "\u00a0k€"


@register.simple_tag
def project_links(projects) -> str:
    """Codes linked to their pages, in one ``format_html_join`` (hundreds
    of projects cost microseconds, not a template per project)."""
    url = reverse("programmes:project_detail", args=[0]).replace("/0/", "/{}/")  # one reverse() for hundreds
    rows = ((url.format(p.pk), p.name, p.code) for p in projects)
    return format_html_join(", ", '<a href="{}" title="{}">{}</a>', rows)


@register.simple_tag
def target_gap(target) -> rollups.TargetGap:
    return rollups.target_gap(target)


@register.inclusion_tag("programmes/partials/plan_glance.html", takes_context=True)
def plan_glance(context) -> dict:
    """The plan's objectives in one glance: each with its weighted progress,
    its projects off track or at risk, and its first target's gap. Three
    queries (plan, objectives with their targets, the roll-up)."""
    plan = selectors.current_plan()
    if plan is None:
        return {"plan": None}
    request = context["request"]
    objectives = list(selectors.plan_objectives_light(plan=plan))
    by_objective = rollups.rollups_by("objective", keys=[o.pk for o in objectives], window=request_window(request))
    for objective in objectives:
        objective.rollup = by_objective.get(objective.pk, rollups.Rollup())
        targets = list(objective.targets.all())
        objective.first_target = targets[0] if targets else None
    return {"plan": plan, "objectives": objectives}


@register.simple_tag
def ideas_decided(since, until) -> list:
    """Ideas and proposals decided in ``[since, until)``; ``since`` may be an
    ISO string (a frozen pack's data) or None (no previous meeting: the 60
    days before ``until``)."""
    if isinstance(until, str):
        until = parse_datetime(until)
    if isinstance(since, str):
        since = parse_datetime(since)
    if until is None:
        return []
    if since is None:
        since = until - FIRST_MEETING_WINDOW
    return list(selectors.ideas_decided(since=since, until=until))


@register.simple_tag
def idea_decision_rows(decided) -> str:
    """The rows of a pack's table of ideas and proposals decided (from
    ``ideas_decided``), in one ``format_html_join``: as the template wrote
    them, a reverse() and a few filters a row cost more than the query."""
    idea_url = reverse("programmes:idea_detail", args=[0]).replace("/0/", "/{}/")
    project_url = reverse("programmes:project_detail", args=[0]).replace("/0/", "/{}/")

    def origin(idea) -> str:
        if idea.partner:
            return idea.partner.name
        return idea.proposing_service.acronym if idea.proposing_service else ""

    def decision(t) -> str:
        if t.to_state == "accepted" and t.idea.project:
            project = t.idea.project
            return format_html(
                '{} — <a href="{}">{}</a>', t.get_to_state_display(), project_url.format(project.pk), project.code
            )
        return t.get_to_state_display()

    return format_html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a>'
        '<span class="d-block small text-body-secondary">{}</span></th>'
        '<td class="text-nowrap">{}<span class="d-block small text-body-secondary">{}</span></td>'
        '<td class="small">{}</td></tr>',
        (
            (
                idea_url.format(t.idea.pk),
                t.idea.title,
                origin(t.idea),
                decision(t),
                formats.date_format(template_localtime(t.decided_at), "SHORT_DATE_FORMAT"),
                Truncator(t.reason).chars(200),
            )
            for t in decided
        ),
    )
