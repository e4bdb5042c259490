"""Benchmark: the sergeant's Supervision page with 500 open episodes (issue 10, ADR 23).

    .venv/bin/python bench/supervision.py                 # 500 open episodes, about a minute
    .venv/bin/python bench/supervision.py --reuse         # measure again without regenerating

Builds a fresh scratch SQLite database under var/bench/ (never the dev database): 500 open
episodes reported through the services over the last day, graded across high, medium, low, no
apparent risk and not graded (some low grades below the recommendation, waiting for a sergeant),
each with two to four actions through `action_create`, most of them overdue, spread over four
teams in two areas; then the sweeper runs so the overdue reviews and actions escalate to the
sergeants. Signed in as a sergeant (Django test client), it times GET /supervision/ (the 25
most urgent of each list), a filtered view and page 2 of the whole escalations list, and checks
that the first escalation rows are the most urgent (the riskiest episode with a live downgrade
first, then high risk). Prints PASS/FAIL against the targets and
writes bench/results/supervision.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ETHNICITIES, ROOT, finish, percentile, setup_django, where_measured  # noqa: E402

SCRATCH = ROOT / "var" / "bench" / "supervision.sqlite3"
RESULTS = ROOT / "bench" / "results" / "supervision.json"
ANCHOR = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)  # fixed: the data never depend on the day
MEASURED_AT = ANCHOR + dt.timedelta(hours=8)
FORCE = "devon-and-cornwall"
TARGETS = {
    "supervision_p95_ms": ("<", 300),
    "supervision_filtered_p95_ms": ("<", 300),
    "supervision_section_p95_ms": ("<", 300),
    "first_screen_most_urgent": ("==", 1),
}
GRADES = ["high", "medium", "low", "no_apparent_risk", ""]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=500)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="measure the existing database")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    return parser.parse_args()


def _build(args) -> dict:
    from django.core.management import call_command

    from mispers.accounts.models import Area, Force, Team
    from mispers.accounts.services import forces_load, user_create
    from mispers.casework.grade import assessment_record
    from mispers.casework.report import episode_report
    from mispers.episodes.models import Episode
    from mispers.episodes.services import ReportDetails
    from mispers.people.services import ChildDetails
    from mispers.reviews.escalation import sweep
    from mispers.reviews.services import action_create
    from mispers.risk.policy import FACTORS
    from mispers.risk.services import AnswerInput

    call_command("migrate", verbosity=0)
    forces_load()
    force = Force.objects.get(code=FORCE)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    handler = user_create(username="bench-handler", password=None, force=force,
                          roles=["call_handler"], rank="call_handler")
    officers = [user_create(username=f"bench-officer{i}", password=None, force=force,
                            roles=["officer"], rank="officer") for i in range(10)]
    for i in range(3):
        user_create(username=f"bench-sergeant{i}", password=None, force=force,
                    roles=["supervisor"], rank="sergeant", email=f"sgt{i}@example.org")
    user_create(username="bench-inspector", password=None, force=force, roles=["inspector"],
                rank="inspector")
    areas = [Area.objects.create(force=force, name=name) for name in ("North", "South")]
    teams = [Team.objects.create(force=force, name=f"Response {letter}", area=areas[i % 2])
             for i, letter in enumerate("ABCD")]
    titles = ["Check the bus station CCTV", "Speak to the school", "Search the garden and sheds",
              "Visit the friend's address", "Check social media", "Ring the hospitals"]
    for index in range(args.episodes):
        reported = ANCHOR - dt.timedelta(minutes=rng.randint(30, 20 * 60))
        episode = episode_report(
            actor=handler, now=reported,
            new_child=ChildDetails(given_name=f"Bench{index}", family_name="Child",
                                   date_of_birth=dt.date(2010 + index % 5, 1 + index % 12, 1),
                                   sex="female" if index % 2 else "male",
                                   ethnicity=ETHNICITIES[index % len(ETHNICITIES)],
                                   looked_after=index % 3 == 0,
                                   local_authority="Plymouth City Council",
                                   placement_address="1 Example Row, Plymouth"),
            details=ReportDetails(reported_at=reported, reported_by_name="A Carer",
                                  reported_by_relationship="Parent",
                                  reported_by_contact="01234 000000",
                                  last_seen_at=reported - dt.timedelta(hours=2),
                                  last_seen_where="Home", missing_from="home"))
        grade = rng.choice(GRADES)
        officer = officers[index % len(officers)]
        if grade:
            answer = "unknown" if grade in ("low", "no_apparent_risk") and index % 7 == 0 else "no"
            try:
                assessment_record(actor=officer, now=reported + dt.timedelta(minutes=10),
                                  episode=episode, chosen_grade=grade,
                                  answers={code: AnswerInput(answer=answer) for code in FACTORS},
                                  rationale="Known to stay with a friend")
            except Exception:  # a grade the policy refuses for this child: left not graded
                pass
        team = teams[index % len(teams)]
        Episode.objects.filter(pk=episode.pk).update(team=team, area=team.area)
        for number in range(rng.randint(2, 4)):
            action_create(actor=officer, now=reported, episode=episode, code="bench",
                          title=titles[(index + number) % len(titles)], assigned_to=officer,
                          due_at=reported + dt.timedelta(hours=rng.randint(1, 12)))
    counts = sweep(now=MEASURED_AT)
    return {"generated": True, "generation_seconds": round(time.perf_counter() - started, 1),
            "sweep": counts}


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

    from mispers.accounts.models import Team, User
    from mispers.episodes.models import Episode
    from mispers.reviews.models import Notification
    from mispers.risk.models import Assessment

    sergeant = User.objects.get(username="bench-sergeant0")
    client = Client()
    client.force_login(sergeant)
    open_states = [Episode.State.REPORTED, Episode.State.OPEN]
    found: dict = {
        "open_episodes": Episode.objects.filter(state__in=open_states).count(),
        "escalation_notifications_for_sergeant": Notification.objects.filter(
            recipient=sergeant, acknowledged_at__isnull=True).count(),
    }
    team = Team.objects.filter(force_id=sergeant.force_id).order_by("name").first()
    with time_machine.travel(MEASURED_AT, tick=False):
        response = client.get("/supervision/")
        assert response.status_code == 200
        content = response.content.decode()
        found["page_bytes"] = len(content)
        first = re.findall(r'app-escalation-row[^"]*" data-episode="([^"]+)"', content)[:10]
        found["escalation_rows_shown"] = len(
            re.findall(r'app-escalation-row[^"]*" data-episode=', content))
        grades = dict(Episode.objects.filter(reference__in=first)
                      .values_list("reference", "current_grade"))
        waiting = set(Assessment.objects.filter(
            status=Assessment.Status.PENDING, episode__reference__in=first,
            episode__state__in=open_states).values_list("episode__reference", flat=True))
        order = {"high": 0, "medium": 1, "low": 2, "no_apparent_risk": 3, "": 4}
        keys = [(reference not in waiting, order[grades[reference]]) for reference in first]
        found["first_screen"] = [f"{r} {grades[r] or 'ungraded'}"
                                 f"{' downgrade waiting' if r in waiting else ''}" for r in first]
        found["first_screen_most_urgent"] = int(bool(first) and keys == sorted(keys))
        queries: list = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context:
                                        queries.append(sql) or execute(sql, params, many,
                                                                       context)):
            client.get("/supervision/")
        found["supervision_queries"] = len(queries)
        timings = _timed(lambda: client.get("/supervision/"), args.requests)
        filtered = _timed(lambda: client.get("/supervision/", {"grade": "high",
                                                              "team": team.pk}),
                          args.requests)
        # One whole list, page 2 (50 rows): "See all" on the escalations, the longest list.
        section = _timed(lambda: client.get("/supervision/", {"section": "escalations",
                                                              "page": 2}), args.requests)
    found.update({
        "requests": args.requests,
        "supervision_p50_ms": round(percentile(timings, 0.5), 1),
        "supervision_p95_ms": round(percentile(timings, 0.95), 1),
        "supervision_filtered_p50_ms": round(percentile(filtered, 0.5), 1),
        "supervision_filtered_p95_ms": round(percentile(filtered, 0.95), 1),
        "supervision_section_p50_ms": round(percentile(section, 0.5), 1),
        "supervision_section_p95_ms": round(percentile(section, 0.95), 1),
    })
    print(f"Supervision page: p50 {found['supervision_p50_ms']} ms, "
          f"p95 {found['supervision_p95_ms']} ms ({args.requests} requests, "
          f"{found['supervision_queries']} queries, {found['escalation_rows_shown']} escalation "
          f"rows for {found['escalation_notifications_for_sergeant']} notifications)")
    print(f"Filtered (high, {team.name}): p50 {found['supervision_filtered_p50_ms']} ms, "
          f"p95 {found['supervision_filtered_p95_ms']} ms")
    print(f"Escalations, page 2 of the whole list: p50 {found['supervision_section_p50_ms']} ms, "
          f"p95 {found['supervision_section_p95_ms']} ms")
    print("First screen:", "; ".join(found["first_screen"][:5]))
    return found


def main() -> int:
    args = _arguments()
    setup_django(scratch=SCRATCH, fresh=not args.reuse)
    results = {"benchmark": "supervision", "episodes": args.episodes, **where_measured()}
    if not args.reuse:
        results.update(_build(args))
    results.update(_measure(args))
    return finish(results, TARGETS, path=RESULTS, write=not args.no_write)


if __name__ == "__main__":
    sys.exit(main())
