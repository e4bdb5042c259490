"""Production settings: everything from the environment, and refuse to start on an unsafe one.

Importing this module raises ImproperlyConfigured, naming every problem at once, when:

- DJANGO_SECRET_KEY (or a key in DJANGO_SECRET_KEY_FALLBACKS) is missing, shorter than 50
  characters, of low entropy, the development key, or one of Django's "django-insecure-" keys;
- DATABASE_URL is missing or not PostgreSQL (no silent SQLite file beside the code);
- DJANGO_EMAIL_BACKEND is missing or a backend that sends nothing (console, locmem, dummy, file):
  partner alerts and escalations would never leave the building;
- DJANGO_ALLOWED_HOSTS is missing or empty, or allows any host ("*") or Django's "testserver";
- MISPERS_PSEUDONYM_KEY (the analysts' pseudonym key) is missing, short or predictable.

A test (mispers/core/tests/test_deployment_settings.py) runs `manage.py check --deploy` on these
settings with a good environment and expects no warning; see ADR 0021.
"""

import copy
import math
import os
import zlib
from collections import Counter

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import CONTENT_SECURITY_POLICY, DATABASES, env_bool, env_list

DEVELOPMENT_SECRET_KEY = "insecure-development-key-change-me"
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_BITS = 128
SILENT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def estimated_bits(key: str) -> float:
    """A rough upper bound on the key's entropy: the smaller of its characters' Shannon entropy
    times its length and its size compressed. Catches repeated or patterned keys ("aaaa…",
    "abab…", "passwordpassword…"); a random key of 50 characters scores about 250 bits."""
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    compressed = (len(zlib.compress(key.encode(), 9)) - len(zlib.compress(b"", 9))) * 8
    return min(per_char * len(key), compressed)


def secret_key_problem(name: str, key: str | None) -> str | None:
    if not key:
        return f"{name} is not set. Generate one with: python -c \"import secrets; " \
               "print(secrets.token_urlsafe(64))\""
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure-"):
        return f"{name} is a published development key; generate a new one."
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"{name} has {len(key)} characters; it needs at least {MIN_SECRET_KEY_LENGTH}."
    if len(set(key)) < 5 or estimated_bits(key) < MIN_SECRET_KEY_BITS:
        return f"{name} is too predictable (repeated or patterned characters); generate a " \
               "random one."
    return None


problems: list[str] = []

DEBUG = False
# Every police and partner user sets up a second factor before anything opens (ADR 16). Not an
# environment switch here: a deployment cannot run production settings without it.
MISPERS_MFA_REQUIRED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False  # security keys over HTTPS only

# Secret key, and old keys still accepted for sessions and signed values while rotating.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", "")
for _name, _key in [("DJANGO_SECRET_KEY", SECRET_KEY),
                    *[(f"DJANGO_SECRET_KEY_FALLBACKS[{i}]", k)
                      for i, k in enumerate(SECRET_KEY_FALLBACKS)]]:
    _problem = secret_key_problem(_name, _key)
    if _problem:
        problems.append(_problem)

# The database: PostgreSQL named by DATABASE_URL (base.py falls back to SQLite without it).
if not os.environ.get("DATABASE_URL"):
    problems.append("DATABASE_URL is not set; production needs PostgreSQL "
                    "(postgres://user:password@host:5432/name).")
elif "postgresql" not in DATABASES["default"].get("ENGINE", ""):
    problems.append("DATABASE_URL is not a PostgreSQL database.")

# Email: partner alerts and escalations must really be sent.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "")
if not EMAIL_BACKEND:
    problems.append("DJANGO_EMAIL_BACKEND is not set (for example "
                    "django.core.mail.backends.smtp.EmailBackend with DJANGO_EMAIL_HOST).")
elif EMAIL_BACKEND in SILENT_EMAIL_BACKENDS:
    problems.append(f"DJANGO_EMAIL_BACKEND is {EMAIL_BACKEND}, which sends nothing: partner "
                    "alerts and escalations would never arrive.")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# The analysts' child pseudonyms (ADR 0018): a key of its own, so rotating the secret key does not
# change every pseudonym, and a random one, or pseudonyms could be recomputed from child ids.
MISPERS_PSEUDONYM_KEY = os.environ.get("MISPERS_PSEUDONYM_KEY", "")
_problem = secret_key_problem("MISPERS_PSEUDONYM_KEY", MISPERS_PSEUDONYM_KEY)
if _problem:
    problems.append(_problem)

# Hosts: the names the service answers to, no wildcard, not Django's test client's name.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "")
if not ALLOWED_HOSTS:
    problems.append("DJANGO_ALLOWED_HOSTS is not set; list the host names the service answers "
                    "to, separated by commas.")
for _host in ALLOWED_HOSTS:
    if "*" in _host or _host.lower() == "testserver":
        problems.append(f"DJANGO_ALLOWED_HOSTS contains {_host!r}; list real host names only.")

if problems:
    raise ImproperlyConfigured("Production settings refused to start:\n- " + "\n- ".join(problems))

# HTTPS only: secure cookies with the __Host- prefix (no Domain, Path=/, Secure), a redirect to
# HTTPS, and HSTS for a year on this host and its subdomains. The preload directive only takes
# effect if the force submits its domain to the browsers' preload list.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # Only behind a proxy that sets (and strips from clients) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = copy.deepcopy(CONTENT_SECURITY_POLICY)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
