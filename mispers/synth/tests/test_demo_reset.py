"""`mispers demo --reset` starts the demo again on a new SQLite database, and refuses any other
database unless told --flush too. Run through the installed `mispers` console script in a var/
directory of its own (the test database is never touched)."""

import os
import subprocess
import sys
from pathlib import Path

from mispers.synth.demo import DEMO_USERS

SMALL = ("--children", "8", "--episodes", "20")


def mispers(*args, env):
    script = Path(sys.executable).with_name("mispers")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mispers.cli"]
    return subprocess.run([*command, *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def _env(var: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "MISPERS_SQLITE_PATH", "HUEY_DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", MISPERS_VAR_DIR=str(var), **extra)
    return env


SERGEANT = ("from mispers.accounts.models import User; "
            "print(User.objects.get(username='sergeant').first_name)")


def test_reset_deletes_what_was_there_and_loads_the_demo_again(tmp_path):
    env = _env(tmp_path / "var")
    assert mispers("migrate", "--noinput", "-v", "0", env=env).returncode == 0
    first = mispers("demo", *SMALL, env=env)
    assert first.returncode == 0, first.stderr
    # Someone used the demo: renamed a user and recorded a child by hand.
    changed = mispers("shell", "--no-imports", "-c",
                      "from mispers.accounts.models import User; "
                      "User.objects.filter(username='sergeant').update(first_name='Changed')",
                      env=env)
    assert changed.returncode == 0, changed.stderr
    assert mispers("shell", "--no-imports", "-c", SERGEANT, env=env).stdout.strip() == "Changed"

    again = mispers("demo", "--reset", *SMALL, env=env)

    assert again.returncode == 0, again.stderr
    assert "Reset: deleted" in again.stdout and "mispers.sqlite3" in again.stdout
    assert f"{len(DEMO_USERS)} created" in again.stdout  # the demo users are made afresh
    assert "Synthetic data created" in again.stdout
    assert "History: " in again.stdout  # its progress is shown
    assert mispers("shell", "--no-imports", "-c", SERGEANT, env=env).stdout.strip() == "Sita"


def test_reset_refuses_a_database_that_is_not_sqlite_in_one_line(tmp_path):
    # Nothing listens there: the refusal comes before any connection is tried.
    env = _env(tmp_path / "var", DATABASE_URL="postgres://demo@127.0.0.1:9/mispers")
    refused = mispers("demo", "--reset", *SMALL, env=env)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert refused.stderr.strip() == (
        "CommandError: Refusing to reset: the database is postgresql (mispers on 127.0.0.1), "
        "not the demo's SQLite file. `mispers demo --reset` deletes everything in the database; "
        "add --flush to do that to this one.")
    assert refused.stdout == ""


def test_flush_without_reset_is_refused(tmp_path):
    refused = mispers("demo", "--flush", env=_env(tmp_path / "var"))
    assert refused.returncode == 1
    assert refused.stderr.strip() == "CommandError: --flush only goes with --reset"
