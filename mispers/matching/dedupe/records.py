"""The records the linkage compares: one row per name a child is known by (their own name and
each alias), with the standardised values and phonetic keys the blocking rules and
comparisons use, as one Arrow table (no ORM objects: a force may have 100,000 children)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import jellyfish
import pyarrow as pa
from anyascii import anyascii

from mispers.people.models import Sex

from ..keys import name_family

_NOT_LETTERS = re.compile(r"[^a-z]")
_NOT_LETTERS_OR_SPACE = re.compile(r"[^a-z]+")
_NOT_WORDS = re.compile(r"[^a-z0-9]+")
# Spelled-out and abbreviated street words compare equal.
_ADDRESS_WORDS = {
    "rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "ln": "lane",
    "cl": "close", "cres": "crescent", "dr": "drive", "ter": "terrace", "terr": "terrace",
    "ct": "court", "gr": "grove", "gdns": "gardens", "pl": "place", "sq": "square",
}

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

SCHEMA = pa.schema([
    ("unique_id", pa.string()),
    ("child_id", pa.string()),
    ("given_std", pa.string()),
    ("family_std", pa.string()),
    ("given_key", pa.string()),
    ("family_key", pa.string()),
    # The given name and the formal names it may be short for (Liz: liz, elizabeth).
    ("given_names", pa.list_(pa.string())),
    # The words of each name (Amelia Grace: amelia, grace; Smith-Jones: smith, jones), so that
    # a middle name used as the first, or one half of a double-barrelled name, is recognised
    # by whole words, never as a substring (Ali is not part of Dhaliwal).
    ("given_parts", pa.list_(pa.string())),
    ("family_parts", pa.list_(pa.string())),
    ("dob", pa.date32()),
    # From the date of birth or, when only an age was estimated, from the estimate.
    ("birth_year", pa.int32()),
    ("dob_swapped", pa.date32()),
    ("birthday", pa.string()),  # month and day, e.g. "06-01": a mistyped year keeps it
    # When only an age was estimated: the first and last days of birth that age allows on the
    # day it was given (aged 12 on 1 Nov 2026: born 2 Nov 2013 to 1 Nov 2014). A year's window,
    # where the year of birth alone allows three.
    ("born_from", pa.date32()),
    ("born_to", pa.date32()),
    ("sex", pa.string()),
    ("home_std", pa.string()),
    ("placement_std", pa.string()),
    # The local authority looking after the child: placed out of area, a child is recorded by
    # two forces with different addresses but the same placing authority.
    ("authority_std", pa.string()),
    # What the coordinator is shown beside each field's verdict.
    ("show_given_name", pa.string()),
    ("show_family_name", pa.string()),
    ("show_dob", pa.string()),
    ("show_sex", pa.string()),
    ("show_address", pa.string()),
    ("show_authority", pa.string()),
])


@lru_cache(maxsize=65536)
def name_std(value: str) -> str | None:
    """Lower case letters only, transliterated (Łukasz → lukasz, Weiß → weiss; dropping what
    ASCII lacks turned Kozłowski into kozowski); spaces, hyphens and apostrophes go."""
    if not value:
        return None
    return _NOT_LETTERS.sub("", anyascii(value).lower()) or None


@lru_cache(maxsize=65536)
def name_parts(value: str) -> list[str] | None:
    """The words of a name, transliterated and lower case; apostrophes joined (O'Brien)."""
    if not value:
        return None
    words = _NOT_LETTERS_OR_SPACE.sub(" ", anyascii(value.replace("'", "").replace("’", ""))
                                      .lower()).split()
    return words or None


@lru_cache(maxsize=65536)
def name_key(std: str | None) -> str | None:
    """A sound-alike key (metaphone): Smith and Smyth, Katie and Katy share one."""
    return (jellyfish.metaphone(std) or None) if std else None


@lru_cache(maxsize=65536)
def address_std(value: str) -> str | None:
    if not value:
        return None
    words = _NOT_WORDS.sub(" ", anyascii(value).lower()).split()
    return " ".join(_ADDRESS_WORDS.get(word, word) for word in words) or None


def swapped(day: dt.date | None) -> dt.date | None:
    """The date with day and month exchanged (3 April for 4 March), when that is a date and a
    different one."""
    if day is None or day.day > 12 or day.day == day.month:
        return None
    return dt.date(day.year, day.day, day.month)


@lru_cache(maxsize=65536)
def _given_names(given: str) -> list[str] | None:
    """The given name and the formal names it may stand for, and (ADR 53) those of its first
    word when there are several: Jon meets Jonathan Alfie, Magda meets Magdalena Sara. Not the
    later given names: brothers and sisters can share a middle name."""
    names = set(name_family(given or ""))
    words = (given or "").split()
    if len(words) > 1:
        names |= name_family(words[0])
    return sorted(names) or None


def _first_line(address: str) -> str:
    return address.splitlines()[0].strip() if address else ""


def birth_year_of(born: dt.date | None, estimated_age: int | None,
                  estimated_on: dt.date | None) -> int | None:
    if born is not None:
        return born.year
    if estimated_age is not None and estimated_on is not None:
        return estimated_on.year - estimated_age
    return None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_window(estimated_age: int | None,
                 estimated_on: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The days of birth an age allows on the day it was given, first and last."""
    if estimated_age is None or estimated_on is None:
        return None, None
    return (_years_before(estimated_on, estimated_age + 1) + dt.timedelta(days=1),
            _years_before(estimated_on, estimated_age))


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # raw SQLite


def records_table(children: Iterable[tuple], aliases: Iterable[tuple]) -> pa.Table:
    """`children`: (id, given_name, family_name, date_of_birth, sex, home_address,
    placement_address, estimated_age, estimated_age_on, local_authority) tuples (the last
    three may be left off); `aliases`: (child_id, given_name, family_name). Ids may be UUIDs
    or strings. An alias with only one name part borrows the other from the child's name."""
    alias_names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for child_id, given, family in aliases:
        alias_names[str(child_id)].append((given or "", family or ""))
    columns: dict[str, list] = {field.name: [] for field in SCHEMA}
    sex_labels = dict(Sex.choices)
    for child_id, given, family, born, sex, home, placement, *rest in children:
        child_id = str(child_id)
        born = _date(born)
        estimated_age, estimated_on, authority = (list(rest) + [None, None, None])[:3]
        authority_key = address_std(authority or "")
        birth_year = birth_year_of(born, estimated_age, _date(estimated_on))
        born_from, born_to = (None, None) if born else birth_window(estimated_age,
                                                                    _date(estimated_on))
        known_sex = sex if sex and sex != Sex.NOT_KNOWN else None
        home_key, placement_key = address_std(home), address_std(placement)
        shown_address = _first_line(home) or _first_line(placement)
        # Formatted by hand: strftime costs seconds over 100,000 records.
        shown_dob = (f"{born.day} {_MONTHS[born.month - 1]} {born.year}" if born else
                     f"about {birth_year} (age estimated)" if birth_year else "")
        names = [(given, family)] + [(a_given or given, a_family or family)
                                     for a_given, a_family in alias_names.get(child_id, ())]
        for number, (row_given, row_family) in enumerate(names):
            given_std, family_std = name_std(row_given), name_std(row_family)
            columns["unique_id"].append(f"{child_id}#{number}")
            columns["child_id"].append(child_id)
            columns["given_std"].append(given_std)
            columns["family_std"].append(family_std)
            columns["given_key"].append(name_key(given_std))
            columns["family_key"].append(name_key(family_std))
            columns["given_names"].append(_given_names(row_given))
            columns["given_parts"].append(name_parts(row_given))
            columns["family_parts"].append(name_parts(row_family))
            columns["dob"].append(born)
            columns["birth_year"].append(birth_year)
            columns["dob_swapped"].append(swapped(born))
            columns["birthday"].append(f"{born.month:02d}-{born.day:02d}" if born else None)
            columns["born_from"].append(born_from)
            columns["born_to"].append(born_to)
            columns["sex"].append(known_sex)
            columns["home_std"].append(home_key)
            columns["placement_std"].append(placement_key)
            columns["authority_std"].append(authority_key)
            columns["show_given_name"].append(row_given)
            columns["show_family_name"].append(row_family)
            columns["show_dob"].append(shown_dob)
            columns["show_sex"].append(sex_labels.get(known_sex, "") if known_sex else "")
            columns["show_address"].append(shown_address)
            columns["show_authority"].append(authority or "")
    return pa.table(columns, schema=SCHEMA)
