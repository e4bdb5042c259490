"""Benchmark: the sweeper and the supervisor's queue with 10,000 open episodes.

    .venv/bin/python bench/clocks.py [--episodes 10000] [--reuse]

Builds a fresh scratch database under var/bench/ (never the dev database), migrates it and makes
`--episodes` OPEN episodes in Devon and Cornwall through the services (episode_report, then
assessment_record a few minutes later), reported over the `--hours` before a fixed anchor with
the national grade mix. Then, at the anchor, it measures:

- sweep_seconds_10k: the first sweep (escalations, notifications, national unit tasks for
  everything overdue);
- second_sweep_created: what a second sweep at the same time creates (must be 0);
- supervisor_queue_p95_ms: GET of the supervisor queue page as an inspector
  (django.test.Client), and supervisor_queue_selector_p95_ms: the selector alone.

Prints PASS/FAIL against the targets and writes bench/results/clocks.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ETHNICITIES, ROOT, percentile, setup_django, verdicts, where_measured  # noqa: E402

SCRATCH = ROOT / "var" / "bench" / "clocks.sqlite3"
RESULTS = ROOT / "bench" / "results" / "clocks.json"
ANCHOR = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # fixed: the data never depend on the day
FORCE = "devon-and-cornwall"
# DOMAIN.md section 8: high 16%, medium 68%, low 13% where no apparent risk is not used; where it
# is, it is 16-21% of child records.
GRADE_MIX = {"high": 16, "medium": 55, "low": 12, "no_apparent_risk": 17}
# One answer that makes the national policy recommend exactly the grade (15-year-old missing
# from home, everything else "no"), so every chosen grade is accepted.
GRADE_ANSWER = {"high": "suicide_self_harm", "medium": "mental_health", "low": "school_problems",
                "no_apparent_risk": None}
STAFF = [("bench-handler", "call_handler", "call_handler", 1),
         ("bench-officer", "officer", "officer", 8),
         ("bench-sergeant", "supervisor", "sergeant", 4),
         ("bench-inspector", "inspector", "inspector", 2),
         ("bench-superintendent", "superintendent", "superintendent", 1)]
SUPERVISOR_ROUTES = ("reviews:supervisor", "reviews:supervision")
TARGETS = {
    "sweep_seconds_10k": ("<", 2.0),
    "second_sweep_created": ("==", 0),
    "supervisor_queue_p95_ms": ("<", 300),
    "supervisor_queue_selector_p95_ms": ("<", 300),
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=10_000, help="open episodes to make")
    parser.add_argument("--hours", type=float, default=24.0,
                        help="reported over this many hours before the anchor (default 24)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queue-requests", type=int, default=50,
                        help="supervisor queue requests (and selector calls) to time")
    parser.add_argument("--queue-seconds", type=float, default=60,
                        help="stop timing the queue after this long (at least 5 requests)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the scratch database an earlier run left (its sweeps "
                             "were rolled back, so the first sweep is measured again)")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--database-url", default="",
                        help="a SCRATCH PostgreSQL database instead of the SQLite file; it is "
                             "emptied (flush) unless --reuse")
    return parser.parse_args()


def _staff(force) -> dict[str, list]:
    from mispers.accounts.models import User
    from mispers.accounts.services import user_create

    made: dict[str, list] = {}
    for prefix, role, rank, count in STAFF:
        for number in range(1, count + 1):
            username = f"{prefix}-{number}"
            user = User.objects.filter(username=username).first() or user_create(
                username=username, password=None, force=force, roles=[role], rank=rank,
                first_name="Bench", last_name=f"{rank.title()} {number}",
                email=f"{username}@bench.example")
            user.force = force  # one Force instance: the services read actor.force
            made.setdefault(rank, []).append(user)
    return made


def _build(args) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from mispers.accounts.models import Force
    from mispers.accounts.services import forces_load
    from mispers.casework.grade import assessment_record
    from mispers.casework.report import episode_report
    from mispers.episodes.services import ReportDetails
    from mispers.people.services import ChildDetails
    from mispers.risk import policy as risk_policy
    from mispers.risk.services import AnswerInput

    call_command("migrate", verbosity=0)
    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    forces_load()
    force = Force.objects.get(code=FORCE)
    staff = _staff(force)
    handler, officers = staff["call_handler"][0], staff["officer"]
    rng = random.Random(args.seed)
    grades = rng.choices(list(GRADE_MIX), weights=list(GRADE_MIX.values()), k=args.episodes)
    window = dt.timedelta(hours=args.hours)
    print(f"Making {args.episodes} open episodes through the services (report, then "
          f"assessment), reported over the {args.hours:g} h before {ANCHOR:%Y-%m-%d %H:%M}Z…",
          flush=True)
    started = time.perf_counter()
    for start in range(0, args.episodes, 500):
        with transaction.atomic():
            for index in range(start, min(start + 500, args.episodes)):
                reported_at = ANCHOR - window * (1 - (index + rng.random()) / args.episodes)
                reported_at = min(reported_at, ANCHOR - dt.timedelta(minutes=16))
                details = ReportDetails(
                    reported_at=reported_at, reported_by_name="A Parent",
                    reported_by_relationship="Parent", last_seen_at=reported_at - dt.timedelta(
                        hours=rng.randint(1, 6)),
                    last_seen_where="Home", missing_from="home")
                child = ChildDetails(
                    given_name="Bench", family_name=f"Child{index:05d}",
                    date_of_birth=dt.date(2011, 1, 1) - dt.timedelta(days=rng.randrange(365)),
                    sex=rng.choice(["female", "male"]), ethnicity=rng.choice(ETHNICITIES),
                    looked_after=False)
                episode = episode_report(actor=handler, now=reported_at, details=details,
                                         new_child=child)
                grade = grades[index]
                answers = {code: AnswerInput(answer="no", source="Parent")
                           for code in risk_policy.FACTORS}
                if GRADE_ANSWER[grade]:
                    answers[GRADE_ANSWER[grade]] = AnswerInput(answer="yes", source="Parent")
                assessment_record(actor=rng.choice(officers), episode=episode, answers=answers,
                                  now=reported_at + dt.timedelta(minutes=rng.randint(2, 15)),
                                  chosen_grade=grade)
        done = min(start + 500, args.episodes)
        if done % 2000 == 0 or done == args.episodes:
            print(f"  {done} episodes, {time.perf_counter() - started:.0f}s", flush=True)
    seconds = time.perf_counter() - started
    return {"generation_seconds": round(seconds, 1), "generated": True,
            "grade_mix": dict(sorted(Counter(grades).items()))}


def _sweeps() -> dict:
    from django.db.models import Count

    from mispers.reviews.escalation import episodes_needing_clock, sweep
    from mispers.reviews.models import Deadline, Escalation

    if Escalation.objects.exists():
        print("  WARNING: this database was swept before (by an older version of this script): "
              "the first sweep has little left to do; run without --reuse", flush=True)
    pending = Deadline.objects.filter(status=Deadline.Status.PENDING)
    overdue = dict(pending.filter(due_at__lt=ANCHOR).values_list("kind").annotate(Count("id"))
                   .order_by("kind"))
    found = {"pending_deadlines": pending.count(), "overdue_deadlines_at_anchor": overdue,
             "open_episodes_without_a_review_clock": len(episodes_needing_clock())}
    print(f"Sweeping at {ANCHOR:%Y-%m-%d %H:%M}Z: {sum(overdue.values())} deadlines overdue of "
          f"{found['pending_deadlines']} pending…", flush=True)
    started = time.perf_counter()
    first = sweep(now=ANCHOR)
    found["sweep_seconds_10k"] = round(time.perf_counter() - started, 3)
    found["first_sweep_created"] = first
    started = time.perf_counter()
    second = sweep(now=ANCHOR)
    found["second_sweep_seconds"] = round(time.perf_counter() - started, 3)
    found["second_sweep_created"] = sum(second.values())
    print(f"  first sweep {found['sweep_seconds_10k']}s created {first}; second sweep "
          f"{found['second_sweep_seconds']}s created {second}", flush=True)
    return found


def _timed(call, count: int, budget_seconds: float) -> list[float]:
    """`count` timed calls after 3 warm-up calls, or fewer if they take longer than the budget
    (a slow page must not hold the benchmark for minutes; the figures say how many ran)."""
    started_all = time.perf_counter()
    for _ in range(3):  # warm up
        call()
    timings = []
    while len(timings) < count:
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
        if len(timings) >= 5 and time.perf_counter() - started_all > budget_seconds:
            break
    return timings


def _figures(name: str, timings: list[float]) -> dict:
    return {f"{name}_p50_ms": round(percentile(timings, 0.50), 1),
            f"{name}_p95_ms": round(percentile(timings, 0.95), 1),
            f"{name}_max_ms": round(max(timings), 1), f"{name}_requests": len(timings)}


def _queue(args) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from mispers.accounts.models import User
    from mispers.reviews.selectors import supervisor_queue

    inspector = User.objects.get(username="bench-inspector-1")
    found: dict = {}
    queue = supervisor_queue(user=inspector, now=ANCHOR)
    found["supervisor_queue_sizes"] = {key: len(value) for key, value in queue.items()}
    print(f"Timing the supervisor queue of an inspector ({found['supervisor_queue_sizes']})…",
          flush=True)
    found.update(_figures("supervisor_queue_selector", _timed(
        lambda: supervisor_queue(user=inspector, now=ANCHOR), args.queue_requests,
        args.queue_seconds)))

    url = None
    for route in SUPERVISOR_ROUTES:
        try:
            url = reverse(route)
        except NoReverseMatch:
            continue
        found["supervisor_queue_route"] = route
        break
    if url is None:
        found["supervisor_queue_skipped"] = f"no route {' or '.join(SUPERVISOR_ROUTES)} yet"
        print(f"  NOT MEASURED supervisor_queue page: {found['supervisor_queue_skipped']}")
        return found
    client = Client()
    client.force_login(inspector)

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise LookupError(f"GET {url} answered {response.status_code}")

    try:
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            get()
        found["supervisor_queue_queries"] = len(queries)
        found.update(_figures("supervisor_queue", _timed(get, args.queue_requests,
                                                         args.queue_seconds)))
    except LookupError as exc:
        found["supervisor_queue_skipped"] = str(exc)
        print(f"  NOT MEASURED supervisor_queue page: {exc}")
    return found


def main() -> int:
    args = _arguments()
    fresh = not (args.reuse and (SCRATCH.exists() or args.database_url))
    setup_django(scratch=SCRATCH, fresh=fresh, database_url=args.database_url)
    from mispers.episodes.models import Episode

    results: dict = {"benchmark": "clocks", "date": dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds"), "anchor": ANCHOR.isoformat(), "report_window_hours": args.hours}
    results.update(_build(args) if fresh else {"generated": False, "generation_seconds": None})
    results["open_episodes"] = Episode.objects.filter(
        force_id=FORCE, state__in=[Episode.State.REPORTED, Episode.State.OPEN]).count()
    # Rolled back afterwards: the scratch data stay as generated, so --reuse measures the same
    # first sweep again. (The emails, sent on commit, are built but never sent.)
    from django.db import transaction

    with transaction.atomic():
        results.update(_sweeps())
        results.update(_queue(args))
        transaction.set_rollback(True)
    results.update(where_measured())
    results["targets"] = verdicts(results, TARGETS)
    print()
    for key in ("open_episodes", "generation_seconds", "pending_deadlines", "sweep_seconds_10k",
                "first_sweep_created", "second_sweep_seconds", "second_sweep_created",
                "supervisor_queue_selector_p50_ms", "supervisor_queue_selector_p95_ms",
                "supervisor_queue_p50_ms", "supervisor_queue_p95_ms", "supervisor_queue_queries",
                "database", "python", "machine_cores"):
        print(f"  {key:34} {results.get(key)}")
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
