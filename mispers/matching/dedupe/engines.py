"""Where splink runs (ADR 8, ADR 47): DuckDB in memory (the default, one machine), or Apache
Spark through splink's Spark backend (local mode, or a cluster). Either way the linkage is the
same: the engine registers the records, takes the model's SQL in its own dialect, and hands
back the predictions as a DuckDB table, from which the best pair of names per two children is
read by one query whatever the engine.

DuckDB's spill files go to a private temporary directory removed afterwards; no extension is
installed or loaded, nothing is fetched."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from .dialects import settings_in, translate
from .records import SCHEMA

ENGINES = ("duckdb", "spark")
LIST_COLUMNS = frozenset(f.name for f in SCHEMA if pa.types.is_list(f.type))


@dataclass
class Engine:
    name: str
    api: object  # splink's DuckDBAPI or SparkAPI
    con: duckdb.DuckDBPyConnection  # where the predictions are read

    def sql(self, text: str) -> str:
        """A rule of the model (DuckDB SQL) in this engine's dialect."""
        return translate(text, dialect=self.name, list_columns=LIST_COLUMNS)

    def settings(self, settings: dict) -> dict:
        return settings_in(settings, dialect=self.name, list_columns=LIST_COLUMNS)

    def predictions(self, frame) -> str:
        """The name, in `con`, of splink's predictions table."""
        if self.name == "duckdb":
            return frame.physical_name
        # Only the pairs above the review floor come back: a small table even nationally.
        self.con.register("mispers_predictions", frame.as_spark_dataframe().toArrow())
        return "mispers_predictions"


def engine_check(name: str) -> None:
    """Raise EngineUnavailable (a DomainError) when the engine cannot run on this machine: for
    Spark, pyspark or Java missing. Cheap: nothing is started."""
    if name == "spark":
        from .spark import check_spark

        check_spark()


def _connection(spill_dir: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(":memory:", config={
        "temp_directory": spill_dir,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "enable_external_access": True,  # splink registers Arrow tables
    })


@contextlib.contextmanager
def engine_session(name: str) -> Iterator[Engine]:
    """The engine `name` ready for one linkage, closed afterwards. Spark raises
    EngineUnavailable (a DomainError) when pyspark or Java is missing."""
    if name not in ENGINES:
        raise ValueError(f"The engine is one of {', '.join(ENGINES)}, not {name!r}")
    with tempfile.TemporaryDirectory(prefix="mispers-dedupe-") as spill_dir:
        con = _connection(spill_dir)
        try:
            if name == "duckdb":
                from splink import DuckDBAPI  # imported here: splink is slow to import

                yield Engine(name, DuckDBAPI(connection=con), con)
                return
            from .spark import spark_session

            with spark_session() as spark:
                from splink.backends.spark import SparkAPI

                # Spark breaks long plans by writing intermediate tables to the checkpoint
                # folder as parquet (splink's default outside Databricks).
                yield Engine(name, SparkAPI(spark_session=spark,
                                            break_lineage_method="parquet"), con)
        finally:
            con.close()
