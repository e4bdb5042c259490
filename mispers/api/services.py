"""API tokens: issuing, revoking and recording use (ADR 0017). The secret is returned once and
never stored."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction

from mispers.core.errors import NotFound, PermissionDenied

from .models import ApiToken
from .tokens import (
    PREFIX_LENGTH,
    TOKEN_START,
    TokenRefused,
    default_days,
    digest_of,
    max_days,
    password_fingerprint,
    scopes_for,
)


@transaction.atomic
def api_token_create(*, actor, user, name: str, scope: str, now: dt.datetime,
                     days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a token for `user` and return it with its secret, which is never stored: show it
    once. `actor` is the user themselves (the page) or None (the operator's command)."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied("You may only create tokens for yourself.")
    name = name.strip()
    if not name:
        raise TokenRefused("Enter a name for the token", field="name")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise TokenRefused("Name must be 100 characters or fewer", field="name")
    if scope not in ApiToken.Scope.values:
        raise TokenRefused("Choose the police API or the partner API", field="scope")
    allowed = scopes_for(user)
    if not allowed:
        raise TokenRefused(f"{user.username} has no police or partner role, so may not use "
                           "the API", field="scope")
    if scope not in allowed:
        raise TokenRefused(f"{user.username} may only have tokens for the "
                           f"{ApiToken.Scope(allowed[0]).label}", field="scope")
    days = default_days() if days is None else days
    if not 1 <= days <= max_days():
        raise TokenRefused(f"A token lasts between 1 and {max_days()} days", field="days")
    for _attempt in range(5):
        secret = TOKEN_START + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():  # a prefix collision (1 in 2^48) retries, nothing else
                token = ApiToken.objects.create(
                    user=user, name=name, scope=scope, prefix=secret[:PREFIX_LENGTH],
                    digest=digest_of(secret), password_fingerprint=password_fingerprint(user),
                    created_at=now, expires_at=now + dt.timedelta(days=days))
        except IntegrityError:
            continue
        return token, secret
    raise RuntimeError("Could not find an unused token prefix")  # pragma: no cover


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken, now: dt.datetime) -> ApiToken:
    """Revoke a token at once. Users revoke their own; an operator (actor None) or a superuser
    in the admin any. Revoking twice keeps the first time."""
    if actor is not None and actor.pk != token.user_id and not actor.is_superuser:
        raise NotFound("No such token")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = now
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_used(*, token: ApiToken, now: dt.datetime, address: str | None,
               every: dt.timedelta) -> None:
    """Record the token's last use, writing at most once per `every` so a busy client does not
    turn every read into a write."""
    if token.last_used_at is not None and now - token.last_used_at < every:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address
