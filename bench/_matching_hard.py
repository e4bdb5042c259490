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

INTAKE_FORCE, BATCH_FORCE = "kent", "essex"
NEW_SHARE = 0.06   # of the people: held back from the intake force, then searched as new


def _rate(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def hard_intake(args, *, today, force_and_user, load) -> dict:
    from mispers.matching.intake import IntakeQuery, intake_candidates
    from mispers.synth.households import later_record, people

    rng = random.Random(args.seed + 11)
    everyone = people(seed=args.seed + 10, n=args.hard_children, today=today)
    by_household = defaultdict(list)
    for person in everyone:
        by_household[person.household].append(person)
    # New children: half of them a twin or sibling of a child who is recorded.
    with_mates = [p for p in everyone if len(by_household[p.household]) > 1]
    twins = [p for p in everyone if p.twin_of is not None]
    new = set(p.truth_id for p in rng.sample(twins, min(len(twins), args.hard_queries // 6)))
    new |= set(p.truth_id for p in rng.sample(with_mates, args.hard_queries // 6))
    new |= set(p.truth_id for p in rng.sample(everyone, args.hard_queries // 6))
    recorded = [p for p in everyone if p.truth_id not in new]
    force, user = force_and_user(INTAKE_FORCE)
    print(f"Hard intake: loading {len(recorded):,} children into {INTAKE_FORCE}…", flush=True)
    children, load_seconds = load(force, user, [p.details for p in recorded])
    pk_of = {p.truth_id: c.pk for p, c in zip(recorded, children, strict=True)}
    again = rng.sample(recorded, args.hard_queries)
    queries = [("again", later_record(rng, p, today=today)) for p in again]
    queries += [("new", _as_new(person)) for person in everyone if person.truth_id in new]
    mates = {p.truth_id for p in everyone if p.truth_id in new
             and any(m.truth_id not in new for m in by_household[p.household] if m is not p)}
    twin_ids = {p.truth_id for p in twins}
    found_top5 = strong_true = 0
    by_slip, by_slip_strong, by_slip_n = Counter(), Counter(), Counter()
    fired = Counter()
    new_n = Counter()
    timings, missed = [], []
    for kind, record in queries:
        query = IntakeQuery.from_details(record.details, today=today)
        started = time.perf_counter()
        found = intake_candidates(user=user, query=query, limit=5)
        timings.append((time.perf_counter() - started) * 1000)
        strong = [c for c in found if c.strong]
        if kind == "again":
            true_pk = pk_of[record.truth_id]
            top5 = true_pk in [c.child.pk for c in found]
            caught = any(c.child.pk == true_pk for c in strong)
            found_top5 += top5
            strong_true += caught
            for slip in record.slips or ("none",):
                by_slip_n[slip] += 1
                by_slip[slip] += top5
                by_slip_strong[slip] += caught
            if not caught and len(missed) < 12:
                d = record.details
                missed.append(f"{'+'.join(record.slips) or 'none'}: {d.given_name} "
                              f"{d.family_name} {d.date_of_birth or d.estimated_age}")
        else:
            group = ("twin" if record.truth_id in twin_ids else
                     "sibling" if record.truth_id in mates else "unrelated")
            new_n[group] += 1
            fired[group] += bool(strong)
    n_again = len(again)
    n_new = sum(new_n.values())
    return {
        "hard_intake_children": len(children),
        "hard_intake_load_seconds": round(load_seconds, 1),
        "hard_intake_again_queries": n_again,
        "hard_intake_new_queries": n_new,
        "hard_intake_top5_recall": _rate(found_top5, n_again),
        "hard_strong_check_catches": _rate(strong_true, n_again),
        "hard_strong_check_fires_for_new": _rate(sum(fired.values()), n_new),
        "hard_strong_fires_for_new_by_group": {g: _rate(fired[g], new_n[g]) for g in new_n},
        "hard_new_queries_by_group": dict(new_n),
        "hard_top5_recall_by_slip": {s: _rate(by_slip[s], by_slip_n[s]) for s in by_slip_n},
        "hard_strong_catches_by_slip": {s: _rate(by_slip_strong[s], by_slip_n[s])
                                        for s in by_slip_n},
        "hard_strong_missed_sample": missed,
    }


def _as_new(person):
    from mispers.synth.households import Record

    return Record(person.truth_id, person.details)


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
