"""Helpers for tests (imported only by tests)."""

import html


def page_text(response, status: int = 200, *, raw: bool = False) -> str:
    """The response's text (entities decoded unless `raw`), once its status is the one expected:
    a test that asserts something is *absent* from a page must first know it got the page, not
    an error or a redirect."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {response.content[:300]!r}")
    text = response.content.decode()
    return text if raw else html.unescape(text)
