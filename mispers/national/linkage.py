"""Recognising the same child across forces (issue 13, ADR 46): the held child records of every
force scored by the forces' own matching model (mispers/matching/dedupe: splink on DuckDB, or
on Apache Spark with `engine="spark"`, ADR 47, the same model and steps either way), its
parameters estimated on the national records; pairs at or above the model's threshold are
linked, pairs between the review floor and the threshold wait for the national unit's review,
and the linked records (with each force's own merges) become national person ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict

import pyarrow as pa
from django.core.exceptions import PermissionDenied
from django.db import transaction

from mispers.core.errors import DomainError
from mispers.matching.dedupe.engines import ENGINES, engine_check
from mispers.matching.dedupe.find import pairs_from_records
from mispers.matching.dedupe.linkage import load_model
from mispers.matching.dedupe.records import records_table
from mispers.matching.keys import DobMatch, compare_dob

from .models import LinkRun, NationalPair, NationalPerson, NationalRecord
from .permissions import can_use_hub

REVIEW_FLOOR = 0.5


class LinkInvalid(DomainError):
    """The linkage cannot run as asked."""


def key(force: str, record_id: str) -> str:
    return f"{force}:{record_id}"


def held_children() -> tuple[pa.Table, dict[str, str]]:
    """The linkage's records (full-profile children with a name), and each record's own
    force's merge (key -> the key it was merged into)."""
    rows, aliases, merged = [], [], {}
    for force, record_id, data in NationalRecord.objects.filter(kind="child").values_list(
            "force_code", "record_id", "data").iterator(chunk_size=5000):
        this = key(force, record_id)
        if data.get("merged_into"):
            merged[this] = key(force, data["merged_into"])
            continue
        if not data.get("given_name"):
            continue  # a statistical file's child: nothing to link on
        born = data.get("date_of_birth")
        on = data.get("estimated_age_on")
        rows.append((this, data["given_name"], data["family_name"],
                     dt.date.fromisoformat(born) if born else None, data.get("sex"),
                     data.get("home_postcode") or "", "", data.get("estimated_age"),
                     dt.date.fromisoformat(on) if on else None,
                     data.get("local_authority") or ""))
        aliases += [(this, other.get("given_name", ""), other.get("family_name", ""))
                    for other in data.get("other_names") or ()]
    return records_table(rows, aliases), merged


def _births() -> dict[str, dt.date]:
    """Each held child record's date of birth, where it has one."""
    return {key(force, record_id): dt.date.fromisoformat(born)
            for force, record_id, born in NationalRecord.objects.filter(
                kind="child", data__date_of_birth__isnull=False).values_list(
                "force_code", "record_id", "data__date_of_birth").iterator(chunk_size=5000)
            if born}


def _births_agree(first: set[dt.date], second: set[dt.date]) -> bool:
    """Whether two groups of records could be one child: every date of birth of one is the
    same as, or one recording slip from, every date of the other."""
    return all(compare_dob(query_dob=a, query_years=None, dob=b, years=None)
               is not DobMatch.DIFFERENT for a in first for b in second)


def _clusters(keys: list[str], decided: list[tuple[str, str]],
              linked: list[tuple[str, str]], births: dict[str, dt.date]) -> dict[str, str]:
    """Union-find: each key's national person id, named after the cluster's smallest key so
    that the same links give the same ids. The forces' merges and the national unit's
    confirmations join unconditionally; the model's links, strongest first, join two groups
    only when their dates of birth agree: a record with only an estimated age links well to
    several namesakes born months apart, and without the check it chains them into one
    "person" (ADR 46)."""
    parent = {k: k for k in keys}
    dates: dict[str, set[dt.date]] = {k: {births[k]} if k in births else set() for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(a: str, b: str, *, checked: bool) -> None:
        for k in (a, b):
            if k not in parent:
                parent[k] = k
                dates[k] = {births[k]} if k in births else set()
        ra, rb = root(a), root(b)
        if ra == rb or (checked and not _births_agree(dates[ra], dates[rb])):
            return
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        dates[keep] |= dates.pop(gone)

    for a, b in decided:
        join(a, b, checked=False)
    for a, b in linked:
        join(a, b, checked=True)
    members = defaultdict(list)
    for k in parent:
        members[root(k)].append(k)
    ids = {}
    for group in members.values():
        person = "NP-" + hashlib.sha1(min(group).encode()).hexdigest()[:12].upper()
        ids.update({k: person for k in group})
    return ids


def people_assign(run: LinkRun, merged: dict[str, str], keys: list[str]) -> int:
    """National person ids from the forces' merges, the national unit's confirmations and the
    run's links (strongest first)."""
    decided = list(merged.items()) + list(
        run.pairs.filter(status=NationalPair.Status.CONFIRMED).values_list("a_key", "b_key"))
    linked = list(run.pairs.filter(status=NationalPair.Status.LINKED)
                  .order_by("-match_weight", "a_key", "b_key").values_list("a_key", "b_key"))
    ids = _clusters(keys + list(merged), decided, linked, _births())
    NationalPerson.objects.all().delete()
    NationalPerson.objects.bulk_create([NationalPerson(key=k, person_id=p)
                                        for k, p in sorted(ids.items())], batch_size=5000)
    return len(set(ids.values()))


def hub_link(*, actor, now: dt.datetime, engine: str = "duckdb") -> LinkRun:
    """Score every pair of held child records the model's blocking brings together, keep the
    national unit's earlier decisions on pairs it sees again, and assign national person ids."""
    if actor is not None and not can_use_hub(actor):
        raise PermissionDenied("Only the national unit links children across forces")
    if engine not in ENGINES:
        raise LinkInvalid(f"The engine is one of {', '.join(ENGINES)}, not {engine!r}",
                          field="engine")
    started = time.perf_counter()
    try:
        engine_check(engine)
        records, merged = held_children()
        pairs = (pairs_from_records(records, threshold=REVIEW_FLOOR, engine=engine)
                 if records.num_rows else [])
    except DomainError as error:  # the engine cannot run here (Spark without Java, say)
        raise LinkInvalid(error.message, field="engine") from None
    threshold = load_model().threshold
    with transaction.atomic():
        decided = {(p.a_key, p.b_key): p for p in NationalPair.objects.filter(
            status__in=[NationalPair.Status.CONFIRMED, NationalPair.Status.REJECTED])}
        run = LinkRun.objects.create(engine=engine, started_at=now, run_by=actor,
                                     records=len(set(records.column("child_id").to_pylist())))
        rows = []
        for pair in pairs:
            a, b = sorted((str(pair.child_a_id), str(pair.child_b_id)))
            earlier = decided.get((a, b))
            status = (earlier.status if earlier else NationalPair.Status.LINKED
                      if pair.match_probability >= threshold else NationalPair.Status.REVIEW)
            rows.append(NationalPair(
                run=run, a_key=a, b_key=b, match_weight=pair.match_weight,
                match_probability=pair.match_probability, explanation=pair.explanation,
                status=status, decided_at=earlier.decided_at if earlier else None,
                decided_by=earlier.decided_by if earlier else None,
                note=earlier.note if earlier else ""))
        NationalPair.objects.filter(run__lt=run.pk).delete()
        LinkRun.objects.filter(pk__lt=run.pk).update(linked=0, review=0)
        NationalPair.objects.bulk_create(rows, batch_size=5000)
        run.linked = sum(r.status in ("linked", "confirmed") for r in rows)
        run.review = sum(r.status == "review" for r in rows)
        run.people = people_assign(run, merged, records.column("child_id").to_pylist())
        run.seconds = round(time.perf_counter() - started, 1)
        run.save(update_fields=["linked", "review", "people", "seconds"])
    return run


class DecisionInvalid(DomainError):
    """The decision on a pair cannot be recorded as given."""


def _merges() -> dict[str, str]:
    return {key(force, record_id): key(force, data["merged_into"])
            for force, record_id, data in NationalRecord.objects.filter(
                kind="child", data__merged_into__isnull=False).values_list(
                "force_code", "record_id", "data") if data.get("merged_into")}


@transaction.atomic
def pair_decide(*, actor, now: dt.datetime, pair: NationalPair, same: bool,
                note: str) -> NationalPair:
    """The national unit's decision on a pair: the same child (linked) or different children
    (kept apart), with why; the national persons follow at once and the decision stands when
    the linkage runs again."""
    if not can_use_hub(actor):
        raise PermissionDenied("Only the national unit decides on pairs")
    note = (note or "").strip()
    if not note:
        raise DecisionInvalid("Say why: what in the two records shows they are, or are not, "
                              "the same child", field="note")
    pair = NationalPair.objects.select_for_update().get(pk=pair.pk)
    pair.status = NationalPair.Status.CONFIRMED if same else NationalPair.Status.REJECTED
    pair.decided_at, pair.decided_by, pair.note = now, actor, note[:2000]
    pair.save(update_fields=["status", "decided_at", "decided_by", "note"])
    run = pair.run
    run.linked = run.pairs.filter(status__in=["linked", "confirmed"]).count()
    run.review = run.pairs.filter(status="review").count()
    run.people = people_assign(run, _merges(),
                               list(NationalPerson.objects.values_list("key", flat=True)))
    run.save(update_fields=["linked", "review", "people"])
    return pair
