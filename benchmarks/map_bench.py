"""Server-side render time of the link map pages on the current database.

Seed first, then run from the project root, e.g.::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/orchestre
    DEBUG=1 python manage.py seed_demo --reset --scale 10
    DEBUG=1 python benchmarks/map_bench.py --repeat 7

Each page is requested through Django's test client (no network, no
browser), signed in as the demo lead: the first request (cold: templates
compiled, URL resolver built) and the median of the next ``--repeat``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from programmes.models import Project  # noqa: E402
from smartcity.site.map import graph as g  # noqa: E402
from smartcity.site.map import layout  # noqa: E402


def pages() -> list[tuple[str, str]]:
    project = Project.objects.active().order_by("code").values_list("pk", flat=True).first()
    domain = "domain:" + str(g.build_graph().of_type("domain")[0].pk)
    return [
        ("map", "/carte/"),
        ("map, closed projects too", "/carte/?closed=on"),
        ("map, one domain", "/carte/?domain=mobilite"),
        ("map, services and partners only", "/carte/?types=service&types=partner"),
        ("map, focus project depth 1", f"/carte/?focus=project:{project}&depth=1"),
        ("map, focus project depth 2", f"/carte/?focus=project:{project}&depth=2"),
        ("map, focus domain depth 2", f"/carte/?focus={domain}&depth=2"),
        ("map as tables", "/carte/tableaux/"),
        ("matrices", "/carte/matrices/"),
        ("matrices, all services x partners", "/carte/matrices/?all=services-partners"),
        ("orphans and bridges", "/carte/orphelins/"),
        ("GraphML export", "/carte/export.graphml"),
        ("CSV edges export", "/carte/liens.csv"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", default="lead")
    args = parser.parse_args()
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=args.user))
    print(f"projects={Project.objects.count()} nodes={len(g.build_graph().nodes)} edges={len(g.build_graph().edges)}")
    print(f"{'page':38} {'status':>6} {'queries':>7} {'KB':>7} {'cold ms':>8} {'median ms':>9}")
    for name, url in pages():
        started = time.perf_counter()
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        # A wrapper, not CaptureQueriesContext: each request resets the query log.
        with connection.execute_wrapper(count):
            response = client.get(url)
        cold = time.perf_counter() - started
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        print(
            f"{name:38} {response.status_code:>6} {len(queries):>7} "
            f"{len(response.content) / 1024:>7.0f} {cold * 1000:>8.0f} {statistics.median(times) * 1000:>9.0f}"
        )
    # Where the time goes on the main map.
    steps = {"build_graph (10 queries)": [], "cluster + prune": [], "layout": []}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        graph = g.build_graph()
        t1 = time.perf_counter()
        drawn, _hidden = g.prune_edges(g.cluster_graph(graph))
        t2 = time.perf_counter()
        layout.overview_layout(drawn)
        t3 = time.perf_counter()
        steps["build_graph (10 queries)"].append(t1 - t0)
        steps["cluster + prune"].append(t2 - t1)
        steps["layout"].append(t3 - t2)
    for name, values in steps.items():
        print(f"  {name:36} median {statistics.median(values) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
