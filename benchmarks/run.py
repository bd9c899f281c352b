"""Orchestre benchmark: seed each scale on PostgreSQL, then measure the key
pages in-process (server time, queries) and over HTTP under gunicorn (wrk).

    python benchmarks/run.py --scales 1 10 100     # full run, results in benchmarks/results/
    python benchmarks/run.py --quick               # CI smoke run: scale 1, few iterations, 1 s of load

Databases are <$BENCH_DB_PREFIX, default orch_bench>_<scale> on $BENCH_PG (default
postgres://postgres@127.0.0.1:5432); a seeded database is reused. Load only
goes to 127.0.0.1. See benchmarks/README.md for the budgets.
"""

import argparse
import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
PYTHON = sys.executable
BUDGET_P95_MS = 100.0
BUDGET_RATIO = 0.15


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database_name(scale: int) -> str:
    return f"{os.environ.get('BENCH_DB_PREFIX', 'orch_bench')}_{scale}"


def env_for(scale: int, base: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{base}/{database_name(scale)}",
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        PYTHONPATH=str(ROOT),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", ""),
        CONN_MAX_AGE="60",
    )
    env.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-0123456789-0123456789")
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


def ensure_database(scale: int, base: str) -> float | None:
    """Create, migrate and seed orch_bench_<scale>; returns the seeding time
    in seconds, or None when the database was already seeded."""
    import psycopg

    name = database_name(scale)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = env_for(scale, base)
    manage(env, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    out = manage(env, "seed_demo", "--scale", str(scale), "--quiet-accounts", capture=True)
    if "already loaded" not in out:
        # Planner statistics now, not whenever autovacuum gets to it: without
        # them the first pages measured run on worse plans.
        with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
            conn.execute("ANALYZE")
        return round(time.monotonic() - started, 1)
    if files_missing(env):
        # The database was seeded from another checkout (its uploaded files
        # live in that checkout's MEDIA_ROOT): a download would answer 404.
        log(f"  {name}: seeded elsewhere, its documents' files are missing here; seeding it again")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        return ensure_database(scale, base)
    return None


FILES_CHECK = """
from django.core.files.storage import storages
from smartcity.base.models import Document
store = storages["documents"]
names = Document.objects.values_list("storage_name", flat=True)
print(sum(1 for name in names if not store.exists(name)))
"""


def files_missing(env: dict[str, str]) -> bool:
    """Whether a document row of the seeded database has no file in this
    checkout's storage."""
    return int(manage(env, "shell", "-c", FILES_CHECK, capture=True).strip().splitlines()[-1]) > 0


def in_process(scale: int, base: str, iterations: int) -> dict:
    out = subprocess.run(
        [PYTHON, str(HERE / "inprocess.py"), str(iterations)],
        env=env_for(scale, base),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def free_port(port: int) -> None:
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is busy; pass --port")


def start_gunicorn(scale: int, base: str, port: int, workers: int) -> subprocess.Popen:
    free_port(port)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "smartcity.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=env_for(scale, base),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def wrk(url: str, cookie: str, duration: int, connections: int, method: str = "GET", body: str = "") -> dict:
    assert url.startswith("http://127.0.0.1:"), "load goes to this machine only"
    script = (HERE / "wrk_report.lua").read_text()
    headers = ["-H", f"Cookie: sessionid={cookie}"]
    if method == "POST":
        token = secrets.token_hex(16)  # 32 characters: accepted unmasked by Django's CSRF check
        headers = ["-H", f"Cookie: sessionid={cookie}; csrftoken={token}", "-H", f"X-CSRFToken: {token}"]
        script = (
            f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' + script
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{duration}s",
                "--timeout",
                "30s",
                "-s",
                handle.name,
                *headers,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    figures = json.loads(out.strip().splitlines()[-1])
    seconds = figures["duration_us"] / 1e6
    return {
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50"] / 1000, 2),
        "p95_ms": round(figures["p95"] / 1000, 2),
        "p99_ms": round(figures["p99"] / 1000, 2),
        "requests": figures["requests"],
        "errors": figures["errors"],
        "non2xx": figures["non2xx"],
    }


def drain(port: int, cookie: str, limit: float = 120.0) -> None:
    """Wait until the workers have finished the requests wrk left queued
    (a slow page would otherwise eat into the next page's measurement)."""
    deadline = time.monotonic() + limit
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/__bench__/trivial/", headers={"Cookie": f"sessionid={cookie}"}
    )
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=30)  # noqa: S310 - loopback only
        if time.monotonic() - started < 0.25:
            return
    log("  server still busy after the drain limit")


def over_http(measured: dict, scale: int, base: str, port: int, duration: int, workers: int) -> None:
    if not shutil.which("wrk"):
        log("wrk not found (apt-get install wrk): HTTP half skipped")
        return
    process = start_gunicorn(scale, base, port, workers)
    try:
        for entry in measured["pages"]:
            if entry.get("skipped"):
                continue
            body = ""
            if entry["method"] == "POST":
                body = entry.get("post_body", "")
            cookie = measured["cookies"][entry["persona"]]
            wrk(f"http://127.0.0.1:{port}{entry['url']}", cookie, 1, 4, entry["method"], body)  # warm-up
            entry["http"] = wrk(f"http://127.0.0.1:{port}{entry['url']}", cookie, duration, 8, entry["method"], body)
            drain(port, measured["cookies"][measured["pages"][0]["persona"]])
            log(f"  http {entry['label']}: {entry['http']['rps']} req/s")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    trivial = measured["pages"][0].get("http", {}).get("rps")
    for entry in measured["pages"]:
        if trivial and "http" in entry:
            entry["http"]["ratio_to_trivial"] = round(entry["http"]["rps"] / trivial, 3)


def check_budgets(results: dict) -> list[str]:
    misses = []
    by_scale = results["scales"]
    labels = [e["label"] for e in next(iter(by_scale.values()))["pages"] if not e.get("skipped")]
    for label in labels:
        counts = {s: next(e for e in r["pages"] if e["label"] == label).get("queries") for s, r in by_scale.items()}
        if len(set(counts.values())) > 1:
            misses.append(f"{label}: query count varies with scale {counts}")
    ten = by_scale.get("10")
    if ten:
        for entry in ten["pages"][1:]:
            if entry.get("skipped"):
                continue
            budget = entry.get("budget_ms", BUDGET_P95_MS)
            if entry["p95_ms"] >= budget:
                misses.append(f"{entry['label']}: p95 {entry['p95_ms']} ms in-process at scale 10 (budget {budget:g})")
            ratio = entry.get("http", {}).get("ratio_to_trivial")
            if ratio is not None and ratio < BUDGET_RATIO:
                misses.append(f"{entry['label']}: throughput {ratio:.0%} of the trivial view at scale 10")
    return misses


def table(results: dict) -> str:
    lines = [
        "| scale | page | persona | queries | p50 ms | p95 ms | req/s | HTTP p50/p95/p99 ms | × trivial |",
        "|---:|---|---|---:|---:|---:|---:|---|---:|",
    ]
    for scale, result in results["scales"].items():
        for e in result["pages"]:
            if e.get("skipped"):
                continue
            h = e.get("http", {})
            http = f"{h['p50_ms']} / {h['p95_ms']} / {h['p99_ms']}" if h else "–"
            lines.append(
                f"| {scale} | {e['label']} | {e['persona']} | {e['queries']} | {e['p50_ms']} | {e['p95_ms']} "
                f"| {h.get('rps', '–')} | {http} | {h.get('ratio_to_trivial', '–')} |"
            )
    skipped = [e for e in next(iter(results["scales"].values()))["pages"] if e.get("skipped")]
    if skipped:
        lines.append("")
        lines.append(
            "Not measured (URL name not found in this tree): "
            + "; ".join(f"{e['label']} (`{e['url_name']}`: {e['note']})" for e in skipped)
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--iterations", type=int, default=60, help="in-process iterations per page")
    parser.add_argument("--duration", type=int, default=5, help="seconds of HTTP load per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8106)))
    parser.add_argument("--no-http", action="store_true", help="in-process half only")
    parser.add_argument("--quick", action="store_true", help="CI smoke run: scale 1, 5 iterations, 1 s of load")
    parser.add_argument("--output", help="JSON file (default: benchmarks/results/<date>-scales-….json)")
    args = parser.parse_args()
    if args.quick:
        args.scales, args.iterations, args.duration = [1], 5, 1
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")

    results = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": vars(args),
        "scales": {},
    }
    for scale in args.scales:
        log(f"scale {scale}: seeding {database_name(scale)} (reused when present)")
        seeded = ensure_database(scale, base)
        log(f"scale {scale}: measuring in-process ({args.iterations} iterations per page)")
        measured = in_process(scale, base, args.iterations)
        measured["seed_seconds"] = seeded
        if not args.no_http:
            log(f"scale {scale}: measuring over HTTP ({args.duration} s per page, {args.workers} workers)")
            over_http(measured, scale, base, args.port, args.duration, args.workers)
        measured.pop("cookies")
        results["scales"][str(scale)] = measured

    results["budget_misses"] = check_budgets(results)
    out = (
        Path(args.output)
        if args.output
        else HERE
        / "results"
        / (
            f"{datetime.now(UTC):%Y%m%dT%H%M}-scales-{'-'.join(map(str, args.scales))}"
            f"{'-quick' if args.quick else ''}.json"
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"\nResults: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if results["budget_misses"]:
        print("\nBudget misses:\n- " + "\n- ".join(results["budget_misses"]))
    else:
        print("\nAll budgets met.")
    failures = [
        e["label"]
        for r in results["scales"].values()
        for e in r["pages"]
        if not e.get("skipped") and (e["status"] >= 400 or e.get("http", {}).get("non2xx"))
    ]
    if failures:
        print(f"\nPages answering with an error: {failures}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
