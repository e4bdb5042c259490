"""The Spark session a linkage runs in (ADR 47): local mode on this machine (`local[2]`, no UI,
few shuffle partitions), or a cluster when MISPERS_SPARK_MASTER names one; splink's similarity
jar on the classpath, and a private checkpoint folder removed when the run ends. pyspark and
Java are looked for first, so that a machine without them gets a sentence, not a traceback."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from mispers.core.errors import DomainError


class EngineUnavailable(DomainError):
    """The engine asked for cannot run on this machine."""


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def check_spark() -> None:
    """Raise EngineUnavailable naming what is missing: pyspark, or Java."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise EngineUnavailable(
            "The Spark engine needs pyspark, which is not installed here: run `make setup` "
            "(it installs the project's pinned pyspark)", field="engine") from None
    if _java() is None:
        raise EngineUnavailable(
            "The Spark engine needs Java 17, which was not found (no JAVA_HOME, no java on "
            "the PATH): on Debian, apt-get install openjdk-17-jre-headless", field="engine")


def _remove(spark, folder: str) -> None:
    """Remove a folder wherever it is (local disk or the cluster's shared storage), through
    Spark's own file system layer."""
    path = spark._jvm.org.apache.hadoop.fs.Path(folder)
    path.getFileSystem(spark._jsc.hadoopConfiguration()).delete(path, True)


@contextlib.contextmanager
def spark_session() -> Iterator:
    """A SparkSession for one linkage run, stopped afterwards with its checkpoints removed."""
    check_spark()
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    master = settings.MISPERS_SPARK_MASTER
    local = master.startswith("local")
    scratch = tempfile.mkdtemp(prefix="mispers-spark-")
    # On a cluster the checkpoints go where every executor can reach them (HDFS, S3, a shared
    # mount); each run writes in a folder of its own there and removes it.
    base = settings.MISPERS_SPARK_CHECKPOINT_DIR or os.path.join(scratch, "checkpoints")
    checkpoints = f"{base.rstrip('/')}/mispers-{uuid.uuid4().hex}"
    builder = (SparkSession.builder.master(master).appName("mispers-hub-link")
               .config("spark.jars", similarity_jar_location())
               .config("spark.driver.memory", settings.MISPERS_SPARK_DRIVER_MEMORY)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions",
                       str(settings.MISPERS_SPARK_SHUFFLE_PARTITIONS))
               # DuckDB's NULL for an index past a list's end, as the model's SQL expects.
               .config("spark.sql.ansi.enabled", "false"))
    if local:
        # On this machine only: the driver listens on the loopback address, nowhere else.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # Spark's own scratch files (spark.local.dir) stay in its default place, the system's
        # temporary folder, and go when the JVM does: the JVM outlives one session, and a folder
        # of ours given to the first session would be made again by the next.
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    try:
        try:
            spark = builder.getOrCreate()
        except Exception as error:  # the JVM did not start: say so in a sentence
            first = (str(error).splitlines() or [type(error).__name__])[0]
            raise EngineUnavailable(f"Spark did not start ({master}): {first}",
                                    field="engine") from None
        spark.sparkContext.setLogLevel("ERROR")
        spark.sparkContext.setCheckpointDir(checkpoints)
        try:
            yield spark
        finally:
            with contextlib.suppress(Exception):
                _remove(spark, checkpoints)
            spark.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
