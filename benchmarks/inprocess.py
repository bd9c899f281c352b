"""In-process half of the benchmark, run by run.py in a subprocess with
DATABASE_URL pointing at one seeded scale (Django settings are per process).

Prints one JSON document: per page, server time p50/p95 (ms) over many
iterations with the Django test Client, the SQL query count, and a signed-in
session cookie per persona for the HTTP half.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from benchmarks.pages import PAGES, TRIVIAL, Page  # noqa: E402
from smartcity.base.runtime import settle  # noqa: E402

# Set up as a gunicorn worker is (smartcity/wsgi.py): start-up objects frozen.
settle()


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def resolve(page: Page) -> str | None:
    try:
        return reverse(page.url_name, kwargs=page.kwargs()) + page.query
    except NoReverseMatch:
        return None


def measure(client: Client, page: Page, url: str, iterations: int) -> dict:
    def call():
        if page.method == "POST":
            return client.post(url, page.data() if page.data else {})
        return client.get(url)

    for _ in range(min(3, iterations)):
        call()
    with CaptureQueriesContext(connection) as queries:
        response = call()
    query_count = len(queries.captured_queries)  # read now: the next request resets the log
    timings = []
    size = 0
    for _ in range(iterations):
        started = time.perf_counter()
        response = call()
        size = len(_body(response))  # a download streams: reading it is part of the time
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "bytes": size,
        "queries": query_count,
        "p50_ms": round(percentile(timings, 50), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "iterations": iterations,
    }


def _body(response) -> bytes:
    if response.streaming:
        try:
            return b"".join(response.streaming_content)
        finally:
            response.close()
    return response.content


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    personas = sorted({p.persona for p in [TRIVIAL, *PAGES]})
    clients, cookies = {}, {}
    for username in personas:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
        cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    results = []
    # BENCH_ONLY=<text>: only the pages whose label holds it (and the reference).
    only = os.environ.get("BENCH_ONLY", "")
    for page in [TRIVIAL, *(p for p in PAGES if only in p.label)]:
        entry = {
            "label": page.label,
            "url_name": page.url_name,
            "persona": page.persona,
            "method": page.method,
            "budget_ms": page.budget_ms,
        }
        url = resolve(page)
        if url is None:
            entry.update(skipped=True, note=page.note or "URL name not found")
            results.append(entry)
            continue
        entry["url"] = url
        if page.method == "POST":
            entry["post_body"] = urlencode(page.data() if page.data else {})
        if page.method == "POST":
            # Measured inside a transaction rolled back at the end: the data stays as seeded.
            with transaction.atomic():
                entry.update(measure(clients[page.persona], page, url, iterations))
                transaction.set_rollback(True)
        else:
            entry.update(measure(clients[page.persona], page, url, iterations))
        results.append(entry)
    print(json.dumps({"cookies": cookies, "pages": results}))


if __name__ == "__main__":
    main()
