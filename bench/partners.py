"""Benchmark: partners in the same system.

    .venv/bin/python bench/partners.py                # 1,000 children, about 2 minutes
    .venv/bin/python bench/partners.py --children 200 # quicker
    .venv/bin/python bench/partners.py --reuse        # measure again without rebuilding

Builds a fresh scratch SQLite database under var/bench/ (never the dev database), migrates it and
makes, through the services, a children's home ("Bench Homes") responsible for `--children`
children of Devon and Cornwall, with a Philomena profile for 70% of them and a history of
episodes (0 to 3 each, reported, graded, most found with the return-home interview referred,
some still missing), so the partner home shows statuses, interview clocks and alerts. Then:

- prefilled_fields: the report fields a partner's report fills for a child with a typical
  profile and part 2 (a real `partner_report_submit`; the episode's `prefilled_fields`), of
  `report_fields` that can be;
- partner_home_p95_ms: GET /partners/ (the organisation's caseload, missing now, interviews due,
  alerts) as a care worker of the home, through django.test.Client; and the partner API's
  children list (partner_api_children_p95_ms) the same way.

Prints PASS/FAIL against the targets and writes bench/results/partners.json. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ETHNICITIES, ROOT, finish, percentile, setup_django, where_measured  # noqa: E402

SCRATCH = ROOT / "var" / "bench" / "partners.sqlite3"
RESULTS = ROOT / "bench" / "results" / "partners.json"
ANCHOR = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)  # fixed: the data never depend on the day
FORCE = "devon-and-cornwall"
TARGETS = {
    "partner_home_p95_ms": ("<", 200),
    "prefilled_fields": (">=", 8),
}
TYPICAL_PROFILE = dict(
    physical_description="White, 5ft 3, slim, long brown hair usually tied back, pierced ears",
    friends_and_associates="Jade Example (15), school friend, Keyham; an older man called 'Dee'",
    places_frequented="Drake Circus shopping centre; Devonport Park; her aunt's in St Budeaux",
    medical_needs="Asthma", medication="Salbutamol inhaler, carries it in her bag",
    phone="07700 900456", social_media="Snapchat and TikTok, same handle: kay.example",
    transport="Buses (Citybus 21), sometimes lifts from older friends")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100, help="home page requests to time")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the scratch database an earlier run left")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    return parser.parse_args()


def _build(args) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from mispers.accounts.models import Force
    from mispers.accounts.services import forces_load, user_create
    from mispers.casework.children import child_create
    from mispers.casework.found import return_record
    from mispers.casework.grade import assessment_record
    from mispers.casework.report import episode_report
    from mispers.episodes.services import ReportDetails
    from mispers.partners.models import PartnerOrganisation
    from mispers.partners.services import (
        organisation_create,
        partner_user_create,
        profile_save,
        responsibility_start,
    )
    from mispers.partners.services.profiles import ProfileDetails
    from mispers.people.services import ChildDetails
    from mispers.risk import policy as risk_policy
    from mispers.risk.services import AnswerInput

    call_command("migrate", verbosity=0)
    forces_load()
    force = Force.objects.get(code=FORCE)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    coordinator = user_create(username="bench-coordinator", password=None, force=force,
                              roles=["coordinator"], rank="sergeant")
    officer = user_create(username="bench-officer", password=None, force=force,
                          roles=["officer"], rank="officer")
    coordinator.force = officer.force = force
    built_at = ANCHOR - dt.timedelta(days=400)
    home = organisation_create(actor=coordinator, now=built_at, name="Bench Homes",
                               kind=PartnerOrganisation.Kind.CARE_PROVIDER, forces=[force],
                               email="homes@bench.example")
    carer = partner_user_create(actor=coordinator, now=built_at, organisation=home,
                                username="bench-carer", roles=["care_worker"],
                                email="carer@bench.example")
    answers = {code: AnswerInput(answer="no", source="Carer") for code in risk_policy.FACTORS}
    episodes = 0
    print(f"Making {args.children} children the home is responsible for, with profiles and "
          "episodes, through the services…", flush=True)
    for start in range(0, args.children, 200):
        with transaction.atomic():
            for index in range(start, min(start + 200, args.children)):
                child = child_create(actor=coordinator, now=built_at, force=force,
                                     details=ChildDetails(
                                         given_name="Bench", family_name=f"Child{index:05d}",
                                         date_of_birth=dt.date(2012, 6, 1)
                                         - dt.timedelta(days=rng.randrange(900)),
                                         sex=rng.choice(["female", "male"]),
                                         ethnicity=rng.choice(ETHNICITIES),
                                         looked_after=True, local_authority="Plymouth"))
                responsibility_start(actor=coordinator, now=built_at, child=child,
                                     organisation=home, kind="home",
                                     starts_on=built_at.date())
                if rng.random() < 0.7:
                    profile_save(actor=carer, now=built_at + dt.timedelta(days=rng.randrange(300)),
                                 child=child, details=ProfileDetails(**TYPICAL_PROFILE))
                count = rng.choices([0, 1, 2, 3], weights=[40, 30, 20, 10])[0]
                for number in range(count):
                    reported = ANCHOR - dt.timedelta(days=30 * (count - number),
                                                     hours=rng.randrange(24))
                    if number == count - 1 and rng.random() < 0.05:
                        reported = ANCHOR - dt.timedelta(hours=rng.randrange(2, 20))
                    episode = episode_report(
                        actor=officer, now=reported, child=child, details=ReportDetails(
                            reported_at=reported, reported_by_name="Bench Homes",
                            last_seen_at=reported - dt.timedelta(hours=2),
                            last_seen_where="The home", missing_from="care"))
                    assessment_record(actor=officer, now=reported + dt.timedelta(minutes=5),
                                      episode=episode, answers=answers, chosen_grade="medium")
                    if reported < ANCHOR - dt.timedelta(days=1):
                        found_at = reported + dt.timedelta(hours=rng.randrange(3, 30))
                        return_record(actor=officer, now=found_at, episode=episode,
                                      found_at=found_at, found_where="Plymouth",
                                      found_by="police", condition="safe_and_well")
                    episodes += 1
        print(f"  {min(start + 200, args.children)} children, {episodes} episodes, "
              f"{time.perf_counter() - started:.0f}s", flush=True)
    return {"generation_seconds": round(time.perf_counter() - started, 1), "generated": True}


def _prefilled() -> dict:
    """A partner's report for a child with a typical profile and part 2."""
    from django.db import transaction

    from mispers.accounts.models import User
    from mispers.casework.partner_report import partner_report_submit
    from mispers.partners.selectors import partner_children
    from mispers.partners.services.reports import FIELD_SOURCES, Part2

    carer = User.objects.get(username="bench-carer")
    child = (partner_children(user=carer, on=ANCHOR.date())
             .filter(philomena_profiles__isnull=False).exclude(episodes__state__in=[
                 "reported", "open"]).order_by("family_name").first())
    with transaction.atomic():
        episode = partner_report_submit(actor=carer, now=ANCHOR, child=child, part2=Part2(
            last_seen_at=ANCHOR - dt.timedelta(hours=3), last_seen_where="Leaving the home",
            clothing="Black puffer jacket, grey joggers, white trainers",
            circumstances="Argument with staff about her phone at tea time",
            actions_taken="Rooms and grounds searched; friends called", reporter_phone="01752"))
        filled = list(episode.prefilled_fields)
        transaction.set_rollback(True)  # the report is measured, not kept
    return {"prefilled_fields": len(filled), "prefilled_field_names": filled,
            "report_fields": len(FIELD_SOURCES)}


def _timed(call, count: int) -> list[float]:
    for _ in range(5):
        call()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _pages(args) -> dict:
    import time_machine
    from django.db import connection
    from django.test import Client

    from mispers.accounts.models import User
    from mispers.partners.selectors import partner_children
    from mispers.reviews.models import Notification

    carer = User.objects.get(username="bench-carer")
    client = Client()
    client.force_login(carer)
    found = {"caseload": partner_children(user=carer, on=ANCHOR.date()).count(),
             "alerts_waiting": Notification.objects.filter(recipient=carer,
                                                           acknowledged_at__isnull=True).count()}
    with time_machine.travel(ANCHOR, tick=False):
        for name, url in [("partner_home", "/partners/"),
                          ("partner_api_children", "/api/v1/partner/children/")]:
            response = client.get(url)
            if response.status_code != 200:
                print(f"  {url} answered {response.status_code}: NOT MEASURED", flush=True)
                continue
            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            timings = _timed(lambda url=url: client.get(url), args.requests)
            found.update({f"{name}_p50_ms": round(percentile(timings, 0.50), 1),
                          f"{name}_p95_ms": round(percentile(timings, 0.95), 1),
                          f"{name}_max_ms": round(max(timings), 1),
                          f"{name}_queries": len(queries), f"{name}_requests": len(timings)})
            print(f"  {url}: p95 {found[f'{name}_p95_ms']} ms, {len(queries)} queries",
                  flush=True)
    return found


def main() -> int:
    args = _arguments()
    setup_django(scratch=SCRATCH, fresh=not args.reuse)
    from django.utils import timezone

    results: dict = {"benchmark": "partners", "date": timezone.now().isoformat(timespec="seconds"),
                     "anchor": ANCHOR.isoformat(), "children": args.children,
                     "generated": False, "generation_seconds": None}
    if not args.reuse:
        results.update(_build(args))
    from mispers.episodes.models import Episode

    results["episodes"] = Episode.objects.count()
    results.update(_prefilled())
    results.update(_pages(args))
    results.update(where_measured())
    return finish(results, TARGETS, path=RESULTS, write=not args.no_write)


if __name__ == "__main__":
    sys.exit(main())
