"""Finding the child at intake: ranked candidates from the force's children, with the score and
the reasons for each, tolerant of misspelt, swapped and nicknamed names and slipped dates.

Two queries whatever the force's size (docs/adr/0007-intake-matching.md):

1. Blocking: one SQL statement, the union of several index look-ups on IdentityKey within the
   user's force, so that one noisy field does not lose the true child (see `_blocks`).
2. Ranking: each row found is scored (scoring.py); a child's best row counts. The top children
   are read in one more query, by primary key, held to the user's force, never a merged child.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import connection

from mispers.accounts.rules import is_police_user
from mispers.core.errors import DomainError
from mispers.people.details import ChildDetails
from mispers.people.models import Child, Sex

from .keys import (
    address_key,
    are_nicknames,
    birth_years_for_age,
    birthday,
    given_keys,
    normalise_name,
    phonetic_key,
    swapped,
)
from .models import IdentityKey
from .scoring import (
    AGREEING_NAME,
    NAME_PARTICLES,
    SLIP_WINDOW,
    STRONG,
    Reason,
    RecordFacts,
    Scorer,
    Situation,
    search_facts,
)

MIN_SCORE = 30       # below this a child is not worth showing as a candidate
MAX_LIMIT = 20
MAX_AGE = 25         # an age given at intake above this is a mistake, not a child
FIELDS = ("child_id", "kind", "given_norm", "family_norm", "given_key", "family_key",
          "birth_date", "birth_year", "home_key", "placement_key")


class IntakeQueryInvalid(DomainError):
    """The search cannot be run as given (no name, a date in the future, an age out of range)."""


class SameChildRisk(DomainError):
    """A new child is being recorded while a strong candidate exists and the user has not
    confirmed that it is a different child."""

    def __init__(self, message: str, *, candidates: list[Candidate], field: str | None = None):
        super().__init__(message, field=field or "confirm_new_child")
        self.candidates = candidates


@dataclass(frozen=True)
class IntakeQuery:
    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | None = None
    age: int | None = None
    # The day the age was given (today): ages are turned into years of birth from it.
    age_on: dt.date | None = None
    address: str = ""
    # The new child's sex when it is being recorded (ADR 42): a child of the other sex is
    # shown as a candidate but never as a strong match (a boy and a girl twin, Louis and Lucy).
    sex: str = ""

    @classmethod
    def from_details(cls, details: ChildDetails, *, today: dt.date) -> IntakeQuery:
        return cls(given_name=details.given_name, family_name=details.family_name,
                   date_of_birth=details.date_of_birth,
                   age=details.estimated_age if details.date_of_birth is None else None,
                   age_on=today,
                   address=details.placement_address or details.home_address,
                   sex=details.sex if details.sex != Sex.NOT_KNOWN else "")


@dataclass(frozen=True)
class Candidate:
    child: Child
    score: int
    strong: bool
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def agreed(self) -> list[Reason]:
        return [r for r in self.reasons if r.agrees]

    @property
    def differed(self) -> list[Reason]:
        return [r for r in self.reasons if not r.agrees]


def intake_query_check(query: IntakeQuery) -> None:
    if not normalise_name(query.given_name) and not normalise_name(query.family_name):
        raise IntakeQueryInvalid("Enter the child's given name or family name",
                                 field="family_name")
    if query.age is not None and not 0 <= query.age <= MAX_AGE:
        raise IntakeQueryInvalid(f"Age must be between 0 and {MAX_AGE}", field="age")
    if query.age is not None and query.age_on is None:
        raise IntakeQueryInvalid("An age needs the day it was given", field="age")
    if (query.date_of_birth is not None and query.age_on is not None
            and query.date_of_birth > query.age_on):
        raise IntakeQueryInvalid("Date of birth must be in the past", field="date_of_birth")


def _in(column: str, values) -> tuple[str, list]:
    values = sorted(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _blocks(force_id, *, given: str, family: str, dob: dt.date | None,
            years: range | None, address: str) -> list[tuple[str, list]]:
    """The look-ups, each (SQL condition, parameters), each an index range of one force. With
    a date of birth, one noisy field (or a noisy name and a mistyped year) still leaves at
    least one look-up that finds the child: both names; the date of birth (or it with day and
    month swapped); either name with the day and month of birth. With only an age: both names,
    or either name with the years the age allows. And the address."""
    fkeys = {phonetic_key(family)} - {""}
    gkeys = set(given_keys(given))
    passes: list[list[tuple[str, list]]] = []
    if fkeys and gkeys:
        passes.append([_in("family_key", fkeys), _in("given_key", gkeys)])
        # Names recorded the wrong way round on one occasion.
        swapped_g, swapped_f = set(given_keys(family)), {phonetic_key(given)} - {""}
        if swapped_g and swapped_f:
            passes.append([_in("family_key", swapped_f), _in("given_key", swapped_g)])
    elif dob is None and years is None:
        # One name only and nothing else: every child of that name.
        passes.append([_in("family_key", fkeys) if fkeys else _in("given_key", gkeys)])
    if dob is not None:
        dates = [d for d in (dob, swapped(dob)) if d]
        passes.append([_in("birth_date", dates)])
        for column, keys in (("given_key", gkeys), ("family_key", fkeys)):
            if keys:
                passes.append([_in(column, keys), _in("birthday", map(birthday, dates))])
                # A slip in the name and one in the day or month at once (issue 11): the other
                # name with the year of birth still finds the child.
                passes.append([_in(column, keys), _in("birth_year", {dob.year})])
    elif years is not None:
        for column, keys in (("given_key", gkeys), ("family_key", fkeys)):
            if keys:
                passes.append([_in(column, keys), _in("birth_year", years)])
    if address:
        passes += [[("home_key = %s", [address])], [("placement_key = %s", [address])]]
    # The force inside each term, so that each is an index range (not one scan of the force).
    blocks = []
    for conditions in passes:
        sql = " AND ".join(["force_id = %s", *(c for c, _ in conditions)])
        blocks.append((f"({sql})", [force_id, *(p for _, ps in conditions for p in ps)]))
    return blocks


def _key_rows(blocks: list[tuple[str, list]]):
    """The IdentityKey rows any look-up finds, as tuples of FIELDS. Written in SQL rather than
    the ORM: building this query through the ORM cost more than running it (ADR 0007)."""
    table = IdentityKey._meta.db_table
    columns = ", ".join(FIELDS)
    where = " OR ".join(sql for sql, _ in blocks)
    adapt = connection.ops.adapt_datefield_value  # a date as the database driver wants it
    params = [adapt(p) if isinstance(p, dt.date) else p for _, ps in blocks for p in ps]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {where}", params)  # noqa: S608
        for child_id, kind, g, f, gk, fk, born, year, home, placement in cursor.fetchall():
            yield (child_id, kind, g, f, gk, fk,
                   dt.date.fromisoformat(born) if isinstance(born, str) else born,
                   year, home, placement)


def intake_candidates(*, user, query: IntakeQuery, limit: int = 5,
                      min_score: int = MIN_SCORE) -> list[Candidate]:
    """The children of the user's force most likely to be the one searched for, best first."""
    intake_query_check(query)
    if not is_police_user(user):
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    given, family = normalise_name(query.given_name), normalise_name(query.family_name)
    dob = query.date_of_birth
    years = None
    if dob is None and query.age is not None:
        # The two years the age allows. An age a year out is still found through both names
        # (and ranked by AGE_CLOSE); widening this to four years doubles the rows read.
        low, high = birth_years_for_age(query.age, query.age_on)
        years = range(low, high + 1)
    akey = address_key(query.address)
    blocks = _blocks(user.force_id, given=given, family=family, dob=dob, years=years,
                     address=akey)
    rows = _key_rows(blocks)

    search = search_facts(given_norm=given, family_norm=family, dob=dob,
                          years=(birth_years_for_age(query.age, query.age_on)
                                 if dob is None and query.age is not None else None),
                          address_key=akey,
                          age=((query.age, query.age_on)
                               if dob is None and query.age is not None else None))
    scorer = Scorer(search)
    best: dict = {}
    for child_id, *values in rows:
        points = scorer.points(values)
        if points >= min_score and (child_id not in best or points > best[child_id][0]):
            best[child_id] = (points, values)
    ranked = [(child_id if isinstance(child_id, uuid.UUID) else uuid.UUID(child_id),
               RecordFacts(*values)) for child_id, (_, values) in
              sorted(best.items(), key=lambda item: -item[1][0])[:limit * 2]]
    # Read by primary key, then held to children_visible_to's rule (the user's force, not
    # merged) here: with the force in the SQL, SQLite walks the whole force's index instead.
    children = {child.pk: child for child in Child.objects.filter(
        pk__in=[child_id for child_id, _ in ranked]).order_by()
        if child.force_id == user.force_id and child.merged_into_id is None}
    found = []
    for child_id, record in ranked:
        if child_id not in children:
            continue
        child = children[child_id]
        situation = scorer.situation(record)
        found.append((child, record, situation, _wanted(
            situation, record, same_sex=bool(query.sex) and child.sex == query.sex,
            searched_given=given)))
    counts = _counts(user.force_id, [wanted for *_, wanted in found])
    candidates = []
    for child, record, _situation, wanted in found:
        points, reasons = scorer.explain(record, **{
            name: counts[name].get(key, 0) for name, key in wanted.items()})
        candidates.append(_candidate(child, points, reasons, query.sex))
    candidates.sort(key=lambda c: (-c.score, c.child.family_name, c.child.given_name,
                                   str(c.child.pk)))
    return candidates[:limit]


def _given_count_key(searched: str, record: RecordFacts, level: str) -> str:
    """The sound of the given name that agreed: the recorded one, or, when one of several given
    names met the other (Katarzyna / Katarzyna Klara), that name's own. Katarzyna Klara is one
    child in the force, Katarzyna may be thirty: the chance of a coincidence is the Katarzynas'."""
    if level != "part":
        return record.given_key
    recorded = record.given.split()
    shared = sorted((set(searched.split()) & set(recorded)) - NAME_PARTICLES)
    if shared:
        return phonetic_key(shared[0])
    met = sorted(word for word in recorded
                 if any(are_nicknames(word, other) for other in searched.split()))
    return phonetic_key(met[0]) if met else record.given_key


def _wanted(situation: Situation, record: RecordFacts, *, same_sex: bool,
            searched_given: str = "") -> dict:
    """The force's counts that `Scorer.explain` weighs for this record (ADR 53), asked for only
    when they can change the verdict: how many children have the recorded given name (its
    sound), for a new family name with no address agreeing and the sex the same on both sides;
    how many have the recorded given and family name (their sounds), for names that agree with
    a date of birth that agrees only with a slip. {count name: key}."""
    wanted = {}
    how = situation.how
    if (same_sex and how[0] == "straight" and how[1] == "differs" and not situation.address
            and record.given_key):
        wanted["given_count"] = _given_count_key(searched_given, record, how[2])
    if (how[0] == "straight" and how[1] in AGREEING_NAME and how[2] in AGREEING_NAME
            and situation.match in SLIP_WINDOW and record.given_key
            and record.family_key):
        wanted["name_count"] = (record.family_key, record.given_key)
    return wanted


def _counts(force_id, wanted: list[dict]) -> dict[str, dict]:
    """Every count the candidates want, in at most two queries whatever their number: children
    of the force by given-name key, and by (family key, given key)."""
    table = IdentityKey._meta.db_table
    counts: dict[str, dict] = {"given_count": {}, "name_count": {}}
    given = sorted({w["given_count"] for w in wanted if "given_count" in w})
    names = {w["name_count"] for w in wanted if "name_count" in w}
    with connection.cursor() as cursor:
        if given:
            marks = ", ".join(["%s"] * len(given))
            cursor.execute(
                f"SELECT given_key, COUNT(DISTINCT child_id) FROM {table} "  # noqa: S608
                f"WHERE force_id = %s AND given_key IN ({marks}) GROUP BY given_key",
                [force_id, *given])
            counts["given_count"] = dict(cursor.fetchall())
        if names:
            families = sorted({family for family, _ in names})
            givens = sorted({given_key for _, given_key in names})
            cursor.execute(
                f"SELECT family_key, given_key, COUNT(DISTINCT child_id) "  # noqa: S608
                f"FROM {table} WHERE force_id = %s "
                f"AND family_key IN ({', '.join(['%s'] * len(families))}) "
                f"AND given_key IN ({', '.join(['%s'] * len(givens))}) "
                "GROUP BY family_key, given_key", [force_id, *families, *givens])
            counts["name_count"] = {(family, given_key): n
                                    for family, given_key, n in cursor.fetchall()}
    return counts


def _candidate(child: Child, points: int, reasons: list[Reason], sex: str) -> Candidate:
    """A scored child; not strong when both sexes are known and differ (a recording error of
    sex is rare, a brother and sister of one birthday and family are not)."""
    if sex and child.sex not in ("", Sex.NOT_KNOWN) and child.sex != sex:
        labels = dict(Sex.choices)
        reasons = [*reasons, Reason("sex", False, f"Sex differs ({labels.get(sex, sex)} / "
                                                  f"{labels.get(child.sex, child.sex)})")]
        return Candidate(child=child, score=points, strong=False, reasons=tuple(reasons))
    return Candidate(child=child, score=points, strong=points >= STRONG, reasons=tuple(reasons))


def strong_candidates(*, user, details: ChildDetails, today: dt.date) -> list[Candidate]:
    """Children of the force who may well be the new child about to be recorded."""
    query = IntakeQuery.from_details(details, today=today)
    try:
        found = intake_candidates(user=user, query=query, limit=5)
    except IntakeQueryInvalid:
        return []  # the new child's own checks will say what is wrong
    return [c for c in found if c.strong]


def new_child_check(*, user, details: ChildDetails, today: dt.date, confirmed: bool) -> None:
    """Refuse to record a new child while a strong candidate exists, unless the user has
    confirmed that this is not the same child. Pages and the API call this before
    `episode_report` (or `child_create`) with a new child."""
    if confirmed:
        return
    found = strong_candidates(user=user, details=details, today=today)
    if found:
        names = "; ".join(
            f"{c.child.full_name}"
            + (f", born {c.child.date_of_birth:%-d %B %Y}" if c.child.date_of_birth else "")
            for c in found)
        raise SameChildRisk(
            f"This child may already be known to the force: {names}. Report for the known "
            "child, or confirm that this is not the same child.", candidates=found)
