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
