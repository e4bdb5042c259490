"""Keyed pseudonyms of children for analysis (docs/adr/0018-least-privilege.md).

A child's pseudonym is HMAC-SHA256 of the child's id under a per-deployment key, so the same
child has the same pseudonym in every extract (repeat analysis works) but going back from a
pseudonym to a child needs the key or the police records: an analyst cannot reverse it, and
pseudonyms from two deployments (two keys) do not line up."""

import hashlib
import hmac
import uuid

from django.conf import settings

PREFIX = "c-"
LENGTH = 20  # hex characters: 80 bits, no collision in any realistic number of children


def pseudonym_key() -> bytes:
    """MISPERS_PSEUDONYM_KEY, or (when unset) a key derived from SECRET_KEY for this purpose
    only, so a deployment always has one without sharing the session-signing key itself."""
    configured = getattr(settings, "MISPERS_PSEUDONYM_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"mispers.analysis.child-pseudonym",
                    hashlib.sha256).digest()


def child_pseudonym(child_id: uuid.UUID | str, *, key: bytes | None = None) -> str:
    digest = hmac.new(key if key is not None else pseudonym_key(),
                      uuid.UUID(str(child_id)).bytes, hashlib.sha256).hexdigest()
    return PREFIX + digest[:LENGTH]
