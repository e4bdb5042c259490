"""Helpers shared by the benchmark scripts: a scratch database, percentiles, verdicts and where
the figures were measured. (grading.py predates this module and keeps its own copies.)"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Self-defined ethnicity codes for benchmark children (issue 11: no default), repeated roughly as
# often as among children in England and Wales, so a bench child is never "white" by default.
ETHNICITIES = (["white_british"] * 14 + ["white_other"] * 2 + ["asian_pakistani", "asian_indian",
               "black_african", "mixed_white_black_caribbean", "mixed_other", "not_stated"])


def setup_django(*, scratch: Path, fresh: bool, database_url: str = "",
                 email_backend: str = "django.core.mail.backends.locmem.EmailBackend") -> None:
    """Point Django (dev settings) at a scratch database, never the dev one: the SQLite file
    `scratch` (deleted first when `fresh`), or a scratch PostgreSQL `database_url`.
    DATABASE_URL from the environment is ignored. Mail goes to `email_backend` (in memory by
    default: a benchmark sends nothing)."""
    scratch.parent.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("HUEY_DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    elif fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["MISPERS_SQLITE_PATH"] = str(scratch)
    # The job queue of a benchmark is a scratch file too: never the dev server's queue.
    os.environ["MISPERS_HUEY_PATH"] = str(scratch.with_name(scratch.stem + "-huey.sqlite3"))
    os.environ["DJANGO_EMAIL_BACKEND"] = email_backend
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def verdicts(results: dict, targets: dict[str, tuple[str, float]]) -> dict:
    """PASS/FAIL per target: `targets` maps a figure to (">=", "<", "<=" or "==", value)."""
    checks = {">=": lambda v, t: v >= t, "<": lambda v, t: v < t, "<=": lambda v, t: v <= t,
              "==": lambda v, t: v == t}
    found = {}
    for key, (op, target) in targets.items():
        value = results.get(key)
        if value is None:
            found[key] = {"target": f"{op} {target}", "value": None, "result": "NOT MEASURED"}
            continue
        found[key] = {"target": f"{op} {target}", "value": value,
                      "result": "PASS" if checks[op](value, target) else "FAIL"}
    return found


def finish(results: dict, targets: dict[str, tuple[str, float]], *, path: Path,
           write: bool) -> int:
    """Judge the targets, print one line per target, write the results file (unless told not
    to) and return the exit code: 1 when any target failed."""
    import json

    results["targets"] = verdicts(results, targets)
    for key, verdict in results["targets"].items():
        print(f"{verdict['result']:>12}  {key} = {verdict['value']} (target {verdict['target']})")
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2) + "\n")
        print(f"Wrote {path.relative_to(ROOT)}")
    return 1 if any(v["result"] == "FAIL" for v in results["targets"].values()) else 0


def where_measured() -> dict:
    """Database, versions and machine: figures are only comparable on the same ones."""
    import django
    from django.conf import settings
    from django.db import connection

    version = (connection.Database.sqlite_version if connection.vendor == "sqlite"
               else ".".join(map(str, connection.get_database_version())))
    return {
        "database": f"{connection.vendor} {version}".strip(),
        "python": platform.python_version(), "django": django.get_version(),
        "debug": settings.DEBUG, "machine_cores": os.cpu_count(),
        "machine": f"{platform.system()} {platform.machine()} {platform.processor()}".strip(),
    }
