"""The API's access rules: every signed-in person reads; anonymous requests
get 401/403 (no sign-in redirect)."""

from tests.access import DIRECTOR, LEAD, NOBODY, Rule

API_READ = Rule(api=True)

_OBJECTS = {
    "programme": lambda w: w["project"].programme_id,
    "project": lambda w: w["project"].pk,
    "service": lambda w: w["service"].pk,
    "partner": lambda w: w["partner"].pk,
    "official": lambda w: w["official"].pk,
    "committee": lambda w: w["committee"].pk,
    "meeting": lambda w: w["meeting"].pk,
    "decision": lambda w: w["decision"].pk,
    "action": lambda w: w["action"].pk,
}


def _detail(pk_of):
    return Rule(api=True, kwargs=lambda w: {"pk": pk_of(w)})


def _project_edit(w):
    project = w["project"]
    project.refresh_from_db()
    return {"token": str(project.version), "name": "Renommé par l'API"}


RULES = {
    "api:api-root": API_READ,
    "api:schema": API_READ,
    "api:docs": API_READ,
    **{f"api:{name}-list": API_READ for name in _OBJECTS},
    **{f"api:{name}-detail": _detail(pk_of) for name, pk_of in _OBJECTS.items()},
    # Writes: the lead edits a project (PATCH with its concurrency token); the
    # lead and the director of its service file a report on their project.
    "api:project-detail": Rule(
        api=True,
        post=frozenset({LEAD}),
        write_method="patch",
        kwargs=lambda w: {"pk": w["project"].pk},
        post_data=_project_edit,
    ),
    "api:project-reports": Rule(
        api=True,
        get=NOBODY,
        post=frozenset({LEAD, DIRECTOR}),
        kwargs=lambda w: {"pk": w["own_project"].pk},
        post_data=lambda w: {"health": "at_risk", "progress": 55, "comment": "Par l'API"},
    ),
}
