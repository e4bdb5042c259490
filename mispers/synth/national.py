"""National synthetic data (issue 13): a year of extracts for all 43 forces in the exchange
format, sized by force and calibrated to the national figures of ../shared/DOMAIN.md §8, with
children who go missing in more than one force (placed out of area, running to family) and
recorded there with the slips real records carry, the ground truth kept beside.

The files are written as a force's supplier would: full-profile extracts that `mispers validate`
accepts, one per force, plus `truth/truth.csv` (which record is which child) and
`truth/calibration.json` (each generated figure beside its target). Deterministic: the same year,
seed and scale give the same files."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from mispers.exchange.records import when
from mispers.exchange.services import Change, extract_lines, header_for
from mispers.risk.policy.loader import known_force_codes

from . import names, noise
from .people import ETHNICITY_WEIGHTS, child_identity, local_authorities, pick

LONDON = ZoneInfo("Europe/London")
CHILDREN = 75_000          # distinct children a year at scale 1 (issue 13: about 75,000)
# Rough relative sizes of the forces (about their populations): the Met biggest, the City of
# London smallest. Synthetic calibration, not a published figure per force.
BIG = {"metropolitan": 9.0, "west-midlands": 2.9, "greater-manchester": 2.9,
       "west-yorkshire": 2.3, "thames-valley": 2.4, "hampshire": 2.0, "kent": 1.9,
       "essex": 1.8, "devon-and-cornwall": 1.8, "avon-and-somerset": 1.7, "sussex": 1.7,
       "lancashire": 1.5, "northumbria": 1.5, "merseyside": 1.4, "south-yorkshire": 1.4,
       "south-wales": 1.3, "city-of-london": 0.05}
MOBILE = 0.12              # of children with two or more episodes: some in a second force
SECOND_RECORD_SLIP = 0.45  # a second force records the child with a slip this often
# What a force records of where the child lives and who looks after them (ADR 46): the home
# postcode is often left out, and a second force, where a child ran to family, records the
# home the child gives (often their own) or the relative's; a looked-after child placed in
# another force's area has that area's placement postcode but the same placing authority.
POSTCODE_RECORDED = 0.8
AUTHORITY_RECORDED = 0.85
SECOND_FORCE_SAME_HOME = 0.5       # a child not looked after: their own home given
SECOND_FORCE_OTHER_HOME = 0.25     # a relative's address in the second area
PREVIOUS_NAME_RECORDED = 0.5       # a new surname: the old one kept as a previous name
SLIPS = ["typo_given", "typo_family", "short_form", "respell_family", "dob_digit",
         "dob_swapped", "surname_change", "no_dob"]
TARGETS = {  # DOMAIN.md §8 (the middle of each range)
    "incidents_per_child": 2.9, "aged_12_17": 0.93, "aged_15_17": 0.58,
    "looked_after_incidents": 0.36, "looked_after_children": 0.19,
    "exploitation_incidents": 0.09, "repeat_incidents": 0.70, "top5_share": 0.30,
    "found_within_24h": 0.75, "found_within_48h": 0.85, "found_after_week": 0.02,
    "found_own_accord": 0.43, "found_by_police": 0.29, "high": 0.16, "medium": 0.68,
    "low": 0.13,
}


@dataclass
class Person:
    truth_id: int
    sex: str
    ethnicity: str
    born: dt.date
    given: str
    family: str
    looked_after: bool
    exploited: bool
    postcode: str = ""
    authority: str = ""     # the local authority looking after the child
    episodes: list = field(default_factory=list)   # [(reported_at, force)]


def force_weights() -> dict[str, float]:
    return {code: BIG.get(code, 0.9) for code in sorted(known_force_codes())}


def _episodes_for(rng: random.Random, *, looked_after: bool) -> int:
    """Incidents of one child in the year: most once, a few very often (top 5% of children
    about 30% of incidents); a looked-after child about twice as often as others (19% of the
    children, 36% of the incidents)."""
    def draw() -> int:
        r = rng.random()
        if r < 0.58:
            return 1
        if r < 0.76:
            return 2
        if r < 0.85:
            return 3
        return 4 + int(rng.lognormvariate(1.05, 1.1))

    return draw() + draw() + (rng.random() < 0.5) if looked_after else draw()


def _born(rng: random.Random, year_start: dt.date) -> dt.date:
    age = pick(rng, [(15, 0.2), (16, 0.2), (17, 0.18), (14, 0.17), (13, 0.12), (12, 0.06),
                     (11, 0.03), (10, 0.02), (9, 0.01), (8, 0.01)])
    return year_start - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))


def _slipped(rng: random.Random, person: Person) -> tuple[str, str, dt.date | None]:
    """The child as another force records them: one slip."""
    given, family, born = person.given, person.family, person.born
    slip = rng.choice(SLIPS)
    if slip == "typo_given":
        given = noise.typo(rng, given)
    elif slip == "typo_family":
        family = noise.typo(rng, family)
    elif slip == "short_form":
        given = noise.short_form(rng, given) or noise.typo(rng, given)
    elif slip == "respell_family":
        family = noise.respell(rng, family)
    elif slip == "dob_digit":
        born = noise._dob_digit(rng, born, born + dt.timedelta(days=20 * 365))
    elif slip == "dob_swapped" and born.day <= 12 and born.day != born.month:
        born = born.replace(day=born.month, month=born.day)
    elif slip == "surname_change":
        family = rng.choice(names.FAMILY["white"])
    elif slip == "no_dob":
        born = None
    return given, family, born


POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def postcode_in(rng: random.Random, force_code: str) -> str:
    """An invented postcode of the force's area: its letters from the force's code, a
    district number and an inward code (never a real address's)."""
    letters = "".join(ch for ch in force_code.upper() if ch.isalpha())[:2]
    return (f"{letters}{rng.randrange(1, 40)} {rng.randrange(10)}"
            f"{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# A national population's names (ADR 46): the force generator's short lists, drawn evenly,
# give every child a name as common as the commonest in the country, and at 75,000 children
# made namesakes born the same day several times as often as real records show. Half the
# family names and some given names of children with British or Irish names are drawn
# instead from Faker's longer en_GB lists, family names by their published frequencies, so
# the names have a realistic long tail (the commonest still very common).
WIDER_FAMILY_NAME = 0.5
WIDER_GIVEN_NAME = 0.35


@cache
def _wider_names() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...], tuple[float, ...]]:
    from faker.providers.person.en_GB import Provider

    given = {"female": tuple(Provider.first_names_female),
             "male": tuple(Provider.first_names_male)}
    family = tuple(Provider.last_names)
    return given, family, tuple(Provider.last_names[name] for name in family)


def _national_names(rng: random.Random, who: dict, *, sex: str,
                    ethnicity: str) -> tuple[str, str]:
    given, family = who["given_name"], who["family_name"]
    if ethnicity.startswith(("white_british", "white_irish", "mixed")) or (
            ethnicity == "white_other" and rng.random() < 0.5):
        wider_given, wider_family, weights = _wider_names()
        if rng.random() < WIDER_FAMILY_NAME:
            family = rng.choices(wider_family, weights)[0]
        if rng.random() < WIDER_GIVEN_NAME:
            given = rng.choice(wider_given[sex])
    return given, family


def people_make(rng: random.Random, *, n: int, year_start: dt.date) -> list[Person]:
    out = []
    for truth_id in range(n):
        sex = rng.choice(["female", "male"])
        ethnicity = pick(rng, ETHNICITY_WEIGHTS)
        looked_after = rng.random() < 0.19
        who = child_identity(rng, sex=sex, ethnicity=ethnicity, looked_after=looked_after,
                             force_code="", force_name="England")
        given, family = _national_names(rng, who, sex=sex, ethnicity=ethnicity)
        out.append(Person(truth_id, sex, ethnicity, _born(rng, year_start), given, family,
                          looked_after, exploited=False))
    return out


class _Force:
    """One force's records as its extract will hold them."""

    def __init__(self, code: str, today: dt.date):
        self.code = code
        self.today = today                           # the year's first day
        self.records: list[tuple[str, str, dict]] = []
        self.child_of: dict[int, str] = {}          # truth id -> this force's record id
        self.truth: list[tuple[str, int]] = []       # (record id, truth id)

    def child(self, rng: random.Random, person: Person, *, slip: bool,
              elsewhere: bool = False) -> str:
        """The force's record of the child (made at the first episode here): with a slip
        when asked; `elsewhere` when the child lives in another force's area."""
        if person.truth_id in self.child_of:
            return self.child_of[person.truth_id]
        given, family, born = (_slipped(rng, person) if slip
                               else (person.given, person.family, person.born))
        other_names = []
        if family != person.family and rng.random() < PREVIOUS_NAME_RECORDED and (
                given, born) == (person.given, person.born):
            other_names = [{"kind": "previous", "given_name": person.given,
                            "family_name": person.family}]
        postcode = person.postcode
        if elsewhere:
            if person.looked_after:
                postcode = postcode_in(rng, self.code)      # placed in this force's area
            else:
                r = rng.random()
                postcode = (person.postcode if r < SECOND_FORCE_SAME_HOME
                            else postcode_in(rng, self.code)
                            if r < SECOND_FORCE_SAME_HOME + SECOND_FORCE_OTHER_HOME else "")
        if rng.random() >= POSTCODE_RECORDED:
            postcode = ""
        authority = (person.authority if person.authority
                     and rng.random() < AUTHORITY_RECORDED else None)
        record_id = _uuid(rng)
        self.records.append(("child", record_id, {
            "given_name": given, "family_name": family, "other_names": other_names,
            "date_of_birth": born.isoformat() if born else None,
            # No date of birth: the age the officer estimated, on the year's first day.
            "estimated_age": None if born else max(0, min(17, (self.today - person.born).days
                                                         // 365)),
            "estimated_age_on": None if born else self.today.isoformat(), "sex": person.sex,
            "ethnicity": person.ethnicity, "observed_ethnicity": "not_recorded",
            "looked_after": person.looked_after, "local_authority": authority,
            "placement": None, "home_postcode": postcode or None,
            "home_postcode_district": postcode.split()[0] if postcode else None,
            "merged_into": None}))
        self.child_of[person.truth_id] = record_id
        self.truth.append((record_id, person.truth_id))
        return record_id


def _duration_hours(rng: random.Random) -> float | None:
    r = rng.random()
    if r < 0.005:
        return None                                        # still missing
    if r < 0.755:
        return rng.uniform(0.5, 24)
    if r < 0.855:
        return rng.uniform(24, 48)
    if r < 0.98:
        return rng.uniform(48, 168)
    return rng.uniform(168, 900)


def _episode(rng: random.Random, force: _Force, person: Person, child_id: str,
             reported: dt.datetime, year_end: dt.datetime) -> None:
    episode_id = _uuid(rng)
    age = person.born and (reported.date() - person.born).days // 365
    grade = pick(rng, [("high", 0.16), ("medium", 0.68), ("low", 0.13),
                       ("no_apparent_risk", 0.03)])
    missing_from = ("care" if person.looked_after and rng.random() < 0.85
                    else pick(rng, [("home", 0.85), ("school", 0.05), ("other", 0.1)]))
    hours = _duration_hours(rng)
    found = reported + dt.timedelta(hours=hours) if hours is not None else None
    if found is not None and found >= year_end + dt.timedelta(days=30):
        found = None
    force.records.append(("episode", episode_id, {
        "child": child_id, "reference": f"{force.code.upper()}-{episode_id[:8]}",
        "state": "closed" if found else "open", "reported_at": when(reported),
        "last_seen_at": when(reported - dt.timedelta(hours=rng.uniform(0.5, 8))),
        "missing_from": missing_from, "missing_from_place": None, "last_seen_place": None,
        "reported_via": "police", "grade": grade}))
    force.records.append(("assessment", _uuid(rng), {
        "episode": episode_id, "sequence": 1,
        "assessed_at": when(reported + dt.timedelta(minutes=rng.randrange(10, 90))),
        "age_at_report": max(0, min(17, age)), "looked_after": person.looked_after,
        "missing_from": missing_from, "exploitation_marker": person.exploited,
        "policy": "national", "policy_version": "2026.1", "recommended_grade": grade,
        "chosen_grade": grade, "effective_grade": grade, "status": "accepted", "reasons": [],
        "ratified_at": None}))
    if found is None:
        return
    condition = pick(rng, [("safe_and_well", 0.975), ("harmed", 0.02),
                           ("crime_victim", 0.003), ("sexual_offence_victim", 0.0018),
                           ("deceased", 0.0002)])
    force.records.append(("outcome", _uuid(rng), {
        "episode": episode_id, "found_at": when(found),
        "found_by": pick(rng, [("own_accord", 0.43), ("police", 0.29), ("family_friend", 0.16),
                               ("carer_agency", 0.09), ("other", 0.03)]),
        "condition": condition,
        "harms": ["physical"] if condition == "harmed" else [], "found_place": None}))
    if condition != "deceased" and rng.random() < 0.85:
        force.records.append(("interview", f"prevention-{episode_id}", {
            "episode": episode_id, "interview": "prevention",
            "held_at": when(found + dt.timedelta(hours=rng.uniform(1, 72))), "waived": False,
            "indicators": ["criminal_exploitation"] if person.exploited and rng.random() < 0.3
            else []}))
    if condition != "deceased":
        force.records.append(_return_home_referral(force.code, episode_id, found))


def _return_home_referral(force_code: str, episode_id: str, found: dt.datetime) -> tuple:
    """The return-home interview every child found is referred for. Offered within the 72
    hours in a share that differs by force (its local authorities): 55% to 90%. Drawn from a
    generator of its own, so that adding it left every other record of the year as it was."""
    own = random.Random(f"{force_code}:{episode_id}")
    prompt = 0.55 + 0.35 * random.Random(force_code).random()
    referred = found + dt.timedelta(hours=own.uniform(0.5, 12))
    offered = (found + dt.timedelta(hours=own.uniform(6, 72)) if own.random() < prompt
               else found + dt.timedelta(hours=own.uniform(73, 240)) if own.random() < 0.8
               else None)
    accepted = offered is not None and own.random() < 0.7
    return ("interview", f"return-home-{episode_id}", {
        "episode": episode_id, "interview": "return_home", "referred_at": when(referred),
        "due_at": when(found + dt.timedelta(hours=72)),
        "offered_at": when(offered) if offered else None,
        "response": ("accepted" if accepted else "declined") if offered else None,
        "completed_at": (when(offered + dt.timedelta(hours=own.uniform(2, 96)))
                         if accepted else None),
        "indicators": []})


def _reported_times(rng: random.Random, count: int, start: dt.datetime,
                    end: dt.datetime) -> list[dt.datetime]:
    """Times of report through the year, more in the afternoon and evening."""
    span = (end - start).days
    times = []
    for _ in range(count):
        day = start + dt.timedelta(days=rng.randrange(span))
        hour = pick(rng, [(h, 3 if 14 <= h <= 23 else 1) for h in range(24)])
        # In UTC from here: arithmetic on a local time across the clocks going forward or
        # back would put the last sighting after the report.
        times.append(day.replace(hour=hour, minute=rng.randrange(60)).astimezone(dt.UTC))
    return sorted(times)


@dataclass
class NationalResult:
    files: list[Path]
    truth: Path
    calibration: dict


def national_synth(*, year_first: int, seed: int, out: Path,
                   scale: float = 1.0) -> NationalResult:
    rng = random.Random(seed)
    start = dt.datetime(year_first, 4, 1, tzinfo=LONDON)
    end = dt.datetime(year_first + 1, 4, 1, tzinfo=LONDON)
    weights = force_weights()
    codes, sizes = list(weights), list(weights.values())
    forces = {code: _Force(code, start.date()) for code in codes}
    people = people_make(rng, n=max(1, round(CHILDREN * scale)), year_start=start.date())
    tally = Counter()
    per_child = []
    for person in people:
        count = _episodes_for(rng, looked_after=person.looked_after)
        person.exploited = rng.random() < (0.15 if count >= 6 else 0.05 if count >= 4
                                           else 0.02)
        home = rng.choices(codes, sizes)[0]
        person.postcode = postcode_in(rng, home)
        if person.looked_after:
            person.authority = pick(rng, local_authorities(home, home.replace("-", " ").title()))
        second = None
        if count >= 2 and rng.random() < MOBILE:
            second = rng.choices([c for c in codes if c != home],
                                 [w for c, w in weights.items() if c != home])[0]
            split = rng.randrange(1, count)
        times = _reported_times(rng, count, start, end)
        duplicate_from = (rng.randrange(1, count) if count >= 3 and rng.random() < 0.03
                          else None)
        duplicate_id = None
        for index, reported in enumerate(times):
            code = second if second and index >= split else home
            force = forces[code]
            if index == duplicate_from and code == home:
                # Recorded again in the same force as a new child (a slip at the report).
                saved = force.child_of.pop(person.truth_id, None)
                duplicate_id = force.child(rng, person, slip=True)
                if saved:
                    force.child_of[person.truth_id] = saved
            child_id = (duplicate_id if duplicate_id and code == home
                        else force.child(rng, person, slip=code == second
                                         and rng.random() < SECOND_RECORD_SLIP,
                                         elsewhere=code == second))
            _episode(rng, force, person, child_id, reported, end)
        for code in {home, second} - {None}:
            if person.exploited:
                force = forces[code]
                force.records.append(("marker", _uuid(rng), {
                    "child": force.child_of[person.truth_id], "marker_kind": "exploitation",
                    "subtype": rng.choice(["sexual", "criminal", "criminal"]),
                    "source": "police",
                    "active_from": (times[0].date() - dt.timedelta(days=rng.randrange(200)))
                    .isoformat(), "active_until": None}))
        per_child.append(count)
        tally["looked_after_incidents"] += count * person.looked_after
        tally["exploitation_incidents"] += count * person.exploited
        tally["aged_12_17"] += count * (12 <= (start.date() - person.born).days // 365 <= 17)
        tally["aged_15_17"] += count * (15 <= (start.date() - person.born).days // 365 <= 17)
        tally["mobile"] += second is not None
    return _write(forces, out, people=people, per_child=per_child, tally=tally,
                  scale=scale, year_first=year_first)


ORDER = {kind: index for index, kind in enumerate(
    ("place", "child", "merge", "episode", "assessment", "outcome", "interview", "marker"))}


def _write(forces: dict, out: Path, *, people, per_child, tally, scale,
           year_first) -> NationalResult:
    files, truth_rows, found = [], [], Counter()
    incidents = sum(per_child)
    for code, force in sorted(forces.items()):
        if not force.records:
            continue
        ordered = sorted(force.records, key=lambda r: (ORDER[r[0]], r[1]))
        changes = [Change(kind, record_id, seq, record)
                   for seq, (kind, record_id, record) in enumerate(ordered, start=1)]
        lines = extract_lines(changes, after=0, profile="full")
        header = header_for(force_code=code, profile="full", after=0, to=len(changes),
                            lines=lines)
        path = out / f"{code}-full-{len(changes):09d}.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(header, separators=(",", ":")) + "\n")
            handle.writelines(line + "\n" for line in lines)
        files.append(path)
        truth_rows += [(code, record_id, truth_id) for record_id, truth_id in force.truth]
        for kind, _id, record in force.records:
            if kind == "outcome":
                found[record["found_by"]] += 1
            elif kind == "episode":
                found["grade_" + record["grade"]] += 1
    hours = []  # durations, from each force's episodes and outcomes
    for force in forces.values():
        reported = {i: r["reported_at"] for k, i, r in force.records if k == "episode"}
        for kind, _id, record in force.records:
            if kind == "outcome":
                hours.append((dt.datetime.fromisoformat(record["found_at"])
                              - dt.datetime.fromisoformat(reported[record["episode"]]))
                             .total_seconds() / 3600)
    truth_dir = out / "truth"
    truth_dir.mkdir(exist_ok=True)
    truth = truth_dir / "truth.csv"
    with truth.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["force", "child_record_id", "person_id"])
        writer.writerows(truth_rows)
    ordered = sorted(per_child, reverse=True)
    top = math.ceil(len(ordered) * 0.05)
    outcomes = sum(v for k, v in found.items() if not k.startswith("grade_"))
    generated = {
        "incidents_per_child": round(incidents / len(people), 3),
        "aged_12_17": round(tally["aged_12_17"] / incidents, 3),
        "aged_15_17": round(tally["aged_15_17"] / incidents, 3),
        "looked_after_incidents": round(tally["looked_after_incidents"] / incidents, 3),
        "looked_after_children": round(sum(p.looked_after for p in people) / len(people), 3),
        "exploitation_incidents": round(tally["exploitation_incidents"] / incidents, 3),
        "repeat_incidents": round(1 - len(people) / incidents, 3),
        "top5_share": round(sum(ordered[:top]) / incidents, 3),
        "found_within_24h": round(sum(h < 24 for h in hours) / incidents, 3),
        "found_within_48h": round(sum(h < 48 for h in hours) / incidents, 3),
        "found_after_week": round(sum(h >= 168 for h in hours) / incidents, 3),
        "found_own_accord": round(found["own_accord"] / outcomes, 3),
        "found_by_police": round(found["police"] / outcomes, 3),
        **{grade: round(found["grade_" + grade] / incidents, 3)
           for grade in ("high", "medium", "low")},
    }
    calibration = {
        "year": f"{year_first}-{(year_first + 1) % 100:02d}", "scale": scale,
        "child_incidents": incidents, "children": len(people),
        "children_in_two_forces": tally["mobile"], "child_records": len(truth_rows),
        "forces": len(files),
        "figures": {key: {"generated": generated[key], "target": TARGETS[key]}
                    for key in TARGETS},
    }
    (truth_dir / "calibration.json").write_text(json.dumps(calibration, indent=2) + "\n")
    return NationalResult(files=files, truth=truth, calibration=calibration)
