"""Development settings: the demo (`make run`, the `mispers` command). DEBUG on by default."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# Security keys work on http://localhost:8000 in the demo (browsers allow it there only; ADR 16).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
