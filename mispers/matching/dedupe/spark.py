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


def machine_memory_bytes() -> int | None:
    """Physical memory of this machine, or None where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def driver_memory(*, local: bool, setting: str, machine_bytes: int | None) -> str | None:
    """The driver's heap: the setting when there is one; in local mode (where the driver does
    the whole job) half the machine's memory, at least 2 GB and at most 32 GB, since a national
    year needs about 6 GB and Spark's own 1 GB default runs out of heap; on a cluster, the
    cluster's default (None)."""
    if setting:
        return setting
    if not local:
        return None
    gigabytes = (machine_bytes or 0) // 2 // 1024**3
    return f"{min(max(gigabytes, 2), 32)}g"


# What a Spark job that died for want of memory says, on the driver or from Py4J once the JVM
# has gone.
_OUT_OF_MEMORY = ("java.lang.OutOfMemoryError", "Java heap space", "GC overhead limit exceeded")
_JVM_GONE = ("Answer from Java side is empty", "Connection refused",
             "Error while sending or receiving", "SparkContext was shut down",
             "Cannot call methods on a stopped SparkContext")


def failure_sentence(error: BaseException, *, memory: str | None) -> str | None:
    """One sentence for a Spark run that failed because the driver ran out of memory or its JVM
    stopped; None for any other error, which is raised as it is."""
    text = f"{type(error).__name__}: {error}"
    heap = f"the driver had {memory}" if memory else "the driver had Spark's default heap"
    if any(sign in text for sign in _OUT_OF_MEMORY):
        return (f"Spark ran out of memory ({heap}): set MISPERS_SPARK_DRIVER_MEMORY higher "
                "(a national year needs about 6g in local mode) or run on a cluster with "
                "MISPERS_SPARK_MASTER")
    if any(sign in text for sign in _JVM_GONE):
        return (f"Spark stopped during the linkage ({heap}), most often for want of memory: "
                "set MISPERS_SPARK_DRIVER_MEMORY higher or run on a cluster with "
                "MISPERS_SPARK_MASTER")
    return None


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
    memory = driver_memory(local=local, setting=settings.MISPERS_SPARK_DRIVER_MEMORY,
                           machine_bytes=machine_memory_bytes())
    builder = (SparkSession.builder.master(master).appName("mispers-hub-link")
               .config("spark.jars", similarity_jar_location())
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions",
                       str(settings.MISPERS_SPARK_SHUFFLE_PARTITIONS))
               # DuckDB's NULL for an index past a list's end, as the model's SQL expects.
               .config("spark.sql.ansi.enabled", "false"))
    if memory:
        builder = builder.config("spark.driver.memory", memory)
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
        except Exception as error:
            sentence = failure_sentence(error, memory=memory)
            if sentence is None:
                raise
            raise EngineUnavailable(sentence, field="engine") from None
        finally:
            with contextlib.suppress(Exception):
                _remove(spark, checkpoints)
            spark.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
