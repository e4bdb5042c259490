"""Synthetic people: the officers who grade, and who each child is. Pure, from a Random."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from mispers.people.models import ethnic_group

from . import names

# Ethnicity of children (census 2021 groups); missing children are more diverse than the
# population of the South West, so this is a national-looking mix.
# Self-defined ethnicity (the census's categories), roughly as among children in England and
# Wales; the names are chosen by its group.
ETHNICITY_WEIGHTS = [
    ("white_british", 0.66), ("white_irish", 0.005), ("white_gypsy_traveller", 0.006),
    ("white_roma", 0.004), ("white_other", 0.05), ("mixed_white_black_caribbean", 0.02),
    ("mixed_white_black_african", 0.01), ("mixed_white_asian", 0.015), ("mixed_other", 0.02),
    ("asian_indian", 0.03), ("asian_pakistani", 0.035), ("asian_bangladeshi", 0.012),
    ("asian_chinese", 0.005), ("asian_other", 0.015), ("black_african", 0.035),
    ("black_caribbean", 0.008), ("black_other", 0.006), ("other_arab", 0.007),
    ("other_any", 0.01), ("not_stated", 0.02)]
OFFICERS, CALL_HANDLERS, SERGEANTS, INSPECTORS = 10, 5, 4, 2
DOWNGRADERS = 3


def pick(rng: random.Random, pairs):
    """One value from (value, weight) pairs."""
    return rng.choices([value for value, _ in pairs], [weight for _, weight in pairs])[0]


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years, exactly as Child.age_on counts them."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class StaffPlan:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    rank: str
    grades: bool = False  # records first grades
    downgrader: bool = False  # grades below the recommendation much more often than others
    busy: float = 1.0


def system_username(force_code: str) -> str:
    """The synthetic system user whose name marks everything the generator made."""
    return f"synth-{force_code}"


def plan_staff(rng: random.Random, *, force_code: str) -> list[StaffPlan]:
    every_family = [name for group in names.FAMILY.values() for name in group]
    used: set[tuple[str, str]] = set()

    def name() -> tuple[str, str]:
        while True:
            full = (rng.choice(names.STAFF_GIVEN), rng.choice(every_family))
            if full not in used:
                used.add(full)
                return full

    downgraders = set(rng.sample(range(OFFICERS + CALL_HANDLERS), DOWNGRADERS))
    prefix = system_username(force_code)
    staff = []
    for i in range(OFFICERS + CALL_HANDLERS):
        handler = i >= OFFICERS
        first, last = name()
        number = i - OFFICERS + 1 if handler else i + 1
        staff.append(StaffPlan(
            username=f"{prefix}-{'ch' if handler else 'pc'}{number:02d}",
            first_name=first, last_name=last,
            roles=("call_handler",) if handler else ("officer",),
            rank="call_handler" if handler else "officer", grades=True,
            downgrader=i in downgraders,
            busy=round(rng.uniform(1.3, 2.0) if handler else rng.uniform(0.6, 1.2), 2)))
    for count, code, role, rank in [(SERGEANTS, "ps", "supervisor", "sergeant"),
                                    (INSPECTORS, "insp", "inspector", "inspector")]:
        for number in range(1, count + 1):
            first, last = name()
            staff.append(StaffPlan(username=f"{prefix}-{code}{number:02d}", first_name=first,
                                   last_name=last, roles=(role,), rank=rank))
    return staff


def area_name(force_name: str) -> str:
    """The force's area as its name says it ("Devon and Cornwall")."""
    for word in (" Police Service", " Constabulary", " Police"):
        force_name = force_name.replace(word, "")
    return force_name.strip()


def local_authorities(force_code: str, force_name: str) -> list[tuple[str, float]]:
    """The local authorities of the force's area, each with its share of looked-after
    children."""
    return (names.LOCAL_AUTHORITIES.get(force_code)
            or [(f"{area_name(force_name)} Council", 1.0)])


def observed_ethnicity(code: str) -> str:
    """What an officer would record from sight: the child's own group (the officer-defined
    groups have no separate "not stated")."""
    group = ethnic_group(code)
    return "not_recorded" if group == "not_stated" else group


def child_identity(rng: random.Random, *, sex: str, ethnicity: str, looked_after: bool,
                   force_code: str, force_name: str) -> dict:
    """Name, addresses and description of one synthetic child."""
    ethnicity = ethnic_group(ethnicity)
    if ethnicity == "mixed":
        given_group = rng.choice(["white", "black", "asian"])
        family_group = rng.choice(["white", "white", "black"])
    elif ethnicity == "not_stated":
        given_group = family_group = pick(rng, [("white", 0.7), ("black", 0.1), ("asian", 0.1),
                                                ("other", 0.1)])
    else:
        given_group = family_group = ethnicity
    given = rng.choice(names.GIVEN[given_group][sex])
    family = rng.choice(names.FAMILY[family_group])
    area = area_name(force_name)
    towns = names.TOWNS.get(force_code) or [f"{district} {area}" for district in names.DISTRICTS]
    authorities = local_authorities(force_code, force_name)
    town = rng.choice(towns)

    def address(place: str) -> str:
        return f"{rng.randrange(1, 120)} {rng.choice(names.STREETS)}, {place}"

    placement = ""
    if looked_after:
        placement = address(rng.choice(towns))
        if rng.random() < 0.6:
            placement = f"{rng.choice(names.CARE_HOMES)}, {placement}"
    aliases: tuple[tuple[str, str], ...] = ()
    if rng.random() < 0.06:
        aliases = ((given[:3] + rng.choice(names.NICKNAME_SUFFIXES), ""),)
    feet = rng.choice([4, 5, 5, 5, 6]) if sex == "male" else rng.choice([4, 5, 5, 5])
    return {
        "given_name": given, "family_name": family, "town": town,
        "home_address": address(town), "placement_address": placement,
        "local_authority": pick(rng, authorities) if looked_after else "",
        "description": f"{rng.choice(names.BUILDS)} build, about {feet}ft {rng.randrange(12)}in,"
                       f" {rng.choice(names.HAIR)} hair",
        "aliases": aliases,
    }


def date_of_birth_for(rng: random.Random, age_first: int, times: list[dt.datetime]) -> dt.date:
    """A birthday giving `age_first` at the first episode, moved later when the child would
    otherwise be 18 at the last one (the system is for children)."""
    first, last = times[0].date(), times[-1].date()
    try:
        anchor = first.replace(year=first.year - age_first)
    except ValueError:  # 29 February
        anchor = first.replace(year=first.year - age_first, day=28)
    born = anchor - dt.timedelta(days=rng.randrange(0, 364))
    while age_on(born, last) >= 18:
        born += dt.timedelta(days=rng.randrange(30, 120))
    return born
