"""A large force's finished history, written in bulk: for the insights benchmark (60,000
episodes over three years) and the tests that compare the insight engines on random data.

Not the demo and not the services: the demo's generator reports every episode through the
casework workflows (a few hundred a minute); a benchmark of a large force needs tens of thousands
in a few minutes, so this writes the rows the workflows would have left behind (episodes,
assessments, returns, interviews, deadlines) with `bulk_create`, and nothing else (no timeline,
no history, no notifications). The insight figures read only those rows. Never point it at a
force's real database.

The data are meant to look like a force's, not like a uniform draw: repeats concentrated in a
few children (most go missing once, a few dozens of times, in bursts), looked-after children
missing from care placements and children's homes, evening peaks, a realistic grade mix with
re-grades, missing dates of birth and ethnicities not stated, a few impossible times; and
officers of very different workloads whose honest habits vary a little, beside `planted`
officers who grade below the recommendation three times as often as their own base rate."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from mispers.accounts.models import Area, Team, User
from mispers.accounts.services import user_create
from mispers.episodes.models import Episode
from mispers.partners.models import PartnerOrganisation
from mispers.people.models import Child
from mispers.places.models import Place, PlaceKind
from mispers.returns.models import (
    FoundRecord,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.reviews.models import Deadline
from mispers.risk.models import Assessment

GRADES = ["no_apparent_risk", "low", "medium", "high"]  # lowest first
ETHNICITIES = [("white_british", 68), ("white_other", 5), ("white_irish", 1),
               ("white_gypsy_traveller", 1), ("mixed_white_black_caribbean", 3),
               ("mixed_white_asian", 2), ("mixed_other", 2), ("asian_pakistani", 3),
               ("asian_indian", 2), ("asian_bangladeshi", 1), ("black_african", 3),
               ("black_caribbean", 2), ("other_arab", 1), ("other_any", 1), ("not_stated", 8)]
HOURS = [3, 2, 2, 1, 1, 1, 2, 3, 4, 4, 4, 4, 5, 5, 6, 7, 8, 9, 10, 11, 11, 9, 7, 5]
BASE_BELOW = 0.06  # an honest officer's share of grades below the recommendation, on average
PLANTED_FACTOR = 3


@dataclass
class BulkForce:
    officers: list = field(default_factory=list)
    planted: list = field(default_factory=list)   # officer ids (str) with the downgrading habit
    counts: dict = field(default_factory=dict)


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _episodes_per_child(rng) -> int:
    # Most children go missing once; a few account for a large share (issue 12: concentration).
    roll = rng.random()
    if roll < 0.62:
        return 1
    if roll < 0.80:
        return 2
    if roll < 0.89:
        return rng.randint(3, 4)
    if roll < 0.97:
        return rng.randint(5, 12)
    return rng.randint(13, 45)


def _stamp(row, when):
    row.created_at = row.modified_at = when
    return row


def bulk_force(*, force, episodes: int, until: dt.datetime, seed: int = 12, years: int = 3,
               officers: int = 150, planted: int = 3, batch: int = 2000) -> BulkForce:
    """Write about `episodes` episodes of `force` reported over `years` before `until`."""
    rng = random.Random(seed)
    result = BulkForce()
    start = until - dt.timedelta(days=365 * years)
    span = (until - start).total_seconds()
    areas = [Area.objects.create(force=force, name=f"{name} area") for name in
             ("North", "South", "East", "West")]
    teams = [Team.objects.create(force=force, name=f"{area.name.split()[0]} response {n}",
                                 area=area) for area in areas for n in (1, 2, 3)]
    people = []
    for index in range(officers):
        user = user_create(username=f"bulk-officer-{force.code}-{index}", password=None,
                           force=force, roles=["officer"], rank="officer"
                           if index % 10 else "sergeant", first_name=f"Officer{index}",
                           last_name="Bulk")
        people.append(user)
    for user in people:
        user.team = rng.choice(teams) if rng.random() > 0.04 else None
    User.objects.bulk_update(people, ["team"])
    # Workloads differ a great deal (a funnel, not a league table); planted officers are
    # ordinary-sized so the benchmark measures the audit, not luck with a tiny officer.
    workload = [rng.gammavariate(2.0, 1.0) for _ in people]
    habit = [min(0.2, max(0.02, rng.gauss(BASE_BELOW, 0.006))) for _ in people]
    for index in rng.sample(range(officers), planted):
        workload[index] = max(workload[index], 2.0)
        habit[index] = BASE_BELOW * PLANTED_FACTOR
        result.planted.append(str(people[index].pk))
    result.officers = [str(u.pk) for u in people]

    providers = PartnerOrganisation.objects.bulk_create([
        _stamp(PartnerOrganisation(name=f"Provider {n} Care Ltd", kind="care_provider"), start)
        for n in range(8)])
    homes = Place.objects.bulk_create([_stamp(Place(
        force=force, kind=PlaceKind.CHILDRENS_HOME, name=f"Home {n}",
        provider=rng.choice(providers),
        postcode="" if rng.random() < 0.1 else f"PL{n % 9 + 1} {n % 9}AB"), start)
        for n in range(40)])
    others = Place.objects.bulk_create([_stamp(Place(
        force=force, kind=rng.choice([PlaceKind.STREET_OR_PARK, PlaceKind.SHOP_OR_LEISURE,
                                      PlaceKind.TRANSPORT_HUB, PlaceKind.ASSOCIATE,
                                      PlaceKind.SCHOOL, PlaceKind.RELATIVE]),
        name=f"Place {n}", postcode="" if rng.random() < 0.3 else "EX1 1AA"), start)
        for n in range(300)])

    children, plan = [], []
    while len(plan) < episodes:
        count = min(_episodes_per_child(rng), episodes - len(plan))
        age = rng.choices(range(6, 18), weights=[1, 1, 1, 2, 2, 3, 5, 8, 12, 15, 14, 10])[0]
        first = start + dt.timedelta(seconds=rng.random() * span)
        born = (first - dt.timedelta(days=365 * age + rng.randint(0, 364))).date()
        looked_after = rng.random() < (0.55 if count >= 3 else 0.12)
        child = _stamp(Child(
            force=force, given_name=f"Bulk{len(children)}", family_name="Child",
            date_of_birth=None if rng.random() < 0.07 else born,
            estimated_age=age if rng.random() < 0.05 else None,
            estimated_age_on=first.date(),
            sex=_pick(rng, [("female", 52), ("male", 47), ("not_known", 1)]),
            ethnicity=_pick(rng, ETHNICITIES), looked_after=looked_after,
            placement=rng.choice(homes) if looked_after and rng.random() < 0.6 else None), first)
        children.append(child)
        when = first
        for _ in range(count):  # repeats come in bursts
            if when > until:
                break
            plan.append((child, when))
            when += dt.timedelta(days=rng.expovariate(1 / 25))
    Child.objects.bulk_create(children, batch_size=batch)
    plan.sort(key=lambda item: item[1])

    rows = {"episodes": [], "assessments": [], "found": [], "pi": [], "waivers": [], "rhi": [],
            "deadlines": []}
    seen: dict = {}
    for number, (child, day) in enumerate(plan):
        hour = rng.choices(range(24), weights=HOURS)[0]
        reported = day.replace(hour=hour, minute=rng.randint(0, 59), second=0, microsecond=0)
        reported = min(reported, until - dt.timedelta(minutes=1))
        earlier = [t for t in seen.get(child.pk, []) if reported - t <= dt.timedelta(days=90)]
        seen.setdefault(child.pk, []).append(reported)
        if child.looked_after and rng.random() < 0.8:
            missing_from, place = "care", child.placement
        else:
            missing_from = _pick(rng, [("home", 85), ("school", 5), ("hospital", 2),
                                       ("other", 8)])
            place = rng.choice(others) if rng.random() < 0.3 else None
        age = child.age_on(reported.date()) or 14
        team = rng.choice(teams) if rng.random() > 0.05 else None
        hours_found = rng.lognormvariate(math.log(9), 1.3)
        found_at = reported + dt.timedelta(hours=hours_found)
        if rng.random() < 0.003:  # the odd impossible time, as real records have
            found_at = reported - dt.timedelta(hours=2)
        withdrawn = rng.random() < 0.008
        still_missing = found_at > until or rng.random() < 0.002
        state = ("withdrawn" if withdrawn else "open" if still_missing
                 else "closed" if found_at < until - dt.timedelta(days=14) else "found")
        episode = _stamp(Episode(
            force=force, child=child, reference=f"{force.code.upper()}-B-{number:06d}",
            reported_at=reported, reported_by_name="A carer", last_seen_at=reported
            - dt.timedelta(hours=rng.randint(1, 6)), last_seen_where="Home",
            missing_from=missing_from, missing_from_place=place, state=state,
            team=team, area=team.area if team else None), reported)
        rows["episodes"].append(episode)
        if withdrawn:
            continue
        grades = []
        if rng.random() < 0.94:
            sequence_count = 2 if rng.random() < 0.14 else 1
            for sequence in range(1, sequence_count + 1):
                officer = rng.choices(range(officers), weights=workload)[0]
                recommended = _pick(rng, [("high", 12), ("medium", 48), ("low", 30),
                                          ("no_apparent_risk", 10)])
                rank = GRADES.index(recommended)
                chosen, status = recommended, Assessment.Status.ACCEPTED
                if rank and rng.random() < habit[officer]:
                    chosen = GRADES[max(0, rank - (2 if rng.random() < 0.2 else 1))]
                    status = _pick(rng, [(Assessment.Status.RATIFIED, 70),
                                         (Assessment.Status.DECLINED, 12),
                                         (Assessment.Status.PENDING, 18)])
                elif rank < 3 and rng.random() < 0.04:
                    chosen = GRADES[rank + 1]
                at = reported + dt.timedelta(minutes=20 + 360 * (sequence - 1))
                rows["assessments"].append(_stamp(Assessment(
                    episode=episode, sequence=sequence, assessed_at=at,
                    assessed_by=people[officer], assessor_rank=people[officer].rank,
                    age_at_report=age, looked_after=child.looked_after != (rng.random() < 0.03),
                    missing_from=missing_from, earlier_episodes_90d=len(earlier),
                    exploitation_marker=rng.random() < 0.05, policy_name="national",
                    policy_version="2026.1", recommended_grade=recommended,
                    chosen_grade=chosen, status=status), at))
                grades.append(chosen if status in ("accepted", "ratified") else recommended)
        episode.current_grade = grades[-1] if grades else ""
        for review in range(1 + (episode.current_grade == "high")):
            due = reported + dt.timedelta(hours=rng.choice([1, 4, 12, 24]) * (review + 1))
            if due >= until:
                status, closed = "pending", None
            else:
                status = _pick(rng, [("met", 88), ("pending", 2), ("cancelled", 10)])
                closed = (due + dt.timedelta(minutes=rng.randint(-240, 240))
                          if status != "pending" else None)
            # A high-risk episode has an inspector's review too (one pending per kind).
            rows["deadlines"].append(Deadline(episode=episode, due_at=due,
                                              kind="inspector_review" if review else "review",
                                              status=status, created_at=reported,
                                              closed_at=closed))
        if still_missing:
            continue
        condition = _pick(rng, [("safe_and_well", 880), ("harmed", 60), ("crime_victim", 35),
                                ("sexual_offence_victim", 10), ("deceased", 1)])
        harms = (rng.sample(["physical", "sexual", "exploitation", "self_harm", "substance"],
                            rng.randint(1, 2)) if condition == "harmed" else [])
        rows["found"].append(_stamp(FoundRecord(
            episode=episode, found_at=found_at, found_where="Town centre",
            found_place=rng.choice(others + homes) if rng.random() < 0.4 else None,
            found_by=_pick(rng, [("own_accord", 45), ("police", 25), ("family_friend", 15),
                                 ("carer_agency", 12), ("other", 3)]),
            condition=condition, harms=harms), found_at))
        if condition == "deceased":
            continue
        due = found_at + dt.timedelta(hours=72)
        held = rng.random() < 0.86
        held_at = found_at + dt.timedelta(hours=rng.lognormvariate(math.log(30), 0.7))
        if held and held_at < until:
            rows["pi"].append(_stamp(PreventionInterview(
                episode=episode, interviewer=rng.choice(people), held_at=held_at,
                where_child_was="With friends", why_left="An argument",
                child_account="I was fine."), held_at))
        elif rng.random() < 0.3:
            rows["waivers"].append(_stamp(PreventionWaiver(episode=episode,
                                                           reason="Seen at hospital"), found_at))
        rows["deadlines"].append(Deadline(
            episode=episode, kind="prevention_interview", due_at=due, created_at=found_at,
            status="met" if held and held_at < until else "pending",
            closed_at=held_at if held and held_at < until else None))
        if rng.random() < 0.75:
            offered = (found_at + dt.timedelta(hours=rng.uniform(2, 110))
                       if rng.random() < 0.88 else None)
            response = _pick(rng, [("accepted", 65), ("declined", 25), ("", 10)]) \
                if offered else ""
            rows["rhi"].append(_stamp(ReturnHomeInterview(
                episode=episode, local_authority="Plymouth City Council",
                referred_at=found_at + dt.timedelta(hours=1), due_at=due, offered_at=offered,
                response=response, completed_at=offered + dt.timedelta(days=2)
                if response == "accepted" and rng.random() < 0.85 else None), found_at))
    for key, model in (("episodes", Episode), ("assessments", Assessment),
                       ("found", FoundRecord), ("pi", PreventionInterview),
                       ("waivers", PreventionWaiver), ("rhi", ReturnHomeInterview),
                       ("deadlines", Deadline)):
        model.objects.bulk_create(rows[key], batch_size=batch)
        result.counts[key] = len(rows[key])
    result.counts["children"] = len(children)
    return result
