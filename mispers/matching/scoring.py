"""Scoring one recorded name of a child against what was searched at intake: a score out of
100 and the reasons, each saying which field agreed or differed and how. Pure: no database.

The points (ADR 0007): family name 30, given name 30, date of birth 35, address 5. A name
scores its full points when it is the same, a little less when it is a nickname of it or sounds
the same, less again when it is spelt nearly the same, and little or nothing otherwise. A date
of birth scores less for each kind of slip (day and month swapped, a year out, one digit
wrong), and less again when only an age is known on one side. A different address costs
nothing: children move placements. STRONG (80) is reached by both names the same and an age
that fits, or by any one slip with everything else agreeing, and not by names alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler

from .keys import DobMatch, are_nicknames, compare_dob, phonetic_key

FAMILY_POINTS, GIVEN_POINTS, DOB_POINTS, ADDRESS_POINTS = 30, 30, 35, 5
STRONG = 80
# Jaro-Winkler similarity at or above which two spellings count as "spelt nearly the same":
# one typo in a name of five letters or more stays above it (Jnoes/Jones 0.91, Wiliams 0.97).
CLOSE_SPELLING = 0.85
SWAP_PENALTY = 4

DOB_SCORES = {
    DobMatch.EXACT: 35, DobMatch.SWAPPED: 28, DobMatch.YEAR_OFF_BY_ONE: 26,
    DobMatch.ONE_DIGIT: 25, DobMatch.AGE_FITS: 22, DobMatch.AGE_CLOSE: 12,
    DobMatch.TWO_SLIPS: 12,
    DobMatch.UNKNOWN: 0, DobMatch.DIFFERENT: 0,
}


@dataclass(frozen=True)
class Reason:
    field: str          # given_name, family_name, name, date_of_birth, address
    agrees: bool
    text: str


@dataclass(frozen=True)
class SearchFacts:
    """What was searched, normalised once per search."""

    given: str
    family: str
    given_key: str
    family_key: str
    dob: dt.date | None
    years: tuple[int, int] | None   # from an age, when there is no date of birth
    address_key: str
    age: tuple[int, dt.date] | None = None  # the age given and the day it was given


@dataclass(frozen=True)
class RecordFacts:
    """One IdentityKey row: one name a child is known by, and the child's other keys."""

    kind: str
    given: str
    family: str
    given_key: str
    family_key: str
    birth_date: dt.date | None
    birth_year: int | None
    home_key: str
    placement_key: str


def _shown(name: str) -> str:
    return name.title() if name else "(none)"


NAME_SHARE = {"same": 1.0, "nickname": 0.9, "part": 0.88, "sounds": 0.87, "close": 0.75,
              "initial": 0.4}
# Issue 11: a different given name with the same date of birth (and family name) is the mark
# of a twin, not of the same child: it counts strongly against. Points taken off.
TWIN_PENALTY = 30
SLIPPED_DATES = frozenset({DobMatch.SWAPPED, DobMatch.YEAR_OFF_BY_ONE, DobMatch.ONE_DIGIT})
# Issue 11: a new family name with the same given name, date of birth and address is the mark
# of a change of surname (a carer's or step-parent's): points for the family name after all.
# The address is what makes it more than a namesake (a given name and a birthday are shared by
# chance in a force of thousands; with the address too, almost never, and a sibling at that
# address has another given name and birthday). So the date of birth may carry one slip as well
# (day and month swapped, a year out, one digit), and the given name a typo: with the address
# the three together still point to one child. The points make the family name count for as
# much as a close spelling would have, and more, so that one slip elsewhere still leaves it
# strong; two slips besides the surname (a typo and a slipped date) do not.
# ADR 54: an age that fits counts here too (an age given instead of the date). At one address the
# other children are brothers and sisters with other given names; two children of one given name
# and one year of birth in one placement are rare. The given name must be the same (or a nickname
# or sound of it): a typo as well stays short of strong.
SURNAME_CHANGE_POINTS = 24
SURNAME_CHANGE_DATES = frozenset({DobMatch.EXACT, *SLIPPED_DATES, DobMatch.AGE_FITS})
SURNAME_CHANGE_GIVEN = frozenset({"same", "nickname", "part", "sounds", "close"})
# ADR 56: the given names that let the force's count make up for a new family name with no
# address agreeing. Not one given name of several (a child whose middle name is another child's
# first name is not rare enough: that fired for new children more often than it caught any).
CHANCE_GIVEN = frozenset({"same", "nickname", "sounds", "close"})
# Given names that mark a twin beside the same family name and date of birth: another name, or
# one only alike in its letters (ADR 56).
TWIN_GIVEN = frozenset({"differs", "resembles"})
# Issue 11: a date of birth one slip away AND a different address is how a namesake looks
# (children of one name born days or a year apart), not how a child recorded twice looks.
NAMESAKE_PENALTY = 6
# A part of a double-barrelled family name (Smith for Smith-Jones): whole words only.
PART_SHARE = 0.8

# Issue 11 again (ADR 53): how likely the agreement is by chance, judged from the force's own
# records. A given name and a date of birth shared by two different children is a coincidence
# whose likelihood is the number of the force's children with that given name times the dates
# that would count as agreeing, over the days children are born in. When that
# expected number of chance agreements is at most CHANCE, the given name, the date and the sex
# are taken to name one child even without the family name or an address: a change of surname.
# The days are ten years', not eighteen: most missing children are 8 to 17, so their birthdays
# crowd into ten years and chance agreements are commoner than eighteen years would make them.
# ADR 54: CHANCE is 3%, the chance NAME_CHANCE already accepts for both names with a slipped
# date (one threshold for "another child this close by chance"). It is a bound for each name:
# a new child whose given name is held by n children of the force is taken for one of them by
# chance with probability about n x window / BIRTH_DAYS, so no new child, whatever the name,
# meets this rule by chance more often than 3%; averaged over a force's names it is far less
# (0.5% of 5,000 unrelated new children on the hard benchmark, whose names are more crowded
# than a real force's). It admits a given name held by up to about 1 child in 180 of a force
# of 20,000 (109 children, exact date); 0.5% (ADR 53) admitted only 18 and left most changes
# of surname unrecognised.
BIRTH_DAYS = 10 * 365
DATE_WINDOW = {DobMatch.EXACT: 1, DobMatch.SWAPPED: 2, DobMatch.YEAR_OFF_BY_ONE: 3}
CHANCE = 0.03
# A given name that is not the same but close (a typo, a nickname, a sound-alike) matches more
# names by chance: its window counts this many times over.
LOOSE_GIVEN = 3
RARE_GIVEN_POINTS = 24


@dataclass(frozen=True)
class Situation:
    """How one recorded name compared, before the force's counts are consulted."""

    how: tuple
    match: DobMatch
    address: int
    moved: bool


def given_name_chance(situation: Situation, *, given_count: int) -> float | None:
    """How likely another child of the force is to agree this well by chance when the family
    name differs: the given name the same (or close), a date of birth the same, swapped or a
    year out, no address on one side or the other. `given_count` is the children of the force
    with that given name (its sound, the candidate included). None when the rule does not
    apply: an age only, a date one digit out, a different address, a given name that differs."""
    how, match = situation.how, situation.match
    if how[0] != "straight" or how[1] != "differs" or match not in DATE_WINDOW:
        return None
    if situation.address or situation.moved or how[2] not in CHANCE_GIVEN:
        # An agreeing address is SURNAME_CHANGE_POINTS' case; a different one counts against.
        return None
    window = DATE_WINDOW[match] * (1 if how[2] == "same" else LOOSE_GIVEN)
    return given_count * window / BIRTH_DAYS


def rare_given_name_is_enough(situation: Situation, *, given_count: int) -> bool:
    """Whether a new family name with the same given name, date of birth (or one slip of it)
    and sex still names one child because few enough of the force's children have that given
    name (`given_count`, the candidate included) that a chance agreement is unlikely (at most
    CHANCE). Not when both records have an address and the addresses differ."""
    chance = given_name_chance(situation, given_count=given_count)
    return chance is not None and chance <= CHANCE


# Both names agreeing is rarer than a given name alone: only a new child whose name (by sound) is
# already held by one of the force's children can set the check off this way, about one new
# child in ten (7% in the hard benchmark, whose name lists are more crowded than real ones: ADR
# 53). So a chance of 3% for the one query keeps the share of new children it fires for near
# 0.3%, inside the 1% allowed.
NAME_CHANCE = 0.03
# ADR 53: the same given name (or a nickname or sound of it), a family name that agrees and the
# same address name one child even with two slips in the date of birth or an age a year out:
# the other children at one address are siblings with other given names (a twin too), and a
# namesake at the same address is not a child of another family.
SAME_HOME_POINTS = 15
SAME_HOME_GIVEN = frozenset({"same", "nickname", "part", "sounds"})
SAME_HOME_DATES = frozenset({*SLIPPED_DATES, DobMatch.TWO_SLIPS, DobMatch.AGE_FITS,
                             DobMatch.AGE_CLOSE})
# Dates of birth (or an age) that count as agreeing with a slip, and how many days each takes in.
# ADR 56: two slips at once (swapped and a year out, or either and one digit) reach about 38
# other days of a ten-year span, one digit about 24 (counted over 200 dates). A rule that accepts
# two slips accepts every closer date too, so its window is all of them: about 70 days, which
# leaves room only for a name no other child of the force has.
SLIP_WINDOW = {DobMatch.SWAPPED: 2, DobMatch.YEAR_OFF_BY_ONE: 3, DobMatch.ONE_DIGIT: 30,
               DobMatch.TWO_SLIPS: 70, DobMatch.AGE_FITS: 365, DobMatch.AGE_CLOSE: 730}
AGREEING_NAME = frozenset({"same", "nickname", "part", "sounds", "close"})


def rare_name_is_enough(situation: Situation, *, name_count: int) -> bool:
    """Whether both names agreeing (the same or nearly), with a date of birth that agrees only
    with a slip (or an age), still name one child because so few of the force's children have
    that name (`name_count`: the candidate's given and family name by sound, the candidate
    included) that another child this close by chance is unlikely. A different address (both
    records have one) counts like a loose name (ADR 54): children move placements, but a
    namesake is likelier at another address, so only a name very few children share qualifies
    (with a date one digit out, a name no other child of the force has)."""
    how, match = situation.how, situation.match
    if how[0] != "straight" or match not in SLIP_WINDOW:
        return False
    if how[1] not in AGREEING_NAME or how[2] not in AGREEING_NAME:
        return False
    loose = sum(level != "same" for level in how[1:]) + situation.moved
    window = SLIP_WINDOW[match] * LOOSE_GIVEN ** loose
    return name_count * window / BIRTH_DAYS <= NAME_CHANCE


NAME_PARTICLES = frozenset({"o", "ni", "nic", "ui", "mac", "mc", "mhic", "de", "da", "di", "du",
                            "del", "della", "der", "van", "von", "la", "le", "al", "el", "bin",
                            "bint", "ap", "st"})


def _parts_meet(searched: str, recorded: str, *, nicknames: bool) -> bool:
    """Whether one name is one of the words of the other (Grace / Amelia Grace; Jones /
    Smith Jones): whole words, never a substring (Ali is not part of Dhaliwal)."""
    a, b = searched.split(), recorded.split()
    if len(a) == len(b) == 1:
        return False
    # A particle (Ó, Ní, Mac, de) is not a part of the name that two families can share.
    if (set(a) & set(b)) - NAME_PARTICLES:
        return True
    return nicknames and any(are_nicknames(x, y) for x in a for y in b)


def _one_slip(searched: str, recorded: str, *, first_word: bool) -> bool:
    """Whether the names are one keyboard slip apart (a letter inserted, dropped, replaced, or
    two transposed), the whole name or, for a given name, its first word (Htu for Thu Ingrid).
    Jaro-Winkler misses these in short names (Htu / Thu 0.56, Ay / Amy 0.61), and a given name
    taken as different beside the same family name and date of birth is read as a twin."""
    if max(len(searched), len(recorded)) < 3:
        return False
    if OSA.distance(searched, recorded, score_cutoff=1) <= 1:
        return True
    if first_word:
        a, b = searched.split()[0], recorded.split()[0]
        return max(len(a), len(b)) >= 3 and OSA.distance(a, b, score_cutoff=1) <= 1
    return False


def _name_level(searched: str, recorded: str, *, searched_key: str, recorded_key: str,
                nicknames: bool) -> tuple[str, float]:
    """How two names compare ('same', 'nickname', 'sounds', 'close', 'initial', 'differs' or
    'none'), and the share of the name's points that earns."""
    if not searched or not recorded:
        return "none", 0.0
    if searched == recorded:
        return "same", 1.0
    if nicknames and are_nicknames(searched, recorded):
        return "nickname", NAME_SHARE["nickname"]
    if _parts_meet(searched, recorded, nicknames=nicknames):
        return "part", NAME_SHARE["part"] if nicknames else PART_SHARE
    if searched_key and searched_key == recorded_key:
        return "sounds", NAME_SHARE["sounds"]
    similarity = JaroWinkler.normalized_similarity(searched, recorded)
    if _one_slip(searched, recorded, first_word=nicknames):
        return "close", NAME_SHARE["close"]
    if similarity >= CLOSE_SPELLING:
        # ADR 56: a given name alike in its letters but more than one slip away (Oluwatobi /
        # Oluwasanmi, Robert / Norbert, Marcin / Marcus) is more often another child's name
        # than a misspelling, which is nearly always one slip: it ranks the candidate like a
        # close spelling but is not evidence enough for a strong match.
        return ("resembles" if nicknames else "close"), NAME_SHARE["close"]
    if len(searched) == 1 and recorded.startswith(searched):
        return "initial", NAME_SHARE["initial"]
    return "differs", max(0.0, (similarity - 0.7) / 0.3) * 0.5


def _name_reason(level: str, *, label: str, field: str, searched: str,
                 recorded: str) -> Reason:
    pair = f"({_shown(searched)} / {_shown(recorded)})"
    texts = {
        "none": f"No {label.lower()} to compare",
        "same": f"{label} the same ({_shown(recorded)})",
        "nickname": f"Known by nickname {pair}",
        "part": (f"One of the given names {pair}" if field == "given_name"
                 else f"Part of a double-barrelled family name {pair}"),
        "sounds": f"{label} sounds the same {pair}",
        "close": f"{label} spelt nearly the same {pair}",
        "resembles": f"{label} looks alike {pair}",
        "initial": f"{label} initial agrees {pair}",
        "differs": f"{label} differs {pair}",
    }
    return Reason(field, level not in ("none", "differs"), texts[level])


def _names(search: SearchFacts, given: str, family: str, given_key: str, family_key: str,
           memo: dict | None = None) -> tuple[float, str, str]:
    """Points for both names, and how each compared (family, given)."""
    memo = {} if memo is None else memo
    g_key = ("g", search.given, given, given_key)
    if g_key not in memo:
        memo[g_key] = _name_level(search.given, given, searched_key=search.given_key,
                                  recorded_key=given_key, nicknames=True)
    f_key = ("f", search.family, family, family_key)
    if f_key not in memo:
        memo[f_key] = _name_level(search.family, family, searched_key=search.family_key,
                                  recorded_key=family_key, nicknames=False)
    (g_level, g_share), (f_level, f_share) = memo[g_key], memo[f_key]
    return g_share * GIVEN_POINTS + f_share * FAMILY_POINTS, f_level, g_level


def _dob_reason(match: DobMatch, search: SearchFacts, record: RecordFacts) -> Reason:
    recorded = (f"{record.birth_date:%-d %b %Y}" if record.birth_date
                else f"estimated born about {record.birth_year}" if record.birth_year
                else "")
    searched = (f"{search.dob:%-d %b %Y}" if search.dob
                else f"aged {search.age[0]}" if search.age
                else f"born {search.years[0]}–{search.years[1]}" if search.years
                else "")
    pair = f"({searched} / {recorded})"
    texts = {
        DobMatch.EXACT: (True, f"Same date of birth ({recorded})"),
        DobMatch.SWAPPED: (True, f"Day and month of birth swapped {pair}"),
        DobMatch.YEAR_OFF_BY_ONE: (True, f"Date of birth one year apart {pair}"),
        DobMatch.ONE_DIGIT: (True, f"Date of birth differs by one digit {pair}"),
        DobMatch.TWO_SLIPS: (True, f"Date of birth two slips apart (day and month swapped, a "
                                   f"year out or one digit wrong) {pair}"),
        DobMatch.AGE_FITS: (True, f"Age fits the date of birth {pair}"),
        DobMatch.AGE_CLOSE: (True, f"Age a year out from the date of birth {pair}"),
        DobMatch.UNKNOWN: (False, "No date of birth or age to compare"),
        DobMatch.DIFFERENT: (False, f"Date of birth differs {pair}"),
    }
    agrees, text = texts[match]
    return Reason("date_of_birth", agrees, text)


def record_years(record: RecordFacts) -> tuple[int, int] | None:
    """The years a recorded estimate allows (an age on a day spans two birth years)."""
    if record.birth_date is not None or record.birth_year is None:
        return None
    return record.birth_year - 1, record.birth_year


class Scorer:
    """Scores many recorded names against one search. Name comparisons are remembered per
    distinct recorded name (hundreds of rows share a few dozen names), and the reasons are
    written only for the rows that will be shown (`explain`)."""

    def __init__(self, search: SearchFacts):
        self.search = search
        self.crossed_search = SearchFacts(
            given=search.family, family=search.given, given_key=search.family_key,
            family_key=search.given_key, dob=None, years=None, address_key="")
        self._names: dict[tuple, tuple[float, tuple]] = {}
        self._fields: dict[tuple, tuple[str, float]] = {}

    def _name_part(self, record: RecordFacts) -> tuple[float, tuple]:
        """Points for the names, and what explains them: ("straight", family level, given
        level) or ("swapped",)."""
        key = (record.given, record.family, record.given_key, record.family_key, record.kind)
        if key not in self._names:
            search = self.search
            points, f_level, g_level = _names(search, record.given, record.family,
                                              record.given_key, record.family_key,
                                              self._fields)
            how: tuple = ("straight", f_level, g_level)
            # Given and family names swapped (recorded the wrong way round on one occasion).
            # Only worth comparing when the initials cross over or the sounds do.
            if (record.given[:1] == search.family[:1] and record.family[:1] == search.given[:1]
                    or record.family_key == search.given_key
                    or record.given_key == search.family_key):
                crossed, cf, cg = _names(self.crossed_search, record.given, record.family,
                                         record.given_key, record.family_key, self._fields)
                if (crossed - SWAP_PENALTY > points
                        and "none" not in (cf, cg) and "differs" not in (cf, cg)):
                    points, how = crossed - SWAP_PENALTY, ("swapped",)
            if record.kind == "part" and how[0] == "straight" and how[2] in ("same",
                                                                              "nickname"):
                # One of the child's several given names, used on its own.
                points -= (NAME_SHARE[how[2]] - NAME_SHARE["part"]) * GIVEN_POINTS
                how = ("straight", how[1], "part")
            self._names[key] = (points, how)
        return self._names[key]

    def _household(self, how: tuple, match: DobMatch, address: int,
                   moved: bool) -> tuple[float, str]:
        """Points for what the fields say together (issue 11), and why: a twin (a different
        given name, the same family name and date of birth) counts strongly against; a change
        of surname (a new family name, the same given name, date of birth and address) for;
        a slipped date of birth with a different address, against (a namesake born nearby)."""
        if moved and (match in SLIPPED_DATES or match is DobMatch.TWO_SLIPS):
            return -NAMESAKE_PENALTY, ("Date of birth and address both differ: a namesake, "
                                       "not the same child?")
        if how[0] != "straight":
            return 0, ""
        family, given = how[1], how[2]
        if match in SURNAME_CHANGE_DATES and family == "differs" and address:
            if match is DobMatch.AGE_FITS and given not in SAME_HOME_GIVEN:
                return 0, ""
            if given in SURNAME_CHANGE_GIVEN:
                date = "an age that fits" if match is DobMatch.AGE_FITS else (
                    "a date of birth that agrees")
                return SURNAME_CHANGE_POINTS, (
                    f"Same given name, {date} and the same address with another family "
                    "name: a change of surname?")
            return 0, ""
        if (address and family in AGREEING_NAME and given in SAME_HOME_GIVEN
                and match in SAME_HOME_DATES):
            return SAME_HOME_POINTS, ("The same name at the same address, with a date of birth "
                                      "or age that nearly agrees: the same child?")
        if match not in (DobMatch.EXACT, DobMatch.SWAPPED):
            return 0, ""
        if given in TWIN_GIVEN and family in ("same", "sounds", "close", "part"):
            return -TWIN_PENALTY, ("A different given name with the same family name and date "
                                   "of birth: a twin or sibling, not the same child?")
        return 0, ""

    def _name_reasons(self, record: RecordFacts) -> list[Reason]:
        _, how = self._name_part(record)
        search = self.search
        if how[0] == "straight" and how[2] == "part" and record.kind == "part":
            return [_name_reason(how[1], label="Family name", field="family_name",
                                 searched=search.family, recorded=record.family),
                    Reason("given_name", True, f"Matches one of the child's given names "
                                               f"({_shown(record.given)})")]
        if how[0] == "swapped":
            reasons = [Reason("name", True, f"Given and family names swapped "
                                            f"({_shown(search.given)} {_shown(search.family)} / "
                                            f"{_shown(record.given)} {_shown(record.family)})")]
        else:
            reasons = [
                _name_reason(how[1], label="Family name", field="family_name",
                             searched=search.family, recorded=record.family),
                _name_reason(how[2], label="Given name", field="given_name",
                             searched=search.given, recorded=record.given)]
        if record.kind == "alias":
            reasons.insert(0, Reason("name", True, f"Matches an alias ({_shown(record.given)} "
                                                   f"{_shown(record.family)})"))
        return reasons

    def _dob(self, record: RecordFacts) -> DobMatch:
        return compare_dob(query_dob=self.search.dob, query_years=self.search.years,
                           query_age=self.search.age, dob=record.birth_date,
                           years=record_years(record))

    def _address(self, record: RecordFacts) -> tuple[int, Reason | None]:
        wanted = self.search.address_key
        if not wanted or not (record.placement_key or record.home_key):
            return 0, None  # an address on one side only says nothing either way
        if wanted == record.placement_key:
            return ADDRESS_POINTS, Reason("address", True, "Same placement address")
        if wanted == record.home_key:
            return ADDRESS_POINTS, Reason("address", True, "Same home address")
        return 0, Reason("address", False, "Address differs")

    def points(self, values) -> int:
        """The score (0-100) of one recorded name against the search, from the values of a
        RecordFacts in order (the hot loop of intake: no reasons are written)."""
        kind, given, family, given_key, family_key, born, year, home, placement = values
        key = (given, family, given_key, family_key, kind)
        names = self._names.get(key)
        if names is None:
            names = self._name_part(RecordFacts(*values))
        search = self.search
        match = compare_dob(query_dob=search.dob, query_years=search.years,
                            query_age=search.age, dob=born,
                            years=(year - 1, year) if born is None and year is not None
                            else None)
        address = ADDRESS_POINTS if search.address_key and search.address_key in (
            placement, home) else 0
        moved = bool(search.address_key and (placement or home) and not address)
        together, _ = self._household(names[1], match, address, moved)
        return max(0, round(names[0] + DOB_SCORES[match] + address + together))

    def situation(self, record: RecordFacts) -> Situation:
        """How the names, the date of birth and the address compared (for the force's counts:
        `rare_given_name_is_enough`, `rare_name_is_enough`)."""
        _, how = self._name_part(record)
        address, _ = self._address(record)
        moved = bool(self.search.address_key and (record.placement_key or record.home_key)
                     and not address)
        return Situation(how=how, match=self._dob(record), address=address, moved=moved)

    def explain(self, record: RecordFacts, *, given_count: int | None = None,
                name_count: int | None = None) -> tuple[int, list[Reason]]:
        """The score and the reasons for it, field by field. With the force's counts of the
        children who have the recorded given name, or the recorded given and family name, a
        rare name can make up for a new family name or a second slip (ADR 53)."""
        names, how = self._name_part(record)
        reasons = self._name_reasons(record)
        match = self._dob(record)
        address, address_reason = self._address(record)
        reasons = [*reasons, _dob_reason(match, self.search, record)]
        if address_reason is not None:
            reasons.append(address_reason)
        moved = bool(self.search.address_key and (record.placement_key or record.home_key)
                     and not address)
        together, why = self._household(how, match, address, moved)
        if why:
            reasons.append(Reason("name", together > 0, why))
        total = max(0, round(names + DOB_SCORES[match] + address + together))
        situation = Situation(how=how, match=match, address=address, moved=moved)
        if given_count is not None and not why and rare_given_name_is_enough(
                situation, given_count=given_count):
            total += RARE_GIVEN_POINTS
            chance = given_name_chance(situation, given_count=given_count)
            reasons.append(Reason("name", True, _surname_change_text(match, given_count,
                                                                     chance)))
        namesake = moved and together < 0  # the namesake's penalty, nothing else
        if (name_count is not None and (not why or namesake) and total < STRONG
                and rare_name_is_enough(situation, name_count=name_count)):
            total = STRONG
            if namesake:  # too rare a name for a namesake: the reason below says so instead
                reasons = [r for r in reasons if r.text != why]
            reasons.append(Reason("name", True, (
                f"A name few children of the force have ({name_count}): another child this "
                "close by chance is unlikely")))
        return total, reasons


def _surname_change_text(match: DobMatch, given_count: int, chance: float) -> str:
    """What the call handler reads when a given name and a date of birth make up for a new
    family name (ADR 53, 54): the evidence, and how likely a coincidence is."""
    exact = match is DobMatch.EXACT
    date = "date of birth" if exact else "date of birth (with one slip)"
    children = "child" if given_count == 1 else "children"
    odds = max(2, round(1 / chance)) if chance else 0
    return (f"Same given name, {date} and sex; surname differs (a change of surname?). "
            f"{given_count} {children} of the force have this given name: another born "
            f"{'that day' if exact else 'that close'} by chance is unlikely "
            f"(about 1 in {odds:,})")


def score(search: SearchFacts, record: RecordFacts) -> tuple[int, list[Reason]]:
    """The score (0-100) of one recorded name against the search, and why."""
    return Scorer(search).explain(record)


def search_facts(*, given_norm: str, family_norm: str, dob: dt.date | None,
                 years: tuple[int, int] | None, address_key: str,
                 age: tuple[int, dt.date] | None = None) -> SearchFacts:
    return SearchFacts(given=given_norm, family=family_norm, given_key=phonetic_key(given_norm),
                       family_key=phonetic_key(family_norm), dob=dob, years=years,
                       address_key=address_key, age=age)
