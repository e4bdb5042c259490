"""The model's SQL (model.toml's levels, the blocking and EM rules) is written in DuckDB's
dialect; on Spark it is translated here at run time (ADR 47), so that model.toml stays the one
place a level is written. sqlglot transpiles DuckDB to Spark SQL; what it cannot know is
mended on its syntax tree:

- the similarity functions come from splink's jar on Spark, under the jar's names
  (`jaro_winkler_similarity` is `jaro_winkler`, `jaro_similarity` is `jaro_sim`;
  `damerau_levenshtein` keeps its name);
- DuckDB's `hamming` has no Spark counterpart: it is written out as the number of positions at
  which two strings of one length differ;
- DuckDB's `len` and `length` take a string or a list; Spark's `length` takes only a string, so
  on a list column (known from the records' Arrow schema) it is `size`;
- `list_has_any` becomes `arrays_overlap` (sqlglot writes `&&`, which Spark's parser refuses).

List indexes (DuckDB counts from 1, Spark from 0) and date formats are sqlglot's own work."""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp

DIALECTS = ("duckdb", "spark")

# DuckDB's name (lower case, as sqlglot leaves unknown functions) -> the splink jar's UDF.
_SPARK_UDFS = {"jaro_similarity": "jaro_sim", "damerau_levenshtein": "damerau_levenshtein"}
# The UDFs splink's SparkAPI registers from its jar (splink.internals.spark.jar_location).
SPARK_JAR_FUNCTIONS = frozenset({
    "jaro_sim", "jaro_winkler", "jaccard", "cosine_distance", "dmetaphone", "dmetaphonealt",
    "qgramtokeniser", "damerau_levenshtein"})


def _base(column: exp.Column) -> str:
    """The records' column a reference is to: `given_parts_l` (a level) or `l.given_parts` (a
    blocking rule) are both `given_parts`."""
    name = column.name
    if not column.table and name.endswith(("_l", "_r")):
        return name[:-2]
    return name


def _hamming(left: exp.Expression, right: exp.Expression) -> exp.Expression:
    """The number of positions at which two strings of one length differ (NULL when their
    lengths differ, where DuckDB's hamming raises an error)."""
    a, b = left.sql("spark"), right.sql("spark")
    return sqlglot.parse_one(
        f"CASE WHEN length({a}) = length({b}) THEN size(filter(sequence(1, length({a})), "
        f"mispers_i -> substring({a}, mispers_i, 1) <> substring({b}, mispers_i, 1))) END",
        read="spark")


def _to_spark_node(node: exp.Expression, list_columns: frozenset[str]) -> exp.Expression:
    if isinstance(node, exp.JarowinklerSimilarity):
        return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
    if isinstance(node, exp.ArrayOverlaps):
        return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
    if isinstance(node, exp.Length) and isinstance(node.this, exp.Column) \
            and _base(node.this) in list_columns:
        return exp.ArraySize(this=node.this)
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name == "hamming" and len(node.expressions) == 2:
            return _hamming(*node.expressions)
        if name in _SPARK_UDFS:
            return exp.Anonymous(this=_SPARK_UDFS[name], expressions=node.expressions)
    return node


def translate(sql: str, *, dialect: str, list_columns: Iterable[str] = ()) -> str:
    """`sql`, written for DuckDB, in `dialect`'s SQL (DuckDB's is returned as it is).
    `list_columns`: the records' columns that hold lists."""
    if dialect == "duckdb":
        return sql
    if dialect != "spark":
        raise ValueError(f"No translation of the model's SQL to {dialect!r}")
    lists = frozenset(list_columns)
    tree = sqlglot.parse_one(sql, read="duckdb")
    return tree.transform(lambda node: _to_spark_node(node, lists)).sql("spark")


def settings_in(settings: dict, *, dialect: str, list_columns: Iterable[str] = ()) -> dict:
    """The splink settings the model writes (DuckDB SQL) with every comparison level's condition
    and every blocking rule in `dialect`'s SQL."""
    if dialect == "duckdb":
        return settings
    lists = frozenset(list_columns)
    comparisons = [
        comparison | {"comparison_levels": [
            level | ({} if level["sql_condition"] == "ELSE" else {
                "sql_condition": translate(level["sql_condition"], dialect=dialect,
                                           list_columns=lists)})
            for level in comparison["comparison_levels"]]}
        for comparison in settings["comparisons"]]
    rules = [rule | {"blocking_rule": translate(rule["blocking_rule"], dialect=dialect,
                                                list_columns=lists),
                     "sql_dialect": dialect}
             for rule in settings["blocking_rules_to_generate_predictions"]]
    return settings | {"comparisons": comparisons,
                       "blocking_rules_to_generate_predictions": rules}
