"""Pages of the smart-city plan (objectives, targets, roll-ups) and of the
emergence of projects (ideas and partners' proposals, their pipeline).

Who may write: the lead, everything here; a director proposes ideas for a
service they direct (``rules.can_propose_idea``). Everybody signed in reads.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from smartcity.base.editing import archive_page, form_page
from smartcity.base.forms import add_service_error
from smartcity.base.permissions import lead_required, refuse, role_required
from smartcity.base.roles import Role, is_lead

from . import rollups, rules, selectors, services
from .cycles import request_window
from .forms import IdeaAcceptForm, IdeaForm, IdeaMoveForm, ObjectiveForm, PlanForm, ProposalForm, TargetForm
from .models import Idea, IdeaState, Objective, Target

director_or_lead = role_required(Role.DIRECTOR, Role.LEAD)
SHOWN_PER_OBJECTIVE = 12


# The plan and its objectives ------------------------------------------------


@require_safe
def plan(request: HttpRequest) -> HttpResponse:
    """Per objective: its targets and the gap to them, its roll-up, its
    projects with their health and progress; the whole plan's roll-up."""
    current = selectors.current_plan()
    context: dict = {"plan": current, "objectives": [], "today": timezone.localdate()}
    if current is not None:
        window = request_window(request)
        # The most worrying in full; the others as plain links (a large
        # city's objective gathers hundreds of projects): read as such.
        objectives = list(selectors.plan_objectives(plan=current, shown=SHOWN_PER_OBJECTIVE))
        keys = [o.pk for o in objectives]
        by_objective = rollups.rollups_by("objective", keys=keys, window=window)
        links = selectors.plan_objective_links(objectives=keys)
        for objective in objectives:
            objective.rollup = by_objective.get(objective.pk, rollups.Rollup())
            objective.shown = objective.shown_projects
            objective.others = links[objective.pk][SHOWN_PER_OBJECTIVE:]
            objective.n_projects = len(links[objective.pk])
        context.update(objectives=objectives, rollup=rollups.rollup_of_plan(current, window=window))
    return render(request, "programmes/plan.html", context)


def _plan_or_404():
    current = selectors.current_plan()
    if current is None:
        raise Http404
    return current


@lead_required
def plan_edit(request: HttpRequest) -> HttpResponse:
    """The lead writes the plan in force (the first time, creates it)."""
    current = selectors.current_plan()
    if current is None:
        return form_page(
            request,
            form=PlanForm(request.POST or None),
            save=lambda data, token: services.plan_create(data=data),
            title=_("The smart-city plan"),
            success_message=_("Plan saved."),
            cancel_url=reverse("programmes:plan"),
        )
    return form_page(
        request,
        form=PlanForm(request.POST or None, instance=current),
        save=lambda data, token: services.plan_update(plan=current, token=token, data=data),
        title=_("Edit the plan"),
        success_message=_("Plan saved."),
        cancel_url=reverse("programmes:plan"),
    )


def _parent() -> tuple[str, str]:
    return (_("The smart-city plan"), reverse("programmes:plan"))


@lead_required
def objective_create(request: HttpRequest) -> HttpResponse:
    current = _plan_or_404()
    return form_page(
        request,
        form=ObjectiveForm(request.POST or None, plan=current),
        save=lambda data, token: services.objective_create(plan=current, data=data),
        title=_("New objective"),
        success_message=_("Objective created."),
        cancel_url=reverse("programmes:plan"),
        parent=_parent(),
    )


@require_safe
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An objective's own page: what it says, its targets, its documents
    (its projects and figures are on the plan page)."""
    objective = selectors.objective_detail(pk=pk).first()
    if objective is None:
        raise Http404
    return render(request, "programmes/objective_detail.html", {"objective": objective, "today": timezone.localdate()})


@lead_required
def objective_update(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective, pk=pk)
    return form_page(
        request,
        form=ObjectiveForm(request.POST or None, instance=objective),
        save=lambda data, token: services.objective_update(objective=objective, token=token, data=data),
        title=_("Edit %(name)s") % {"name": objective},
        success_message=_("Objective saved."),
        cancel_url=objective.get_absolute_url(),
        parent=_parent(),
    )


@lead_required
def objective_archive(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective, pk=pk)
    return archive_page(
        request,
        obj=objective,
        archive=lambda: services.objective_archive(objective=objective),
        success_message=_("Objective archived."),
        next_url=reverse("programmes:plan"),
        question=_("Archive this objective? It leaves the plan page; its projects are kept."),
    )


@lead_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective, pk=pk, is_archived=False)
    return form_page(
        request,
        form=TargetForm(request.POST or None),
        save=lambda data, token: services.target_create(objective=objective, data=data),
        title=_("New target for %(objective)s") % {"objective": objective},
        success_message=_("Target saved."),
        cancel_url=objective.get_absolute_url(),
        parent=_parent(),
    )


@lead_required
def target_update(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("objective"), pk=pk)
    return form_page(
        request,
        form=TargetForm(request.POST or None, instance=target),
        save=lambda data, token: services.target_update(target=target, token=token, data=data),
        title=_("Edit %(name)s") % {"name": target},
        success_message=_("Target saved."),
        cancel_url=target.get_absolute_url(),
        parent=_parent(),
    )


# Ideas and proposals -------------------------------------------------------

PIPELINE_ORDER = (IdeaState.NEW, IdeaState.UNDER_STUDY, IdeaState.ACCEPTED, IdeaState.PARKED, IdeaState.DECLINED)


def _columns(ideas: list[Idea]) -> list[dict]:
    labels = dict(IdeaState.choices)
    columns = {state: {"state": state, "label": labels[state], "ideas": []} for state in PIPELINE_ORDER}
    for idea in ideas:
        columns[idea.state]["ideas"].append(idea)
    return list(columns.values())


@require_safe
def idea_pipeline(request: HttpRequest) -> HttpResponse:
    """The pipeline: a column per state (a list on a phone), filtered by
    state and kind in the URL (plain links: no JavaScript needed)."""
    state, kind = request.GET.get("state", ""), request.GET.get("kind", "")
    ideas = selectors.idea_list()
    if state in IdeaState.values:
        ideas = ideas.filter(state=state)
    else:
        state = ""
    if kind in Idea.Kind.values:
        ideas = ideas.filter(kind=kind)
    else:
        kind = ""
    ideas = list(ideas.order_by("-state_changed_at", "-created_at", "-pk"))
    columns = [c for c in _columns(ideas) if not state or c["state"] == state]
    context = {
        "columns": columns,
        "n_ideas": len(ideas),
        "state": state,
        "kind": kind,
        "states": [(s, dict(IdeaState.choices)[s]) for s in PIPELINE_ORDER],
        "kinds": Idea.Kind.choices,
        "can_propose": _may_propose(request),
    }
    return render(request, "programmes/idea_pipeline.html", context)


def _may_propose(request: HttpRequest) -> bool:
    return is_lead(request.user) or request.user.directed_services.filter(is_archived=False).exists()


@require_safe
@director_or_lead
def my_ideas(request: HttpRequest) -> HttpResponse:
    """A director's ideas (theirs and their services') and what became of them."""
    ideas = list(selectors.my_ideas(user=request.user).order_by("-created_at", "-pk"))
    return render(request, "programmes/my_ideas.html", {"ideas": ideas, "columns": _columns(ideas)})


@director_or_lead
def idea_create(request: HttpRequest) -> HttpResponse:
    own = None if is_lead(request.user) else request.user.directed_services.filter(is_archived=False)

    def save(data, token):
        try:
            return services.idea_propose(by=request.user, data=data)
        except PermissionDenied as exc:
            raise refuse(request, str(exc)) from exc

    return form_page(
        request,
        form=IdeaForm(request.POST or None, services=own),
        save=save,
        title=_("Propose an idea"),
        success_message=_("Idea recorded: the smart-city lead will study it."),
        cancel_url=reverse("programmes:idea_pipeline"),
        intro=_("Describe the need first: the solution can wait for the study."),
    )


@lead_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=ProposalForm(request.POST or None),
        save=lambda data, token: services.proposal_record(by=request.user, data=data),
        title=_("Record a partner's proposal"),
        success_message=_("Proposal recorded."),
        cancel_url=reverse("programmes:idea_pipeline"),
    )


def _idea_or_404(pk: int) -> Idea:
    idea = selectors.idea_detail(pk=pk).first()
    if idea is None:
        raise Http404
    return idea


def _detail(request: HttpRequest, idea: Idea, *, move_form=None, status: int = 200) -> HttpResponse:
    context = {"idea": idea, "transitions": list(idea.transitions.all())}
    if rules.can_decide_idea(request.user):
        context["moves"] = rules.idea_moves(idea)
        context["move_form"] = move_form or IdeaMoveForm(idea=idea)
        context["can_accept"] = IdeaState.ACCEPTED in context["moves"]
    return render(request, "programmes/idea_detail.html", context, status=status)


@require_safe
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _idea_or_404(pk))


@lead_required
def idea_update(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    form_class = ProposalForm if idea.kind == Idea.Kind.PROPOSAL else IdeaForm
    return form_page(
        request,
        form=form_class(request.POST or None, instance=idea),
        save=lambda data, token: services.idea_update(idea=idea, by=request.user, token=token, data=data),
        title=_("Edit %(name)s") % {"name": idea},
        success_message=_("Saved."),
        cancel_url=idea.get_absolute_url(),
    )


@require_POST
@lead_required
def idea_move(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(pk)
    form = IdeaMoveForm(request.POST, idea=idea)
    if form.is_valid():
        try:
            services.idea_move(
                idea=idea,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_state=form.cleaned_data["expected_state"] or None,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(idea.get_absolute_url())
    return _detail(request, idea, move_form=form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@lead_required
def idea_accept(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(pk)
    if IdeaState.ACCEPTED not in rules.idea_moves(idea):
        messages.error(request, _("This idea cannot be accepted from its current state."))
        return redirect(idea.get_absolute_url())
    form = IdeaAcceptForm(request.POST or None, idea=idea)

    def save(data, token):
        project_data = {k: data[k] for k in ("programme", "code", "name", "lead_service")}
        services.idea_accept(
            idea=idea,
            by=request.user,
            reason=data["reason"],
            project_data=project_data,
            expected_state=data["expected_state"] or None,
            partner_relationship=data.get("partner_relationship") or None,
        )
        return idea

    return form_page(
        request,
        form=form,
        save=save,
        title=_("Accept “%(idea)s” as a project") % {"idea": idea},
        success_message=_("Idea accepted: its project is created."),
        cancel_url=idea.get_absolute_url(),
        intro=_(
            "The project takes the idea's need as its summary, its domain and the services concerned as "
            "contributors, and a proposal's partner as a partner. The idea keeps its history and links to "
            "the project."
        ),
    )
