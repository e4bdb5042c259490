"""The linkage on Apache Spark (issue 13, ADR 47): the same model through splink's Spark backend
in local mode gives the same national persons, the same linked and review pairs and the same
explanations as DuckDB; Spark's own analyser accepts every condition of the model as translated;
a machine without pyspark or Java is told so in a sentence.

The tests marked `spark` start a JVM (about half a minute each on two cores): they are few."""

import datetime as dt
import io
import sys

import pytest
from django.core.management import CommandError, call_command

from mispers.matching.dedupe import spark as spark_module
from mispers.matching.dedupe.engines import LIST_COLUMNS, engine_session
from mispers.matching.dedupe.find import pairs_from_records
from mispers.matching.dedupe.linkage import BLOCKING_RULES, load_model
from mispers.matching.dedupe.records import SCHEMA, records_table
from mispers.national.linkage import LinkInvalid, hub_link
from mispers.national.models import LinkRun, NationalPair, NationalPerson
from mispers.national.services import hub_import

pytestmark = pytest.mark.django_db

# Made-up children, each recorded twice with the slips the model's levels are for: day and
# month swapped, a letter dropped, a short form, a double-barrelled name halved, only an age
# on one record, one digit of the date wrong; and twins (Oisin and Roisin), kept apart.
SLIPS = [
    ("a1", "Amira", "Khan", dt.date(2011, 4, 3), "F", "12 High St", "", None, None),
    ("a2", "Amira", "Khan", dt.date(2011, 3, 4), "F", "12 High Street", "", None, None),
    ("a3", "Amria", "Khan", dt.date(2011, 4, 3), "F", "", "", None, None),
    ("b1", "Zara", "Okafor", dt.date(2010, 2, 3), "F", "4 Mill Lane", "", None, None),
    ("b2", "Zara", "Bell", dt.date(2010, 3, 2), "F", "", "", None, None),
    ("c1", "Thomas", "Green", None, "M", "", "", 12, dt.date(2025, 6, 1)),
    ("c2", "Tom", "Green", dt.date(2013, 1, 9), "M", "", "", None, None),
    ("d1", "Oisin", "Byrne", dt.date(2012, 5, 5), "M", "9 Elm Rd", "", None, None),
    ("d2", "Roisin", "Byrne", dt.date(2012, 5, 5), "F", "9 Elm Rd", "", None, None),
    ("e1", "Colm Liam", "Smith-Jones", dt.date(2014, 7, 8), "M", "", "", None, None),
    ("e2", "Com", "Jones", dt.date(2014, 7, 8), "M", "", "", None, None),
    ("f1", "Ella", "Ward", dt.date(2009, 11, 12), "F", "", "", None, None),
    ("f2", "Ella", "Ward", dt.date(2009, 11, 13), "F", "", "", None, None),
]


def outcome() -> tuple[dict, dict]:
    """The latest run's national persons and its pairs (status, weight, levels)."""
    run = LinkRun.objects.latest("pk")
    persons = dict(NationalPerson.objects.values_list("key", "person_id"))
    pairs = {(p.a_key, p.b_key): (p.status, p.match_weight,
                                  [(e["field"], e["level"], e["weight"]) for e in p.explanation])
             for p in NationalPair.objects.filter(run=run)}
    return persons, pairs


def same_pairs(duckdb: dict, spark: dict) -> None:
    assert duckdb.keys() == spark.keys()
    for pair, (status, weight, fields) in duckdb.items():
        assert spark[pair][0] == status, pair
        assert spark[pair][1] == pytest.approx(weight, abs=0.01), pair
        assert [f[:2] for f in spark[pair][2]] == [f[:2] for f in fields], pair
        assert [f[2] for f in spark[pair][2]] == pytest.approx([f[2] for f in fields], abs=0.01)


@pytest.mark.spark
def test_spark_links_the_same_children_as_duckdb(sent, now):
    """Zara as Kent has her (another surname, day and month swapped) waits for review on both
    engines; Amira is linked on both; the national persons are the same."""
    for path in sent:
        assert hub_import(actor=None, now=now, path=path).status == "loaded"
    hub_link(actor=None, now=now, engine="duckdb")
    persons, pairs = outcome()
    assert {status for status, *_ in pairs.values()} == {"linked", "review"}
    out = io.StringIO()
    call_command("hub", "link", "--engine", "spark", stdout=out)
    assert "Linkage (spark): 6 child records" in out.getvalue()
    assert LinkRun.objects.latest("pk").engine == "spark"
    spark_persons, spark_pairs = outcome()
    assert spark_persons == persons
    same_pairs(pairs, spark_pairs)


@pytest.mark.spark
def test_spark_accepts_the_model_and_scores_every_slip_as_duckdb_does():
    """Spark's analyser (not only its parser) accepts every level and rule as translated, with
    the jar's functions registered; then the slips above score alike on both engines."""
    model = load_model()
    with engine_session("spark") as engine:
        spark = engine.api.spark
        empty = records_table([], [])
        assert empty.schema == SCHEMA
        spark.createDataFrame(empty).createOrReplaceTempView("records")
        sides = ", ".join(f"l.{f.name} AS {f.name}_l, r.{f.name} AS {f.name}_r" for f in SCHEMA)
        spark.sql(f"SELECT {sides} FROM records l CROSS JOIN records r") \
            .createOrReplaceTempView("pairs")
        for comparison in model.comparisons:
            for level in comparison.levels:
                if level.sql:
                    spark.sql(f"SELECT CASE WHEN {engine.sql(level.sql)} THEN 1 END FROM pairs")
        for rule in BLOCKING_RULES + list(model.em_rules):
            spark.sql(f"SELECT 1 FROM records l JOIN records r ON {engine.sql(rule)}")
        assert LIST_COLUMNS == {"given_names", "given_parts", "family_parts"}
    table = records_table(SLIPS, [("b1", "Zara", "Bell")])
    on_duckdb = pairs_from_records(table, threshold=0.5, engine="duckdb")
    on_spark = pairs_from_records(table, threshold=0.5, engine="spark")
    levels = {(p.child_a_id, p.child_b_id): [e["level"] for e in p.explanation]
              for p in on_duckdb}
    assert {"day_month_swapped", "close", "one_slip", "nickname", "part", "age_on_the_day",
            "one_digit"} <= {level for found in levels.values() for level in found}
    assert ("d1", "d2") not in levels  # the twins
    assert {(p.child_a_id, p.child_b_id): [e["level"] for e in p.explanation]
            for p in on_spark} == levels
    assert [p.match_weight for p in on_spark] == pytest.approx(
        [p.match_weight for p in on_duckdb], abs=0.01)


def test_a_machine_without_java_is_told_so(sent, now, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(spark_module.shutil, "which", lambda name: None)
    with pytest.raises(LinkInvalid, match="needs Java 17.*openjdk-17-jre-headless"):
        hub_link(actor=None, now=now, engine="spark")
    with pytest.raises(CommandError, match="The Spark engine needs Java 17"):
        call_command("hub", "link", "--engine", "spark", stdout=io.StringIO())
    assert not LinkRun.objects.exists()


def test_a_machine_without_pyspark_is_told_so(now, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark raises ImportError
    with pytest.raises(CommandError, match="needs pyspark, which is not installed here: run "
                                           "`make setup`"):
        call_command("hub", "link", "--engine", "spark", stdout=io.StringIO())
    assert not LinkRun.objects.exists()


def test_an_unknown_engine_is_refused_by_name(now):
    with pytest.raises(CommandError, match="The engine is one of duckdb, spark, not 'abacus'"):
        call_command("hub", "link", "--engine", "abacus", stdout=io.StringIO())


def test_a_spark_that_does_not_start_is_said_so(monkeypatch):
    from pyspark.sql import SparkSession

    def refuse(builder):
        raise RuntimeError("[JAVA_GATEWAY_EXITED] Java gateway process exited before sending "
                           "its port number.\n(the JVM's own lines)")

    monkeypatch.setattr(SparkSession.Builder, "getOrCreate", refuse)
    with pytest.raises(spark_module.EngineUnavailable,
                       match=r"Spark did not start \(.+\): \[JAVA_GATEWAY_EXITED\]"):
        with engine_session("spark"):
            pass


@pytest.mark.parametrize(("setting", "local", "machine_gb", "expected"), [
    ("6g", True, 23, "6g"),        # the setting wins
    ("", True, 23, "11g"),         # half this machine
    ("", True, 2, "2g"),           # never under 2 GB
    ("", True, 256, "32g"),        # never over 32 GB
    ("", True, None, "2g"),        # a system that does not say
    ("", False, 23, None),         # a cluster keeps its own default
])
def test_the_driver_memory_is_sized_to_the_machine_in_local_mode(setting, local, machine_gb,
                                                                 expected):
    machine = machine_gb * 1024**3 if machine_gb else None
    assert spark_module.driver_memory(local=local, setting=setting,
                                      machine_bytes=machine) == expected


@pytest.mark.spark
def test_a_spark_run_out_of_memory_is_said_in_one_sentence():
    """A real OutOfMemoryError in the driver's JVM (an array past the VM's limit, whatever the
    heap) reaches the caller as one sentence naming the setting to raise."""
    with pytest.raises(spark_module.EngineUnavailable) as caught:
        with engine_session("spark") as engine:
            jvm = engine.api.spark._jvm
            jvm.java.lang.reflect.Array.newInstance(jvm.java.lang.Long.TYPE, 2**31 - 1)
    message = caught.value.message
    assert message.startswith("Spark ran out of memory (the driver had ")
    assert "MISPERS_SPARK_DRIVER_MEMORY" in message and "\n" not in message


def test_a_jvm_that_stopped_mid_run_is_said_in_one_sentence():
    gone = ConnectionRefusedError("[Errno 111] Connection refused")
    sentence = spark_module.failure_sentence(gone, memory="2g")
    assert sentence.startswith("Spark stopped during the linkage (the driver had 2g)")
    assert spark_module.failure_sentence(ValueError("a bug of ours"), memory="2g") is None
