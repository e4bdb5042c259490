"""The national incidents (issue 13, ADR 48): each counted child incident the hub holds, read
once into a typed row (`NationalIncident`) so that a year's tables are a few SQL aggregates
instead of a pass over every record's JSON.

A row is what the tables count the incident under (docs/national.md, "The national tables"):
the age at the report and its band, sex, ethnicity, the first assessment's grade and looked-
after flag, the markers active that day, repeat (another report of the same child, merges
followed, in the year before), the outcome, the time missing. It depends on more than the
episode's record, so the rows are worked out when a file is loaded, in its transaction:

- a full extract: the force's rows are made again from the file's records;
- an incremental file: the rows of every child the file touches (a child record corrected or
  merged, an episode, assessment, outcome or marker added, changed or deleted) are made again,
  with every record merged into the same child, before the file and after it, so that a
  correction or merge sent later gives the rows a full extract would.

`facts_rebuild` makes a force's rows again from what the hub holds (the migration that brought
the rows runs it, and `mispers hub facts` for an operator)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models.fields.json import KT

from mispers.insights.measures import RHI_OFFER_HOURS

from .models import NationalIncident, NationalRecord
from .tables import LONDON, ForceRecords, _age_at, _age_band, _band, _survivor, _when

# What the rows are read from.
KINDS = ("child", "episode", "assessment", "outcome", "marker", "interview")
CHUNK = 500
BATCH = 5000


def financial_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def incident_rows(force: str, records: dict) -> Iterator[dict]:
    """The rows of the force's counted incidents among `records` ({kind: {id: data}}), which
    must hold every record of each child concerned (and of the children merged into it)."""
    records = defaultdict(dict, records)
    held = ForceRecords(records)
    children = held.children
    markers = defaultdict(list)
    for data in records["marker"].values():
        markers[_survivor(children, data["child"])].append(data)
    interviews = defaultdict(dict)   # episode -> {"prevention": data, "return_home": data}
    for data in records["interview"].values():
        interviews[data["episode"]][data["interview"]] = data
    for episode_id, data in held.counted.items():
        reported = _when(data["reported_at"])
        child_id = held.child_of(data)
        day = reported.astimezone(LONDON).date()
        child = children.get(child_id, {})
        assessed = held.first_assessment.get(episode_id)
        age = assessed["age_at_report"] if assessed else _age_at(child, day)
        looked_after = assessed["looked_after"] if assessed else child.get("looked_after")
        active = [m for m in markers[child_id] if m["active_from"] <= day.isoformat()
                  and (m.get("active_until") is None or m["active_until"] >= day.isoformat())]
        outcome = held.outcomes.get(episode_id)
        ethnicity = child.get("ethnicity", "not_stated")
        found = outcome is not None and outcome["condition"] != "deceased"
        prevention = interviews[episode_id].get("prevention")
        referral = interviews[episode_id].get("return_home") if outcome else None
        offered = _when(referral.get("offered_at")) if referral else None
        yield {
            "force_code": force, "episode_id": episode_id, "child_record": data["child"],
            "child_id": child_id, "child_key": f"{force}:{child_id}",
            "year": financial_year(day), "reported_at": reported, "age": age,
            "age_band": _age_band(age), "sex": child.get("sex", "not_known"),
            "ethnicity_group": ethnicity.split("_")[0] if ethnicity is not None else None,
            "observed_ethnicity": child.get("observed_ethnicity", "not_recorded"),
            "grade": assessed["effective_grade"] if assessed else "not_graded",
            "looked_after": bool(looked_after),
            "exploitation": (any(m["marker_kind"] == "exploitation" for m in active)
                             or bool(assessed and assessed["exploitation_marker"])),
            "mental_health": any(m["marker_kind"] in ("mental_health", "self_harm")
                                 for m in active),
            "missing_from_care": data["missing_from"] == "care",
            "repeat": held.is_repeat(child_id, reported),
            "duration_band": _band(reported, _when(outcome["found_at"]) if outcome else None),
            "condition": outcome["condition"] if outcome else None,
            "harms": ",".join(outcome["harms"]) if outcome else "",
            "found_by": outcome["found_by"] if outcome else None,
            "prevention_held": bool(found and prevention and prevention.get("held_at")
                                    and not prevention.get("waived")),
            "rhi_referred": referral is not None,
            "rhi_in_72h": bool(offered and offered - _when(outcome["found_at"])
                               <= dt.timedelta(hours=RHI_OFFER_HOURS)),
        }


def _write(force: str, records: dict, incident_model) -> int:
    batch, written = [], 0
    for row in incident_rows(force, records):
        batch.append(incident_model(**row))
        if len(batch) >= BATCH:
            written += len(incident_model.objects.bulk_create(batch))
            batch.clear()
    return written + len(incident_model.objects.bulk_create(batch))


def facts_replace(force: str, records: dict) -> int:
    """The force's rows made again from `records`, all it holds (a full extract's)."""
    NationalIncident.objects.filter(force_code=force).delete()
    return _write(force, records, NationalIncident)


def facts_rebuild(force: str, *, record_model=NationalRecord,
                  incident_model=NationalIncident) -> int:
    """The force's rows made again from the records the hub holds. The models are passed by a
    migration (its historical ones)."""
    incident_model.objects.filter(force_code=force).delete()
    records = defaultdict(dict)
    for kind, record_id, data in record_model.objects.filter(
            force_code=force, kind__in=KINDS).values_list("kind", "record_id",
                                                          "data").iterator(chunk_size=BATCH):
        records[kind][record_id] = data
    return _write(force, records, incident_model)


class Touched:
    """What an incremental file changed that the rows depend on, noted while it loads."""

    def __init__(self):
        self.children: set[str] = set()
        self.episodes: set[str] = set()
        self.merged_before: dict[str, str | None] = {}   # child -> its merged_into before
        self.sent: dict[str, dict] = defaultdict(dict)    # the file's records, {kind: {id: data}}

    def sent_record(self, kind: str, record_id: str, data: dict | None) -> None:
        """A record of the file (None: a deletion of it)."""
        if data is None:
            self.sent[kind].pop(record_id, None)
            return
        if kind in KINDS:
            self.sent[kind][record_id] = data
        self.record(kind, record_id, data)

    def record(self, kind: str, record_id: str, data: dict) -> None:
        """A record of the file (or the held version it replaces or deletes)."""
        if kind == "child":
            self.children.add(record_id)
        elif kind in ("episode", "marker"):
            self.children.add(data["child"])
            if kind == "episode":
                self.episodes.add(record_id)
        elif kind in ("assessment", "outcome", "interview"):
            self.episodes.add(data["episode"])
        elif kind == "merge":
            self.children |= {data["merged"], data["into"]}

    def replaced(self, force: str, gone: Iterable[tuple[str, str]]) -> None:
        """Note the held versions of records about to be replaced or deleted."""
        for kind in {k for k, _ in gone} & set(KINDS):
            ids = [i for k, i in gone if k == kind]
            for start in range(0, len(ids), CHUNK):
                for record_id, data in NationalRecord.objects.filter(
                        force_code=force, kind=kind,
                        record_id__in=ids[start:start + CHUNK]).values_list("record_id", "data"):
                    self.record(kind, record_id, data)
                    if kind == "child":
                        self.merged_before.setdefault(record_id, data.get("merged_into"))


def _chunks(ids) -> Iterator[list]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _survivor_in(graph: dict, child_id: str) -> str:
    seen = set()
    while graph.get(child_id) and child_id not in seen:
        seen.add(child_id)
        child_id = graph[child_id]
    return child_id


def facts_refresh(force: str, touched: Touched) -> int:
    """Make again the rows of every child an incremental file touched: each child's survivor
    after the file and before it, with every record merged into those (their `group`)."""
    held = NationalRecord.objects.filter(force_code=force)
    children = set(touched.children)
    for chunk in _chunks(touched.episodes):   # an assessment's or outcome's episode's child
        children |= set(held.filter(kind="episode", record_id__in=chunk).values_list(
            KT("data__child"), flat=True))
        children |= set(NationalIncident.objects.filter(
            force_code=force, episode_id__in=chunk).values_list("child_record", flat=True))
    if not children:
        return 0
    after = dict(held.filter(kind="child").values_list("record_id", KT("data__merged_into")))
    before = {**after, **touched.merged_before}
    survivors = ({_survivor_in(after, c) for c in children}
                 | {_survivor_in(before, c) for c in children})
    group = {c for c in after if _survivor_in(after, c) in survivors}
    episodes = set(touched.episodes)
    for chunk in _chunks(survivors):
        rows = NationalIncident.objects.filter(force_code=force, child_id__in=chunk)
        episodes |= set(rows.values_list("episode_id", flat=True))
        rows.delete()
    for chunk in _chunks(touched.episodes):
        NationalIncident.objects.filter(force_code=force, episode_id__in=chunk).delete()
    records = defaultdict(dict)

    def read(kind: str, ids: Iterable[str]) -> None:
        """The records of `ids` as held now: the file's as sent, the others from the hub."""
        sent, wanted = touched.sent[kind], []
        for record_id in ids:
            if record_id in sent:
                records[kind][record_id] = sent[record_id]
            else:
                wanted.append(record_id)
        for chunk in _chunks(wanted):
            records[kind].update(held.filter(kind=kind, record_id__in=chunk).values_list(
                "record_id", "data"))

    read("child", group)
    read("episode", episodes)
    records["episode"] = {i: d for i, d in records["episode"].items() if d["child"] in group}
    for kind, field, wanted in (("assessment", "data__episode", records["episode"]),
                                ("outcome", "data__episode", records["episode"]),
                                ("interview", "data__episode", records["episode"]),
                                ("marker", "data__child", group)):
        read(kind, [i for i, key in held.filter(kind=kind).values_list("record_id", KT(field))
                    if key in wanted])
    return _write(force, records, NationalIncident)
