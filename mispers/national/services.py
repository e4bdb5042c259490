"""Loading force files into the national hub (issue 13, ADR 45): one file at a time, all or
nothing. A file is validated as `mispers validate` does (and its references checked against
what the hub holds for an incremental one); a rejected file leaves no record, only its report;
a file already loaded is skipped; a file out of sequence is refused with what the hub expects."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mispers.exchange.validation import REFERENCES, validate_file
from mispers.risk.policy.loader import known_force_codes

from . import facts
from .models import ForceFile, NationalRecord
from .permissions import can_use_hub
from .quality import force_completeness

PROBLEMS_KEPT = 200
BATCH = 2000


@dataclass(frozen=True)
class Outcome:
    status: str            # "loaded", "rejected" or "skipped"
    message: str
    file: ForceFile | None = None


def _header(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
        return header if isinstance(header, dict) else {}
    except (OSError, ValueError):
        return {}


def _records(path: Path):
    with path.open("rb") as handle:
        handle.readline()
        for line in handle:
            yield json.loads(line)


def _reject(*, actor, now, path: Path, header: dict, problems: list[str]) -> Outcome:
    sequence = header.get("sequence") if isinstance(header.get("sequence"), dict) else {}
    force_file = ForceFile.objects.create(
        force_code=str(header.get("force", ""))[:40], file_name=path.name[:200],
        checksum=str(header.get("checksum", ""))[:80], profile=str(header.get("profile", ""))[:12],
        after=sequence.get("after") if isinstance(sequence.get("after"), int) else None,
        to=sequence.get("to") if isinstance(sequence.get("to"), int) else None,
        counts=header.get("counts") if isinstance(header.get("counts"), dict) else {},
        status=ForceFile.Status.REJECTED, problems=problems[:PROBLEMS_KEPT],
        problem_count=len(problems), received_at=now, received_by=actor)
    noun = "problem" if len(problems) == 1 else "problems"
    return Outcome("rejected", f"{path.name}: rejected, {len(problems)} {noun}: {problems[0]}",
                   force_file)


def _out_of_sequence(force: str, after: int, to: int) -> str | None:
    """Why the file cannot follow what the hub holds for the force, or None."""
    last = (ForceFile.objects.filter(force_code=force, status=ForceFile.Status.LOADED)
            .order_by("-to").values_list("to", flat=True).first())
    if after == 0:
        if last is not None and to < last:
            return (f"out of sequence: this full extract goes up to change {to}, older than the "
                    f"changes up to {last} the hub already holds from {force}")
        return None
    if last is None:
        return (f"out of sequence: the hub holds nothing from {force} yet, and this file holds "
                f"only the changes after {after}; send a full extract first")
    if after != last:
        return (f"out of sequence: the hub holds {force}'s changes up to {last}, and this file "
                f"holds those after {after}; send the file that starts after {last}")
    return None


def _unresolved(path: Path, force: str) -> list[str]:
    """References of an incremental file to records neither in it nor held by the hub."""
    in_file, wanted = {}, []
    for number, record in enumerate(_records(path), start=2):
        in_file.setdefault(record["kind"], set()).add(record["id"])
        for field, target in REFERENCES.get(record["kind"], {}).items():
            if record.get(field) is not None:
                wanted.append((number, field, target, record[field]))
    missing = [(n, f, t, i) for n, f, t, i in wanted if i not in in_file.get(t, ())]
    held = set()
    for target in {t for _n, _f, t, _i in missing}:
        ids = {i for _n, _f, t, i in missing if t == target}
        held |= {(target, rid) for rid in NationalRecord.objects.filter(
            force_code=force, kind=target, record_id__in=ids).values_list("record_id",
                                                                         flat=True)}
    return [f"{path}:{n}: {f}: refers to {t} {i}, which is neither in the file nor held by "
            "the hub" for n, f, t, i in missing if (t, i) not in held]


def _load(*, actor, now, path: Path, header: dict) -> ForceFile:
    force, after = header["force"], header["sequence"]["after"]
    force_file = ForceFile.objects.create(
        force_code=force, file_name=path.name[:200], checksum=header["checksum"],
        profile=header["profile"], after=after, to=header["sequence"]["to"],
        counts=header["counts"], period=header.get("period"), status=ForceFile.Status.LOADED,
        received_at=now, received_by=actor)
    held = NationalRecord.objects.filter(force_code=force)
    if after == 0:
        held.delete()  # a full extract is the force's whole data as it stands
    # What the national incidents (facts.py) are made from: for a full extract the file's
    # records; for an incremental file what it changes.
    whole, touched = defaultdict(dict), facts.Touched()
    batch, gone = [], []

    def flush():
        if after:
            touched.replaced(force, gone)
        for kind in {kind for kind, _ in gone}:
            held.filter(kind=kind, record_id__in=[i for k, i in gone if k == kind]).delete()
        NationalRecord.objects.bulk_create(batch)
        batch.clear()
        gone.clear()

    for record in _records(path):
        kind, record_id = record["kind"], record["id"]
        if kind == "deletion":
            gone.append((record["of"], record_id))
            whole[record["of"]].pop(record_id, None)
            touched.sent_record(record["of"], record_id, None)
        else:
            gone.append((kind, record_id))  # an earlier version is replaced
            data = {k: v for k, v in record.items() if k not in ("kind", "id", "seq")}
            if after:
                touched.sent_record(kind, record_id, data)
            elif kind in facts.KINDS:
                whole[kind][record_id] = data
            batch.append(NationalRecord(force_code=force, kind=kind, record_id=record_id,
                                        seq=record["seq"], data=data, file=force_file))
        if len(batch) >= BATCH or len(gone) >= BATCH:
            flush()
    flush()
    if after:
        facts.facts_refresh(force, touched)
    else:
        facts.facts_replace(force, whole)
    force_file.quality = force_completeness(force)
    force_file.save(update_fields=["quality"])
    return force_file


def hub_import(*, actor, now: dt.datetime, path: Path) -> Outcome:
    """Load one force file. `actor` None: the server's operator (`mispers hub import`)."""
    if actor is not None and not can_use_hub(actor):
        raise PermissionDenied("Only the national unit loads force files")
    header = _header(path)
    problems = [str(p) for p in validate_file(path, forces=set(known_force_codes()))]
    if problems:
        with transaction.atomic():
            return _reject(actor=actor, now=now, path=path, header=header, problems=problems)
    force, after, to = header["force"], header["sequence"]["after"], header["sequence"]["to"]
    with transaction.atomic():
        # One import per force at a time: the force's loaded files are the sequence to follow.
        list(ForceFile.objects.select_for_update().filter(force_code=force,
                                                          status=ForceFile.Status.LOADED))
        earlier = ForceFile.objects.filter(force_code=force, status=ForceFile.Status.LOADED,
                                           checksum=header["checksum"], after=after,
                                           to=to).first()
        if earlier is not None:
            return Outcome("skipped", f"{path.name}: already loaded on "
                                      f"{earlier.received_at:%-d %B %Y at %H:%M}", earlier)
        refusal = _out_of_sequence(force, after, to)
        problems = [f"{path}:1: sequence: {refusal}"] if refusal else (
            _unresolved(path, force) if after else [])
        if problems:
            return _reject(actor=actor, now=now, path=path, header=header, problems=problems)
        force_file = _load(actor=actor, now=now, path=path, header=header)
    records = sum(v for k, v in header["counts"].items() if k != "deletion")
    return Outcome("loaded", f"{path.name}: loaded, {records} records from {force} (changes "
                             f"{after + 1} to {to})", force_file)


def hub_facts_rebuild(*, actor, now: dt.datetime) -> int:
    """Make the national incidents (facts.py) again from the records held, force by force, each
    in its transaction: after their definitions change, or to check them. How many were made.
    `actor` None: the server's operator (`mispers hub facts`)."""
    if actor is not None and not can_use_hub(actor):
        raise PermissionDenied("Only the national unit rebuilds the national incidents")
    made = 0
    forces = NationalRecord.objects.order_by("force_code").values_list("force_code", flat=True)
    for force in list(forces.distinct()):
        with transaction.atomic():
            made += facts.facts_rebuild(force)
    return made
