"""Base settings. Every value that differs between deployments comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MISPERS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Key of the analysts' child pseudonyms (HMAC); empty: derived from SECRET_KEY (ADR 0018).
MISPERS_PSEUDONYM_KEY = os.environ.get("MISPERS_PSEUDONYM_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's security-key list uses naturaltime
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "mispers.core",
    "mispers.accounts",
    "mispers.people",
    "mispers.places",
    "mispers.episodes",
    "mispers.risk",
    "mispers.reviews",
    "mispers.returns",
    "mispers.matching",
    "mispers.repeats",
    "mispers.partners",
    "mispers.intelligence",
    "mispers.searches",
    "mispers.insights",
    "mispers.exchange",
    "mispers.national",
    "mispers.synth",
    "mispers.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mispers.accounts.middleware.LoginRequiredMiddleware",
    # Refused attempts on a child's record (403/404) go to the access log (ADR 0019).
    "mispers.accounts.audit.AccessRefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mispers" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mispers.accounts.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "mispers.core.forms.GovukFormRenderer"

# SQLite by default (embedded, two-command set-up); PostgreSQL when DATABASE_URL is set.
SQLITE_PATH = Path(os.environ.get("MISPERS_SQLITE_PATH", VAR_DIR / "mispers.sqlite3"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    # The embedded default must work on a fresh clone, where var/ does not exist yet.
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write
                # lock at BEGIN so concurrent writers queue on busy_timeout instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Lockout is checked first, before any password is hashed (ADR 16).
    "mispers.accounts.backends.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend with a bound on how many passwords are hashed at once (ADR 16).
    "mispers.accounts.backends.BoundedModelBackend",
]
PASSWORD_HASHERS = [
    # Argon2id at 19 MiB, 2 passes (OWASP's first choice) instead of Django's 100 MiB (ADR 16).
    # Its algorithm name is "argon2": it also verifies hashes made with Django's parameters.
    "mispers.accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "mispers" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after MISPERS_SESSION_IDLE_MINUTES without a request (30 by default) and when the
# browser closes: the expiry moves on at every request (ADR 16).
SESSION_COOKIE_AGE = 60 * int(os.environ.get("MISPERS_SESSION_IDLE_MINUTES", "30"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mispers.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mispers.api.permissions.CanReadCases"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "mispers.api.pagination.CappedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "mispers.api.errors.exception_handler",
}
# API tokens (ADR 0017): how long a new token lasts unless its creator chooses, and at most.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("MISPERS_API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("MISPERS_API_TOKEN_MAX_DAYS", "365"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Mispers API",
    "DESCRIPTION": "Missing children: reports, risk assessments and grades.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every endpoint needs a signed-in user, the schema too (partners get it with their token).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": ["mispers.api.authentication.ApiTokenAuthentication",
                             "rest_framework.authentication.SessionAuthentication"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"Grade": "mispers.episodes.models.Grade",
                            "DeadlineKind": "mispers.reviews.models.Deadline.Kind",
                            "EnquiryKind": "mispers.episodes.models.EnquiryEntry.Kind",
                            "TriggerPlanActionKind":
                                "mispers.repeats.models.TriggerPlanAction.Kind",
                            "PartnerOrganisationKind":
                                "mispers.partners.models.PartnerOrganisation.Kind",
                            "PlaceKind": "mispers.places.models.PlaceKind",
                            # One name for the child's condition when found (returns, analysis).
                            "ConditionEnum": "mispers.returns.models.Condition"},
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MISPERS_LOG_LEVEL", "WARNING")},
}

# Where the shared list of forces lives (a copy ships inside the package).
FORCES_CSV = BASE_DIR / "mispers" / "risk" / "policies" / "forces.csv"

# --- Background jobs: huey runs the sweeper (reviews/tasks.py) every minute --------------------
# The queue is a SQLite file in var/ by default (no extra server for the two-command set-up).
# With DATABASE_URL (PostgreSQL in production) the queue lives in that PostgreSQL database through
# huey's SqlHuey (peewee, with psycopg 3): one database to back up and no SQLite file shared
# between hosts. HUEY_DATABASE_URL puts it in another database. SqlHuey's tables ("kv",
# "schedule", "task", "counter") are made by `mispers create_huey_tables` after `migrate`, never
# at import, so web workers starting together do not race to create them. The sweeper is
# idempotent and overdue lists are computed from the deadline rows, so they stay right while the
# consumer (`mispers run_huey`) is down.
INSTALLED_APPS += ["huey.contrib.djhuey"]

# flush_locks: a consumer killed during a sweep must not leave the sweep's lock behind.
HUEY_CONSUMER = {"workers": 1, "worker_type": "thread", "periodic": True,
                 "check_worker_health": True, "flush_locks": True}
_huey_database_url = os.environ.get("HUEY_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
if _huey_database_url:
    # peewee knows postgres:// and postgresql://; dj-database-url also accepts these aliases.
    for _alias in ("pgsql://", "postgis://"):
        if _huey_database_url.startswith(_alias):
            _huey_database_url = "postgresql://" + _huey_database_url[len(_alias):]
    HUEY = {
        "huey_class": "huey.contrib.sql_huey.SqlHuey",
        "name": "mispers",
        "database": _huey_database_url,
        "create_tables": False,
        "immediate": False,
        "utc": True,
        "consumer": HUEY_CONSUMER,
    }
else:
    HUEY_SQLITE_PATH = Path(os.environ.get("MISPERS_HUEY_PATH", VAR_DIR / "huey.sqlite3"))
    HUEY_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "mispers",
        "filename": str(HUEY_SQLITE_PATH),
        "immediate": False,
        "utc": True,
        "consumer": HUEY_CONSUMER,
    }
# The consumer's log (each sweep it runs) once, through the console handler above.
LOGGING["loggers"] = {**LOGGING.get("loggers", {}), "huey": {
    "handlers": ["console"], "level": os.environ.get("MISPERS_HUEY_LOG_LEVEL", "INFO"),
    "propagate": False}}

# --- Sign-in: lockout, multi-factor, first passwords, API throttles (ADR 16) ---------------------
INSTALLED_APPS += ["allauth", "allauth.account", "allauth.mfa", "axes"]
MIDDLEWARE += [
    # Answers 429 when too many passwords are being hashed at once; counts failed API credentials.
    "mispers.accounts.middleware.SignInGuardMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A first password must be changed, and (when required) a second factor set up, first.
    "mispers.accounts.middleware.AccountStateMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# django-allauth: sign-in by username only, no self sign-up, no "remember me" (sessions end when
# the browser closes). Its own failed-login counter is off: django-axes counts, in the database,
# where administrators can see and clear it.
ACCOUNT_ADAPTER = "mispers.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {"login_failed": False}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

# Second factor: authenticator app (TOTP), passkeys/security keys (WebAuthn), recovery codes.
# MISPERS_MFA_REQUIRED: every user must set one up before anything else opens (on in production,
# off by default so the demo's printed logins still work).
MISPERS_MFA_REQUIRED = env_bool("MISPERS_MFA_REQUIRED", False)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Wrong codes count towards the django-axes lockout like wrong passwords (allauth's own counter
# is off, above).
MFA_FORMS = {"authenticate": "mispers.accounts.mfa_forms.AuthenticateForm"}
MFA_TOTP_ISSUER = "Mispers"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for phone clocks a little out
MFA_ALLOW_UNVERIFIED_EMAIL = True  # addresses are set by administrators, not by self sign-up
MFA_PASSKEY_LOGIN_ENABLED = False  # a passkey is a second factor here, after the password
# Browsers allow WebAuthn on http://localhost only; the demo runs there.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MISPERS_WEBAUTHN_ALLOW_INSECURE_ORIGIN", DEBUG)

# django-axes: MISPERS_LOCKOUT_FAILURES failed sign-ins for one username, or from one address,
# lock that username or address for MISPERS_LOCKOUT_MINUTES; checked before any password hashing.
# Failed API credentials count against the address too.
AXES_FAILURE_LIMIT = int(os.environ.get("MISPERS_LOCKOUT_FAILURES", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("MISPERS_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "mispers.accounts.lockout.username_from_request"
AXES_CLIENT_IP_CALLABLE = "mispers.accounts.lockout.client_address"
AXES_SENSITIVE_PARAMETERS = ["login", "username", "password", "code", "credential",
                             "csrfmiddlewaretoken", "old_password", "new_password1",
                             "new_password2"]
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 1000
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0: use the socket address).
MISPERS_TRUSTED_PROXY_COUNT = int(os.environ.get("MISPERS_TRUSTED_PROXY_COUNT", "0"))
# At most this many passwords are hashed at once per server process; others wait this long and
# are then answered 429, so a flood of sign-ins cannot exhaust memory or CPU.
MISPERS_PASSWORD_HASH_CONCURRENCY = int(os.environ.get("MISPERS_PASSWORD_HASH_CONCURRENCY", "2"))
MISPERS_PASSWORD_HASH_WAIT_SECONDS = float(os.environ.get("MISPERS_PASSWORD_HASH_WAIT", "2"))

# API throttles: per address for anonymous calls, per user for signed-in ones; failed credentials
# count towards the django-axes lockout (SignInGuardMiddleware). AccountStateThrottle refuses
# (403) a user who must change their password first.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "mispers.accounts.throttles.AccountStateThrottle",
    "rest_framework.throttling.AnonRateThrottle",
    "rest_framework.throttling.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": os.environ.get("MISPERS_API_ANON_RATE", "30/minute"),
    "user": os.environ.get("MISPERS_API_USER_RATE", "600/minute"),
}

# --- Response headers and request limits (ADR 0021) ---------------------------------------------
# Content-Security-Policy (django-csp): scripts, styles, images and connections from this server
# only; the one inline script (base.html) runs by the response's nonce; no plugins, no frames, no
# <base>, forms post only here. htmx's injected indicator styles are off (base.html) and no
# template uses hx-on or js: values, so htmx needs no 'unsafe-eval'.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

INSTALLED_APPS += ["csp"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for the empty favicon in base.html
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# RequestLimitsMiddleware refuses NUL characters and over-long form values (400) before anything
# else reads them; the CSP middleware adds the header (and makes request.csp_nonce);
# PrivateCacheMiddleware makes every answer to a signed-in user, and every API answer,
# "Cache-Control: no-store, private" (mispers/core/middleware.py).
MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
                  "mispers.core.middleware.RequestLimitsMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("mispers.core.middleware.RequestLimitsMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "mispers.core.middleware.PrivateCacheMiddleware")

# Sizes: the longest free-text value a form or API field takes, how deep a JSON body may nest,
# and the largest request body (files uploaded to a form aside, which their forms limit).
MISPERS_MAX_TEXT_LENGTH = int(os.environ.get("MISPERS_MAX_TEXT_LENGTH", "10000"))
MISPERS_MAX_JSON_DEPTH = int(os.environ.get("MISPERS_MAX_JSON_DEPTH", "32"))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MISPERS_MAX_BODY_BYTES", str(1024 * 1024)))
# Uploaded files (photos) and their folders readable by the server's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# The API's parsers apply the same limits to JSON and form bodies (mispers/api/parsers.py);
# OPTIONS answers name, description and media types, never looking a record up
# (mispers/api/metadata.py).
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "mispers.api.parsers.JSONParser",
    "mispers.api.parsers.FormParser",
    "mispers.api.parsers.MultiPartParser",
]
REST_FRAMEWORK["DEFAULT_METADATA_CLASS"] = "mispers.api.metadata.ApiMetadata"
# The schema states the text limit on every string of a request body (mispers/api/schema_hooks.py).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "mispers.api.schema_hooks.document_text_limit",
]

# The national hub's linkage on Spark (`mispers hub link --engine spark`, ADR 47, docs/national.md):
# local mode on this machine unless MISPERS_SPARK_MASTER names a cluster (spark://host:7077,
# yarn, k8s://…); there MISPERS_SPARK_CHECKPOINT_DIR must be shared storage every executor reaches.
MISPERS_SPARK_MASTER = os.environ.get("MISPERS_SPARK_MASTER", "local[2]")
# Empty: in local mode, half this machine's memory (at least 2 GB, at most 32 GB); on a
# cluster, Spark's own default (mispers/matching/dedupe/spark.py).
MISPERS_SPARK_DRIVER_MEMORY = os.environ.get("MISPERS_SPARK_DRIVER_MEMORY", "")
MISPERS_SPARK_SHUFFLE_PARTITIONS = int(os.environ.get("MISPERS_SPARK_SHUFFLE_PARTITIONS", "8"))
MISPERS_SPARK_CHECKPOINT_DIR = os.environ.get("MISPERS_SPARK_CHECKPOINT_DIR", "")
