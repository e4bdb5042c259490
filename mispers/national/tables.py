"""The national tables (issue 13): the sections the national unit publishes, computed from the
records the forces sent, for one financial year, for England and Wales and per force. The
counting units are docs/insight-definitions.md's, on the exchange format's fields
(docs/national.md, "The national tables"). What each incident counts under is read once, when
its force's file is loaded, from the records (facts.py, in plain Python easy to check against
the definitions line by line, with `ForceRecords` here); a year's tables are then counted by
the database over those rows (ADR 48)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from mispers.core.errors import DomainError
from mispers.insights.measures import REPEAT_DAYS
from mispers.insights.measures import _age_band as force_age_band
from mispers.insights.measures import _band as duration_band

from .models import ForceFile, NationalIncident, NationalPerson, NationalRecord
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
    """The year's tables, counted by the database from the national incidents (facts.py,
    ADR 48): one aggregate per group of tables, every area at once."""
    tables = Tables(year=year)
    rows = NationalIncident.objects.filter(year=year.first)
    counts = rows.values("force_code").annotate(
        incidents=Count("pk"), individuals=Count("child_id", distinct=True),
        **{name: Count("pk", filter=Q(**{column: True})) for name, column in FLAGS.items()})
    for row in counts:
        for where in (row["force_code"], ENGLAND_AND_WALES):
            tables.incidents[where].update({name: row[name] for name in INCIDENT_MEASURES})
            tables.vulnerability[where].update({name: row[name] for name in VULNERABILITY})
    for force, result in holding_forces().items():
        # Individuals: distinct children of the force (merges within the force followed);
        # across forces they are summed, counting a child who went missing in two forces twice.
        tables.incidents[force]["individuals"] += 0
        tables.incidents[ENGLAND_AND_WALES]["individuals"] += 0
        tables.completeness[force] = result
    cells = [(("grade", "age_band", "sex"), lambda where, key, n: (
                 tables.grade_age_sex[where].update({key: n}),
                 tables.by_age_sex[where].update({key[1:]: n}))),
             (("ethnicity_group", "observed_ethnicity"), lambda where, key, n: (
                 tables.ethnicity[where].update({("self_defined", key[0]): n,
                                                 ("observed", key[1]): n}))),
             (("duration_band",), lambda where, key, n: tables.duration[where].update(
                 {key[0]: n})),
             (("condition", "harms", "found_by"), _outcome_cells(tables))]
    for columns, add in cells:
        for row in rows.values_list("force_code", *columns).annotate(n=Count("pk")).order_by():
            force, *key, n = row
            for where in (force, ENGLAND_AND_WALES):
                add(where, tuple(key), n)
    if NationalPerson.objects.exists():
        # Individuals with the cross-force linkage: one child missing in two forces counts once.
        person = NationalPerson.objects.filter(key=OuterRef("child_key")).values("person_id")
        tables.incidents[ENGLAND_AND_WALES]["individuals_linked"] = rows.annotate(
            person=Coalesce(Subquery(person[:1]), "child_key")).aggregate(
            n=Count("person", distinct=True))["n"]
    return tables


INCIDENT_MEASURES = ("incidents", "individuals", "repeat_incidents", "missing_from_care")
VULNERABILITY = ("looked_after", "exploitation", "mental_health")
FLAGS = {"repeat_incidents": "repeat", "missing_from_care": "missing_from_care",
         "looked_after": "looked_after", "exploitation": "exploitation",
         "mental_health": "mental_health"}


def _outcome_cells(tables: Tables):
    def add(where: str, key: tuple, n: int) -> None:
        condition, harms, found_by = key
        if condition is None:
            return   # not found (yet)
        tables.outcome[where][condition] += n
        for harm in harms.split(",") if harms else []:
            tables.outcome[where][f"harm_{harm}"] += n
        tables.found_by[where][found_by] += n
    return add


def holding_forces() -> dict[str, dict]:
    """Each force the hub holds records of, with its data completeness as of its latest file
    (measured when the file was loaded: national/quality.py)."""
    latest = {}
    for force, quality in ForceFile.objects.filter(status=ForceFile.Status.LOADED).order_by(
            "pk").values_list("force_code", "quality"):
        latest[force] = quality
    return {force: quality or force_completeness(force) for force, quality in latest.items()
            if NationalRecord.objects.filter(force_code=force).exists()}
