"""Pure functions for recognising the same child: normalised names, phonetic keys, nicknames,
dates of birth and addresses. No database and no clock, so every rule is testable on its own.

Why Metaphone (jellyfish.metaphone) for the phonetic key: on the respellings a call handler
meets (Smith/Smyth, Catherine/Kathryn/Katherine, Mohammed/Muhammad, Stephen/Steven,
Chowdhury/Choudhury, Jayden/Jaden, Kayleigh/Kayley, Hussain/Hussein) it gives the same key for
all of them, where Soundex keeps the first letter (Catherine C365 / Kathryn K365) and NYSIIS
keeps vowels and letters Metaphone folds (Smith SNAT / Smyth SNYT). Metaphone is less
discriminating than NYSIIS, which the ranking makes up for; a typo can still change the key,
which the blocking makes up for (see intake.py: several passes, each on one name key plus the
year of birth). ADR 0007 has the measured figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path

import jellyfish
from anyascii import anyascii

NICKNAMES_FILE = Path(__file__).parent / "data" / "nicknames.csv"
KEY_LENGTH = 20

# --- Names -------------------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’`]")
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """Lower case, transliterated to the letters an English keyboard has (Łukasz → lukasz,
    Søren → soren, Weiß → weiss: anyascii, not a table of our own; issue 11 found ł, ø, đ, ß
    and æ deleted), apostrophes dropped (O'Brien → obrien), hyphens and other punctuation
    turned into spaces (Smith-Jones → smith jones), spaces collapsed."""
    text = anyascii(_APOSTROPHES.sub("", name or "")).lower()
    text = _APOSTROPHES.sub("", text)
    text = _NOT_LETTERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def phonetic_key(name: str) -> str:
    """The Metaphone key of a name (all its parts run together), '' for no name."""
    joined = normalise_name(name).replace(" ", "")
    return jellyfish.metaphone(joined)[:KEY_LENGTH] if joined else ""


@cache
def _nickname_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    with NICKNAMES_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            table.setdefault(normalise_name(row["nickname"]), set()).add(
                normalise_name(row["formal"]))
    return {nick: frozenset(formals) for nick, formals in table.items()}


def formal_names(given: str) -> frozenset[str]:
    """The formal names a given name may be short for (Jamie → {james}); empty if none."""
    return _nickname_table().get(normalise_name(given), frozenset())


@lru_cache(maxsize=8192)
def name_family(given: str) -> frozenset[str]:
    """The name itself and the formal names it may stand for: two given names belong to the
    same person's set when these meet (Jim and Jamie both meet James)."""
    norm = normalise_name(given)
    return frozenset({norm, *formal_names(norm)}) if norm else frozenset()


def are_nicknames(a: str, b: str) -> bool:
    """Whether two different given names are a nickname and its formal name, or two nicknames
    of one formal name (Bob / Robert, Kat / Kate)."""
    return bool(a and b and a != b and name_family(a) & name_family(b))


def given_keys(given: str) -> frozenset[str]:
    """Phonetic keys to look a given name up by: its own, and those of its formal names."""
    return frozenset(k for k in {phonetic_key(given), *map(phonetic_key, formal_names(given))}
                     if k)


# --- Dates of birth ----------------------------------------------------------------------------


class DobMatch(Enum):
    EXACT = "exact"
    SWAPPED = "swapped"            # day and month transposed (3/5 for 5/3)
    YEAR_OFF_BY_ONE = "year_off"   # same day and month, year one apart
    ONE_DIGIT = "one_digit"        # one digit of DDMMYYYY differs (a slip of the keyboard)
    TWO_SLIPS = "two_slips"        # two of those at once (swapped and a year out, say)
    AGE_FITS = "age_fits"          # no date on one side: the age fits the other's year
    AGE_CLOSE = "age_close"        # ... fits within a year (an estimate is only an estimate)
    UNKNOWN = "unknown"            # nothing to compare
    DIFFERENT = "different"


def swapped(day: dt.date) -> dt.date | None:
    """The date with day and month transposed, if that is a different, real date."""
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def _one_digit_apart(a: dt.date, b: dt.date) -> bool:
    differing = 0
    for x, y, width in ((a.day, b.day, 2), (a.month, b.month, 2), (a.year, b.year, 4)):
        if x != y:
            differing += sum(p != q for p, q in zip(f"{x:0{width}d}", f"{y:0{width}d}",
                                                    strict=True))
            if differing > 1:
                return False
    return differing == 1


def _year_apart(day: dt.date, years: int) -> dt.date | None:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return None


def _two_slips_apart(a: dt.date, b: dt.date) -> bool:
    """Whether two of the single slips together turn one date into the other: day and month
    swapped and a year out, or either of those and one digit wrong. Issue 11: a date written
    down carelessly twice over is still the child's; the name has to carry the rest (ADR 56)."""
    flipped = swapped(a)
    if flipped is not None and (flipped.month, flipped.day) == (b.month, b.day) and abs(
            flipped.year - b.year) == 1:
        return True
    once = (flipped, _year_apart(a, -1), _year_apart(a, 1))
    return any(_one_digit_apart(d, b) for d in once if d is not None)


def birthday(day: dt.date) -> int:
    """Month and day as one number, MMDD (1231 for 31 December)."""
    return day.month * 100 + day.day


def birth_years_for_age(age: int, on: dt.date) -> tuple[int, int]:
    """The years a child aged `age` on `on` can have been born in (earliest, latest)."""
    return on.year - age - 1, on.year - age


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def compare_dob(*, query_dob: dt.date | None, query_years: tuple[int, int] | None,
                dob: dt.date | None, years: tuple[int, int] | None,
                query_age: tuple[int, dt.date] | None = None) -> DobMatch:
    """Compare a searched date of birth (or, failing that, an age on a day, or the years it
    allows) with a recorded one (or the years a recorded estimate allows)."""
    if query_dob is None and query_age is not None and dob is not None:
        gap = abs(age_on(dob, query_age[1]) - query_age[0])
        return (DobMatch.AGE_FITS if gap == 0 else DobMatch.AGE_CLOSE if gap == 1
                else DobMatch.DIFFERENT)
    if query_dob is not None and dob is not None:
        if query_dob == dob:
            return DobMatch.EXACT
        if swapped(query_dob) == dob:
            return DobMatch.SWAPPED
        if (query_dob.month, query_dob.day) == (dob.month, dob.day) and abs(
                query_dob.year - dob.year) == 1:
            return DobMatch.YEAR_OFF_BY_ONE
        if _one_digit_apart(query_dob, dob):
            return DobMatch.ONE_DIGIT
        if _two_slips_apart(query_dob, dob):
            return DobMatch.TWO_SLIPS
        return DobMatch.DIFFERENT
    wanted = (query_dob.year, query_dob.year) if query_dob is not None else query_years
    have = (dob.year, dob.year) if dob is not None else years
    if wanted is None or have is None:
        return DobMatch.UNKNOWN
    if wanted[0] <= have[1] and have[0] <= wanted[1]:
        return DobMatch.AGE_FITS
    if wanted[0] - 1 <= have[1] and have[0] <= wanted[1] + 1:
        return DobMatch.AGE_CLOSE
    return DobMatch.DIFFERENT


# --- Addresses ---------------------------------------------------------------------------------

# A UK postcode (shape only): outward code, optional space, inward code.
_POSTCODE = re.compile(r"\b([a-z]{1,2}[0-9][a-z0-9]?) ?([0-9][a-z]{2})\b")
_HOUSE_NUMBER = re.compile(r"\b(\d+[a-z]?)\b")
_ABBREVIATIONS = {
    "rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "cl": "close",
    "cres": "crescent", "cresc": "crescent", "dr": "drive", "ln": "lane", "ter": "terrace",
    "terr": "terrace", "ct": "court", "gr": "grove", "gdns": "gardens", "pl": "place",
    "sq": "square", "hse": "house", "flat": "flat",
}


def normalise_address(address: str) -> str:
    """Lower case, accents and punctuation removed, common abbreviations spelt out
    (Rd → road), one space between words; commas kept as the separator of the parts."""
    text = anyascii(address or "").lower()
    parts = []
    for part in re.split(r"[,\n]+", text):
        words = re.sub(r"[^a-z0-9 ]+", " ", part).split()
        # "St" opening a part is a saint (St Austell); later in it, a street.
        words = [("saint" if word == "st" else word) if index == 0
                 else _ABBREVIATIONS.get(word, word) for index, word in enumerate(words)]
        if words:
            parts.append(" ".join(words))
    return ", ".join(parts)


def address_key(address: str) -> str:
    """A short key two recordings of the same address share: the postcode when there is one;
    otherwise the house number, the first word of its street and the first word of the last
    part, the town (Oakfield House, 12 Station Rd, Plymouth → '12 station plymouth');
    otherwise the first two words. '' for no address."""
    norm = normalise_address(address)
    if not norm:
        return ""
    postcode = _POSTCODE.search(norm)
    if postcode:
        return (postcode.group(1) + postcode.group(2)).upper()
    parts = norm.split(", ")
    for at, part in enumerate(parts):
        words = part.split()
        for index, word in enumerate(words):
            if _HOUSE_NUMBER.fullmatch(word) and index + 1 < len(words):
                town = parts[-1].split()[0] if at < len(parts) - 1 else ""
                return f"{word} {words[index + 1]} {town}".strip()[:KEY_LENGTH * 3]
    return " ".join(norm.replace(",", "").split()[:2])[:KEY_LENGTH * 3]


# --- One name a child is known by --------------------------------------------------------------


@dataclass(frozen=True)
class NameKey:
    kind: str            # "name", "alias", "formal" or "part" (one of several given names)
    given_norm: str      # the name as recorded (normalised); a formal row keeps the nickname
    family_norm: str
    given_key: str
    family_key: str


def name_keys(*, given_name: str, family_name: str,
              aliases: tuple[tuple[str, str], ...] = ()) -> list[NameKey]:
    """The rows to index for a child: their name, each alias (a blank half of an alias takes
    the child's own), each of several given names on its own ("part"), and, for each of those
    given names that is a nickname, a row under the key of each formal name (so a search for
    James finds a child recorded as Jamie)."""
    rows: list[NameKey] = []
    seen: set[tuple[str, str, str]] = set()

    def add(kind: str, given: str, family: str) -> None:
        g, f = normalise_name(given), normalise_name(family)
        if not (g or f):
            return
        fkey = phonetic_key(f)
        # An alias's formal-name rows stay "alias" rows: a match on one is a match on an alias.
        formal_kind = "formal" if kind == "name" else kind
        for row_kind, gkey in [(kind, phonetic_key(g)),
                               *[(formal_kind, phonetic_key(x))
                                 for x in sorted(formal_names(g))]]:
            if (gkey, fkey, g) in seen:
                continue
            seen.add((gkey, fkey, g))
            rows.append(NameKey(kind=row_kind, given_norm=g, family_norm=f, given_key=gkey,
                                family_key=fkey))

    add("name", given_name, family_name)
    # Each of several given names on its own (Amelia Grace: a later report may say Grace).
    parts = normalise_name(given_name).split()
    for part in parts if len(parts) > 1 else ():
        add("part", part, family_name)
    for alias_given, alias_family in aliases:
        if (alias_given or "").strip() or (alias_family or "").strip():
            add("alias", alias_given.strip() or given_name, alias_family.strip() or family_name)
    return rows


def identity_rows(*, given_name: str, family_name: str, aliases: tuple[tuple[str, str], ...],
                  date_of_birth: dt.date | None, estimated_age: int | None,
                  estimated_age_on: dt.date | None, home_address: str,
                  placement_address: str) -> list[dict]:
    """The field values of a child's IdentityKey rows (without force and child)."""
    if date_of_birth is not None:
        birth_year = date_of_birth.year
    elif estimated_age is not None and estimated_age_on is not None:
        birth_year = estimated_age_on.year - estimated_age
    else:
        birth_year = None
    shared = {"birth_date": date_of_birth, "birth_year": birth_year,
              "birthday": birthday(date_of_birth) if date_of_birth else None,
              "home_key": address_key(home_address),
              "placement_key": address_key(placement_address)}
    return [{"kind": row.kind, "given_norm": row.given_norm[:100],
             "family_norm": row.family_norm[:100], "given_key": row.given_key,
             "family_key": row.family_key, **shared}
            for row in name_keys(given_name=given_name, family_name=family_name,
                                 aliases=aliases)]
