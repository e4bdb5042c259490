"""A flood of sign-ins must not take the server down (issue 9): at most
MISPERS_PASSWORD_HASH_CONCURRENCY passwords are hashed at once per process; the rest are answered
429 quickly instead of queueing; the hash itself costs 19 MiB, not 100 MiB."""

import threading
import time

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import get_hasher

from mispers.accounts import backends


def test_sixteen_parallel_guesses_hash_at_most_the_limit_and_the_rest_are_refused_fast(
        settings, monkeypatch):
    settings.MISPERS_PASSWORD_HASH_CONCURRENCY = 2
    settings.MISPERS_PASSWORD_HASH_WAIT_SECONDS = 0.05
    running, peak, lock = [0], [0], threading.Lock()

    def slow_hash(self, request, username=None, password=None, **kwargs):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.5)  # an expensive password hash
        with lock:
            running[0] -= 1
        return None

    monkeypatch.setattr(ModelBackend, "authenticate", slow_hash)
    outcomes, start = [], threading.Barrier(16)

    def guess(i):
        start.wait()
        began = time.monotonic()
        try:
            backends.BoundedModelBackend().authenticate(None, username=f"u{i}", password="x")
            outcomes.append(("hashed", time.monotonic() - began))
        except backends.SignInBusy:
            outcomes.append(("busy", time.monotonic() - began))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] <= 2
    hashed = [t for kind, t in outcomes if kind == "hashed"]
    busy = [t for kind, t in outcomes if kind == "busy"]
    assert len(hashed) == 2 and len(busy) == 14
    assert max(busy) < 0.4  # refused at once, not after waiting for the hashes


@pytest.mark.django_db
def test_a_sign_in_that_finds_no_free_slot_is_answered_429(client, officer, settings,
                                                            monkeypatch):
    settings.MISPERS_PASSWORD_HASH_CONCURRENCY = 1
    settings.MISPERS_PASSWORD_HASH_WAIT_SECONDS = 0.01
    slots = backends._hash_slots()
    assert slots.acquire(timeout=1)  # another request is hashing
    try:
        response = client.post("/login/", {"login": "officer",
                                           "password": "correct-horse-battery"})
    finally:
        slots.release()
    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert b"Too many sign-ins at once" in response.content
    assert "_auth_user_id" not in client.session
    # The slot is free again: the same sign-in now works.
    response = client.post("/login/", {"login": "officer", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_the_production_hash_uses_19_mib(settings):
    settings.PASSWORD_HASHERS = ["mispers.accounts.hashers.Argon2PasswordHasher"]
    hasher = get_hasher("argon2")
    encoded = hasher.encode("correct-horse-battery", hasher.salt())
    assert "$m=19456,t=2,p=1$" in encoded
    assert hasher.verify("correct-horse-battery", encoded)
    # A hash made with Django's 100 MiB parameters still verifies, and is upgraded.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    old = Argon2PasswordHasher().encode("correct-horse-battery", hasher.salt())
    assert "m=102400" in old
    assert hasher.verify("correct-horse-battery", old)
    assert hasher.must_update(old)
