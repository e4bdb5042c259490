"""The `mispers` console script: Django's management commands (`mispers migrate`, `mispers grade`).

It runs the development settings unless DJANGO_SETTINGS_MODULE says otherwise (a deployment sets
config.settings.production, which refuses an unsafe environment). Files it creates (the SQLite
database, the job queue, uploads, var/ itself) are readable by the current user only.
"""

import os
import sys


def _make_var_private() -> None:
    """var/ (created by the settings) is owner-only, also in a clone made before this rule."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        var = settings.VAR_DIR
    except (ImproperlyConfigured, AttributeError):
        return  # execute_from_command_line reports settings that do not load
    if var.is_dir() and var.stat().st_uid == os.getuid():
        var.chmod(0o700)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.umask(0o077)
    _make_var_private()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mispers", *sys.argv[1:]])


if __name__ == "__main__":
    main()
