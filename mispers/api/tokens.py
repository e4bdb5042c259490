"""What an API token is (ADR 0017): its format, its digest, the password fingerprint, who may
hold which scope. Issuing and revoking are in services.py, finding one in selectors.py.

A token is `mpt_` followed by 43 URL-safe characters (256 random bits). Its first 12 characters
are the prefix, stored in clear to find the row and to show in lists; the database holds only
the SHA-256 of the whole token. A random 256-bit secret needs no salt or slow hash: nobody can
guess it from its digest, and SHA-256 keeps each request's check cheap."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from mispers.accounts.rules import has_police_role
from mispers.core.errors import DomainError
from mispers.partners.selectors import is_partner

from .models import ApiToken

TOKEN_START = "mpt_"
PREFIX_LENGTH = 12  # "mpt_" and 8 random characters
_FINGERPRINT_SALT = "mispers.api.token-password"


def default_days() -> int:
    """How long a new token lasts unless its creator says (settings.API_TOKEN_DEFAULT_DAYS)."""
    return getattr(settings, "API_TOKEN_DEFAULT_DAYS", 90)


def max_days() -> int:
    """The longest a token may last (settings.API_TOKEN_MAX_DAYS)."""
    return getattr(settings, "API_TOKEN_MAX_DAYS", 365)


class TokenRefused(DomainError):
    """A token cannot be issued as asked (answered as a form error, or by the command)."""


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_fingerprint(user, *, secret: str | None = None) -> str:
    """An HMAC of the user's password hash (like Django's session auth hash): it changes
    whenever the password does, whoever changes it and however, and reveals nothing of it."""
    return salted_hmac(_FINGERPRINT_SALT, user.password, secret=secret,
                       algorithm="sha256").hexdigest()


def password_unchanged(token: ApiToken, user) -> bool:
    """True while the user's password is the one they had when the token was issued. Checked
    against SECRET_KEY and its fallbacks, so rotating SECRET_KEY keeps tokens working."""
    for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if constant_time_compare(token.password_fingerprint,
                                 password_fingerprint(user, secret=key)):
            return True
    return False


def scopes_for(user) -> list[str]:
    """The scopes a user may hold tokens for: police users the police API, partner users the
    partner API. Users with neither role may not have tokens at all."""
    if not (user.is_authenticated and user.is_active):
        return []
    if is_partner(user):
        return [ApiToken.Scope.PARTNER]
    # Any police role: the analyst's analysis API and the administrator's organisation API need
    # tokens too; what each role may read is the endpoints' permission, not the token's.
    if has_police_role(user):
        return [ApiToken.Scope.POLICE]
    return []
