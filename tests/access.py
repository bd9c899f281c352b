"""The access contract of every URL, checked by tests/test_permissions.py.

Each app's ``tests/<app>/access_rules.py`` lists a ``Rule`` for each of its
URL names. A URL without a rule fails the suite, so no view can ship without
its check. ``get``/``post`` name the personas that must be let through
(any status < 400 but 404); every other persona must be refused: anonymous
users are sent to sign-in (API URLs, ``api=True``, answer 401 or 403), signed-in users get 403 (or 405 where the method
does not exist), and a refused POST must leave the database unchanged.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANONYMOUS = "anonymous"
LEAD, DIRECTOR, OFFICIAL, VIEWER = "lead", "director", "official", "viewer"
SIGNED_IN = frozenset({LEAD, DIRECTOR, OFFICIAL, VIEWER})
EVERYONE = SIGNED_IN | {ANONYMOUS}
LEAD_ONLY = frozenset({LEAD})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    """Who may GET and who may POST a URL.

    ``kwargs`` builds the URL arguments from the ``world`` fixture (a dict of
    objects: project, own_project, service, partner, …). ``post_data`` builds
    a plausible form submission, so that a POST that should be refused would
    really change something if the check were missing.
    """

    get: frozenset[str] = SIGNED_IN
    post: frozenset[str] = NOBODY
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda world: {})
    post_data: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda world: {})
    query: str = ""
    # An API URL answers an anonymous request with 401/403 (no sign-in page).
    api: bool = False
    # The method that writes (an API edit is a PATCH); ``post`` names who may.
    write_method: str = "post"


READ = Rule()
PUBLIC = Rule(get=EVERYONE)
