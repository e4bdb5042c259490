"""Authentication backends (ADR 16).

LockoutBackend comes first: it refuses a locked-out username or address before any password is
hashed. BoundedModelBackend is Django's ModelBackend with a limit on how many passwords one
process hashes at once: a request that cannot get a slot within a short wait is answered 429
(SignInBusy, turned into a response by middleware.SignInGuardMiddleware) instead of queueing
until memory or threads run out.
"""

import threading

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class SignInBusy(Exception):
    """Too many passwords are being checked at once: try again in a moment (429)."""


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check. Every sign-in over HTTP passes the request (allauth's form,
    the admin site); a call without one comes from code on the server (a shell, a test), not
    from a client, and has no address to lock, so it is let through to the other backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None
_slots_size = 0


def _hash_slots() -> threading.BoundedSemaphore:
    global _slots, _slots_size
    size = max(1, settings.MISPERS_PASSWORD_HASH_CONCURRENCY)
    with _slots_lock:
        if _slots is None or _slots_size != size:  # settings changed (tests)
            _slots, _slots_size = threading.BoundedSemaphore(size), size
        return _slots


class BoundedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is None:
            return None
        slots = _hash_slots()
        if not slots.acquire(timeout=settings.MISPERS_PASSWORD_HASH_WAIT_SECONDS):
            raise SignInBusy()
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        finally:
            slots.release()
