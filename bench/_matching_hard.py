"""The "hard" part of bench/matching.py (issue 11): households with twins and siblings, names of
several communities, surname changes, two slips at once, records without an address
(mispers/synth/households.py). Measures what a force would notice:

- intake: the true child among the top 5 candidates; the strong-match check (the warning that
  stops a child being recorded twice) firing for the true child; and firing for a genuinely new
  child: a twin or sibling of a recorded child, or a child from nowhere;
- batch: the duplicate finder's pairwise precision, recall and F1, and how many twin and
  sibling pairs it wrongly suggests.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter, defaultdict

INTAKE_FORCES, BATCH_FORCE = ("kent", "surrey", "sussex", "norfolk"), "essex"
NEW_SHARE = 0.06   # of the people: held back from the intake force, then searched as new
# A new child is reported as any child is: some with an age instead of a date of birth, in the
# share the later records have that slip (synth.households.SLIPS).
NEW_AGE_ONLY = 0.06


def _rate(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def _interval(numerator: int, denominator: int) -> list[float]:
    """The 95% Wilson interval of a rate: how far sampling alone could move it."""
    from scipy.stats import binomtest

    if not denominator:
        return [0.0, 0.0]
    ci = binomtest(numerator, denominator).proportion_ci(confidence_level=0.95, method="wilson")
    return [round(float(ci.low), 4), round(float(ci.high), 4)]


def hard_intake(args, *, today, force_and_user, load) -> dict:
    """The intake part on `args.hard_seeds` populations (one force each), pooled: the strong
    check's two targets sit close to what it can do, so one population's few thousand searches
    would judge it on sampling error (ADR 56). Each population's own figures are listed too."""
    runs = [_hard_intake_one(args, seed=args.seed + i, code=INTAKE_FORCES[i], today=today,
                             force_and_user=force_and_user, load=load)
            for i in range(min(args.hard_seeds, len(INTAKE_FORCES)))]
    total = Counter()
    for run in runs:
        total.update(run["counts"])
    by_slip_n, by_slip, by_slip_strong = Counter(), Counter(), Counter()
    fired, new_n = Counter(), Counter()
    for run in runs:
        by_slip_n.update(run["by_slip_n"])
        by_slip.update(run["by_slip"])
        by_slip_strong.update(run["by_slip_strong"])
        fired.update(run["fired"])
        new_n.update(run["new_n"])
    n_again, n_new = total["again"], sum(new_n.values())
    timings = sorted(t for run in runs for t in run["timings"])
    return {
        "hard_intake_seeds": [run["seed"] for run in runs],
        "hard_intake_children": sum(run["children"] for run in runs),
        "hard_intake_load_seconds": round(sum(run["load_seconds"] for run in runs), 1),
        "hard_intake_again_queries": n_again,
        "hard_intake_new_queries": n_new,
        "hard_intake_top5_recall": _rate(total["top5"], n_again),
        "hard_strong_check_catches": _rate(total["caught"], n_again),
        "hard_strong_check_catches_95ci": _interval(total["caught"], n_again),
        "hard_strong_check_fires_for_new": _rate(sum(fired.values()), n_new),
        "hard_strong_check_fires_for_new_95ci": _interval(sum(fired.values()), n_new),
        "hard_strong_check_by_seed": {
            str(run["seed"]): {
                "catches": _rate(run["counts"]["caught"], run["counts"]["again"]),
                "fires_for_new": _rate(sum(run["fired"].values()), sum(run["new_n"].values())),
                "again_queries": run["counts"]["again"],
                "new_queries": sum(run["new_n"].values())}
            for run in runs},
        "hard_strong_fires_for_new_by_group": {g: _rate(fired[g], new_n[g]) for g in new_n},
        "hard_new_queries_by_group": dict(new_n),
        "hard_intake_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "hard_top5_recall_by_slip": {s: _rate(by_slip[s], by_slip_n[s]) for s in by_slip_n},
        "hard_strong_catches_by_slip": {s: _rate(by_slip_strong[s], by_slip_n[s])
                                        for s in by_slip_n},
        "hard_strong_missed_sample": [m for run in runs for m in run["missed"]][:12],
        "hard_strong_fired_for_new_sample": [f for run in runs for f in run["fired_sample"]][:12],
    }


def _hard_intake_one(args, *, seed, code, today, force_and_user, load) -> dict:
    from mispers.matching.intake import IntakeQuery, intake_candidates
    from mispers.synth.households import later_record, people, slip

    rng = random.Random(seed + 11)
    everyone = people(seed=seed + 10, n=args.hard_children, today=today)
    by_household = defaultdict(list)
    for person in everyone:
        by_household[person.household].append(person)
    # New children: a third of them a twin, a third a brother or sister of a child who may be
    # recorded, a third anyone.
    with_mates = [p for p in everyone if len(by_household[p.household]) > 1]
    twins = [p for p in everyone if p.twin_of is not None]
    new = set(p.truth_id for p in rng.sample(twins, min(len(twins), args.hard_queries // 6)))
    new |= set(p.truth_id for p in rng.sample(with_mates, args.hard_queries // 6))
    new |= set(p.truth_id for p in rng.sample(everyone, args.hard_queries // 6))
    recorded = [p for p in everyone if p.truth_id not in new]
    force, user = force_and_user(code)
    print(f"Hard intake (seed {seed}): loading {len(recorded):,} children into {code}…",
          flush=True)
    children, load_seconds = load(force, user, [p.details for p in recorded])
    pk_of = {p.truth_id: c.pk for p, c in zip(recorded, children, strict=True)}
    again = rng.sample(recorded, args.hard_queries)
    queries = [("again", later_record(rng, p, today=today)) for p in again]
    for person in everyone:
        if person.truth_id in new:
            reported = (slip(rng, "age_only", person.details, today)
                        if rng.random() < NEW_AGE_ONLY else None)
            queries.append(("new", _as_new(person, reported)))
    mates = {p.truth_id for p in everyone if p.truth_id in new
             and any(m.truth_id not in new for m in by_household[p.household] if m is not p)}
    twin_ids = {p.truth_id for p in twins}
    counts = Counter()
    by_slip, by_slip_strong, by_slip_n = Counter(), Counter(), Counter()
    fired, new_n = Counter(), Counter()
    timings, missed, fired_sample = [], [], []
    for kind, record in queries:
        query = IntakeQuery.from_details(record.details, today=today)
        started = time.perf_counter()
        found = intake_candidates(user=user, query=query, limit=5)
        timings.append((time.perf_counter() - started) * 1000)
        strong = [c for c in found if c.strong]
        d = record.details
        said = f"{d.given_name} {d.family_name} {d.date_of_birth or d.estimated_age}"
        if kind == "again":
            true_pk = pk_of[record.truth_id]
            top5 = true_pk in [c.child.pk for c in found]
            caught = any(c.child.pk == true_pk for c in strong)
            counts.update(again=1, top5=top5, caught=caught)
            for slip in record.slips or ("none",):
                by_slip_n[slip] += 1
                by_slip[slip] += top5
                by_slip_strong[slip] += caught
            if not caught and len(missed) < 12:
                missed.append(f"{'+'.join(record.slips) or 'none'}: {said}")
        else:
            group = ("twin" if record.truth_id in twin_ids else
                     "sibling" if record.truth_id in mates else "unrelated")
            new_n[group] += 1
            fired[group] += bool(strong)
            if strong and len(fired_sample) < 12:
                c = strong[0].child
                fired_sample.append(f"{group}: {said} taken for {c.given_name} {c.family_name} "
                                    f"{c.date_of_birth or ''}")
    return {"seed": seed, "children": len(children), "load_seconds": load_seconds,
            "counts": counts, "by_slip": by_slip, "by_slip_strong": by_slip_strong,
            "by_slip_n": by_slip_n, "fired": fired, "new_n": new_n, "timings": timings,
            "missed": missed, "fired_sample": fired_sample}


def _as_new(person, reported=None):
    from mispers.synth.households import Record

    return Record(person.truth_id, reported or person.details)


def _pairs(groups) -> set[frozenset]:
    pairs = set()
    for members in groups:
        members = sorted(members, key=str)
        for i, a in enumerate(members):
            pairs.update(frozenset((a, b)) for b in members[i + 1:])
    return pairs


def hard_batch(args, *, today, force_and_user, load) -> dict:
    from mispers.matching.dedupe import duplicate_pairs_find
    from mispers.synth.households import hard_negative_pairs, population

    everyone, records = population(seed=args.seed + 20, n_people=args.hard_children,
                                   duplicate_share=args.duplicate_share, today=today)
    force, user = force_and_user(BATCH_FORCE)
    print(f"Hard batch: loading {len(records):,} records of {len(everyone):,} children into "
          f"{BATCH_FORCE}…", flush=True)
    children, load_seconds = load(force, user, [r.details for r in records])
    truth_of = {c.pk: r.truth_id for r, c in zip(records, children, strict=True)}
    clusters = defaultdict(list)
    for record, child in zip(records, children, strict=True):
        clusters[record.truth_id].append(child.pk)
    truth = _pairs(clusters.values())
    from mispers.matching.dedupe.linkage import load_model

    started = time.perf_counter()
    rows = duplicate_pairs_find(force_code=BATCH_FORCE)
    seconds = time.perf_counter() - started
    found = {frozenset((uuid.UUID(str(r.child_a_id)), uuid.UUID(str(r.child_b_id))))
             for r in rows}
    twins, siblings = hard_negative_pairs(everyone)
    # The same run at other suggestion thresholds: what moving it would trade.
    curve = {}
    low = duplicate_pairs_find(force_code=BATCH_FORCE, threshold=0.05)
    for threshold in (0.05, 0.2, 0.5, load_model().threshold, 0.97):
        kept = {frozenset((uuid.UUID(str(r.child_a_id)), uuid.UUID(str(r.child_b_id))))
                for r in low if r.match_probability >= threshold}
        hit = len(kept & truth)
        p, r = _rate(hit, len(kept)), _rate(hit, len(truth))
        people_wrong = {frozenset(truth_of[pk] for pk in pair) for pair in kept - truth}
        curve[str(threshold)] = {"precision": p, "recall": r,
                                 "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                                 "twins": len(people_wrong & twins),
                                 "siblings": len(people_wrong & siblings)}
    true_positive = len(found & truth)
    precision = _rate(true_positive, len(found))
    recall = _rate(true_positive, len(truth))
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    # Recall by the slips of the later record(s) in each true pair.
    slips_of = {c.pk: r.slips for r, c in zip(records, children, strict=True)}
    pair_n, pair_found = Counter(), Counter()
    for pair in truth:
        a, b = tuple(pair)
        for slip in set(slips_of[a] + slips_of[b]) or {"none"}:
            pair_n[slip] += 1
            pair_found[slip] += pair in found
    wrong = found - truth
    wrong_people = {frozenset(truth_of[pk] for pk in pair) for pair in wrong}
    wrong_twins = len(wrong_people & twins)
    wrong_siblings = len(wrong_people & siblings)
    return {
        "hard_batch_records": len(records), "hard_batch_true_pairs": len(truth),
        "hard_batch_found_pairs": len(found), "hard_batch_seconds": round(seconds, 1),
        "hard_batch_precision": precision, "hard_batch_recall": recall, "hard_batch_f1": f1,
        "hard_twin_pairs": len(twins), "hard_sibling_pairs": len(siblings),
        "hard_twins_suggested": _rate(wrong_twins, len(twins)),
        "hard_siblings_suggested": _rate(wrong_siblings, len(siblings)),
        "hard_batch_recall_by_slip": {k: _rate(pair_found[k], pair_n[k]) for k in pair_n},
        "hard_wrong_suggestions": len(wrong),
        "hard_batch_by_threshold": curve,
        "hard_wrong_suggestions_twins_or_siblings": wrong_twins + wrong_siblings,
    }
