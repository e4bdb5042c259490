"""Input no client should send is answered 4xx in the API's error shape, never 500, and saves
nothing: OPTIONS on every endpoint, deeply nested or oversized JSON, NUL characters, over-long
text, unknown addresses with any method. Every API answer is `no-store, private`."""

import json
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .helpers import case_rows, refused

pytestmark = pytest.mark.django_db


def api_paths():
    """Every /api/v1/ address, its parameters filled with ids that exist nowhere."""
    (v1,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver)
             and str(p.pattern) == "api/"]
    (inner,) = [p for p in v1.url_patterns if str(p.pattern) == "v1/"]
    paths = []
    for pattern in inner.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        route = route.replace("<uuid:pk>", str(uuid.uuid4())).replace("<int:pk>", "999999")
        assert "<" not in route, route
        paths.append(f"/api/v1/{route}")
    return paths


def test_options_answers_on_every_endpoint(client_for, officer):
    client = client_for(officer)
    paths = api_paths()
    assert len(paths) > 40
    for path in paths:
        response = client.options(path)
        # 200 for police endpoints; 403 for the partner and administrators' ones.
        assert response.status_code in (200, 403), (path, response.content)
        assert response["Cache-Control"] == "no-store, private"
        if response.status_code == 200:
            assert "actions" not in response.json()  # no field list, no record looked up


def test_options_on_the_trigger_plan_of_a_child(client_for, officer, episode):
    response = client_for(officer).options(f"/api/v1/children/{episode.child_id}/trigger-plan")
    assert response.status_code == 200
    assert response.json()["parses"] == ["application/json"]


def test_deeply_nested_json_is_refused(client_for, officer):
    client = client_for(officer)
    body = "[" * 50_000 + "]" * 50_000
    body = refused(client.post("/api/v1/risk/recommend", body, content_type="application/json"))
    assert "nested deeper than 32 levels" in body["detail"]
    nested = {"age": 14}
    for _ in range(40):
        nested = {"a": nested}
    refused(client.post("/api/v1/risk/recommend", nested, format="json"))


def test_a_body_over_the_size_limit_is_refused_unread(client_for, officer, episode):
    client = client_for(officer)
    before = case_rows()
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(f"/api/v1/episodes/{episode.pk}/enquiries/",
                           json.dumps({"kind": "update", "text": text}),
                           content_type="application/json")
    refused(response, 413)
    assert case_rows() == before


@pytest.mark.parametrize("value", ["N" * 2_000_000, "y" * 10_001])
def test_over_long_text_is_refused_naming_the_field(client_for, officer, episode, value):
    client = client_for(officer)
    before = case_rows()
    response = client.post(f"/api/v1/episodes/{episode.pk}/enquiries/",
                           {"kind": "update", "text": value}, format="json")
    body = refused(response, 413 if len(value) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE else 400)
    if response.status_code == 400:
        assert body["field_errors"] == {"text": ["Enter at most 10,000 characters."]}
    assert case_rows() == before


def test_text_at_the_limit_is_accepted_by_the_parser(client_for, officer):
    client = client_for(officer)
    response = client.post("/api/v1/risk/recommend", {"rationale": "y" * 10_000}, format="json")
    # The case is incomplete, so the service refuses it: but not for its length.
    body = refused(response)
    assert "10,000" not in json.dumps(body)


def test_nul_characters_are_refused(client_for, officer, episode):
    client = client_for(officer)
    before = case_rows()
    refused(client.get("/api/v1/children/?q=a%00b"))
    refused(client.get("/api/v1/children/?q=a\x00b"))
    body = refused(client.post(f"/api/v1/episodes/{episode.pk}/enquiries/",
                               {"kind": "update", "text": "before\x00after"}, format="json"))
    assert list(body["field_errors"]) == ["text"]
    body = refused(client.post("/api/v1/risk/recommend", {"answers": {"a\x00": "yes"}},
                               format="json"))
    assert list(body["field_errors"]) == ["answers.a\x00"]
    assert case_rows() == before


def test_invalid_utf8_and_invalid_json_are_refused(client_for, officer):
    client = client_for(officer)
    refused(client.post("/api/v1/risk/recommend", b'{"age": "\xff"}',
                        content_type="application/json"))
    refused(client.post("/api/v1/risk/recommend", b'{"age": NaN}',
                        content_type="application/json"))


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options", "head"])
def test_unknown_api_addresses_answer_json_404_to_every_method(officer, method):
    client = Client(enforce_csrf_checks=True)  # as a browser with a session, no CSRF token
    client.force_login(officer)
    response = getattr(client, method)("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store, private"
    if method != "head":
        assert response.json() == {"detail": "Not found.", "field_errors": {}}
    anonymous = Client(enforce_csrf_checks=True)
    assert getattr(anonymous, method)("/api/nothing").status_code == 404


def test_dates_and_times_before_1900_are_refused(client_for, officer, episode):
    """Before 1900 Europe/London is local mean time (-00:01:15), which the API could not write
    back as RFC 3339: found by the schema fuzzing."""
    client = client_for(officer)
    before = case_rows()
    body = refused(client.post(f"/api/v1/episodes/{episode.pk}/enquiries/", {
        "kind": "update", "text": "Seen", "occurred_at": "0806-05-14T12:34:54Z"}, format="json"))
    assert body["field_errors"] == {"occurred_at": ["Enter a date and time from 1900 to 2199."]}
    assert case_rows() == before
