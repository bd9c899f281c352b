import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from partners import services as organisation
from partners.models import ElectedOfficial
from programmes import selectors as programme_selectors
from programmes.cycles import request_window
from programmes.models import Project
from smartcity.base.editing import RecordPages, form_page
from smartcity.base.history import history_response
from smartcity.base.pagination import paged
from smartcity.base.permissions import lead_required, refuse

from . import charts, ical, packs, pdf, rules, selectors, services
from .forms import (
    ActionForm,
    AgendaItemForm,
    AmendmentForm,
    AttendanceForm,
    CloseActionForm,
    CommitteeForm,
    DecisionFilter,
    DecisionForm,
    MeetingForm,
    OfficialForm,
)
from .models import ActionItem, AgendaItem, Committee, Meeting, PackDelivery


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# Dashboard ------------------------------------------------------------------
@require_safe
def official_dashboard(request: HttpRequest) -> HttpResponse:
    """The elected official's home: portfolio at a glance, their own domains
    first, the next meeting and its pack, the last meeting's minutes, open
    actions, recent decisions."""
    official = ElectedOfficial.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    window = request_window(request)
    domains = selectors.dashboard_domains(official=official, window=window)
    counts = programme_selectors.portfolio_counts()
    # Not the sums over domains: a project counts in each of its domains.
    totals = {"active": counts["total"], "stale": selectors.stale_projects(window=window).count()}
    context = {
        "official": official,
        "domains": domains,
        "health_chart": charts.health_by_domain(domains),
        "budget_chart": charts.budget_by_domain(domains),
        "health_rows": counts["health_rows"],
        "total": counts["total"],
        "totals": totals,
        "own_projects": list(selectors.official_projects(official=official)) if official else [],
        "next_meeting": selectors.next_meeting(),
        "last_meeting": selectors.last_meeting(),
        "open_actions": selectors.open_actions().order_by("due_date", "pk")[:10],
        "recent_decisions": selectors.recent_decisions(limit=5),
        "today": timezone.localdate(),
    }
    return render(request, "governance/dashboard.html", context)


# Officials ------------------------------------------------------------------
@require_safe
def official_list(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/official_list.html", {"officials": selectors.official_list()})


@require_safe
def official_detail(request: HttpRequest, pk: int) -> HttpResponse:
    official = get_object_or_404(ElectedOfficial.objects.prefetch_related("domains", "committees"), pk=pk)
    projects = paged(
        request, programme_selectors.project_table_list().filter(sponsor=official).order_by("code"), anchor="projects"
    )
    decisions = selectors.official_decisions(official=official)
    context = {"official": official, "projects": projects, "decisions": decisions}
    return render(request, "governance/official_detail.html", context)


official_create, official_update, official_archive = RecordPages(
    model=ElectedOfficial,
    form=OfficialForm,
    create=organisation.official_create,
    update=lambda official, **kwargs: organisation.official_update(official=official, **kwargs),
    archive=lambda official: organisation.official_archive(official=official),
    list_url="governance:official_list",
    new_title=gettext_lazy("New elected official"),
    created=gettext_lazy("Elected official created."),
    saved=gettext_lazy("Elected official saved."),
    archived=gettext_lazy("Elected official marked as no longer in office."),
    archive_question=gettext_lazy("Mark this official as no longer in office? Their projects and history are kept."),
).views()


# Committees -----------------------------------------------------------------
@require_safe
def committee_list(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/committee_list.html", {"committees": selectors.committee_list()})


@require_safe
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_detail(pk=pk).first()
    if committee is None:
        raise Http404
    meetings = committee.meetings.order_by("-number")
    feed_url = request.build_absolute_uri(_feed_path(committee))
    return render(
        request,
        "governance/committee_detail.html",
        {"committee": committee, "meetings": meetings, "feed_url": feed_url},
    )


def _feed_path(committee: Committee) -> str:
    return reverse("governance:committee_feed", args=[committee.pk, committee.calendar_token])


@lead_required
def committee_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=CommitteeForm(request.POST or None),
        save=lambda data, token: services.committee_create(data=data),
        title=_("New committee"),
        success_message=_("Committee saved."),
        cancel_url=reverse("governance:committee_list"),
    )


@lead_required
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_object_or_404(Committee, pk=pk)
    return form_page(
        request,
        form=CommitteeForm(request.POST or None, instance=committee),
        save=lambda data, token: services.committee_update(committee=committee, token=token, data=data),
        title=_("Edit committee"),
        success_message=_("Committee saved."),
        cancel_url=committee.get_absolute_url(),
    )


@lead_required
@require_POST
def committee_calendar_reset(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_object_or_404(Committee, pk=pk)
    services.committee_reset_calendar_token(committee=committee)
    messages.success(request, _("New calendar address: the previous one no longer works."))
    return redirect(committee)


@login_not_required
@never_cache
@require_safe
def committee_feed(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The committee's meetings as an iCalendar feed a phone subscribes to.

    Calendar apps send no session cookie, so the address itself carries a
    secret (Committee.calendar_token), compared in constant time. A wrong
    token and an unknown committee both give 404.
    """
    committee = Committee.objects.filter(pk=pk).first()
    if committee is None or not hmac.compare_digest(committee.calendar_token.encode(), token.encode()):
        raise Http404
    # Public: title, dates, place and committee only (ical, public=True).
    meetings = committee.meetings.select_related("committee").order_by("number")
    body = ical.calendar(meetings, name=committee.name, public=True)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="committee-{committee.pk}.ics"'
    return response


# Meetings -------------------------------------------------------------------
@lead_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_object_or_404(Committee, pk=pk)
    return form_page(
        request,
        form=MeetingForm(request.POST or None),
        save=lambda data, token: services.meeting_create(committee=committee, data=data),
        title=_("New meeting"),
        intro=_("The meeting gets the committee's next number automatically."),
        parent=(committee.name, committee.get_absolute_url()),
        success_message=_("Meeting created."),
        cancel_url=committee.get_absolute_url(),
    )


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)


def _locked_redirect(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """A meeting that takes no more edits sends its forms back to its page."""
    if meeting.is_locked:
        messages.error(request, _("The minutes are approved: this meeting is locked. Add an amendment instead."))
        return redirect(meeting)
    if not meeting.is_editable:
        messages.error(request, _("This meeting is cancelled: it can no longer be edited."))
        return redirect(meeting)
    return None


def _meeting_form_page(
    request: HttpRequest, meeting: Meeting, *, anchor: str, while_editable: bool = True, **kwargs
) -> HttpResponse:
    """A form of a meeting's page: its parent is the meeting, success goes
    back to the meeting's section ``anchor``. A form that edits the meeting
    (``while_editable``) sends a locked or cancelled meeting back to its page."""
    if while_editable and (locked := _locked_redirect(request, meeting)):
        return locked
    url = meeting.get_absolute_url()
    return form_page(
        request,
        parent=(f"{meeting} — {meeting.committee.name}", url),
        cancel_url=url,
        success_url=lambda saved: f"{url}#{anchor}" if anchor else url,
        **kwargs,
    )


@lead_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _meeting_form_page(
        request,
        meeting,
        anchor="",
        form=MeetingForm(request.POST or None, instance=meeting),
        save=lambda data, token: services.meeting_update(meeting=meeting, token=token, data=data),
        title=_("Edit %(meeting)s") % {"meeting": meeting},
        success_message=_("Meeting saved."),
    )


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_detail(pk=pk).first()
    if meeting is None:
        raise Http404
    context = {
        "meeting": meeting,
        "carried_actions": list(selectors.carried_actions(meeting=meeting)),
        "close_form": CloseActionForm(),
        "today": timezone.localdate(),
        "can_send_pack": rules.can_send_pack(request.user, meeting),
        "pack_deliveries": selectors.pack_deliveries(meeting=meeting),
    }
    if rules.can_edit_meeting(request.user, meeting):
        proposals = selectors.agenda_proposals(meeting=meeting)
        context["proposals"] = proposals
        context["proposal_groups"] = [
            ("changed", _("Health changed since the previous meeting"), proposals["changed"]),
            ("stale", _("Reporting is stale"), proposals["stale"]),
            ("overdue", _("Overdue actions"), proposals["overdue"]),
        ]
    return render(request, "governance/meeting_detail.html", context)


@require_safe
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the meeting may read its history (issue 13)."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    title = _("History of %(name)s") % {"name": meeting}
    return history_response(request, meeting, title=title, back_url=meeting.get_absolute_url())


def _status_change(request: HttpRequest, pk: int, change, done: str) -> HttpResponse:
    meeting = _meeting(pk)
    try:
        change(meeting)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, done)
    return redirect(meeting)


@lead_required
@require_POST
def meeting_mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request, pk, lambda m: services.meeting_mark_held(meeting=m, user=request.user), _("Meeting marked as held.")
    )


@lead_required
@require_POST
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request,
        pk,
        lambda m: services.meeting_approve_minutes(meeting=m),
        _("Minutes approved: the meeting is locked."),
    )


@lead_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, lambda m: services.meeting_cancel(meeting=m), _("Meeting cancelled."))


@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("committee").prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))
        ),
        pk=pk,
    )
    response = HttpResponse(ical.calendar([meeting], name=str(meeting)), content_type="text/calendar; charset=utf-8")
    filename = ical.ascii_filename(f"{meeting.committee.short_name}-{meeting.number}", suffix=".ics")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Agenda ---------------------------------------------------------------------
def _agenda_response(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """htmx gets the agenda fragment; a plain form post goes back to the page."""
    if request.htmx:
        meeting = selectors.meeting_detail(pk=meeting.pk).first()
        return render(request, "governance/partials/agenda.html", {"meeting": meeting, "swapped": True})
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@lead_required
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _agenda_item_form(request, meeting, None)


@lead_required
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__committee"), pk=pk)
    return _agenda_item_form(request, item.meeting, item)


def _agenda_item_form(request: HttpRequest, meeting: Meeting, item: AgendaItem | None) -> HttpResponse:
    if item is None:
        save = lambda data, token: services.agenda_item_create(meeting=meeting, data=data)  # noqa: E731
    else:
        save = lambda data, token: services.agenda_item_update(item=item, token=token, data=data)  # noqa: E731
    return _meeting_form_page(
        request,
        meeting,
        anchor="agenda",
        form=AgendaItemForm(request.POST or None, instance=item),
        save=save,
        title=_("Edit agenda item") if item else _("Add an agenda item"),
        success_message=_("Agenda saved."),
    )


@lead_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__committee"), pk=pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, _("Unknown direction."))
    else:
        try:
            services.agenda_item_move(item=item, offset=offset)
        except ValidationError as error:
            _error_message(request, error)
    return _agenda_response(request, item.meeting)


@lead_required
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__committee"), pk=pk)
    meeting = item.meeting
    try:
        services.agenda_item_delete(item=item)
    except ValidationError as error:
        _error_message(request, error)
    return _agenda_response(request, meeting)


@lead_required
@require_POST
def agenda_proposal_add(request: HttpRequest, pk: int) -> HttpResponse:
    """One click on a proposal puts it on the agenda."""
    meeting = _meeting(pk)
    kind = request.POST.get("kind")
    reasons = {"changed": _("health changed"), "stale": _("reporting is stale")}
    try:
        if kind in reasons:
            project = get_object_or_404(Project.objects.select_related("lead_service"), pk=request.POST.get("project"))
            services.agenda_item_propose_project(meeting=meeting, project=project, reason=reasons[kind])
        elif kind == "overdue":
            action = get_object_or_404(
                ActionItem.objects.select_related("owner_service"),
                pk=request.POST.get("action"),
                meeting__committee=meeting.committee,
            )
            services.agenda_item_propose_action(meeting=meeting, action=action)
        else:
            raise Http404
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Added to the agenda."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


# Minutes --------------------------------------------------------------------
@lead_required
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    if locked := _locked_redirect(request, meeting):
        return locked
    committee = Committee.objects.prefetch_related("members", "invited_services").get(pk=meeting.committee_id)
    attendances = list(meeting.attendances.select_related("official", "service", "partner"))
    officials = list(committee.members.all())
    officials += [a.official for a in attendances if a.official_id and a.official not in officials]
    invited = list(committee.invited_services.all())
    invited += [a.service for a in attendances if a.service_id and a.service not in invited]
    form = AttendanceForm(
        request.POST or None,
        meeting=meeting,
        officials=officials,
        services=invited,
        attendances=attendances,
        token=services.attendance_token(meeting),
    )

    def save(data, token):
        rows = form.by_kind()
        services.attendance_record(
            meeting=meeting, token=token, officials=rows["official"], services=rows["service"], partners=rows["partner"]
        )
        return meeting

    return _meeting_form_page(
        request,
        meeting,
        anchor="attendance",
        form=form,
        save=save,
        title=_("Attendance"),
        success_message=_("Attendance saved."),
        template="governance/attendance_form.html",
    )


@lead_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _meeting_form_page(
        request,
        meeting,
        anchor="decisions",
        form=DecisionForm(request.POST or None, meeting=meeting),
        save=lambda data, token: services.decision_create(meeting=meeting, data=data),
        title=_("Record a decision"),
        success_message=_("Decision recorded."),
    )


@lead_required
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _meeting_form_page(
        request,
        meeting,
        anchor="actions",
        form=ActionForm(request.POST or None, meeting=meeting),
        save=lambda data, token: services.action_create(meeting=meeting, data=data),
        title=_("Record an action"),
        success_message=_("Action recorded."),
    )


@lead_required
@require_POST
def action_close(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    action = get_object_or_404(ActionItem, pk=action_pk)
    form = CloseActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the action is closed."))
    else:
        try:
            services.action_close(action=action, meeting=meeting, status=form.cleaned_data["status"])
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("Action closed."))
    return redirect(f"{meeting.get_absolute_url()}#carried")


@lead_required
def amendment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    return _meeting_form_page(
        request,
        meeting,
        anchor="amendments",
        while_editable=False,
        form=AmendmentForm(request.POST or None, meeting=meeting),
        save=lambda data, token: services.amendment_create(meeting=meeting, author=request.user, **data),
        title=_("Amend the minutes"),
        success_message=_("Amendment recorded."),
    )


# The meeting pack -----------------------------------------------------------
def _pack(request: HttpRequest, pk: int) -> dict:
    """The pack's context: once frozen, the snapshot exactly as it was;
    before that, a live preview."""
    meeting = (
        Meeting.objects.select_related("committee", "snapshot__taken_by")
        .prefetch_related(Prefetch("agenda_items", queryset=selectors.agenda_items()))
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    snapshot = getattr(meeting, "snapshot", None)
    data = snapshot.data if snapshot else selectors.pack_data(meeting=meeting)
    context = packs.pack_context(meeting=meeting, data=data, agenda=packs.agenda_data(meeting))
    context["snapshot"] = snapshot
    return context


@require_safe
def meeting_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack officials read before and during a meeting."""
    return render(request, "governance/pack.html", _pack(request, pk))


@require_safe
def meeting_pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same pack as an A4 PDF, for every signed-in reader (as the page)."""
    context = _pack(request, pk)
    meeting = context["meeting"]
    body = pdf.render_pack(context, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    filename = ical.ascii_filename(f"{meeting.committee.short_name}-{meeting.number}-dossier", suffix=".pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@lead_required
@require_POST
def pack_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    try:
        services.pack_freeze(meeting=meeting, user=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Pack frozen: it will read the same from now on."))
    return redirect("governance:meeting_pack", pk=meeting.pk)


def _check_pack_sending(request: HttpRequest, meeting: Meeting) -> None:
    if not rules.can_send_pack(request.user, meeting):
        raise refuse(request, f"pack sending refused for meeting {meeting.pk}")


@lead_required
@require_POST
def pack_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the pack's current version to the members who have not had it."""
    meeting = _meeting(pk)
    _check_pack_sending(request, meeting)
    sent = services.pack_send(meeting=meeting, user=request.user)
    if sent:
        messages.success(
            request,
            ngettext(
                "The pack is being sent to %(count)d member.",
                "The pack is being sent to %(count)d members.",
                len(sent),
            )
            % {"count": len(sent)},
        )
    else:
        messages.info(request, _("Every member already has this version of the pack: nothing was sent."))
    return redirect(f"{meeting.get_absolute_url()}#pack-sending")


@lead_required
@require_POST
def pack_resend(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    """Send one member the same version again (a lost e-mail)."""
    meeting = _meeting(pk)
    delivery = get_object_or_404(
        PackDelivery.objects.select_related("official"), pk=delivery_pk, edition__meeting=meeting
    )
    _check_pack_sending(request, meeting)
    services.pack_resend(delivery=delivery, user=request.user)
    messages.success(request, _("The pack is being sent again to %(member)s.") % {"member": delivery.official})
    return redirect(f"{meeting.get_absolute_url()}#pack-sending")


# The decision register ------------------------------------------------------
@require_safe
def decision_register(request: HttpRequest) -> HttpResponse:
    register = DecisionFilter(request.GET or None, queryset=selectors.decision_register())
    page = Paginator(register.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/decision_register.html",
        {
            "filter": register,
            "page": page,
            "query": query.urlencode(),
            "more_filters": any(request.GET.get(name) for name in register.filters if name != "q"),
        },
    )
