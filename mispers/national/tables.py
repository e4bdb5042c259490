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
from mispers.insights.measures import REPEAT_DAYS
from mispers.insights.measures import _age_band as force_age_band
from mispers.insights.measures import _band as duration_band

from .models import NationalPerson, NationalRecord
from .quality import force_completeness

LONDON = ZoneInfo("Europe/London")
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

    @classmethod
    def latest(cls, today: dt.date) -> Year:
        """The last whole financial year before `today`."""
        return cls(today.year - 1 if today.month >= 4 else today.year - 2)

    def __str__(self) -> str:
        return f"{self.first}-{(self.first + 1) % 100:02d}"


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _age_band(age: int | None) -> str:
    """The force picture's age bands (docs/insight-definitions.md), "not_known" without an age."""
    return force_age_band(age) or "not_known"


def _band(reported: dt.datetime, found: dt.datetime | None) -> str:
    return duration_band(found - reported if found is not None else None)


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


class ForceRecords:
    """One force's held records, read for a year's figures: merges followed, each episode's
    first assessment and outcome, and the reports of each child (for repeats)."""

    def __init__(self, records: dict):
        self.records = records
        self.children = records["child"]
        self.first_assessment = {}
        for data in records["assessment"].values():
            known = self.first_assessment.get(data["episode"])
            if known is None or data["sequence"] < known["sequence"]:
                self.first_assessment[data["episode"]] = data
        self.outcomes = {data["episode"]: data for data in records["outcome"].values()}
        self.counted = {episode_id: data for episode_id, data in records["episode"].items()
                        if data["state"] != "withdrawn"}
        self.reports = defaultdict(list)   # child -> times of report of its counted episodes
        for data in self.counted.values():
            self.reports[self.child_of(data)].append(_when(data["reported_at"]))

    def child_of(self, episode: dict) -> str:
        return _survivor(self.children, episode["child"])

    def in_year(self, year: Year):
        """(episode id, episode, time of report, child id) of the year's counted episodes."""
        for episode_id, data in self.counted.items():
            reported = _when(data["reported_at"])
            if year.start <= reported < year.end:
                yield episode_id, data, reported, self.child_of(data)

    def is_repeat(self, child_id: str, reported: dt.datetime) -> bool:
        return any(reported - dt.timedelta(days=REPEAT_DAYS) <= other < reported
                   for other in self.reports[child_id])


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
    held = ForceRecords(records)
    children = held.children
    markers = defaultdict(list)
    for data in records["marker"].values():
        markers[_survivor(children, data["child"])].append(data)
    people = set()
    for episode_id, data, reported, child_id in held.in_year(year):
        day = reported.astimezone(LONDON).date()
        child = children.get(child_id, {})
        people.add(child_id)
        assessed = held.first_assessment.get(episode_id)
        age = assessed["age_at_report"] if assessed else _age_at(child, day)
        band, sex = _age_band(age), child.get("sex", "not_known")
        grade = assessed["effective_grade"] if assessed else "not_graded"
        looked_after = assessed["looked_after"] if assessed else child.get("looked_after")
        active = [m for m in markers[child_id] if m["active_from"] <= day.isoformat()
                  and (m.get("active_until") is None or m["active_until"] >= day.isoformat())]
        outcome = held.outcomes.get(episode_id)
        repeat = held.is_repeat(child_id, reported)
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
