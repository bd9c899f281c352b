"""Search cannot pin a worker: a huge query is cut to a few words before it
reaches the database (smartcity/base/search.py)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services
from smartcity.base.search import MAX_QUERY_CHARS, MAX_TERMS, bounded_query, search_terms
from tests import factories

pytestmark = pytest.mark.django_db

WORDS = ["mobilité", "tramway", "parking", "relais", "énergie", "école", "vélo", "capteur", "éclairage", "données"]
HUGE = " ".join(WORDS[i % len(WORDS)] + str(i) for i in range(1500))  # about 14 kB


def test_query_is_cut_at_its_length_and_word_caps():
    assert len(HUGE) > 10_000
    assert len(bounded_query(HUGE)) <= MAX_QUERY_CHARS
    assert len(search_terms(HUGE)) == MAX_TERMS
    assert search_terms("a\x00b\r\nc") == ["a", "b", "c"]
    assert bounded_query("  tram  ") == "tram"


def _largest_sql(client, url, q):
    with CaptureQueriesContext(connection) as ctx:
        started = time.monotonic()
        response = client.get(url, {"q": q})
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    return max(len(query["sql"]) for query in ctx.captured_queries), len(ctx.captured_queries), elapsed


@pytest.mark.parametrize("page", ["governance:decision_register", "programmes:project_list"])
def test_a_1500_word_query_costs_what_a_one_word_one_does(official_client, page):
    project = factories.ProjectFactory(name="Tramway mobilité0")
    meeting = factories.MeetingFactory()
    decision = services.decision_create(meeting=meeting, data={"text": "Tramway mobilité0 : tarif unique"})
    decision.projects.add(project)
    url = reverse(page)
    small_sql, small_count, _ = _largest_sql(official_client, url, "mobilité0")
    huge_sql, huge_count, elapsed = _largest_sql(official_client, url, HUGE)
    assert huge_count <= small_count + 2
    # The SQL grows with at most MAX_TERMS words, never with the query.
    assert huge_sql < small_sql + 8 * MAX_QUERY_CHARS * 2 + 4_000
    assert elapsed < 3
