"""The model's DuckDB SQL in Spark's dialect (ADR 47), checked without a JVM: every level, blocking
rule and EM rule of the model as it stands translates, parses as Spark SQL and calls no function
Spark lacks (Spark's own analyser checks them too, in mispers/national/tests/test_spark.py). A
level added to model.toml is covered by walking `load_model()`."""

import pytest
import sqlglot
from sqlglot import exp

from mispers.matching.dedupe.dialects import SPARK_JAR_FUNCTIONS, settings_in, translate
from mispers.matching.dedupe.engines import LIST_COLUMNS
from mispers.matching.dedupe.linkage import BLOCKING_RULES, load_model

# Spark built-ins that sqlglot keeps as plain function calls; anything else would be a DuckDB
# function Spark does not have.
SPARK_BUILTINS = {"arrays_overlap", "left", "datediff"}
DUCKDB_ONLY = ("list_has_any", "len(", "jaro_winkler_similarity", "jaro_similarity",
               "strftime", "hamming", "&&")


def everything_the_model_writes() -> list[str]:
    model = load_model()
    levels = [level.sql for comparison in model.comparisons for level in comparison.levels
              if level.sql and not level.is_else]
    return levels + BLOCKING_RULES + list(model.em_rules)


def spark(sql: str) -> str:
    return translate(sql, dialect="spark", list_columns=LIST_COLUMNS)


@pytest.mark.parametrize("sql", everything_the_model_writes())
def test_every_condition_of_the_model_is_spark_sql(sql):
    translated = spark(sql)
    tree = sqlglot.parse_one(translated, read="spark")
    unknown = {node.name.lower() for node in tree.find_all(exp.Anonymous)} \
        - SPARK_JAR_FUNCTIONS - SPARK_BUILTINS
    assert not unknown, f"{sql!r} calls {unknown} on Spark"
    assert not any(word in translated.lower() for word in DUCKDB_ONLY), translated


def test_what_sqlglot_cannot_know_is_mended():
    assert spark("jaro_winkler_similarity(given_std_l, given_std_r) >= 0.9") == \
        "JARO_WINKLER(given_std_l, given_std_r) >= 0.9"
    assert spark("damerau_levenshtein(given_parts_l[1], given_parts_r[1]) <= 1") == \
        "DAMERAU_LEVENSHTEIN(given_parts_l[0], given_parts_r[0]) <= 1"
    assert spark("jaro_similarity(a_l, a_r) > 0.8") == "JARO_SIM(a_l, a_r) > 0.8"
    # len of a list is its size; of a string, its length (DuckDB's len takes either).
    assert spark("len(given_parts_l) > 1 AND len(given_std_r) > 1") == \
        "SIZE(given_parts_l) > 1 AND LENGTH(given_std_r) > 1"
    assert spark("list_has_any(l.given_names, r.given_names)") == \
        "ARRAYS_OVERLAP(l.given_names, r.given_names)"
    hamming = spark("hamming(strftime(dob_l, '%d%m%Y'), strftime(dob_r, '%d%m%Y')) = 1")
    assert "DATE_FORMAT(dob_l, 'ddMMyyyy')" in hamming and "FILTER(SEQUENCE(1" in hamming


def test_the_settings_carry_spark_sql_and_duckdb_is_left_alone():
    written = load_model().splink_settings(children=100)
    assert settings_in(written, dialect="duckdb") is written
    on_spark = settings_in(written, dialect="spark", list_columns=LIST_COLUMNS)
    assert [r["sql_dialect"] for r in on_spark["blocking_rules_to_generate_predictions"]] == \
        ["spark"] * len(BLOCKING_RULES)
    levels = [level for c in on_spark["comparisons"] for level in c["comparison_levels"]]
    assert sum(level["sql_condition"] == "ELSE" for level in levels) == len(written["comparisons"])
    assert all(level["sql_condition"] == "ELSE" or sqlglot.parse_one(level["sql_condition"],
                                                                      read="spark")
               for level in levels)
    # The m, u, labels and term-frequency columns are the written model's.
    assert [{k: v for k, v in level.items() if k != "sql_condition"} for level in levels] == \
        [{k: v for k, v in level.items() if k != "sql_condition"}
         for c in written["comparisons"] for level in c["comparison_levels"]]
    with pytest.raises(ValueError):
        translate("a_l = a_r", dialect="oracle")
