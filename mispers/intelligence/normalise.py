"""Normalising what officers type (pure functions, no database): a UK vehicle registration, a
phone number in E.164, an online handle; and finding them in free text (issue 14, ADR 49).

Phone numbers are parsed by `phonenumbers` (Google's libphonenumber) with the United Kingdom as
the default region. A number must be *possible* (the right length for its country and range),
not *valid* (allocated to an operator): intelligence often holds numbers of ranges that are not
allocated yet, and Ofcom's ranges kept for drama (07700 900000 to 900999, used by the demo and
the tests) are possible but never valid."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from mispers.core.errors import DomainError

REGION = "GB"


class EntityInvalid(DomainError):
    """What was typed cannot be made a record: a registration or a number that cannot be
    normalised, a handle without a platform."""


# --- vehicles -------------------------------------------------------------------------------------
# The formats of the DVLA's registrations in Great Britain, and Northern Ireland's, after
# spaces are taken out and letters made capitals:
#   current (2001-):   AB12CDE       two letters, two digits (age identifier), three letters
#   prefix (1983-2001): A123BCD       a year letter, 1 to 3 digits, three letters
#   suffix (1963-1983): ABC123D       three letters, 1 to 3 digits, a year letter
#   dateless:           1 to 4 digits and 1 to 3 letters either way round (ABC1234 too)
#   Northern Ireland:   three letters (one of them I or Z) and up to four digits
PLATE_FORMATS = (
    re.compile(r"[A-Z]{2}[0-9]{2}[A-Z]{3}"),
    re.compile(r"[A-Z][0-9]{1,3}[A-Z]{3}"),
    re.compile(r"[A-Z]{3}[0-9]{1,3}[A-Z]"),
    re.compile(r"[A-Z]{1,3}[0-9]{1,4}"),
    re.compile(r"[0-9]{1,4}[A-Z]{1,3}"),
    re.compile(r"[A-Z]*[IZ][A-Z]*[0-9]{1,4}"),
)
# Only the current format is looked for in free text: the older ones match too many ordinary
# words and numbers ("A123" in an address) to be worth suggesting.
PLATE_IN_TEXT = re.compile(r"\b([A-Za-z]{2}[0-9]{2}\s?[A-Za-z]{3})\b")


def registration_normalise(text: str) -> str:
    """`ab12 cde` -> `AB12CDE`; EntityInvalid when it is no UK registration format."""
    plate = re.sub(r"[\s-]+", "", text or "").upper()
    if not plate:
        raise EntityInvalid("Enter the vehicle's registration", field="registration")
    if len(plate) > 8 or not any(form.fullmatch(plate) for form in PLATE_FORMATS):
        raise EntityInvalid(f"{text.strip()} is not a UK registration: enter it as on the "
                            "number plate, like AB12 CDE", field="registration")
    return plate


def registration_display(plate: str) -> str:
    """The current format with its space (`AB12 CDE`); older formats as stored."""
    if PLATE_FORMATS[0].fullmatch(plate):
        return f"{plate[:4]} {plate[4:]}"
    return plate


# --- phones ---------------------------------------------------------------------------------------

def phone_normalise(text: str) -> str:
    """`07700 900123` -> `+447700900123` (E.164); EntityInvalid when it is not a number."""
    if not (text or "").strip():
        raise EntityInvalid("Enter the phone number", field="phone")
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException as error:
        raise EntityInvalid(f"{text.strip()} is not a phone number", field="phone") from error
    # Possible with the area code: a local number without it (IS_POSSIBLE_LOCAL_ONLY) is not
    # enough to know whose phone it is.
    if (phonenumbers.is_possible_number_with_reason(number)
            != phonenumbers.ValidationResult.IS_POSSIBLE):
        raise EntityInvalid(f"{text.strip()} is not a phone number: check the number of digits",
                            field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """`+447700900123` -> `07700 900123` for a UK number; international format otherwise."""
    try:
        number = phonenumbers.parse(e164, REGION)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- handles --------------------------------------------------------------------------------------

def handle_normalise(text: str) -> str:
    """`@Jay_Runs ` -> `jay_runs`: the key two records of one handle share."""
    handle = (text or "").strip().lstrip("@").strip()
    if not handle:
        raise EntityInvalid("Enter the handle or user name", field="handle")
    if len(handle) > 100 or re.search(r"\s", handle):
        raise EntityInvalid("A handle has no spaces: enter it as the platform shows it",
                            field="handle")
    return handle.lower()


# --- found in free text --------------------------------------------------------------------------

@dataclass(frozen=True)
class Found:
    """Something recognised in free text: what kind, its normalised value, what was written and
    where."""

    kind: str  # "phone", "vehicle" or "person"
    value: str
    text: str
    start: int
    end: int


def phones_in(text: str) -> list[Found]:
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text or "", REGION,
                                                 leniency=phonenumbers.Leniency.POSSIBLE):
        if (phonenumbers.is_possible_number_with_reason(match.number)
                != phonenumbers.ValidationResult.IS_POSSIBLE):
            continue
        found.append(Found("phone", phonenumbers.format_number(
            match.number, phonenumbers.PhoneNumberFormat.E164), match.raw_string, match.start,
            match.end))
    return found


def plates_in(text: str) -> list[Found]:
    found = []
    for match in PLATE_IN_TEXT.finditer(text or ""):
        written = match.group(1)
        # A plate is written in capitals; "in ab12cde" typed in lower case is still a plate,
        # but an ordinary word is never two letters, two digits and three letters.
        found.append(Found("vehicle", re.sub(r"\s", "", written).upper(), written,
                           match.start(1), match.end(1)))
    return found


def names_in(text: str, names: dict[str, str]) -> list[Found]:
    """Known names and street names (`names`: the name as written in lower case -> the entity's
    key) found as whole words, case-insensitive; a longer name wins over one inside it."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    lowered = (text or "").lower()
    for name in sorted(names, key=len, reverse=True):
        if len(name) < 3:
            continue
        for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", lowered):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(Found("person", names[name], text[match.start():match.end()],
                               match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)
