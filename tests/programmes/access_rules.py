from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.access import DIRECTOR, LEAD, LEAD_ONLY, NOBODY, READ, SIGNED_IN, Rule

LEAD_FORM = {"get": LEAD_ONLY, "post": LEAD_ONLY}
LEAD_POST_ONLY = {"get": NOBODY, "post": LEAD_ONLY}


def _project_data(w):
    p = w["project"]
    return {
        "programme": p.programme_id,
        "code": "NEW-001",
        "name": "Projet écrit",
        "lead_service": w["service"].pk,
        "phase": "study",
        "budget_planned": "1000",
        "budget_spent": "0",
    }


RULES = {
    "programmes:portfolio": READ,
    "programmes:project_list": READ,
    "programmes:programme_pick": Rule(query="?q=prog"),
    "programmes:project_pick": Rule(query="?q=proj"),
    "programmes:project_export": Rule(query="?format=csv"),
    "programmes:project_detail": Rule(kwargs=lambda w: {"pk": w["project"].pk}),
    "programmes:project_create": Rule(**LEAD_FORM, post_data=_project_data),
    "programmes:project_import": Rule(
        **LEAD_FORM,
        post_data=lambda w: {
            "file": SimpleUploadedFile(
                "p.csv",
                f"code;name;programme;lead_service\nIMP-1;Importé;{w['project'].programme.name};{w['service'].acronym}\n".encode(),
            )
        },
    ),
    "programmes:project_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["project"].pk},
        post_data=lambda w: {**_project_data(w), "code": w["project"].code, "token": w["project"].version},
    ),
    "programmes:project_archive": Rule(**LEAD_FORM, kwargs=lambda w: {"pk": w["project"].pk}),
    "programmes:project_service_link": Rule(
        **LEAD_POST_ONLY,
        kwargs=lambda w: {"pk": w["project"].pk},
        post_data=lambda w: {"service": w["own_service"].pk, "role": "contributor"},
    ),
    "programmes:project_service_unlink": Rule(
        **LEAD_POST_ONLY, kwargs=lambda w: {"pk": w["project"].pk, "service_pk": w["contributor"].pk}
    ),
    "programmes:project_partner_link": Rule(
        **LEAD_POST_ONLY,
        kwargs=lambda w: {"pk": w["project"].pk},
        post_data=lambda w: {"link-partner": w["partner"].pk, "link-relationship": "funding"},
    ),
    "programmes:project_partner_unlink": Rule(
        **LEAD_POST_ONLY, kwargs=lambda w: {"pk": w["project"].pk, "link_pk": w["partner_link"].pk}
    ),
    "programmes:project_domain_link": Rule(
        **LEAD_POST_ONLY, kwargs=lambda w: {"pk": w["project"].pk}, post_data=lambda w: {"domain": w["domain2"].pk}
    ),
    "programmes:project_domain_unlink": Rule(
        **LEAD_POST_ONLY, kwargs=lambda w: {"pk": w["project"].pk, "domain_pk": w["domain"].pk}
    ),
    "programmes:project_sponsor_set": Rule(
        **LEAD_POST_ONLY, kwargs=lambda w: {"pk": w["project"].pk}, post_data=lambda w: {"sponsor": w["official"].pk}
    ),
    "programmes:programme_list": READ,
    "programmes:programme_detail": Rule(kwargs=lambda w: {"pk": w["project"].programme_id}),
    "programmes:programme_create": Rule(**LEAD_FORM, post_data=lambda w: {"name": "Programme écrit"}),
    "programmes:programme_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["project"].programme_id},
        post_data=lambda w: {"name": "Programme renommé", "token": w["project"].programme.updated_at.isoformat()},
    ),
    "programmes:programme_archive": Rule(**LEAD_FORM, kwargs=lambda w: {"pk": w["project"].programme_id}),
    "programmes:domain_list": READ,
    "programmes:domain_detail": Rule(kwargs=lambda w: {"slug": w["domain"].slug}),
}

# --- Status reporting (issue 4) ------------------------------------------------
# A director writes the status of the projects their service leads; the lead
# of any project. Crafted submissions (other projects, other fields, closed or
# archived projects) are tested in tests/programmes/test_reporting_permissions.py.

DIRECTOR_OR_LEAD = frozenset({DIRECTOR, LEAD})


def _report_data(world) -> dict:
    """A genuine report on the director's own project: it would write."""
    prefix = f"p{world['own_project'].pk}"
    return {f"{prefix}-health": "at_risk", f"{prefix}-progress": "40", f"{prefix}-based_on": ""}


def _own_project_with_report(world) -> dict:
    """ "No change" repeats an earlier report: give the own project one.
    Called before the database fingerprint is taken."""
    project = world["own_project"]
    if not project.status_reports.exists():
        factories.StatusReportFactory(project=project, health="on_track", progress=20)
    return {"pk": project.pk}


def _no_change_data(world) -> dict:
    return {"based_on": str(world["own_project"].status_reports.get().pk)}


RULES |= {
    "programmes:my_service": Rule(get=DIRECTOR_OR_LEAD),
    "programmes:service_report": Rule(get=DIRECTOR_OR_LEAD, post=frozenset({DIRECTOR}), post_data=_report_data),
    "programmes:project_report": Rule(
        get=DIRECTOR_OR_LEAD,
        post=DIRECTOR_OR_LEAD,
        kwargs=lambda w: {"pk": w["own_project"].pk},
        post_data=_report_data,
    ),
    "programmes:project_report_no_change": Rule(
        get=NOBODY, post=DIRECTOR_OR_LEAD, kwargs=_own_project_with_report, post_data=_no_change_data
    ),
    "programmes:reporting_overview": Rule(get=SIGNED_IN),
    "programmes:cycle_start_next": Rule(get=NOBODY, post=LEAD_ONLY),
    "programmes:cycle_settings": Rule(
        get=NOBODY, post=LEAD_ONLY, post_data=lambda w: {"length_months": "3", "remind_days_before_end": "5"}
    ),
}


# --- Partner relationships and data assets (issue 15) ---


def _agreement_data(w, **extra):
    return {"title": "Convention écrite", "kind": "data_sharing", "status": "draft", **extra}


def _asset_data(w, **extra):
    return {
        "name": "Jeu écrit",
        "holder": "city",
        "licence": "etalab_2",
        "open_data": "open",
        "update_frequency": "daily",
        **extra,
    }


# --- Milestones, roadmap and history (issue 13) --------------------------------
# The lead edits any project's milestones, a director those of the projects
# their service leads (the other director's refusal, with nothing changed, is
# in tests/programmes/test_milestones.py). Histories read like the pages.


def _own_milestone(world):
    """A milestone on the director's own project; made before the database
    fingerprint is taken."""
    from programmes.models import Milestone

    milestone = Milestone.objects.filter(project=world["own_project"]).first()
    return milestone or factories.MilestoneFactory(project=world["own_project"], title="Pose")


def _milestone_data(world) -> dict:
    milestone = _own_milestone(world)
    milestone.refresh_from_db()
    return {
        "title": "Pose des capteurs",
        "due_date": "2030-06-30",
        "status": "planned",
        "reached_on": "",
        "token": str(milestone.version),
    }


RULES |= {
    "programmes:agreement_list": Rule(query="?expiring=1"),
    "programmes:agreement_detail": Rule(kwargs=lambda w: {"pk": w["agreement"].pk}),
    "programmes:agreement_create": Rule(**LEAD_FORM, post_data=_agreement_data),
    "programmes:agreement_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["agreement"].pk},
        post_data=lambda w: _agreement_data(w, token=w["agreement"].updated_at.isoformat()),
    ),
    "programmes:data_asset_list": Rule(query="?holder=city"),
    "programmes:data_asset_detail": Rule(kwargs=lambda w: {"pk": w["data_asset"].pk}),
    "programmes:data_asset_create": Rule(**LEAD_FORM, post_data=_asset_data),
    "programmes:data_asset_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["data_asset"].pk},
        post_data=lambda w: _asset_data(w, token=w["data_asset"].updated_at.isoformat()),
    ),
    "programmes:relationship_moves": READ,
    "programmes:project_partner_change": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["project"].pk, "link_pk": w["partner_link"].pk},
        post_data=lambda w: {"relationship": "co_construction", "changed_on": "2024-06-01"},
    ),
}


# --- Indicators and usefulness (issue 14): the lead defines indicators and
# writes the sheets; a value is recorded by the lead or by the director of
# the project's lead service (their own project here).


def _indicator(world):
    from programmes.models import Indicator

    indicator = Indicator.objects.filter(project=world["own_project"], name="Indicateur de test").first()
    return indicator or Indicator.objects.create(project=world["own_project"], name="Indicateur de test", unit="%")


def _indicator_kwargs(world):
    return {"pk": world["own_project"].pk, "indicator_pk": _indicator(world).pk}


def _indicator_data(world, **extra):
    return {"name": "Taux de test", "unit": "%", "direction": "up", "baseline": "10", **extra}


RULES |= {
    "programmes:indicator_create": Rule(
        **LEAD_FORM, kwargs=lambda w: {"pk": w["project"].pk}, post_data=_indicator_data
    ),
    "programmes:indicator_update": Rule(
        **LEAD_FORM,
        kwargs=_indicator_kwargs,
        post_data=lambda w: _indicator_data(w, token=_indicator(w).updated_at.isoformat()),
    ),
    "programmes:indicator_value_create": Rule(
        get=DIRECTOR_OR_LEAD,
        post=DIRECTOR_OR_LEAD,
        kwargs=_indicator_kwargs,
        post_data=lambda w: {
            f"ind{_indicator(w).pk}-measured_on": "2024-05-01",
            f"ind{_indicator(w).pk}-value": "12.5",
            f"ind{_indicator(w).pk}-source": "Relevé",
        },
    ),
    "programmes:usefulness_sheet": Rule(kwargs=lambda w: {"pk": w["project"].pk}),
    "programmes:usefulness_sheet_edit": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": w["project"].pk},
        post_data=lambda w: {"changed": "Moins de pannes", "for_whom": "Habitants", "cost": "1000", "lessons": "—"},
    ),
    "programmes:usefulness_summary": READ,
}


# --- The plan, objectives, ideas and proposals (issue 13) ----------------------
# Everybody signed in reads; the lead writes; a director proposes ideas for
# the service they direct (tests/programmes/test_ideas.py: another service,
# decisions, the log).


def _plan(world) -> dict:
    """The plan objects of the matrix, made on first use (each case runs in
    a savepoint, so they are made again by the next case)."""
    from programmes.models import Idea, Objective, SmartCityPlan, Target

    objective = Objective.objects.filter(code="O-ACCESS").select_related("plan").first()
    if objective is None:
        plan = SmartCityPlan.objects.create(title="Plan", period_start="2024-01-01", period_end="2030-12-31")
        objective = Objective.objects.create(plan=plan, code="O-ACCESS", title="Objectif")
        objective.projects.add(world["project"])
        Target.objects.create(
            objective=objective, label="Cible", unit="%", baseline=1, target_value=5, target_date="2030-12-31"
        )
        Idea.objects.create(title="Idée", need="Besoin", proposing_service=world["own_service"])
    return {
        "plan": objective.plan,
        "objective": objective,
        "target": objective.targets.get(),
        "idea": Idea.objects.get(title="Idée"),
    }


def _idea_data(w) -> dict:
    return {"title": "Une idée", "need": "Un besoin", "proposing_service": w["own_service"].pk}


RULES |= {
    "programmes:plan": Rule(kwargs=lambda w: _plan(w) and {}),
    "programmes:plan_edit": Rule(
        **LEAD_FORM,
        kwargs=lambda w: _plan(w) and {},
        post_data=lambda w: {
            "title": "Plan révisé",
            "period_start": "2024-01-01",
            "period_end": "2031-12-31",
            "token": _plan(w)["plan"].updated_at.isoformat(),
        },
    ),
    "programmes:objective_create": Rule(
        **LEAD_FORM, kwargs=lambda w: _plan(w) and {}, post_data=lambda w: {"code": "O9", "title": "Nouvel objectif"}
    ),
    "programmes:objective_detail": Rule(kwargs=lambda w: {"pk": _plan(w)["objective"].pk}),
    "programmes:objective_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": _plan(w)["objective"].pk},
        post_data=lambda w: {
            "code": "O-ACCESS",
            "title": "Renommé",
            "position": "1",
            "token": _plan(w)["objective"].updated_at.isoformat(),
        },
    ),
    "programmes:objective_archive": Rule(**LEAD_FORM, kwargs=lambda w: {"pk": _plan(w)["objective"].pk}),
    "programmes:target_create": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": _plan(w)["objective"].pk},
        post_data=lambda w: {
            "label": "Nouvelle cible",
            "unit": "km",
            "baseline": "0",
            "target_value": "10",
            "target_date": "2030-01-01",
        },
    ),
    "programmes:target_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": _plan(w)["target"].pk},
        post_data=lambda w: {
            "label": "Cible",
            "unit": "%",
            "baseline": "1",
            "target_value": "6",
            "target_date": "2030-12-31",
            "token": _plan(w)["target"].updated_at.isoformat(),
        },
    ),
    "programmes:idea_pipeline": READ,
    "programmes:my_ideas": Rule(get=DIRECTOR_OR_LEAD),
    "programmes:idea_create": Rule(get=DIRECTOR_OR_LEAD, post=DIRECTOR_OR_LEAD, post_data=_idea_data),
    "programmes:proposal_create": Rule(
        **LEAD_FORM,
        post_data=lambda w: {"title": "Proposition", "need": "Capteurs", "partner": w["partner"].pk},
    ),
    "programmes:idea_detail": Rule(kwargs=lambda w: {"pk": _plan(w)["idea"].pk}),
    "programmes:idea_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": _plan(w)["idea"].pk},
        post_data=lambda w: {**_idea_data(w), "token": _plan(w)["idea"].updated_at.isoformat()},
    ),
    "programmes:idea_move": Rule(
        **LEAD_POST_ONLY,
        kwargs=lambda w: {"pk": _plan(w)["idea"].pk},
        post_data=lambda w: {"to_state": "under_study", "reason": "À étudier", "expected_state": "new"},
    ),
    "programmes:idea_accept": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"pk": _plan(w)["idea"].pk},
        post_data=lambda w: {
            "programme": w["project"].programme_id,
            "code": "IDEA-001",
            "name": "Projet issu d'une idée",
            "lead_service": w["own_service"].pk,
            "reason": "Retenue",
            "expected_state": "new",
        },
    ),
    "programmes:milestone_create": Rule(
        get=DIRECTOR_OR_LEAD,
        post=DIRECTOR_OR_LEAD,
        kwargs=lambda w: {"pk": w["own_project"].pk},
        post_data=lambda w: {"title": "Bilan", "due_date": "2030-01-31", "status": "planned"},
    ),
    "programmes:milestone_update": Rule(
        get=DIRECTOR_OR_LEAD,
        post=DIRECTOR_OR_LEAD,
        kwargs=lambda w: {"pk": _own_milestone(w).pk},
        post_data=_milestone_data,
    ),
    "programmes:roadmap": Rule(query="?start=2020-01-01&end=2032-12-31"),
    "programmes:project_history": Rule(kwargs=lambda w: {"pk": w["own_project"].pk}),
    "programmes:programme_history": Rule(kwargs=lambda w: {"pk": w["project"].programme_id}),
    # The editable lists (issue 13): the lead's only.
    "programmes:taxonomy": Rule(get=LEAD_ONLY),
    "programmes:taxonomy_create": Rule(
        **LEAD_FORM, kwargs=lambda w: {"kind": "phases"}, post_data=lambda w: {"label": "Suspendu", "stage": "active"}
    ),
    "programmes:taxonomy_update": Rule(
        **LEAD_FORM,
        kwargs=lambda w: {"kind": "phases", "pk": _phase("study").pk},
        post_data=lambda w: {"label": "Étude préalable", "token": _phase("study").version},
    ),
    "programmes:taxonomy_move": Rule(
        **LEAD_POST_ONLY,
        kwargs=lambda w: {"kind": "phases", "pk": _phase("study").pk},
        post_data=lambda w: {"direction": "up"},
    ),
    "programmes:taxonomy_archive": Rule(
        **LEAD_POST_ONLY,
        kwargs=lambda w: {"kind": "phases", "pk": _phase("pilot").pk},
        post_data=lambda w: {"archived": "1"},
    ),
}


def _phase(code: str):
    from programmes.models import PhaseOption

    return PhaseOption.objects.get(code=code)
