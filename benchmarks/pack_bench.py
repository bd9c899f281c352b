"""Render time and query count of the committee pages at the current data
scale (run after ``manage.py seed_demo --reset --scale 10``).

    DEBUG=1 DATABASE_URL=postgres://... python benchmarks/pack_bench.py [--runs 20]

Goes through the whole Django stack with the test client (middleware,
session, templates), signed in as the demo official.
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
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from governance.models import Committee, Meeting  # noqa: E402
from programmes.models import Project  # noqa: E402


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm-up
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(timings), len(ctx)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="official"))
    committee = Committee.objects.order_by("pk").first()
    held = Meeting.objects.get(committee=committee, status=Meeting.Status.HELD)
    planned = Meeting.objects.filter(committee=committee, status=Meeting.Status.PLANNED).order_by("number").first()
    pages = {
        "pack, frozen (held meeting)": reverse("governance:meeting_pack", args=[held.pk]),
        "pack, live preview (planned meeting)": reverse("governance:meeting_pack", args=[planned.pk]),
        "meeting page": reverse("governance:meeting_detail", args=[planned.pk]),
        "official dashboard": reverse("home"),
        "decision register": reverse("governance:decision_register"),
        "decision register, searched": reverse("governance:decision_register") + "?q=budget",
        "committee iCal feed": reverse("governance:committee_feed", args=[committee.pk, committee.calendar_token]),
    }
    print(f"{Project.objects.count()} projects, {Meeting.objects.count()} meetings, database {connection.vendor}")
    print(f"{'page':40} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for name, url in pages.items():
        median, worst, queries = measure(client, url, args.runs)
        print(f"{name:40} {median:10.1f} {worst:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
