"""Benchmark: the force picture, the deep dive and the grading audit of a large force (issue 12).

    .venv/bin/python bench/insights.py                  # 60,000 episodes over three years
    .venv/bin/python bench/insights.py --reuse          # measure again without regenerating
    .venv/bin/python bench/insights.py --episodes 5000  # quicker, for a trial

Builds a fresh scratch SQLite database under var/bench/ (never the dev database; or a scratch
PostgreSQL with --database-url) holding a large force's three years: `mispers.synth.bulk`
writes the rows the casework workflows would have left (about 60,000 episodes, 25,000
children, 150 officers of whom 3 grade below the recommendation three times as often as their
colleagues) with bulk_create, in a few minutes rather than the hours the services would take.
Then, signed in as an analyst (Django test client):

- dashboard_p95_ms: GET /insights/ for the last 12 whole months (three periods' figures, four
  charts), the engine warm (the page asked once before); also a filtered view warm, and the
  first request of a filter not asked before (made on demand);
- reference_page_p95_ms: the same figures from the reference implementation
  (`measures.force_figures`, plain ORM queries, no engine), for comparison;
- cold_refresh_seconds: the engine's work from nothing (ADR 43);
- deep_dive_seconds: GET /insights/deep-dive.pdf for the same period (WeasyPrint);
- planted_outlier_recall, false_outliers: the grading audit ("graded below the
  recommendation", officers, the whole three years): the share of planted officers beyond the
  outer limit, and the honest officers flagged (about 0.3 expected by chance at 99.8%).

Prints PASS/FAIL against the targets and writes bench/results/insights.json
(insights-postgresql.json with --database-url).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, finish, percentile, setup_django, where_measured  # noqa: E402

SCRATCH = ROOT / "var" / "bench" / "insights.sqlite3"
RESULTS = ROOT / "bench" / "results" / "insights.json"
ANCHOR = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)  # fixed: the data never depend on the day
FORCE = "devon-and-cornwall"
TARGETS = {
    "dashboard_p95_ms": ("<", 500),
    "cold_refresh_seconds": ("<", 10),
    "deep_dive_seconds": ("<", 20),
    "planted_outlier_recall": (">=", 1.0),
    "false_outliers": ("<=", 2),
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--reference-requests", type=int, default=5)
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL instead")
    parser.add_argument("--reuse", action="store_true", help="measure the existing database")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    return parser.parse_args()


def _build(args) -> dict:
    from django.core.management import call_command

    from mispers.accounts.models import Force
    from mispers.accounts.services import forces_load, user_create
    from mispers.synth.bulk import bulk_force

    call_command("migrate", verbosity=0)
    forces_load()
    force = Force.objects.get(code=FORCE)
    started = time.perf_counter()
    made = bulk_force(force=force, episodes=args.episodes, until=ANCHOR, seed=args.seed)
    user_create(username="bench-analyst", password=None, force=force, roles=["analyst"],
                rank="staff")
    _planted_file().write_text(json.dumps({"planted": made.planted, "counts": made.counts}))
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum would do after a bulk load: the
        cursor.execute("ANALYZE")         # planner needs the tables' sizes to join sensibly
    return {"generated": True, "generation_seconds": round(time.perf_counter() - started, 1),
            "rows": made.counts}


def _timed(call, count: int, warm: int = 1) -> list[float]:
    for _ in range(warm):
        call()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _planted_file() -> Path:
    """Which officers were planted, beside the database they were written to."""
    from django.db import connection

    return ROOT / "var" / "bench" / f"insights-planted-{connection.vendor}.json"


def _audit(force, period) -> dict:
    from mispers.insights.consistency import assessment_rows, consistency

    planted = set(json.loads(_planted_file().read_text())["planted"])
    started = time.perf_counter()
    result = consistency(assessment_rows(force_id=force.pk, period=period), measure="below",
                         unit="officer")
    flagged = {u.unit_id for u in result.outliers if u.outlier == "above"}
    below = {u.unit_id for u in result.outliers if u.outlier == "below"}
    # By chance alone about 0.3 of 147 honest officers land beyond the 99.8% limits; the
    # generator also varies honest officers' habits a little, as real officers' do.
    return {"audit_seconds": round(time.perf_counter() - started, 2),
            "audit_officers": len(result.units), "audit_target_rate": round(result.target, 4),
            "planted_outliers": len(planted),
            "planted_outlier_recall": round(len(flagged & planted) / len(planted), 3),
            "false_outliers": len((flagged | below) - planted),
            "false_outliers_above": len(flagged - planted),
            "false_outliers_below": len(below - planted)}


def _measure(args) -> dict:
    import time_machine
    from django.test import Client

    from mispers.accounts.models import Force, User
    from mispers.episodes.models import Episode
    from mispers.insights.measures import force_figures
    from mispers.insights.period import Period, last_full_months

    force = Force.objects.get(code=FORCE)
    client = Client()
    client.force_login(User.objects.get(username="bench-analyst"))
    found: dict = {"episodes_in_database": Episode.objects.filter(force=force).count()}
    measured_at = ANCHOR + dt.timedelta(hours=8)
    period = last_full_months(today=measured_at.date())
    query = {"first_day": period.first.day, "first_month": period.first.month,
             "first_year": period.first.year, "last_day": period.last.day,
             "last_month": period.last.month, "last_year": period.last.year}
    with time_machine.travel(measured_at, tick=False):
        found["period"] = str(period)
        found["period_incidents"] = force_figures(force_id=force.pk, period=period,
                                                  now=measured_at).incidents

        def reference():
            for p in (period, period.previous(), period.year_before()):
                force_figures(force_id=force.pk, period=p, now=measured_at)

        ref = _timed(reference, args.reference_requests, warm=0)
        found["reference_page_p95_ms"] = round(percentile(ref, 0.95), 1)
        found["reference_page_p50_ms"] = round(percentile(ref, 0.5), 1)
        print(f"Reference figures (three periods, no charts): p50 "
              f"{found['reference_page_p50_ms']} ms, p95 {found['reference_page_p95_ms']} ms")

        started = time.perf_counter()
        found["cold_refresh_seconds"] = round(_cold(force, measured_at), 2)
        print(f"Cold refresh: {found['cold_refresh_seconds']} s "
              f"({time.perf_counter() - started:.1f} s with the set-up)")

        def page():
            response = client.get("/insights/", query)
            assert response.status_code == 200, response.status_code

        timings = _timed(page, args.requests)
        found.update({"requests": args.requests,
                      "dashboard_p50_ms": round(percentile(timings, 0.5), 1),
                      "dashboard_p95_ms": round(percentile(timings, 0.95), 1)})
        print(f"Force picture page, warm: p50 {found['dashboard_p50_ms']} ms, "
              f"p95 {found['dashboard_p95_ms']} ms ({args.requests} requests)")
        filtered = _timed(lambda: client.get("/insights/", {**query, "grade": "high",
                                                            "looked_after": "yes"}),
                          max(5, args.requests // 3))
        found["dashboard_filtered_p95_ms"] = round(percentile(filtered, 0.95), 1)
        print(f"Filtered (high, looked after): p95 {found['dashboard_filtered_p95_ms']} ms")
        # A filter nobody asked for yet is made on demand: what its first viewer waits.
        started = time.perf_counter()
        client.get("/insights/", {**query, "ethnicity": "white", "missing_from": "care"})
        found["dashboard_new_filter_seconds"] = round(time.perf_counter() - started, 2)
        print(f"A new filter, made on demand: {found['dashboard_new_filter_seconds']} s")

        started = time.perf_counter()
        pdf = client.get("/insights/deep-dive.pdf", {"first": period.first.isoformat(),
                                                     "last": period.last.isoformat()})
        found["deep_dive_seconds"] = round(time.perf_counter() - started, 2)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.status_code
        found["deep_dive_bytes"] = len(pdf.content)
        print(f"Deep dive PDF: {found['deep_dive_seconds']} s ({len(pdf.content)} bytes)")

        whole = Period(ANCHOR.date() - dt.timedelta(days=3 * 365), period.last)
        found.update(_audit(force, whole))
        print(f"Audit over {whole}: {found['audit_officers']} officers, recall "
              f"{found['planted_outlier_recall']}, false outliers {found['false_outliers']} "
              f"({found['audit_seconds']} s)")
    return found


def _cold(force, now) -> float:
    """The engine's refresh from nothing, in seconds (ADR 43)."""
    try:
        from mispers.insights.engine import refresh
    except ImportError:  # no engine yet: the reference is computed on every request
        return 0.0
    started = time.perf_counter()
    refresh(force_id=force.pk, now=now, full=True)
    return time.perf_counter() - started


def main() -> int:
    args = _arguments()
    setup_django(scratch=SCRATCH, fresh=not args.reuse, database_url=args.database_url)
    results = {"benchmark": "insights", "episodes": args.episodes, **where_measured()}
    if not args.reuse:
        results.update(_build(args))
    else:  # a database made before a migration (the engine's snapshots) is brought up to date
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    results.update(_measure(args))
    path = RESULTS.with_name("insights-postgresql.json") if args.database_url else RESULTS
    return finish(results, TARGETS, path=path, write=not args.no_write)


if __name__ == "__main__":
    sys.exit(main())
