"""Making a force's extract in the exchange format (issue 13, ADR 44): compare every record
with the ledger, number what changed, write the file. One transaction: a file that could not be
written leaves the ledger as it was, so the next try numbers the same changes the same way."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mispers.accounts.models import Force
from mispers.core.errors import DomainError

from .format import FIELDS, KINDS, PROFILES, VERSION
from .models import Extract, LedgerEntry
from .permissions import can_export
from .records import full_records


class ExtractInvalid(DomainError):
    """The extract cannot be made as asked."""


@dataclass(frozen=True)
class Change:
    kind: str
    record_id: str
    seq: int
    record: dict | None   # None: the record is gone (a deletion)


def _canonical(record: dict) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _digest(kind: str, record: dict) -> str:
    return hashlib.sha256(f"{kind}\n{_canonical(record)}".encode()).hexdigest()


def ledger_update(*, force: Force) -> list[Change]:
    """Number the force's new, changed and vanished records after the highest number given so
    far, and return every record with its number (vanished ones as deletions). The caller holds
    the force's row lock."""
    known = {(e.kind, e.record_id): e for e in LedgerEntry.objects.filter(force=force)}
    seq = max((e.seq for e in known.values()), default=0)
    changes, seen, new, changed = [], set(), [], []
    for kind, record_id, record in full_records(force.pk):
        digest = _digest(kind, record)
        seen.add((kind, record_id))
        entry = known.get((kind, record_id))
        if entry is None or entry.digest != digest:
            seq += 1
            if entry is None:
                entry = LedgerEntry(force=force, kind=kind, record_id=record_id,
                                    digest=digest, seq=seq)
                new.append(entry)
            else:
                entry.digest, entry.seq = digest, seq
                changed.append(entry)
        changes.append(Change(kind, record_id, entry.seq, record))
    for key in sorted(known.keys() - seen):
        entry = known[key]
        if entry.digest:
            seq += 1
            entry.digest, entry.seq = "", seq
            changed.append(entry)
        changes.append(Change("deletion", entry.record_id, entry.seq,
                              {"of": entry.kind}))
    LedgerEntry.objects.bulk_create(new, batch_size=2000)
    LedgerEntry.objects.bulk_update(changed, ["digest", "seq"], batch_size=2000)
    return changes


def project(kind: str, record: dict, profile: str) -> dict:
    """The record's fields in the profile, in the format's order; the statistical profile's
    birth month comes from the date of birth (ADR 44)."""
    if kind == "child" and profile == "statistical":
        born = record.get("date_of_birth")
        record = {**record, "birth_month": born[:7] if born else None}
    return {name: record.get(name) for name, (_s, _r, profiles) in FIELDS[kind].items()
            if profile in profiles and (name in record)}


def extract_lines(changes: list[Change], *, after: int, profile: str) -> list[str]:
    order = {kind: index for index, kind in enumerate(KINDS)}
    chosen = sorted((c for c in changes if c.seq > after and (after or c.kind != "deletion")),
                    key=lambda c: (order[c.kind], c.record_id))
    return [json.dumps({"kind": c.kind, "id": c.record_id, "seq": c.seq,
                        **project(c.kind, c.record, profile)},
                       ensure_ascii=False, separators=(",", ":")) for c in chosen]


def header_for(*, force_code: str, profile: str, after: int, to: int, lines: list[str]) -> dict:
    counts = {kind: 0 for kind in KINDS}
    days = []
    for line in lines:
        record = json.loads(line)
        counts[record["kind"]] += 1
        if record["kind"] == "episode":
            days.append(record["reported_at"][:10])
    body = "".join(f"{line}\n" for line in lines).encode()
    return {"kind": "header", "schema_version": VERSION, "force": force_code, "profile": profile,
            "sequence": {"after": after, "to": to},
            "period": {"first": min(days), "last": max(days)} if days else None,
            "counts": counts, "checksum": f"sha256:{hashlib.sha256(body).hexdigest()}"}


@transaction.atomic
def extract_make(*, actor, now: dt.datetime, force: Force, out_dir: Path,
                 since: int | None = None, profile: str = "full") -> Extract:
    """Write the force's extract into `out_dir`: every record (a full extract) or those changed
    after sequence number `since` (incremental), in the profile asked. `actor` None: the server's
    operator, through `mispers export`."""
    if actor is not None and not can_export(actor, force):
        raise PermissionDenied("Only the force's administrators make its national extract")
    if profile not in PROFILES:
        raise ExtractInvalid(f"The profile is full or statistical, not {profile!r}",
                             field="profile")
    if not out_dir.is_dir():
        raise ExtractInvalid(f"No folder {str(out_dir)!r} to write the extract in",
                             field="out")
    force = Force.objects.select_for_update().get(pk=force.pk)
    changes = ledger_update(force=force)
    to = max((c.seq for c in changes), default=0)
    after = since or 0
    if after < 0 or after > to:
        raise ExtractInvalid(f"--since must be between 0 and {to}, the force's latest change "
                             f"number (it was {after})", field="since")
    lines = extract_lines(changes, after=after, profile=profile)
    header = header_for(force_code=force.pk, profile=profile, after=after, to=to, lines=lines)
    name = (f"{force.pk}-{profile}-{after:09d}-{to:09d}.jsonl" if after
            else f"{force.pk}-{profile}-{to:09d}.jsonl")
    target = out_dir / name
    partial = out_dir / f".{name}.partial"
    with partial.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(json.dumps(header, ensure_ascii=False, separators=(",", ":")) + "\n")
        for line in lines:
            handle.write(line + "\n")
    os.replace(partial, target)  # a reader never sees half a file
    return Extract.objects.create(force=force, profile=profile, after=after, to=to,
                                  counts=header["counts"], checksum=header["checksum"],
                                  file_name=name, made_at=now, made_by=actor)
