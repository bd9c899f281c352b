"""The demo city's milestones and a readable history (issue 13).

The builder gives every project two to five milestones; here they get a
status (done where they have a done date, a few cancelled, a few done
late), so that the roadmap shows planned, done and late ones. Then a few
people edit a few records through the services, as they would through the
pages, so that the history pages have words to show: an end date moved,
a phase changed, a milestone marked done, a partner's city, a meeting's
place. Those edits are dated in the weeks before the demo's ``today``.

Deterministic: its own seeded generator, dates from the builder's ``today``.
"""

import datetime
import random
from types import SimpleNamespace

from django.contrib.auth.models import User
from simple_history.models import HistoricalRecords

from governance import services as governance_services
from governance.models import Meeting
from partners import services as partner_services
from partners.models import Partner, Service
from programmes import rules
from programmes import services as programme_services
from programmes.models import Milestone, Phase, Programme, Project
from smartcity.base.concurrency import token_of

NEXT_PHASE = {Phase.STUDY: Phase.PILOT, Phase.PILOT: Phase.DEPLOYMENT, Phase.DEPLOYMENT: Phase.OPERATION}


def add_milestone_states(builder) -> None:
    rng = random.Random(f"orchestre-demo-milestones-{builder.scale}")
    today = builder.today
    milestones = list(Milestone.objects.select_related("project").order_by("pk"))
    dated = []  # whose done date changes: few, so bulk_update stays cheap
    for milestone in milestones:
        reached_on = milestone.reached_on
        overdue = milestone.reached_on is None and milestone.due_date < today
        if overdue and milestone.project.is_closed:
            # A closed project's last steps were done; an abandoned one's, dropped.
            if milestone.project.phase == Phase.ABANDONED:
                milestone.status = Milestone.Status.CANCELLED
            else:
                milestone.reached_on = milestone.due_date
        elif overdue and rng.random() < 0.5:
            # Done, but later than planned; the others stay late.
            milestone.reached_on = min(milestone.due_date + datetime.timedelta(days=rng.randint(7, 60)), today)
        if milestone.reached_on is not None:
            milestone.status = Milestone.Status.DONE
            # One in six was done a little after its date.
            if rng.random() < 0.17:
                late_by = datetime.timedelta(days=rng.randint(5, 40))
                milestone.reached_on = min(milestone.reached_on + late_by, today)
        elif rng.random() < 0.05:
            milestone.status = Milestone.Status.CANCELLED
        if milestone.reached_on != reached_on:
            dated.append(milestone)
    Milestone.objects.bulk_update(dated, ["reached_on"], batch_size=1000)
    for status in (Milestone.Status.DONE, Milestone.Status.CANCELLED):
        Milestone.objects.filter(pk__in=[m.pk for m in milestones if m.status == status]).update(status=status)
    # Their first history record, as the builder's other bulk writes have.
    Milestone.history.bulk_history_create(
        milestones, batch_size=2000, default_date=builder.at(today - datetime.timedelta(days=120))
    )
    builder.counts["late_milestones"] = Milestone.objects.filter(rules.late_q(today)).count()
    _readable_history(builder)


def _as(user):
    """Record the next writes under ``user``, as a request would."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)


def _baseline(builder, obj) -> None:
    """The demo wrote most rows in bulk, after their first history record
    (the projects' health and progress from their reports, the services'
    acculturation): date that first record back, give it the projects'
    many-to-many rows, and record the state reached since, with no author,
    so that the edits below show only what they changed."""
    first = obj.history.order_by("history_date", "history_id").first()
    if first is not None:
        first.history_date = builder.at(builder.today - datetime.timedelta(days=120))
        first.save(update_fields=["history_date"])
        if isinstance(obj, Project):
            for name in ("domains", "contributing_services"):
                history_model = getattr(first, name).model
                through = getattr(Project, name).through
                fields = through._meta.concrete_fields
                rows = through.objects.filter(project=obj)
                history_model.objects.bulk_create(
                    [history_model(history=first, **{f.attname: getattr(r, f.attname) for f in fields}) for r in rows]
                )
    HistoricalRecords.context.request = None
    obj.save()
    record = obj.history.order_by("-history_date", "-history_id").first()
    record.history_date = builder.at(builder.today - datetime.timedelta(days=25))
    record.history_change_reason = "Reprise des données (rapports et mises à jour groupées)"
    record.save(update_fields=["history_date", "history_change_reason"])


def _readable_history(builder) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["lead", "director.mobility", "director.culture"])}
    lead = users.get("lead")
    if lead is None:
        return
    started = datetime.datetime.now(tz=datetime.UTC)
    try:
        _edits(builder, lead, users)
    finally:
        HistoricalRecords.context.request = None
    _date_in_the_past(builder, started)


def _edits(builder, lead, users) -> None:
    picked = []
    for username in ("director.mobility", "director.culture"):
        director = users.get(username)
        if director is None:
            continue
        mine = Project.objects.active().filter(lead_service__director=director).select_related("lead_service")
        picked += [(p, director) for p in mine.order_by("code")[:2]]
    others = Project.objects.active().exclude(pk__in=[p.pk for p, _ in picked]).select_related("lead_service")
    picked += [(p, lead) for p in others.order_by("code")[:4]]
    for project, editor in picked:
        _baseline(builder, project)
        # The lead moves the end date and, where it has moved on, the phase.
        _as(lead)
        data = {"end_date": project.end_date + datetime.timedelta(days=92)} if project.end_date else {}
        if project.phase in NEXT_PHASE:
            data["phase"] = NEXT_PHASE[project.phase]
        if data:
            project = programme_services.project_update(project=project, token=token_of(project), data=data)
        # The director (or the lead) marks the oldest planned milestone done
        # and moves the next one.
        _as(editor)
        planned = list(project.milestones.filter(status=Milestone.Status.PLANNED).order_by("due_date", "pk")[:2])
        if planned and planned[0].due_date <= builder.today:
            first = planned[0]
            done_on = max(first.due_date, builder.today - datetime.timedelta(days=22))
            programme_services.milestone_update(
                milestone=first,
                by=editor,
                token=token_of(first),
                data={"status": Milestone.Status.DONE, "reached_on": done_on},
            )
        if len(planned) > 1:
            second = planned[1]
            programme_services.milestone_update(
                milestone=second,
                by=editor,
                token=token_of(second),
                data={"due_date": second.due_date + datetime.timedelta(days=45)},
            )
    programme = Programme.objects.order_by("pk").first()
    partner = Partner.objects.filter(is_archived=False).order_by("pk").first()
    service = Service.objects.filter(is_archived=False, kind=Service.Kind.SERVICE).order_by("pk").first()
    meeting = Meeting.objects.filter(status=Meeting.Status.PLANNED).order_by("starts_at").first()
    for obj in (programme, partner, service, meeting):
        if obj is not None:
            _baseline(builder, obj)
    _as(lead)
    if programme is not None:
        programme_services.programme_update(
            programme=programme,
            token=token_of(programme),
            data={"description": (programme.description + " Feuille de route révisée en comité.").strip()},
        )
    if partner is not None:
        partner_services.partner_update(partner=partner, token=token_of(partner), data={"city": "Orvalle-Sud"})
    if service is not None:
        partner_services.service_update(
            service=service,
            token=token_of(service),
            data={"description": "Référent smart city désigné ; point mensuel avec l'équipe du programme."},
        )
    if meeting is not None:
        governance_services.meeting_update(
            meeting=meeting,
            token=token_of(meeting),
            data={
                "place": "Hôtel de métropole, salle des commissions",
                "duration_minutes": meeting.duration_minutes + 30,
            },
        )


def _date_in_the_past(builder, started: datetime.datetime) -> None:
    """Spread the edits over the three weeks before ``today``, in order."""
    models = [Project, Milestone, Programme, Partner, Service, Meeting]
    records = [
        (record.history_date, record)
        for model in models
        for record in model.history.filter(history_date__gte=started, history_user__isnull=False)
    ]
    records.sort(key=lambda pair: (pair[0], pair[1].history_id))
    for index, (_, record) in enumerate(records):
        day = builder.today - datetime.timedelta(days=21 - (21 * index) // max(1, len(records)))
        record.history_date = builder.at(day, 9 + index % 8)
        record.save(update_fields=["history_date"])
