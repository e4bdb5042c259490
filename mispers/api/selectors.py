"""API tokens: reading them. A user sees only their own; the digest is never loaded to list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare

from mispers.core.errors import NotFound

from .models import ApiToken
from .tokens import PREFIX_LENGTH, TOKEN_START, digest_of


def tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (the digest is never needed to list them)."""
    return ApiToken.objects.filter(user=user).defer("digest", "password_fingerprint")


def token_of(*, user, token_id) -> ApiToken:
    """One of the user's own tokens; anyone else's is not found."""
    try:
        return tokens_of(user=user).get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("No such token") from exc


def find_token(raw: str) -> ApiToken | None:
    """The token a client presented, if it is one: found by prefix, compared in constant time.
    Expiry, revocation, the password and the scope are the caller's checks."""
    if not raw.startswith(TOKEN_START) or len(raw) < PREFIX_LENGTH + 16 or len(raw) > 200:
        return None
    token = (ApiToken.objects.select_related("user", "user__organisation")
             .filter(prefix=raw[:PREFIX_LENGTH]).first())
    if token is None or not constant_time_compare(token.digest, digest_of(raw)):
        return None
    return token
