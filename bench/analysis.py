"""Benchmark: the analyst's pseudonymised rows and counts (ADR 0018).

    .venv/bin/python bench/analysis.py                  # 5,000 episodes, a few minutes
    .venv/bin/python bench/analysis.py --episodes 1000  # quicker
    .venv/bin/python bench/analysis.py --reuse          # measure again without regenerating

Builds a fresh scratch SQLite database under var/bench/ (never the dev database) with Devon and
Cornwall's synthetic history (mispers.synth.generator.generate_force, through the services),
then, signed in as an analyst:

- analysis_api_p95_ms: GET /api/v1/analysis/episodes/?limit=100 (a full page of pseudonymised
  rows, access-logged), and its query count;
- analysis_page_p95_ms: GET /analysis/?days=365 (counts and the latest 20 rows);
- analysis_api_capped_rows: rows returned for ?limit=100000 (must be 100).

Prints PASS/FAIL against the targets and writes bench/results/analysis.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, finish, percentile, setup_django, where_measured  # noqa: E402

SCRATCH = ROOT / "var" / "bench" / "analysis.sqlite3"
RESULTS = ROOT / "bench" / "results" / "analysis.json"
ANCHOR = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)  # fixed: the data never depend on the day
FORCE = "devon-and-cornwall"
TARGETS = {
    "analysis_api_p95_ms": ("<", 300),
    "analysis_page_p95_ms": ("<", 300),
    "analysis_api_capped_rows": ("==", 100),
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="measure the existing database")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    return parser.parse_args()


def _build(args) -> dict:
    from django.core.management import call_command

    from mispers.accounts.models import Force
    from mispers.accounts.services import forces_load, user_create
    from mispers.synth.generator import generate_force

    call_command("migrate", verbosity=0)
    forces_load()
    force = Force.objects.get(code=FORCE)
    started = time.perf_counter()
    generate_force(force=force, seed=args.seed, children=max(1, int(args.episodes * 0.3)),
                   episodes=args.episodes, until=ANCHOR)
    user_create(username="bench-analyst", password=None, force=force, roles=["analyst"],
                rank="staff")
    return {"generated": True, "generation_seconds": round(time.perf_counter() - started, 1)}


def _timed(call, count: int) -> list[float]:
    for _ in range(3):
        call()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _measure(args) -> dict:
    import time_machine
    from django.db import connection
    from django.test import Client

    from mispers.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-analyst"))
    found: dict = {}
    with time_machine.travel(ANCHOR, tick=False):
        capped = client.get("/api/v1/analysis/episodes/", {"limit": 100_000}).json()
        found["analysis_api_capped_rows"] = len(capped["results"])
        for name, url in [("analysis_api", "/api/v1/analysis/episodes/?limit=100"),
                          ("analysis_page", "/analysis/?days=365")]:
            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                assert client.get(url).status_code == 200
            timings = _timed(lambda url=url: client.get(url), args.requests)
            found.update({f"{name}_p50_ms": round(percentile(timings, 0.50), 1),
                          f"{name}_p95_ms": round(percentile(timings, 0.95), 1),
                          f"{name}_queries": len(queries)})
            print(f"  {url}: p95 {found[f'{name}_p95_ms']} ms, {len(queries)} queries",
                  flush=True)
    return found


def main() -> int:
    args = _arguments()
    setup_django(scratch=SCRATCH, fresh=not args.reuse)
    from django.utils import timezone

    results: dict = {"benchmark": "analysis", "date": timezone.now().isoformat(timespec="seconds"),
                     "anchor": ANCHOR.isoformat(), "generated": False,
                     "generation_seconds": None}
    if not args.reuse:
        results.update(_build(args))
    from mispers.episodes.models import Episode

    results["episodes"] = Episode.objects.count()
    results.update(_measure(args))
    results.update(where_measured())
    return finish(results, TARGETS, path=RESULTS, write=not args.no_write)


if __name__ == "__main__":
    sys.exit(main())
