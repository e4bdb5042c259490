"""API tokens (ADR 0017): named, scoped to the police or the partner API, expiring, revocable,
stored only as a SHA-256 digest. The secret is shown once when the token is created."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        POLICE = "police", "Police API"
        PARTNER = "partner", "Partner API"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    # The token's first characters ("mpt_" and 8 random ones): how the token is found, and how a
    # person recognises it in lists. Not secret, and not enough to use it.
    prefix = models.CharField(max_length=12, unique=True)
    # SHA-256 of the whole token, hex. The secret itself is never stored.
    digest = models.CharField(max_length=64)
    # An HMAC of the user's password hash when the token was issued: a password change (by any
    # route) changes the hash, and the token stops working.
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Recorded at most once a minute per token (api.authentication.LAST_USE_EVERY).
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def status(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "active"
