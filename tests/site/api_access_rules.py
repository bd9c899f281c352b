"""The API's access rules: every signed-in person reads; anonymous requests
get 401/403 (no sign-in redirect)."""

from tests.access import Rule

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


RULES = {
    "api:api-root": API_READ,
    "api:schema": API_READ,
    "api:docs": API_READ,
    **{f"api:{name}-list": API_READ for name in _OBJECTS},
    **{f"api:{name}-detail": _detail(pk_of) for name, pk_of in _OBJECTS.items()},
}
