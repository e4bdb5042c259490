"""Benchmark: a newcomer's first run, the steps of `make run` after the packages are installed
(issue 11, ADR 31).

    .venv/bin/python bench/first_run.py            # the demo as `make run` makes it, ~1-2 min
    .venv/bin/python bench/first_run.py --no-write # measure without writing the results file

Runs, as `make run` does and through the installed `mispers` command, on a scratch SQLite
database under var/bench/ (never the dev database; its own var/ directory for the static files
and the job queue): `mispers migrate`, `mispers create_huey_tables`, `mispers collectstatic`
and `mispers demo`, each timed on the wall clock, with the CPU time `mispers demo` used (on a
shared machine the wall clock also counts time others took) and the load average before it
started. Prints PASS/FAIL against the target (`mispers demo` in under two minutes) and writes
bench/results/first_run.json.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, finish, setup_django, where_measured  # noqa: E402

VAR = ROOT / "var" / "bench" / "first_run"
SCRATCH = VAR / "mispers.sqlite3"
RESULTS = ROOT / "bench" / "results" / "first_run.json"
TARGETS = {"demo_seconds": ("<", 120)}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=None, help="default: the demo's")
    parser.add_argument("--episodes", type=int, default=None, help="default: the demo's")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    return parser.parse_args()


def _mispers() -> list[str]:
    script = Path(sys.executable).with_name("mispers")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mispers.cli"]


def _step(name: str, args: list[str], env: dict, found: dict) -> str:
    """Run one `mispers` step, time it, and fail loudly when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*_mispers(), *args], env=env, capture_output=True, text=True,
                          check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"`mispers {' '.join(args)}` failed:\n{done.stderr}")
    found[f"{name}_seconds"] = round(seconds, 1)
    found[f"{name}_cpu_seconds"] = round(after.ru_utime + after.ru_stime
                                         - before.ru_utime - before.ru_stime, 1)
    print(f"mispers {' '.join(args)}: {seconds:.1f} s ({found[f'{name}_cpu_seconds']} s of CPU)")
    return done.stdout


def main() -> int:
    args = _arguments()
    shutil.rmtree(VAR, ignore_errors=True)
    setup_django(scratch=SCRATCH, fresh=True)
    env = {**os.environ, "MISPERS_VAR_DIR": str(VAR)}  # the static files and uploads too
    # The code of this checkout, not whichever one the virtualenv's editable install points at
    # (a git worktree sharing the main checkout's .venv would otherwise measure the main one).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    size = [*(["--children", str(args.children)] if args.children else []),
            *(["--episodes", str(args.episodes)] if args.episodes else [])]
    results: dict = {"benchmark": "first_run", **where_measured(),
                     "load_average_before": round(os.getloadavg()[0], 2)}
    _step("migrate", ["migrate", "--noinput", "-v", "0"], env, results)
    _step("huey_tables", ["create_huey_tables"], env, results)
    _step("collectstatic", ["collectstatic", "--noinput", "--verbosity", "0"], env, results)
    results["load_average_before_demo"] = round(os.getloadavg()[0], 2)
    output = _step("demo", ["demo", *size], env, results)
    history = re.search(r"Synthetic data created for \S+: (\d+) children, (\d+) episodes.* in "
                        r"([\d.]+)s", output)
    if history:
        results.update(children=int(history[1]), episodes=int(history[2]),
                       history_seconds=float(history[3]))
    results["first_run_seconds"] = round(sum(
        results[f"{step}_seconds"] for step in ("migrate", "huey_tables", "collectstatic",
                                                 "demo")), 1)
    print(f"After the packages are installed, `make run` is ready in about "
          f"{results['first_run_seconds']} s ({results['demo_seconds']} s of it `mispers demo`, "
          f"{results.get('history_seconds')} s the synthetic history)")
    return finish(results, TARGETS, path=RESULTS, write=not args.no_write)


if __name__ == "__main__":
    sys.exit(main())
