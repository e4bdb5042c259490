"""Finding likely duplicate children in one force: extract, score, explain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pyarrow as pa

from mispers.people.models import Alias, Child

from .linkage import load_model, score_pairs
from .records import records_table


@dataclass(frozen=True)
class PairScore:
    """Two live children of one force who may be the same child: their ids as UUIDs (equal to
    `Child.pk`), `child_a_id` sorting before `child_b_id` as strings. `explanation` has one
    entry per field compared: `field`, `level` (a code), `label` (in words, with the two
    values) and `weight` (log2 of the Bayes factor: positive points to the same child,
    negative away from it)."""

    child_a_id: uuid.UUID | str
    child_b_id: uuid.UUID | str
    match_weight: float
    match_probability: float
    explanation: list[dict] = field(default_factory=list)
    # The chance that two records picked at random are the same child, as this run took it
    # (estimated from the force's records when it has 1,000 or more): log2 of its odds and the
    # explanation's weights add up to `match_weight`.
    prior: float | None = None


def force_records(*, force_code: str) -> pa.Table:
    """The force's live children (not merged into another) and their aliases, as the
    linkage's records. values_list, not model instances: 100,000 rows in about a second."""
    children = (Child.objects.filter(force_id=force_code, merged_into__isnull=True)
                .order_by().values_list("id", "given_name", "family_name", "date_of_birth",
                                        "sex", "home_address", "placement_address",
                                        "estimated_age", "estimated_age_on",
                                        "local_authority"))
    aliases = (Alias.objects.filter(child__force_id=force_code,
                                    child__merged_into__isnull=True)
               .order_by().values_list("child_id", "given_name", "family_name"))
    return records_table(children.iterator(chunk_size=5000), aliases.iterator(chunk_size=5000))


def explain(fields) -> list[dict]:
    explanation = []
    for comparison, level, left, right, weight in fields:
        words = level.label.format(l=left or "", r=right or "")
        explanation.append({"field": comparison.field, "level": level.code,
                            "label": f"{comparison.title}: {words}",
                            "weight": round(weight, 2)})
    return explanation


def _id(value: str) -> uuid.UUID | str:
    try:
        return uuid.UUID(value)
    except ValueError:  # records built by hand in a test or a benchmark
        return value


def pairs_from_records(records: pa.Table, *, threshold: float | None = None,
                       engine: str = "duckdb") -> list[PairScore]:
    """The pairs of `records` reaching `threshold`, explained; `engine`: where splink runs
    ("duckdb" or "spark", ADR 47)."""
    model = load_model()
    threshold = model.threshold if threshold is None else threshold
    return [
        PairScore(child_a_id=_id(pair["child_a"]), child_b_id=_id(pair["child_b"]),
                  match_weight=round(pair["match_weight"], 3),
                  match_probability=pair["match_probability"],
                  explanation=explain(pair["fields"]), prior=pair["prior"])
        for pair in score_pairs(records, threshold=threshold, model=model, engine=engine)
    ]


def duplicate_pairs_find(*, force_code: str, threshold: float | None = None) -> list[PairScore]:
    """Pairs of the force's live children whose match probability reaches `threshold` (the
    model's suggestion threshold unless given), highest match weight first."""
    return pairs_from_records(force_records(force_code=force_code), threshold=threshold)
