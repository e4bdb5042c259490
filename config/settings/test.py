import os

from .base import *  # noqa: F401,F403
from .base import DATABASES

# Argon2 is deliberately slow; tests check behaviour, not hashing cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if os.environ.get("DATABASE_URL"):
    # The live server thread of the browser tests must not keep its connection open, or the test
    # database cannot be dropped at the end of the run.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Tasks run in the calling process and the queue is in memory: tests never need a consumer.
HUEY = {"huey_class": "huey.MemoryHuey", "name": "mispers-test", "immediate": True, "utc": True}

# Sessions end after 30 idle minutes (base.py). Many tests travel days through time between two
# requests of one signed-in user; they test other rules, so their sessions do not idle out. The
# idle-session test puts the real value back (accounts/tests/test_first_password_and_sessions.py).
IDLE_SESSION_SECONDS = SESSION_COOKIE_AGE  # noqa: F405
SESSION_COOKIE_AGE = 60 * 60 * 24 * 3650
