"""Batch duplicate detection: splink on DuckDB over a force's children (docs/adr/0008).

`duplicate_pairs_find` scores (reads only); `dedupe_run` writes the new pairs into the
coordinator's review queue. Nothing is ever merged here."""

from .find import PairScore, duplicate_pairs_find
from .run import DedupeResult, UnknownForce, dedupe_run

__all__ = ["DedupeResult", "PairScore", "UnknownForce", "dedupe_run", "duplicate_pairs_find"]
