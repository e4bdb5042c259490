"""Response headers and request limits on the pages: a Content-Security-Policy whose nonce is
new on every response and marks the page's one inline script; `Cache-Control: no-store, private`
on everything a signed-in user sees; NUL characters, over-long form values and oversized bodies
refused with 400/413 before any view runs."""

import re

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(officer):
    client = Client()
    client.force_login(officer)
    return client


def nonce_of(response) -> str:
    (nonce,) = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return nonce


def test_pages_carry_a_policy_with_a_fresh_nonce(signed_in):
    first, second = signed_in.get("/episodes/"), signed_in.get("/episodes/")
    assert first.status_code == 200
    policy = first["Content-Security-Policy"]
    for directive in ["default-src 'self'", "style-src 'self'", "object-src 'none'",
                      "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]:
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert nonce_of(first) != nonce_of(second)
    # The inline script carries this response's nonce; no other inline script or style.
    html = first.content.decode()
    assert html.count(f'<script nonce="{nonce_of(first)}">') == 1
    assert len(re.findall(r"<script(?![^>]*\bsrc=)", html)) == 1
    assert " style=" not in html and "<style" not in html


def test_the_sign_in_page_has_the_policy_too(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]


def test_signed_in_answers_are_never_cached(signed_in, episode):
    for path in ["/episodes/", f"/episodes/{episode.pk}/", f"/children/{episode.child_id}/"]:
        response = signed_in.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store, private", path
        assert "Expires" not in response


def test_api_answers_are_never_cached_even_refusals(client):
    response = client.get("/api/v1/episodes/")
    assert response.status_code in (401, 403)
    assert response["Cache-Control"] == "no-store, private"


def test_nul_in_a_page_address_is_refused(signed_in):
    response = signed_in.get("/children/?q=Amira%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert signed_in.get("/children/?q=Amira").status_code == 200


def test_form_values_with_nul_or_over_the_limit_are_refused(signed_in, episode):
    limit = settings.MISPERS_MAX_TEXT_LENGTH
    path = f"/episodes/{episode.pk}/assess/"
    assert signed_in.post(path, {"rationale": "a\x00b"}).status_code == 400
    response = signed_in.post(path, {"rationale": "x" * (limit + 1)})
    assert response.status_code == 400
    assert f"at most {limit:,} characters" in response.content.decode()
    # At the limit the form itself answers (here: the questions are unanswered).
    assert signed_in.post(path, {"rationale": "x" * limit}).status_code == 200


def test_an_oversized_body_is_refused_unread(signed_in, episode):
    body = "rationale=" + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = signed_in.post(f"/episodes/{episode.pk}/assess/", body,
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
