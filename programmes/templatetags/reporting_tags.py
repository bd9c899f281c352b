"""Template helpers for status reporting: freshness badges, the status
timeline chart, and who may report."""

from __future__ import annotations

from django import template
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from programmes import roadmap, rules, taxonomy
from programmes.cycles import CycleWindow, current_window
from programmes.models import Project, Severity

register = template.Library()

_WINDOW_CACHE_KEY = "orchestre_reporting_window"


def _window(context: template.Context) -> CycleWindow:
    window = context.get("reporting_window")
    if window is not None:
        return window
    # Rendered without the context processor (e-mails, render_to_string):
    # fetch once per render.
    cache = context.render_context
    if _WINDOW_CACHE_KEY not in cache:
        cache[_WINDOW_CACHE_KEY] = current_window()
    return cache[_WINDOW_CACHE_KEY]


@register.simple_tag(takes_context=True)
def project_freshness(context: template.Context, project: Project) -> rules.FreshnessInfo:
    """``{% project_freshness project as freshness %}``: no query per row."""
    return rules.freshness_of(project, _window(context))


@register.filter
def phase_label(value: str) -> str:
    """``{{ project.phase|phase_label }}``: ``project.get_phase_display``."""
    return taxonomy.phase_label(value)


@register.filter
def health_label(value: str) -> str:
    """``{{ project.health|health_label }}``: ``project.get_health_display``."""
    return taxonomy.health_label(value)


@register.filter
def reportable_by(project: Project, user) -> bool:
    return rules.can_report(user, project)


@register.inclusion_tag("programmes/partials/freshness_summary.html", takes_context=True)
def freshness_summary(context: template.Context) -> dict:
    """Fresh / due / new / stale counts of active projects: one query."""
    window = _window(context)
    Freshness = rules.Freshness
    counts = Project.objects.aggregate(
        fresh=Count("pk", filter=rules.fresh_q(window)),
        due=Count("pk", filter=rules.due_q(window)),
        new=Count("pk", filter=rules.new_q(window)),
        stale=Count("pk", filter=rules.stale_q(window)),
    )
    return {
        "counts": [
            (state, Freshness.LABELS[state], counts[state])
            for state in (Freshness.FRESH, Freshness.DUE, Freshness.NEW, Freshness.STALE)
        ],
        "window": window,
    }


# --- Status timeline ---------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 20, 16, 40
# A health level's shape and badge style follow its severity.
SHAPES = {
    Severity.GOOD: "circle",
    Severity.WARNING: "square",
    Severity.CRITICAL: "diamond",
    Severity.UNKNOWN: "ring",
}
SEVERITY_CLASS = {
    Severity.GOOD: "on_track",
    Severity.WARNING: "at_risk",
    Severity.CRITICAL: "off_track",
    Severity.UNKNOWN: "unknown",
}


@register.filter
def health_class(code: str) -> str:
    """The badge class of a health level (``health-<class>``): its severity's."""
    return SEVERITY_CLASS.get(taxonomy.severity_of(code), "unknown")


@register.simple_tag
def status_timeline(reports) -> dict | None:
    """Coordinates for the SVG timeline of ``reports`` (any order): progress
    as a line, health as a marker whose shape (not only its colour) tells
    the health. None without reports."""
    reports = sorted(reports, key=lambda r: (r.created_at, r.pk))
    if not reports:
        return None
    plot_w = CHART_WIDTH - LEFT - RIGHT
    plot_h = CHART_HEIGHT - TOP - BOTTOM
    first, last = reports[0].created_at, reports[-1].created_at
    span = (last - first).total_seconds()

    def x_of(moment) -> float:
        if span <= 0:
            return LEFT + plot_w / 2
        return round(LEFT + (moment - first).total_seconds() / span * plot_w, 1)

    def y_of(progress: int) -> float:
        return round(TOP + (1 - progress / 100) * plot_h, 1)

    points = []
    for report in reports:
        author = report.author.get_full_name() or report.author.get_username() if report.author else ""
        x, y = x_of(report.created_at), y_of(report.progress)
        points.append(
            {
                "x": x,
                "y": y,
                "square_x": round(x - 6, 1),
                "square_y": round(y - 6, 1),
                "diamond_x": round(x - 5, 1),
                "diamond_y": round(y - 5, 1),
                "health": report.health,
                "health_label": report.get_health_display(),
                "shape": SHAPES.get(taxonomy.severity_of(report.health), "ring"),
                "progress": report.progress,
                "date": formats.date_format(timezone.localtime(report.created_at), "SHORT_DATE_FORMAT"),
                "author": author,
            }
        )
    held = {p["health"] for p in points}
    ticks = [{"value": v, "y": y_of(v)} for v in (0, 25, 50, 75, 100)]
    # Date labels: first and last, and two in between when there is room.
    step = max(1, (len(points) - 1) // 3)
    label_points = points[::step]
    if points[-1] not in label_points:
        label_points.append(points[-1])
    if len(label_points) > 1 and label_points[-1]["x"] - label_points[-2]["x"] < 70:
        label_points.pop(-2)
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": LEFT,
        "right": CHART_WIDTH - RIGHT,
        "top": TOP,
        "bottom": CHART_HEIGHT - BOTTOM,
        "tick_label_x": LEFT - 6,
        "date_label_y": CHART_HEIGHT - BOTTOM + 20,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "ticks": ticks,
        "date_labels": [{"x": p["x"], "date": p["date"]} for p in label_points],
        "first": points[0],
        "last": points[-1],
        "shapes": [
            (level.code, level.label, SHAPES[level.meaning])
            for level in taxonomy.health_levels()
            if level.meaning != Severity.UNKNOWN and (not level.is_archived or level.code in held)
        ],
    }


# --- Milestones (issue 13) ------------------------------------------------------


@register.simple_tag
def milestones_editable_by(project: Project, user) -> bool:
    """``{% milestones_editable_by project user as can_edit %}``: no query
    when the project's lead service is loaded."""
    return rules.can_edit_milestones(user, project)


@register.simple_tag
def milestone_state(milestone) -> str:
    """done / cancelled / late / planned (``programmes.rules.milestone_state``)."""
    return rules.milestone_state(milestone, timezone.localdate())


@register.simple_tag
def milestone_badge(milestone, state: str) -> str:
    """``{% milestone_badge milestone state %}``: ``programmes.roadmap.milestone_badge``
    (``partials/milestone_badge.html`` is this tag)."""
    return roadmap.milestone_badge(milestone, state)


# --- Project tables ------------------------------------------------------------


def health_badge(project: Project, window: CycleWindow) -> SafeString:
    """A project's health badge, with how fresh its report is: written in
    Python for long tables (a template include per row costs more than the
    row); templates reach it through ``partials/health_badge.html``."""
    freshness = rules.freshness_of(project, window)
    stale = freshness.is_stale
    note: SafeString | str = ""
    if stale and freshness.last_reported_at:
        date = formats.date_format(timezone.localtime(freshness.last_reported_at), "SHORT_DATE_FORMAT")
        note = format_html(
            '<span class="health-freshness">{}</span>',
            mark_safe(gettext("stale since %(date)s") % {"date": escape(date)}),  # noqa: S308  (as blocktranslate)
        )
    elif stale:
        note = format_html('<span class="visually-hidden"> — {}</span>', mark_safe(gettext("never reported")))  # noqa: S308
    elif freshness.is_new:
        date = formats.date_format(freshness.due_by, "SHORT_DATE_FORMAT")
        note = format_html(
            '<span class="health-freshness">{}</span>',
            mark_safe(gettext("first report due by %(date)s") % {"date": escape(date)}),  # noqa: S308
        )
    return format_html(
        '<span class="badge health health-{}{}"{}><span aria-hidden="true" class="health-dot"></span>'
        '<span class="health-label">{}</span>{}</span>',
        health_class(project.health),
        " health-stale" if stale else "",
        format_html(' title="{}"', mark_safe(gettext("This health is out of date"))) if stale else "",  # noqa: S308
        taxonomy.health_label(project.health),
        note,
    )


@register.simple_tag(takes_context=True)
def project_health_badge(context: template.Context, project: Project) -> SafeString:
    """``{% project_health_badge project %}``: ``health_badge`` for templates
    (``partials/health_badge.html`` is this tag, so the badge has one home)."""
    return health_badge(project, _window(context))


@register.simple_tag(takes_context=True)
def project_rows(
    context: template.Context,
    projects,
    lead_service_label: str,
    domains_label: str,
    phase_label_: str,
    health_label_: str,
    progress_label: str,
) -> SafeString:
    """The rows of ``partials/project_table.html``, written in Python: the
    template loop with its includes cost most of a project list's time."""
    from partners.templatetags.domain_tags import domain_icon

    window = _window(context)
    domain_cells: dict[int, SafeString] = {}

    def domain_chip(domain) -> SafeString:
        if domain.pk not in domain_cells:
            domain_cells[domain.pk] = format_html(
                '<a href="{}" class="badge domain-chip">{}{}</a> ',
                domain.get_absolute_url(),
                domain_icon(domain),
                domain.name,
            )
        return domain_cells[domain.pk]

    rows = []
    for project in projects:
        url = project.get_absolute_url()
        lead = project.lead_service
        rows.append(
            format_html(
                "<tr>"
                '<td class="text-nowrap stack-title"><a href="{url}">{code}</a></td>'
                '<td class="stack-title"><a href="{url}">{name}</a></td>'
                '<td data-label="{l_lead}"><a href="{lead_url}" title="{lead_name}">{lead_acronym}</a></td>'
                '<td data-label="{l_domains}">{domains}</td>'
                '<td data-label="{l_phase}">{phase}</td>'
                '<td data-label="{l_health}">{health}</td>'
                '<td class="text-end" data-label="{l_progress}">{progress} %</td>'
                "</tr>\n",
                url=url,
                code=project.code,
                name=project.name,
                l_lead=lead_service_label,
                lead_url=lead.get_absolute_url(),
                lead_name=lead.name,
                lead_acronym=lead.acronym,
                l_domains=domains_label,
                domains=mark_safe("".join(domain_chip(d) for d in project.domains.all())),  # noqa: S308
                l_phase=phase_label_,
                phase=taxonomy.phase_label(project.phase),
                l_health=health_label_,
                health=health_badge(project, window),
                l_progress=progress_label,
                progress=project.progress,
            )
        )
    if not rows:
        return format_html(
            '<tr><td colspan="7" class="text-body-secondary">{}</td></tr>',
            mark_safe(gettext("No project.")),  # noqa: S308  (as {% translate %}: the catalogue is trusted)
        )
    return mark_safe("".join(rows))  # noqa: S308
