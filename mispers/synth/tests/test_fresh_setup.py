"""The README's run command on a fresh machine: migrate and load the demo into a var/ directory
that does not exist yet, twice, through the installed `mispers` console script."""

import os
import subprocess
import sys
from pathlib import Path


def mispers(*args, env):
    script = Path(sys.executable).with_name("mispers")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mispers.cli"]
    return subprocess.run([*command, *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_migrate_and_demo_on_a_fresh_var_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev",
               MISPERS_VAR_DIR=str(tmp_path / "fresh" / "var"))
    env.pop("MISPERS_SQLITE_PATH", None)
    migrate = mispers("migrate", "--noinput", "-v", "0", env=env)
    assert migrate.returncode == 0, migrate.stderr
    assert (tmp_path / "fresh" / "var" / "mispers.sqlite3").exists()
    first = mispers("demo", "--children", "8", "--episodes", "20", env=env)
    assert first.returncode == 0, first.stderr
    assert "handler" in first.stdout and "mispers-demo" in first.stdout
    again = mispers("demo", "--children", "8", "--episodes", "20", env=env)
    assert again.returncode == 0, again.stderr
    assert "already" in again.stdout
