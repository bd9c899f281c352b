"""Manual resilience check: PostgreSQL restarting under the running app.

Fires a steady stream of signed-in requests at a running server while the
given command restarts PostgreSQL, and reports how many requests failed and
how long until they succeeded again. Used for the figures in
docs/operations.md; not part of CI (it restarts a database server).

    python benchmarks/pg_restart.py --url http://127.0.0.1:8116 --cookie <sessionid> \\
        --restart "pg_ctlcluster --skip-systemctl-redirect 15 orchtest restart"
"""

import argparse
import json
import shlex
import subprocess
import threading
import time
import urllib.error
import urllib.request


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--cookie", required=True)
    parser.add_argument("--restart", required=True)
    parser.add_argument("--paths", nargs="+", default=["/projets/", "/health/"])
    parser.add_argument("--seconds", type=float, default=12.0)
    args = parser.parse_args()
    assert args.url.startswith("http://127.0.0.1:"), "this machine only"

    samples: list[tuple[float, str, int]] = []
    stop = time.monotonic() + args.seconds
    start = time.monotonic()

    def fire() -> None:
        i = 0
        while time.monotonic() < stop:
            path = args.paths[i % len(args.paths)]
            i += 1
            request = urllib.request.Request(args.url + path, headers={"Cookie": f"sessionid={args.cookie}"})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            samples.append((time.monotonic() - start, path, status))
            time.sleep(0.02)

    thread = threading.Thread(target=fire)
    thread.start()
    time.sleep(3)
    restart_at = time.monotonic() - start
    subprocess.run(shlex.split(args.restart), check=True)
    restarted_at = time.monotonic() - start
    thread.join()

    failures = [s for s in samples if s[2] != 200]
    after = [s for s in samples if s[0] > restarted_at]
    first_ok_after = next((s[0] for s in after if s[2] == 200), None)
    print(
        json.dumps(
            {
                "requests": len(samples),
                "failed": len(failures),
                "failed_statuses": sorted({s[2] for s in failures}),
                "restart_started_s": round(restart_at, 2),
                "restart_command_s": round(restarted_at - restart_at, 2),
                "first_success_after_restart_s": round(first_ok_after - restarted_at, 3) if first_ok_after else None,
                "failed_after_restart": len([s for s in after if s[2] != 200]),
                "window": [(round(t, 2), p, st) for t, p, st in samples if restart_at - 0.3 < t < restarted_at + 1.0],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
