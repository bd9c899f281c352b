"""Hostile input on every form (issue 11): random, huge, control-character
and wrong-type values posted to every URL that takes a POST, as each role.
No answer is a server error; a role the access rules refuse writes nothing.

Same world and clients as tests/test_permissions.py (built once for the
module, each case in a savepoint); a fixed seed per URL, so that a failure
replays.
"""

import random

import pytest

from tests.access import NOBODY
from tests.test_permissions import PERSONAS, _url, changed_tables, database_fingerprint, shared_world  # noqa: F401
from tests.url_rules import RULES

# Every URL that someone may POST to (the permission matrix already posts a
# plausible form to the others, as every role).
POST_URL_NAMES = sorted(name for name, rule in RULES.items() if rule.post != NOBODY)

HUGE = "é" * 20_000
CONTROL = "".join(chr(c) for c in range(0, 32)) + "\x7f\u2028\ufeff"


def _variants(data: dict, seed: str) -> list[dict]:
    """Three hostile versions of a plausible submission: every value huge;
    control characters (NUL included) and markup; random junk of the wrong
    type, repeated values and missing or unexpected fields."""
    rng = random.Random(seed)
    keys = list(data) or ["q"]
    junk = ["-1", "0", "99999999999999999999", "1e309", "nan", "[]", "{}", "null", "2026-13-45", "abc", ""]
    return [
        dict.fromkeys(keys, HUGE),
        {key: f"{CONTROL}<script>{rng.choice(junk)}" for key in keys},
        {key: [rng.choice(junk), HUGE[: rng.randint(0, 300)]] for key in keys if rng.random() < 0.8}
        | {"unexpected": rng.choice(junk)},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", POST_URL_NAMES)
def test_hostile_posts_never_fail_nor_write_unauthorised(url_name, shared_world):  # noqa: F811 - the fixture
    world, clients = shared_world
    rule = RULES[url_name]
    url = _url(url_name, world)
    for persona in PERSONAS:
        client = clients[persona]
        for data in _variants(rule.post_data(world), f"{url_name}:{persona}"):
            before = database_fingerprint() if persona not in rule.post else None
            response = client.post(url, data)
            assert response.status_code < 500, f"{persona} got {response.status_code} on {url}"
            if before is not None:
                assert not changed_tables(before), f"a refused POST by {persona} changed the database"
