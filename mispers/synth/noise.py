"""Synthetic children recorded more than once, with the slips real recording makes, and the
ground truth of who is who: for measuring how well the same child is recognised (bench/
matching.py) and for the matching tests. Pure and deterministic by seed; no database.

- `true_children(seed=, n=, today=)`: the real children (names from names.py, plus formal names
  that have common nicknames, so nickname slips can be measured).
- `noisy_query(child, rng, kind, today=)`: what a call handler might type at intake for that
  child, with one kind of noise (NOISE_KINDS), as ChildDetails; None where the kind does not
  apply (a date with day > 12 cannot have day and month swapped).
- `noisy_population(seed=, n_true=, duplicate_share=, today=)`: records as a force might hold
  them, some children recorded two to four times, each later recording with a slip or two;
  every record carries the truth_id of the child it is.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from mispers.people.services import ChildDetails

from . import names
from .people import ETHNICITY_WEIGHTS, child_identity, pick

FORCE_CODE, FORCE_NAME = "devon-and-cornwall", "Devon and Cornwall Police"

# Formal given names with everyday short forms, mixed into the population (a quarter of it)
# so that nickname slips are common enough to measure.
FORMAL_GIVEN = {
    "female": ["Elizabeth", "Katherine", "Catherine", "Alexandra", "Jennifer", "Samantha",
               "Victoria", "Natasha", "Rebecca", "Abigail", "Charlotte", "Jessica", "Margaret",
               "Susan", "Patricia", "Eleanor", "Isabella", "Amelia", "Josephine", "Stephanie"],
    "male": ["Robert", "Alexander", "James", "Thomas", "William", "Matthew", "Nicholas",
             "Benjamin", "Christopher", "Michael", "Edward", "Jonathan", "Samuel", "Daniel",
             "Joshua", "Jacob", "Frederick", "Richard", "Anthony", "Joseph"],
}
SHORT_FORMS = {
    "Elizabeth": ["Liz", "Beth", "Lizzie", "Libby", "Ellie"], "Katherine": ["Kate", "Kat",
    "Katie", "Kathy"], "Catherine": ["Cath", "Cathy", "Kate", "Cat"], "Alexandra": ["Alex",
    "Lexi", "Sasha"], "Jennifer": ["Jen", "Jenny"], "Samantha": ["Sam"], "Victoria": ["Vicky",
    "Vic"], "Natasha": ["Tash", "Tasha"], "Rebecca": ["Becky", "Becca"], "Abigail": ["Abby",
    "Abbie"], "Charlotte": ["Lottie", "Charlie"], "Jessica": ["Jess", "Jessie"],
    "Margaret": ["Maggie", "Meg", "Peggy"], "Susan": ["Sue", "Susie"], "Patricia": ["Trish",
    "Patsy"], "Eleanor": ["Ellie", "Nell"], "Isabella": ["Bella", "Izzy"], "Amelia": ["Millie"],
    "Josephine": ["Josie", "Jo"], "Stephanie": ["Steph"], "Robert": ["Bob", "Rob", "Robbie",
    "Bobby"], "Alexander": ["Alex", "Sandy", "Al"], "James": ["Jamie", "Jim", "Jimmy"],
    "Thomas": ["Tom", "Tommy"], "William": ["Will", "Billy", "Bill"], "Matthew": ["Matt",
    "Matty"], "Nicholas": ["Nick", "Nicky"], "Benjamin": ["Ben", "Benji"], "Christopher":
    ["Chris", "Kit"], "Michael": ["Mike", "Mikey", "Mick"], "Edward": ["Ed", "Eddie", "Ted"],
    "Jonathan": ["Jon", "Jonny"], "Samuel": ["Sam", "Sammy"], "Daniel": ["Dan", "Danny"],
    "Joshua": ["Josh"], "Jacob": ["Jake"], "Frederick": ["Fred", "Freddie"], "Richard":
    ["Rich", "Rick", "Ricky"], "Anthony": ["Tony"], "Joseph": ["Joe", "Joey"],
    "Oliver": ["Ollie", "Olly"], "Harry": ["Hal"], "Alfie": ["Alf"],
}
# Spellings heard the same, as a call handler might write them down.
RESPELLINGS = [
    ("Catherine", "Kathryn"), ("Katherine", "Catherine"), ("Smith", "Smyth"),
    ("Mohammed", "Muhammad"), ("Muhammad", "Mohamed"), ("Stephen", "Steven"),
    ("Chowdhury", "Choudhury"), ("Hussain", "Hussein"), ("Jayden", "Jaden"),
    ("Kayleigh", "Kayley"), ("Phillips", "Philips"), ("Connor", "Conor"), ("Thompson", "Tomson"),
    ("Zara", "Zarah"), ("Aisha", "Ayesha"), ("Isla", "Islay"), ("Reece", "Rhys"),
]
SOUND_RULES = [("ph", "f"), ("y", "i"), ("i", "y"), ("ck", "k"), ("c", "k"), ("k", "c"),
               ("ee", "ea"), ("ie", "y"), ("ey", "y"), ("ou", "ow"), ("ai", "ay"),
               ("ll", "l"), ("nn", "n"), ("tt", "t"), ("mm", "m"), ("ss", "s"), ("s", "ss"),
               ("z", "s"), ("ae", "a"), ("th", "t"), ("w", "wh")]

NOISE_KINDS = (
    "exact", "typo_given", "typo_family", "phonetic_given", "phonetic_family", "nickname",
    "swapped_names", "dob_swapped", "dob_year", "dob_digit", "age_only", "no_given_name",
    "address_changed", "alias", "typo_and_dob",
)
# The slips of a later recording of the same child in the population, with their shares.
POPULATION_NOISE = [
    ("exact", 0.20), ("typo_given", 0.09), ("typo_family", 0.09), ("phonetic_given", 0.06),
    ("phonetic_family", 0.06), ("nickname", 0.08), ("swapped_names", 0.04),
    ("dob_swapped", 0.05), ("dob_year", 0.05), ("dob_digit", 0.05), ("age_only", 0.08),
    ("address_changed", 0.08), ("alias", 0.03), ("typo_and_dob", 0.04),
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class TrueChild:
    truth_id: int
    details: ChildDetails


@dataclass(frozen=True)
class NoisyRecord:
    truth_id: int
    details: ChildDetails
    noise: str = "exact"


def _birthday(rng: random.Random, today: dt.date) -> dt.date:
    age_days = rng.randrange(8 * 365, 17 * 365 + 300)
    return today - dt.timedelta(days=age_days)


def true_children(*, seed: int, n: int, today: dt.date) -> list[TrueChild]:
    """`n` distinct synthetic children, aged 8 to 17 on `today`."""
    rng = random.Random(seed)
    children = []
    for truth_id in range(n):
        sex = rng.choice(["female", "male"])
        ethnicity = pick(rng, ETHNICITY_WEIGHTS)
        looked_after = rng.random() < 0.45
        who = child_identity(rng, sex=sex, ethnicity=ethnicity, looked_after=looked_after,
                             force_code=FORCE_CODE, force_name=FORCE_NAME)
        given = who["given_name"]
        if rng.random() < 0.25:
            given = rng.choice(FORMAL_GIVEN[sex])
        aliases = who["aliases"]
        if rng.random() < 0.05:
            # Known by another family name (a parent's, a step-parent's).
            aliases = (*aliases, ("", rng.choice(names.FAMILY["white"])))
        children.append(TrueChild(truth_id=truth_id, details=ChildDetails(
            given_name=given, family_name=who["family_name"],
            date_of_birth=_birthday(rng, today), sex=sex, ethnicity=ethnicity,
            looked_after=looked_after, local_authority=who["local_authority"],
            placement_address=who["placement_address"], home_address=who["home_address"],
            aliases=tuple(aliases))))
    return children


# --- One slip at a time ------------------------------------------------------------------------


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: a letter inserted, dropped, replaced, or two letters transposed.
    Mostly after the first letter (people rarely mistype the start of a name)."""
    if len(word) < 3:
        return word + rng.choice(LETTERS)
    start = 0 if rng.random() < 0.1 else 1
    i = rng.randrange(start, len(word) - 1)
    kind = rng.choice(["insert", "delete", "substitute", "transpose"])
    lower = word.lower()
    if kind == "insert":
        out = lower[:i] + rng.choice(LETTERS) + lower[i:]
    elif kind == "delete":
        out = lower[:i] + lower[i + 1:]
    elif kind == "substitute":
        out = lower[:i] + rng.choice(LETTERS.replace(lower[i], "")) + lower[i + 1:]
    else:
        out = lower[:i] + lower[i + 1] + lower[i] + lower[i + 2:]
    return out.capitalize() if out != lower else typo(rng, word)


def respell(rng: random.Random, word: str) -> str:
    """The same name spelt another way it sounds the same (Smyth for Smith)."""
    for a, b in RESPELLINGS:
        if word == a:
            return b
        if word == b:
            return a
    lower = word.lower()
    rules = [(a, b) for a, b in SOUND_RULES if a in lower[1:] or (a in lower and a[0] in "ck")]
    if not rules:
        return typo(rng, word)
    a, b = rng.choice(rules)
    at = lower.find(a, 1 if lower.find(a, 1) >= 0 else 0)
    return (lower[:at] + b + lower[at + len(a):]).capitalize()


def short_form(rng: random.Random, given: str) -> str | None:
    forms = SHORT_FORMS.get(given)
    return rng.choice(forms) if forms else None


def _dob_digit(rng: random.Random, born: dt.date, today: dt.date) -> dt.date:
    text = born.strftime("%d%m%Y")
    for _ in range(50):
        i = rng.choice([0, 1, 3, 6, 7])  # day digits, second month digit, last year digits
        digits = text[:i] + rng.choice("0123456789".replace(text[i], "")) + text[i + 1:]
        try:
            slipped = dt.datetime.strptime(digits, "%d%m%Y").date()
        except ValueError:
            continue
        if (slipped != born and slipped < today
                and slipped.year not in (born.year - 1, born.year + 1)):
            return slipped
    return born.replace(day=born.day % 28 + 1)


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def applies(child: TrueChild, kind: str) -> bool:
    d = child.details
    if kind == "nickname":
        return short_form(random.Random(0), d.given_name) is not None
    if kind == "dob_swapped":
        born = d.date_of_birth
        return born is not None and born.day <= 12 and born.day != born.month
    if kind == "alias":
        return bool(d.aliases)
    return True


def noisy_query(child: TrueChild, rng: random.Random, kind: str, *,
                today: dt.date) -> ChildDetails | None:
    """What might be typed for `child` at intake with one kind of noise (None if it does not
    apply). The address is the one a call handler would give: the placement, else home."""
    if kind not in NOISE_KINDS:
        raise ValueError(f"Unknown noise kind {kind!r}")
    if not applies(child, kind):
        return None
    d = child.details
    address = d.placement_address or d.home_address
    q = replace(d, aliases=(), placement_address=address, home_address="")
    born = d.date_of_birth
    if kind == "typo_given":
        q = replace(q, given_name=typo(rng, d.given_name))
    elif kind == "typo_family":
        q = replace(q, family_name=typo(rng, d.family_name))
    elif kind == "phonetic_given":
        q = replace(q, given_name=respell(rng, d.given_name))
    elif kind == "phonetic_family":
        q = replace(q, family_name=respell(rng, d.family_name))
    elif kind == "nickname":
        q = replace(q, given_name=short_form(rng, d.given_name))
    elif kind == "swapped_names":
        q = replace(q, given_name=d.family_name, family_name=d.given_name)
    elif kind == "dob_swapped":
        q = replace(q, date_of_birth=born.replace(month=born.day, day=born.month))
    elif kind == "dob_year":
        try:
            q = replace(q, date_of_birth=born.replace(year=born.year + rng.choice([-1, 1])))
        except ValueError:  # 29 February
            q = replace(q, date_of_birth=born.replace(year=born.year - 1, day=28))
    elif kind == "dob_digit":
        q = replace(q, date_of_birth=_dob_digit(rng, born, today))
    elif kind == "age_only":
        q = replace(q, date_of_birth=None, estimated_age=_age(born, today))
    elif kind == "no_given_name":
        q = replace(q, given_name="")
    elif kind == "address_changed":
        q = replace(q, placement_address=f"{rng.randrange(1, 120)} "
                                         f"{rng.choice(names.STREETS)}, "
                                         f"{rng.choice(names.TOWNS[FORCE_CODE])}")
    elif kind == "alias":
        given, family = rng.choice(d.aliases)
        q = replace(q, given_name=given or d.given_name, family_name=family or d.family_name)
    elif kind == "typo_and_dob":
        q = replace(q, family_name=typo(rng, d.family_name),
                    date_of_birth=born.replace(year=born.year + 1) if born.month != 2
                    or born.day != 29 else born)
    if rng.random() < 0.3 and q.placement_address:
        # Addresses are rarely typed the same way twice.
        q = replace(q, placement_address=q.placement_address.replace("Road", "Rd")
                    .replace("Street", "St").lower())
    return q


def noisy_population(*, seed: int, n_true: int, duplicate_share: float,
                     today: dt.date) -> list[NoisyRecord]:
    """A force's records of `n_true` children: each recorded once as they are, and a
    `duplicate_share` of them recorded again (two to four records in all), each later record
    with one slip drawn from POPULATION_NOISE. Shuffled; truth_id says who each record is."""
    rng = random.Random(seed)
    records = []
    for child in true_children(seed=seed, n=n_true, today=today):
        records.append(NoisyRecord(truth_id=child.truth_id, details=child.details))
        if rng.random() >= duplicate_share:
            continue
        extra = pick(rng, [(1, 0.7), (2, 0.2), (3, 0.1)])
        for _ in range(extra):
            details = None
            while details is None:
                kind = pick(rng, POPULATION_NOISE)
                details = noisy_query(child, rng, kind, today=today)
                if details and details.date_of_birth and _age(details.date_of_birth,
                                                              today) >= 18:
                    details = None  # a record of an adult would have been refused
            # A later recording keeps the recorder's view of the addresses and aliases.
            details = replace(details, home_address=child.details.home_address
                              if kind != "address_changed" else "",
                              aliases=())
            records.append(NoisyRecord(truth_id=child.truth_id, details=details, noise=kind))
    rng.shuffle(records)
    return records
