"""Checking a file in the exchange format (issue 13, ADR 44): each line against the JSON Schema
of its profile, then the rules a schema cannot say (references resolve, found not before
reported, a grade for every assessed episode, counts and checksum as the header says). Every
problem names the file, the line, the field and what is wrong in plain words. Forces run it
before sending; the hub runs it on receipt."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator

from .format import KINDS
from .schemas import SCHEMAS

# Which field of which kind refers to a record of which kind.
REFERENCES = {
    "place": {"merged_into": "place"},
    "child": {"placement": "place", "merged_into": "child"},
    "merge": {"merged": "child", "into": "child"},
    "episode": {"child": "child", "missing_from_place": "place", "last_seen_place": "place"},
    "assessment": {"episode": "episode"},
    "outcome": {"episode": "episode", "found_place": "place"},
    "interview": {"episode": "episode"},
    "marker": {"child": "child"},
}
GRADED_STATES = {"open", "found", "closed"}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field or '-'}: {self.message}"


@cache
def _schema(profile: str) -> dict:
    """The profile's schema file: the one other suppliers use too."""
    return json.loads((SCHEMAS / f"{profile}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(profile: str) -> Draft202012Validator:
    """The profile's schema in `jsonschema`: the errors, in the words `_plain` turns them into."""
    return Draft202012Validator(_schema(profile))


@cache
def _fast(profile: str, kind: str):
    """One kind's definition in jsonschema-rs (compiled, in Rust): the yes-or-no check each
    line gets first, as a national file has about a million lines (ADR 44)."""
    whole = _schema(profile)
    return jsonschema_rs.Draft202012Validator({**whole["$defs"][kind], "$defs": whole["$defs"]})


@cache
def _header_validator() -> Draft202012Validator:
    return Draft202012Validator(_schema("full")["$defs"]["header"])


def _plain(error, kind: str, profile: str) -> tuple[str, str]:
    """(field, message) of a schema error, in words a supplier's developer can act on."""
    if error.validator == "anyOf" and error.instance is not None:
        # A nullable field: explain the branch that is not "null".
        branches = [e for e in error.context if e.schema.get("type") != "null"]
        if branches:
            return _plain(branches[0], kind, profile)
    field = ".".join(str(part) for part in error.absolute_path)
    check, value = error.validator, error.instance
    if check == "required":
        missing = [name for name in error.validator_value if name not in (value or {})]
        return ".".join(filter(None, [field, missing[0] if missing else ""])), "is required"
    if check == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return (".".join(filter(None, [field, extra[0] if extra else ""])),
                f"is not a field of a {kind} record in the {profile} profile")
    if check == "enum":
        allowed = ", ".join(map(str, error.validator_value[:8]))
        more = "…" if len(error.validator_value) > 8 else ""
        return field, f"{value!r} is not one of the values allowed ({allowed}{more})"
    if check == "const":
        return field, f"must be {error.validator_value!r}, not {value!r}"
    if check == "type":
        return field, (f"{json.dumps(value)[:40]} is not of the type expected "
                       f"({error.validator_value})")
    if check == "pattern":
        return field, f"{value!r} is not in the expected form"
    if check in ("minimum", "maximum", "minLength", "maxLength", "uniqueItems"):
        return field, error.message
    return field, error.message


def _when(text) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _real_dates(record: dict, kind: str) -> list[tuple[str, str]]:
    """Dates and times that match the pattern but are not real (2026-02-30)."""
    wrong = []
    for name, value in record.items():
        if not isinstance(value, str) or name in ("id", "kind"):
            continue
        if name.endswith("_at") or name == "reported_at":
            if _when(value) is None and len(value) >= 19:
                wrong.append((name, f"{value!r} is not a real date and time"))
        elif name in ("date_of_birth", "estimated_age_on", "active_from", "active_until"):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                wrong.append((name, f"{value!r} is not a real date"))
    return wrong


class _Checker:
    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []
        self.ids: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
        self.records: dict[tuple[str, str], tuple[int, dict]] = {}
        self.refs: list[tuple[int, str, str, str]] = []   # line, field, kind, id
        self.counts: Counter = Counter()
        self.digest = hashlib.sha256()

    def add(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, field, message))

    def record(self, number: int, record: dict, profile: str, after: int, to: int) -> None:
        kind = record.get("kind")
        known = isinstance(kind, str) and kind in KINDS
        errors = [] if known and _fast(profile, kind).is_valid(record) else sorted(
            _validator(profile).iter_errors(record), key=lambda e: e.path)
        for error in errors:
            self.add(number, *_plain(error, kind if isinstance(kind, str) else "?", profile))
        if kind in KINDS:
            self.counts[kind] += 1
        if kind in KINDS and isinstance(record.get("id"), str) and errors:
            # Known, so that what refers to it is not reported as well; its own checks wait
            # for the schema's problems to be fixed.
            self.ids[kind].setdefault(record["id"], number)
        if errors or kind not in KINDS:
            return
        for field, message in _real_dates(record, kind):
            self.add(number, field, message)
        if not after < record["seq"] <= to:
            self.add(number, "seq", f"{record['seq']} is outside the header's sequence "
                                    f"({after}, {to}]")
        first = self.ids[kind].get(record["id"])
        if first is not None:
            self.add(number, "id", f"the {kind} {record['id']} is already on line {first}")
            return
        self.ids[kind][record["id"]] = number
        self.records[(kind, record["id"])] = (number, record)
        for field, target in REFERENCES.get(kind, {}).items():
            if record.get(field) is not None:
                self.refs.append((number, field, target, record[field]))

    def rules(self, *, after: int) -> None:
        """The rules between records (ADR 44)."""
        for number, field, target, target_id in self.refs:
            # An incremental file may refer to what an earlier file brought: the hub checks
            # those against what it holds.
            if target_id not in self.ids[target] and after == 0:
                self.add(number, field, f"refers to {target} {target_id}, which is not in "
                                        "the file")
        graded, outcomes, assessed = {}, {}, set()
        for (kind, _id), (number, record) in self.records.items():
            if kind == "assessment":
                key = (record["episode"], record["sequence"])
                if key in graded:
                    self.add(number, "sequence", f"assessment {record['sequence']} of episode "
                                                 f"{record['episode']} is also on line "
                                                 f"{graded[key]}")
                graded[key] = number
                assessed.add(record["episode"])
            elif kind == "outcome":
                if record["episode"] in outcomes:
                    self.add(number, "episode", "the episode already has an outcome on line "
                                                f"{outcomes[record['episode']][0]}")
                outcomes[record["episode"]] = (number, record)
        for (kind, episode_id), (number, record) in self.records.items():
            if kind != "episode":
                continue
            reported, seen = _when(record["reported_at"]), _when(record["last_seen_at"])
            if reported and seen and seen > reported:
                self.add(number, "last_seen_at", "is after the time the child was reported")
            if record.get("grade") is None and (episode_id in assessed
                                                or record["state"] in GRADED_STATES):
                self.add(number, "grade", f"is missing: a {record['state']} or assessed "
                                          "episode has a grade")
            found = outcomes.get(episode_id)
            if found and reported and (_when(found[1]["found_at"]) or reported) < reported:
                self.add(found[0], "found_at", "is before the episode was reported")
        for (kind, _id), (number, record) in self.records.items():
            if kind == "interview" and record["episode"] in outcomes:
                found_at = _when(outcomes[record["episode"]][1]["found_at"])
                held = _when(record.get("held_at"))
                if found_at and held and held < found_at:
                    self.add(number, "held_at", "is before the child was found")
            elif kind == "marker" and record.get("active_until") and \
                    record["active_until"] < record["active_from"]:
                self.add(number, "active_until", "is before the marker's start")
            elif kind == "merge" and record["merged"] == record["into"]:
                self.add(number, "into", "a child cannot be merged into itself")


def validate_file(path: Path, *, forces: set[str] | None = None) -> list[Problem]:
    """Every problem of the file, in line order; none when it is valid. `forces`: the force
    codes a header may name (any when None)."""
    checker = _Checker(str(path))
    header, profile, after, to = None, "full", 0, 0
    try:
        handle = path.open("rb")
    except OSError as error:
        return [Problem(str(path), 0, "", f"cannot be read: {error.strerror}")]
    with handle:
        for number, raw in enumerate(handle, start=1):
            if header is not None:
                checker.digest.update(raw)
            try:
                record = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                checker.add(number, "", f"is not a JSON object: {str(error)[:60]}")
                continue
            if not isinstance(record, dict):
                checker.add(number, "", "is not a JSON object")
                continue
            if number == 1:
                errors = list(_header_validator().iter_errors(record))
                if record.get("kind") != "header":
                    checker.add(1, "kind", "the first line must be the header record")
                    return checker.problems
                for error in errors:
                    checker.add(1, *_plain(error, "header", "header"))
                if errors:
                    return sorted(checker.problems)
                header, profile = record, record["profile"]
                after, to = record["sequence"]["after"], record["sequence"]["to"]
                if forces is not None and record["force"] not in forces:
                    checker.add(1, "force", f"no force has the code {record['force']!r}")
                if after > to:
                    checker.add(1, "sequence", "after must not be greater than to")
                continue
            if record.get("kind") == "header":
                checker.add(number, "kind", "a file has one header, on its first line")
                continue
            checker.record(number, record, profile, after, to)
    if header is None:
        return [Problem(str(path), 1, "", "the file is empty: it needs a header record")]
    checker.rules(after=after)
    for kind in KINDS:
        if header["counts"].get(kind, 0) != checker.counts[kind]:
            checker.add(1, f"counts.{kind}", f"says {header['counts'].get(kind, 0)} but the "
                                             f"file holds {checker.counts[kind]}")
    checksum = f"sha256:{checker.digest.hexdigest()}"
    if header["checksum"] != checksum:
        checker.add(1, "checksum", "does not match the file's records (changed or cut short "
                                   "after it was made?)")
    return sorted(checker.problems)
