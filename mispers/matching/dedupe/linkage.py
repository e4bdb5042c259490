"""Scoring pairs of a force's records with splink, from the fixed model in model.toml: on
DuckDB in memory by default, or on Spark for the national hub (engines.py, ADR 47)."""

from __future__ import annotations

import logging
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyarrow as pa

from .engines import engine_session

MODEL_PATH = Path(__file__).with_name("model.toml")

# Several rules, so that each kind of recording error still meets its twin in some block: a
# misspelt or nicknamed name still shares the date of birth (or its day-month swap); a mistyped
# date still shares both names' sounds, or one name's sound and the birthday; a record with
# only an estimated age shares the family name's sound and the year; a changed surname still
# shares the given name's sound and the year, or the address. Each rule is an equality join,
# so a force of 100,000 children makes a few million comparisons, not billions. A record never
# pairs with another name of the same child.
BLOCKING_RULES = [
    "l.dob = r.dob",
    "l.dob = r.dob_swapped",
    "l.given_key = r.given_key AND l.family_key = r.family_key",
    "l.family_key = r.family_key AND l.birthday = r.birthday",
    "l.given_key = r.given_key AND l.birthday = r.birthday",
    # ADR 53: a typo in the given name and a slip in the day or month at once (Faisgl Bains,
    # 31 Jan / Faisal Bains, 31 Mar): the family name's sound and the year are left in common.
    # (Before, this rule held only when one record had no date of birth.) With the given name's
    # first letter too: on the family name and the year alone 100,000 records made three times
    # as many pairs and the run took 88 s (target 60).
    "l.family_key = r.family_key AND l.birth_year = r.birth_year"
    " AND (l.dob IS NULL OR r.dob IS NULL OR left(l.given_std, 1) = left(r.given_std, 1))",
    # Issue 11: a new surname and a slip in the date of birth (or only an age) at once, with no
    # address: only the given name's sound and the year are left in common.
    "l.given_key = r.given_key AND l.birth_year = r.birth_year",
    "l.home_std = r.home_std",
    "l.placement_std = r.placement_std",
]
SAME_CHILD_EXCLUDED = " AND l.child_id <> r.child_id"


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    sql: str
    null: bool
    is_else: bool
    m: float | None
    u: float | None
    # Kept as written when u is estimated from the force's data (an interaction level such as
    # the twin level: random pairs almost never reach it, so sampling cannot estimate it).
    fixed_u: bool = False
    # Kept as written when m is estimated from the force's data (the twin levels: their m says
    # "a child is almost never recorded so", which is a rule, not a measurement).
    fixed_m: bool = False
    # Weigh agreement by how common the value is in the force (splink's term-frequency
    # adjustment): two children called Heidi Rosie agree far more tellingly than two Thomases.
    tf_column: str = ""

    @property
    def weight(self) -> float:
        return 0.0 if self.null else math.log2(self.m / self.u)


@dataclass(frozen=True)
class Comparison:
    field: str
    title: str
    show: str
    levels: tuple[Level, ...]

    def level_for_gamma(self, gamma: int) -> Level:
        """splink numbers a comparison's levels -1 for the null level, then from the last
        (else, 0) up to the first non-null level."""
        if gamma < 0:
            return next(level for level in self.levels if level.null)
        ranked = [level for level in self.levels if not level.null]
        return ranked[len(ranked) - 1 - gamma]


@dataclass(frozen=True)
class Model:
    name: str
    version: str
    duplicate_share: float
    threshold: float
    comparisons: tuple[Comparison, ...] = field(default_factory=tuple)
    # Estimate each level's u from the force's own records by random sampling (issue 11: the
    # fixed u values, estimated once on one generator's names, undervalued names and dates of
    # birth on harder data). Deterministic: a fixed seed and sample size.
    estimate_u: bool = False
    u_sample_pairs: int = 3_000_000
    # Estimate m, and the prior, from the force's own records by expectation maximisation on
    # the pairs each of these rules makes (issue 11): how often each field slips when a child
    # is recorded twice, and how many children are, differ from force to force and from the
    # figures written below. Each rule leaves out the fields it blocks on; the fields it
    # leaves in are estimated from its pairs.
    em_rules: tuple[str, ...] = ()
    # At most this many pairs of each EM rule (a deterministic sample): enough to estimate a few
    # dozen probabilities, and it keeps a national-sized force's run to seconds.
    em_max_pairs: int = 500_000

    def prior(self, children: int) -> float:
        """The chance that two of `children` records picked at random are the same child."""
        return min(0.5, 2 * self.duplicate_share / max(1, children - 1))

    def splink_settings(self, *, children: int) -> dict:
        return {
            "link_type": "dedupe_only",
            "unique_id_column_name": "unique_id",
            "probability_two_random_records_match": self.prior(children),
            "blocking_rules_to_generate_predictions": [
                {"blocking_rule": rule + SAME_CHILD_EXCLUDED, "sql_dialect": "duckdb"}
                for rule in BLOCKING_RULES],
            "comparisons": [self._splink_comparison(c) for c in self.comparisons],
            "retain_matching_columns": True,
            "retain_intermediate_calculation_columns": True,
            "additional_columns_to_retain": ["child_id"] + [f"show_{c.show}"
                                                            for c in self.comparisons],
        }

    @staticmethod
    def _splink_comparison(comparison: Comparison) -> dict:
        levels = []
        for level in comparison.levels:
            entry = {"sql_condition": "ELSE" if level.is_else else level.sql,
                     "label_for_charts": level.code}
            if level.null:
                entry["is_null_level"] = True
            else:
                entry.update(m_probability=level.m, u_probability=level.u)
                if level.fixed_u:
                    entry["fix_u_probability"] = True
                if level.fixed_m:
                    entry["fix_m_probability"] = True
                if level.tf_column:
                    entry.update(tf_adjustment_column=level.tf_column, tf_adjustment_weight=1.0)
            levels.append(entry)
        return {"output_column_name": comparison.field, "comparison_levels": levels,
                "comparison_description": comparison.title}


@cache
def load_model(path: Path = MODEL_PATH) -> Model:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    comparisons = tuple(
        Comparison(field=c["field"], title=c["title"], show=c["show"], levels=tuple(
            Level(code=level["code"], label=level["label"], sql=level.get("sql", ""),
                  null=level.get("null", False), is_else=level.get("else", False),
                  m=level.get("m"), u=level.get("u"), fixed_u=level.get("fixed_u", False),
                  fixed_m=level.get("fixed_m", False), tf_column=level.get("tf_column", ""))
            for level in c["levels"]))
        for c in data["comparisons"])
    return Model(name=data["name"], version=str(data["version"]),
                 duplicate_share=float(data["duplicate_share"]),
                 threshold=float(data["suggestion_threshold"]), comparisons=comparisons,
                 estimate_u=bool(data.get("estimate_u", False)),
                 u_sample_pairs=int(data.get("u_sample_pairs", 3_000_000)),
                 em_rules=tuple(data.get("em_rules", ())),
                 em_max_pairs=int(data.get("em_max_pairs", 500_000)))


def probability_from_weight(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** -weight)


def score_pairs(records: pa.Table, *, threshold: float, model: Model | None = None,
                engine: str = "duckdb") -> list[dict]:
    """Every pair of different children whose best-scoring names reach `threshold` (a match
    probability), as dicts: child ids (ordered), match weight and probability, and for each
    field its level and the two values shown. Highest weight first. `engine`: where splink
    runs, "duckdb" (in memory) or "spark" (engines.py); the same model and steps either way."""
    from splink import Linker  # imported here: splink is slow to import

    model = model or load_model()
    if records.num_rows < 2:
        return []
    logging.getLogger("splink").setLevel(logging.WARNING)
    # "Probe returned zero blocked pairs; skipping sampling": a force too small to need the EM
    # sample is not worth a warning.
    logging.getLogger("splink.internals.em_sampling").setLevel(logging.ERROR)
    with engine_session(engine) as backend:
        table = backend.api.register(records, table_name="mispers_records")
        children = len(set(records.column("child_id").to_pylist()))
        settings = backend.settings(model.splink_settings(children=children))
        linker = Linker(table, settings, log_level=None)
        if model.estimate_u and records.num_rows >= 1000:
            # Too few records say little about chance agreement: the written u values
            # stand for small forces and tests.
            linker.training.estimate_u_using_random_sampling(
                max_pairs=model.u_sample_pairs, seed=1)
            with_u = linker.misc.save_model_to_json()
            try:
                _estimate_m_and_prior(linker, model, backend.sql)
            except ValueError:
                # EM can run away in a force with almost no child recorded twice (an m
                # too small to represent): the written m and prior stand, with u estimated.
                linker = Linker(table, with_u, log_level=None)
        predictions = linker.inference.predict(threshold_match_probability=threshold,
                                               warning_mode="never")
        # The prior this run used (estimated, or the written one): with the fields'
        # weights it adds up to each pair's match weight.
        prior = float(linker.misc.save_model_to_json()["probability_two_random_records_match"])
        return _best_per_child_pair(backend.con, backend.predictions(predictions), model, prior)


def _estimate_m_and_prior(linker, model: Model, sql: Callable[[str], str] = str) -> None:
    """m of each level, and the prior, by expectation maximisation over the pairs of each of
    the model's EM rules (u stays as sampled). No truth is read: EM finds the two kinds of
    pair, the same child and different children, from how the fields agree together. The
    prior is what the last session found among its pairs, scaled back to all pairs by the
    chance agreement of the fields it blocked on (splink's own way)."""
    for number, rule in enumerate(model.em_rules):
        linker.training.estimate_parameters_using_expectation_maximisation(
            sql(rule), estimate_without_term_frequencies=True, max_pairs=model.em_max_pairs,
            populate_probability_two_random_records_match_from_trained_values=number == 0)


def _best_per_child_pair(con, table: str, model: Model, prior: float) -> list[dict]:
    """A child with aliases has several rows; keep, for each pair of children, the pair of
    names that scored highest."""
    gammas = ", ".join(f"gamma_{c.field}" for c in model.comparisons)
    # The weight each field contributed in this run (splink's mw_ columns, log2 of its Bayes
    # factor): with u estimated from the force's records it differs from the written model,
    # and the coordinator must see what was used.
    factors = ", ".join(f"mw_{c.field}" + (f" + coalesce(mw_tf_adj_{c.field}, 0)"
                                            if any(level.tf_column for level in c.levels)
                                            else "")
                        for c in model.comparisons)
    shown = ", ".join(f"show_{c.show}_l, show_{c.show}_r" for c in model.comparisons)
    rows = con.execute(f"""
        SELECT child_a, child_b, match_weight, swap, {gammas}, {factors}, {shown} FROM (
            SELECT least(child_id_l, child_id_r) AS child_a,
                   greatest(child_id_l, child_id_r) AS child_b,
                   child_id_l > child_id_r AS swap, *,
                   row_number() OVER (PARTITION BY least(child_id_l, child_id_r),
                                                   greatest(child_id_l, child_id_r)
                                      ORDER BY match_weight DESC, unique_id_l, unique_id_r) AS n
            FROM {table})
        WHERE n = 1
        ORDER BY match_weight DESC, child_a, child_b
    """).fetchall()
    pairs = []
    count = len(model.comparisons)
    for row in rows:
        child_a, child_b, weight, swap = row[:4]
        levels = row[4:4 + count]
        weights = row[4 + count:4 + 2 * count]
        values = row[4 + 2 * count:]
        fields = []
        for index, comparison in enumerate(model.comparisons):
            left, right = values[2 * index], values[2 * index + 1]
            if swap:
                left, right = right, left
            fields.append((comparison, comparison.level_for_gamma(levels[index]), left, right,
                           float(weights[index] or 0.0)))
        pairs.append({"child_a": child_a, "child_b": child_b, "match_weight": float(weight),
                      "match_probability": probability_from_weight(float(weight)),
                      "prior": prior, "fields": fields})
    return pairs
