"""Benchmark: how fast the grading policy runs and how fast the episode pages answer.

    .venv/bin/python bench/grading.py [--episodes 10000]

Builds a fresh scratch database under var/bench/ (never the dev database), migrates it, makes a
force's synthetic history with the generator (through the services), then measures:

- assessments_per_second: the pure policy engine, `recommend`, over a few hundred thousand
  random cases on one core (no database);
- episode_page_p50_ms / _p95_ms: GET /episodes/<uuid>/ for ~200 random episodes, signed in as a
  sergeant of the force (django.test.Client: the whole Django stack, no network);
- open_list_p50_ms / _p95_ms: GET /episodes/ ~100 times.

Prints PASS/FAIL against the targets and writes bench/results/grading.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench" / "grading.sqlite3"
RESULTS = ROOT / "bench" / "results" / "grading.json"
ANCHOR = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # fixed: the data never depend on the day
FORCE = "devon-and-cornwall"
TARGETS = {
    "assessments_per_second": (">=", 20_000),
    "episode_page_p95_ms": ("<", 150),
    "open_list_p95_ms": ("<", 300),
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--children", type=int, default=None,
                        help="default: 30%% of the episodes (about 3.3 episodes per child)")
    parser.add_argument("--open", type=int, default=40, dest="open_recent",
                        help="episodes left open at the anchor (the open list), default 40")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--recommend-calls", type=int, default=300_000)
    parser.add_argument("--pages", type=int, default=200, help="episode pages to fetch")
    parser.add_argument("--lists", type=int, default=100, help="open lists to fetch")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the scratch database left by an earlier run instead of "
                             "building a fresh one")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--database-url", default="",
                        help="a SCRATCH PostgreSQL database to use instead of the SQLite file; "
                             "it is emptied (flush) unless --reuse. DATABASE_URL from the "
                             "environment is ignored, so a real database is never touched.")
    return parser.parse_args()


def _setup_django(*, fresh: bool, database_url: str) -> None:
    SCRATCH.parent.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    elif fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SCRATCH}{suffix}").unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["MISPERS_SQLITE_PATH"] = str(SCRATCH)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _build(args) -> dict:
    from django.core.management import call_command

    from mispers.accounts.models import Force
    from mispers.accounts.services import forces_load
    from mispers.synth.generator import generate_force

    call_command("migrate", verbosity=0)
    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    forces_load()
    force = Force.objects.get(code=FORCE)
    children = args.children or max(1, args.episodes * 3 // 10)
    print(f"Generating {args.episodes} episodes for {children} children through the services…",
          flush=True)
    started = time.perf_counter()
    result = generate_force(force=force, seed=args.seed, children=children,
                            episodes=args.episodes, until=ANCHOR, open_recent=args.open_recent)
    seconds = time.perf_counter() - started
    print(f"  {result.summary()}\n  took {seconds:.1f}s", flush=True)
    return {"generation_seconds": round(seconds, 1), "generated": result.created}


def _recommend_rate(calls: int) -> dict:
    """The pure engine on one core: cases are made first, only `recommend` is timed."""
    from mispers.risk import policy as risk_policy

    policy = risk_policy.load_policy(FORCE)
    rng = random.Random(20261101)
    codes = list(risk_policy.FACTORS)
    cases = []
    for _ in range(20_000):
        answers = {code: rng.choices(("no", "yes", "unknown"), (0.86, 0.07, 0.07))[0]
                   for code in codes}
        looked_after = rng.random() < 0.3
        context = risk_policy.Context(
            age=rng.randrange(8, 18), looked_after=looked_after,
            missing_from="care" if looked_after and rng.random() < 0.8 else
            rng.choice(risk_policy.MISSING_FROM),
            earlier_episodes_90d=rng.choice((0, 0, 0, 1, 2, 3, 5)),
            exploitation_marker=rng.random() < 0.1)
        cases.append((answers, context))
    recommend = risk_policy.recommend
    for answers, context in cases[:2_000]:  # warm up
        recommend(answers, context, policy)
    grades: dict[str, int] = {}
    started = time.perf_counter()
    for i in range(calls):
        answers, context = cases[i % len(cases)]
        grade = recommend(answers, context, policy).grade
        grades[grade] = grades.get(grade, 0) + 1
    seconds = time.perf_counter() - started
    return {"assessments_per_second": round(calls / seconds), "recommend_calls": calls,
            "recommend_seconds": round(seconds, 3), "policy": f"{policy.name} {policy.version}",
            "random_case_grades": dict(sorted(grades.items()))}


def _time_pages(client, urls: list[str], label: str) -> tuple[list[float], int]:
    from django.db import connection

    for url in urls[:5]:  # warm up (template loading, first queries)
        client.get(url)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(urls[0])
    if response.status_code != 200:
        raise LookupError(f"{label}: GET {urls[0]} answered {response.status_code}")
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise LookupError(f"{label}: GET {url} answered {response.status_code}")
    return timings, queries


def _pages(args) -> dict:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from mispers.accounts.models import Force, User
    from mispers.accounts.services import user_create
    from mispers.episodes.models import Episode

    force = Force.objects.get(code=FORCE)
    sergeant = User.objects.filter(username="bench-sergeant").first() or user_create(
        username="bench-sergeant", password=None, force=force, roles=["supervisor"],
        rank="sergeant", first_name="Bench", last_name="Sergeant")
    client = Client()
    client.force_login(sergeant)
    ids = list(Episode.objects.filter(force=force).values_list("pk", flat=True))
    rng = random.Random(7)
    chosen = rng.sample(ids, min(args.pages, len(ids)))
    found = {"open_episodes": Episode.objects.filter(
        force=force, state__in=[Episode.State.REPORTED, Episode.State.OPEN]).count()}
    for name, label, make_urls in [
        ("episode_page", "episodes:detail",
         lambda: [reverse("episodes:detail", kwargs={"pk": pk}) for pk in chosen]),
        ("open_list", "episodes:open", lambda: [reverse("episodes:open")] * args.lists),
    ]:
        try:
            timings, queries = _time_pages(client, make_urls(), label)
        except NoReverseMatch:
            found[f"{name}_skipped"] = f"route {label} does not exist yet"
            print(f"  NOT MEASURED {name}: the route {label} does not exist yet", flush=True)
            continue
        except LookupError as exc:
            found[f"{name}_skipped"] = str(exc)
            print(f"  NOT MEASURED {name}: {exc}", flush=True)
            continue
        found.update({f"{name}_p50_ms": round(percentile(timings, 0.50), 1),
                      f"{name}_p95_ms": round(percentile(timings, 0.95), 1),
                      f"{name}_max_ms": round(max(timings), 1),
                      f"{name}_requests": len(timings), f"{name}_queries": queries})
    return found


def _verdicts(results: dict) -> dict:
    verdicts = {}
    for key, (op, target) in TARGETS.items():
        value = results.get(key)
        if value is None:
            verdicts[key] = {"target": f"{op} {target}", "value": None, "result": "NOT MEASURED"}
            continue
        passed = value >= target if op == ">=" else value < target
        verdicts[key] = {"target": f"{op} {target}", "value": value,
                         "result": "PASS" if passed else "FAIL"}
    return verdicts


def main() -> int:
    args = _arguments()
    fresh = not (args.reuse and (SCRATCH.exists() or args.database_url))
    _setup_django(fresh=fresh, database_url=args.database_url)
    import django
    from django.db import connection

    from mispers.episodes.models import Episode

    results: dict = {"benchmark": "grading", "date": dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds")}
    results.update(_build(args) if fresh else {"generated": False, "generation_seconds": None})
    results["episodes"] = Episode.objects.filter(force_id=FORCE).count()
    print("Timing the policy engine…", flush=True)
    results.update(_recommend_rate(args.recommend_calls))
    print("Timing the pages…", flush=True)
    results.update(_pages(args))
    from django.conf import settings

    engine_version = (connection.Database.sqlite_version if connection.vendor == "sqlite"
                      else ".".join(map(str, connection.get_database_version())))

    results.update({
        "database": f"{connection.vendor} {engine_version}".strip(),
        "python": platform.python_version(), "django": django.get_version(),
        "debug": settings.DEBUG, "machine_cores": os.cpu_count(),
        "machine": f"{platform.system()} {platform.machine()} {platform.processor()}".strip(),
    })
    results["targets"] = _verdicts(results)
    print()
    for key in ("episodes", "generation_seconds", "assessments_per_second",
                "episode_page_p50_ms", "episode_page_p95_ms", "open_list_p50_ms",
                "open_list_p95_ms", "open_episodes", "database", "python", "machine_cores"):
        print(f"  {key:24} {results.get(key)}")
    print()
    for key, verdict in results["targets"].items():
        print(f"  {verdict['result']:12} {key} {verdict['target']} (measured {verdict['value']})")
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nWritten {RESULTS.relative_to(ROOT)}")
    return 1 if any(v["result"] == "FAIL" for v in results["targets"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
