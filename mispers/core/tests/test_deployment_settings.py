"""Production settings (config/settings/production.py) in a separate process, as a server starts
them: a good environment passes Django's deployment checks with no warning at all; each unsafe
environment is refused at start with a message naming the problem. Also: the servers default to
the production settings, and the `mispers` command (the demo) to the development ones, creating
its files owner-only."""

import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEV_KEY = "insecure-development-key-change-me"


@pytest.fixture
def good_env(tmp_path):
    """A complete production environment (the database is never connected to)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://mispers@db.invalid:5432/mispers",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "smtp.police.example",
        "DJANGO_ALLOWED_HOSTS": "mispers.police.example",
        "MISPERS_PSEUDONYM_KEY": secrets.token_urlsafe(64),
        "MISPERS_VAR_DIR": str(tmp_path / "var"),
    }


def run(env, *args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_deploy_checks_pass_with_no_warning(good_env):
    result = run(good_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_good_environment_gets_the_hardened_settings(good_env):
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({name: str(getattr(s, name)) for name in ["
            "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
            "'SECURE_HSTS_SECONDS', 'EMAIL_BACKEND', 'ALLOWED_HOSTS']} | "
            "{'engine': s.DATABASES['default']['ENGINE'], "
            "'script': str(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])}))")
    result = run(good_env, "-c", code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": "False", "SESSION_COOKIE_SECURE": "True", "CSRF_COOKIE_SECURE": "True",
        "SECURE_SSL_REDIRECT": "True", "SECURE_HSTS_SECONDS": "31536000",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "ALLOWED_HOSTS": "['mispers.police.example']",
        "engine": "django.db.backends.postgresql",
        "script": "[\"'self'\", csp.constants.NONCE]"}


def test_production_always_requires_a_second_factor(good_env):
    # No environment variable can switch the second factor off under production settings.
    env = {**good_env, "MISPERS_MFA_REQUIRED": "0"}
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.MISPERS_MFA_REQUIRED)")
    result = run(env, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(("change", "message"), [
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is not set"),
    ({"DJANGO_SECRET_KEY": "x"}, "DJANGO_SECRET_KEY has 1 characters"),
    ({"DJANGO_SECRET_KEY": DEV_KEY}, "published development key"),
    ({"DJANGO_SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(50)},
     "published development key"),
    ({"DJANGO_SECRET_KEY": "ab" * 40}, "too predictable"),
    ({"DJANGO_SECRET_KEY": "password" * 8}, "too predictable"),
    ({"DJANGO_SECRET_KEY_FALLBACKS": "short"}, "DJANGO_SECRET_KEY_FALLBACKS[0] has 5"),
    ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
    ({"DATABASE_URL": "sqlite:////tmp/mispers.sqlite3"}, "not a PostgreSQL database"),
    ({"DJANGO_EMAIL_BACKEND": None}, "DJANGO_EMAIL_BACKEND is not set"),
    ({"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
     "sends nothing"),
    ({"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
     "sends nothing"),
    ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS is not set"),
    ({"DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS is not set"),
    ({"DJANGO_ALLOWED_HOSTS": "mispers.police.example,testserver"}, "'testserver'"),
    ({"DJANGO_ALLOWED_HOSTS": "*"}, "contains '*'"),
    ({"MISPERS_PSEUDONYM_KEY": None}, "MISPERS_PSEUDONYM_KEY is not set"),
    ({"MISPERS_PSEUDONYM_KEY": "short"}, "MISPERS_PSEUDONYM_KEY has 5 characters"),
])
def test_an_unsafe_environment_is_refused(good_env, change, message):
    env = {**good_env, **{k: v for k, v in change.items() if v is not None}}
    for name in [k for k, v in change.items() if v is None]:
        env.pop(name)
    result = run(env, "-c", "import config.settings.production")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Production settings refused to start" in result.stderr
    assert message in result.stderr, result.stderr


def test_every_problem_is_named_at_once(good_env):
    env = {key: value for key, value in good_env.items()
           if key in {"PATH", "HOME", "DJANGO_SETTINGS_MODULE", "MISPERS_VAR_DIR"}}
    result = run(env, "-c", "import config.settings.production")
    for name in ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_EMAIL_BACKEND",
                 "DJANGO_ALLOWED_HOSTS"]:
        assert f"{name} is not set" in result.stderr


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_servers_default_to_production(good_env, module):
    """Without DJANGO_SETTINGS_MODULE a server loads the production settings (and so refuses a
    development environment), never the development ones."""
    env = {key: value for key, value in good_env.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = run(env, "-c", f"import {module}, os; print(os.environ['DJANGO_SETTINGS_MODULE'])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "config.settings.production"
    env.pop("DJANGO_SECRET_KEY")
    result = run(env, "-c", f"import {module}")
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_demo_command_uses_dev_settings_and_creates_private_files(tmp_path):
    """`mispers` (manage.py) runs the development settings; the SQLite database it creates and
    var/ are readable by their owner only, whatever the caller's umask."""
    var = tmp_path / "var"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "MISPERS_VAR_DIR": str(var)}
    code = ("import sys; sys.argv = ['mispers', 'shell', '--no-imports', '-c', "
            "'from django.conf import settings; from django.db import connection; "
            "connection.ensure_connection(); print(settings.SETTINGS_MODULE)']; "
            "import os; os.umask(0o022); from mispers.cli import main; main()")
    result = run(env, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "config.settings.dev"
    database = var / "mispers.sqlite3"
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
