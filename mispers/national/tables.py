"""The national tables (issue 13): the sections the national unit publishes, computed from the
records the forces sent, for one financial year, for England and Wales and per force. The
counting units are docs/insight-definitions.md's, on the exchange format's fields
(docs/national.md, "The national tables"). This is the reference implementation: plain Python
over the hub's records, easy to check against the definitions line by line."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from mispers.core.errors import DomainError

from .models import NationalPerson, NationalRecord
from .quality import LABELS as COMPLETENESS_LABELS
from .quality import force_completeness

LONDON = ZoneInfo("Europe/London")
REPEAT_DAYS = 365
AGE_BANDS = [("under_12", "Under 12", 0, 11), ("12_13", "12 to 13", 12, 13),
             ("14_15", "14 to 15", 14, 15), ("16_17", "16 to 17", 16, 17)]
BANDS = [("under_24h", "Under 24 hours"), ("24_48h", "24 to 48 hours"),
         ("2_7d", "2 to 7 days"), ("over_7d", "Over 7 days"), ("still_missing", "Still missing")]
ENGLAND_AND_WALES = "england-and-wales"


class YearInvalid(DomainError):
    """Not a financial year the tables can be made for."""


@dataclass(frozen=True)
class Year:
    """A financial year, 1 April to 31 March ("2025-26")."""

    first: int

    @classmethod
    def parse(cls, text: str) -> Year:
        found = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
        if not found or (int(found.group(1)) + 1) % 100 != int(found.group(2)):
            raise YearInvalid(f"A year is a financial year like 2025-26, not {text!r}",
                              field="year")
        return cls(int(found.group(1)))

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.first, 4, 1, tzinfo=LONDON)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime(self.first + 1, 4, 1, tzinfo=LONDON)

    def __str__(self) -> str:
        return f"{self.first}-{(self.first + 1) % 100:02d}"


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _age_band(age: int | None) -> str:
    for code, _label, low, high in AGE_BANDS:
        if age is not None and low <= age <= high:
            return code
    return "not_known"


def _band(reported: dt.datetime, found: dt.datetime | None) -> str:
    if found is None:
        return "still_missing"
    hours = (found - reported).total_seconds() / 3600
    return ("under_24h" if hours < 24 else "24_48h" if hours < 48
            else "2_7d" if hours < 7 * 24 else "over_7d")


def _age_at(child: dict, day: dt.date) -> int | None:
    born = child.get("date_of_birth") or (f"{child['birth_month']}-15"
                                          if child.get("birth_month") else None)
    if born:
        born = dt.date.fromisoformat(born)
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if child.get("estimated_age") is not None and child.get("estimated_age_on"):
        on = dt.date.fromisoformat(child["estimated_age_on"])
        return child["estimated_age"] + max(0, (day - on).days // 365)
    return None


@dataclass
class Tables:
    """Each table: (force or ENGLAND_AND_WALES) -> Counter of its cells."""

    year: Year
    incidents: dict = field(default_factory=lambda: defaultdict(Counter))
    by_age_sex: dict = field(default_factory=lambda: defaultdict(Counter))
    ethnicity: dict = field(default_factory=lambda: defaultdict(Counter))
    grade_age_sex: dict = field(default_factory=lambda: defaultdict(Counter))
    vulnerability: dict = field(default_factory=lambda: defaultdict(Counter))
    outcome: dict = field(default_factory=lambda: defaultdict(Counter))
    duration: dict = field(default_factory=lambda: defaultdict(Counter))
    found_by: dict = field(default_factory=lambda: defaultdict(Counter))
    completeness: dict = field(default_factory=dict)


def records_by_force():
    """(force, {kind: {id: data}}) of what the hub holds, one force at a time, so that only one
    force's records are in memory at once."""
    forces = (NationalRecord.objects.order_by("force_code").values_list("force_code", flat=True)
              .distinct())
    for force in list(forces):
        held = defaultdict(dict)
        for kind, record_id, data in NationalRecord.objects.filter(force_code=force).values_list(
                "kind", "record_id", "data").iterator(chunk_size=5000):
            held[kind][record_id] = data
        yield force, held


def _survivor(children: dict, child_id: str) -> str:
    """The record a child's was merged into, followed to its end (within the force)."""
    seen = set()
    while children.get(child_id, {}).get("merged_into") and child_id not in seen:
        seen.add(child_id)
        child_id = children[child_id]["merged_into"]
    return child_id


def national_tables(*, year: Year) -> Tables:
    tables = Tables(year=year)
    persons = dict(NationalPerson.objects.values_list("key", "person_id"))
    linked = set()
    for force, records in records_by_force():
        people = _force_tables(tables, force, records, year)
        tables.completeness[force] = force_completeness(force)
        if persons:
            linked |= {persons.get(f"{force}:{child}", f"{force}:{child}") for child in people}
    if persons:
        # Individuals with the cross-force linkage: one child missing in two forces counts once.
        tables.incidents[ENGLAND_AND_WALES]["individuals_linked"] = len(linked)
    return tables


def _force_tables(tables: Tables, force: str, records: dict, year: Year) -> set[str]:
    children, episodes = records["child"], records["episode"]
    first_assessment = {}
    for data in records["assessment"].values():
        if data["episode"] not in first_assessment or \
                data["sequence"] < first_assessment[data["episode"]]["sequence"]:
            first_assessment[data["episode"]] = data
    outcomes = {data["episode"]: data for data in records["outcome"].values()}
    markers = defaultdict(list)
    for data in records["marker"].values():
        markers[_survivor(children, data["child"])].append(data)
    counted = {episode_id: data for episode_id, data in episodes.items()
               if data["state"] != "withdrawn"}
    reports = defaultdict(list)   # child -> times of report of its counted episodes
    for data in counted.values():
        reports[_survivor(children, data["child"])].append(_when(data["reported_at"]))
    in_year = {episode_id: data for episode_id, data in counted.items()
               if year.start <= _when(data["reported_at"]) < year.end}
    people = set()
    for episode_id, data in in_year.items():
        reported = _when(data["reported_at"])
        day = reported.astimezone(LONDON).date()
        child_id = _survivor(children, data["child"])
        child = children.get(child_id, {})
        people.add(child_id)
        assessed = first_assessment.get(episode_id)
        age = assessed["age_at_report"] if assessed else _age_at(child, day)
        band, sex = _age_band(age), child.get("sex", "not_known")
        grade = assessed["effective_grade"] if assessed else "not_graded"
        looked_after = assessed["looked_after"] if assessed else child.get("looked_after")
        active = [m for m in markers[child_id] if m["active_from"] <= day.isoformat()
                  and (m.get("active_until") is None or m["active_until"] >= day.isoformat())]
        outcome = outcomes.get(episode_id)
        repeat = any(reported - dt.timedelta(days=REPEAT_DAYS) <= other < reported
                     for other in reports[child_id])
        for where in (force, ENGLAND_AND_WALES):
            tables.incidents[where].update({"incidents": 1, "repeat_incidents": int(repeat),
                                            "missing_from_care":
                                                int(data["missing_from"] == "care")})
            tables.by_age_sex[where][(band, sex)] += 1
            tables.ethnicity[where][("self_defined",
                                     child.get("ethnicity", "not_stated").split("_")[0])] += 1
            tables.ethnicity[where][("observed",
                                     child.get("observed_ethnicity", "not_recorded"))] += 1
            tables.grade_age_sex[where][(grade, band, sex)] += 1
            tables.vulnerability[where].update({
                "looked_after": int(bool(looked_after)),
                "exploitation": int(any(m["marker_kind"] == "exploitation" for m in active)
                                    or bool(assessed and assessed["exploitation_marker"])),
                "mental_health": int(any(m["marker_kind"] in ("mental_health", "self_harm")
                                         for m in active))})
            tables.duration[where][_band(reported, _when(outcome["found_at"])
                                         if outcome else None)] += 1
            if outcome:
                tables.outcome[where][outcome["condition"]] += 1
                for harm in outcome["harms"]:
                    tables.outcome[where][f"harm_{harm}"] += 1
                tables.found_by[where][outcome["found_by"]] += 1
    # Individuals: distinct children of the force (merges within the force followed); across
    # forces they are summed, counting a child who went missing in two forces twice; with the
    # cross-force linkage, "individuals_linked" counts each national person once.
    tables.incidents[force]["individuals"] = len(people)
    tables.incidents[ENGLAND_AND_WALES]["individuals"] += len(people)
    return people


COMPLETENESS = COMPLETENESS_LABELS
