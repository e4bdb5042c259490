import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and used TOTP codes live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sign_in(client):
    """sign_in(username, password, address=...) -> the response to the real sign-in form."""

    def post(username, password="correct-horse-battery", address="10.0.0.1", follow=False):
        return client.post("/login/", {"login": username, "password": password},
                           REMOTE_ADDR=address, follow=follow)

    return post
