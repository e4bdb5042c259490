"""Who may call the API, and that nobody sees another force's records."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .helpers import case_rows, logged, refused


@pytest.fixture
def graded(episode, officer, assess):
    """An episode of this force with a downgrade waiting for ratification."""
    return assess(episode, officer, "low", rationale="Often stays at her sister's")


@pytest.fixture
def detail_urls(episode, graded):
    return [
        ("get", f"/api/v1/children/{episode.child_id}/"),
        ("get", f"/api/v1/episodes/{episode.pk}/"),
        ("get", f"/api/v1/episodes/{episode.pk}/assessments/"),
        ("post", f"/api/v1/episodes/{episode.pk}/assessments/"),
        ("get", f"/api/v1/assessments/{graded.pk}/"),
        ("post", f"/api/v1/assessments/{graded.pk}/ratify"),
        ("post", f"/api/v1/assessments/{graded.pk}/decline"),
    ]


LIST_URLS = ["/api/v1/children/", "/api/v1/episodes/", "/api/v1/episodes/?state=open"]


def call(client, method, url):
    body = {"answers": {}, "grade": "high", "note": "Not mine to decide"}
    return getattr(client, method)(url, body, format="json") if method == "post" else \
        client.get(url)


def test_another_forces_user_gets_404_for_every_detail_url(client_for, outsider, detail_urls):
    client = client_for(outsider)
    before = case_rows()
    for method, url in detail_urls:
        response = call(client, method, url)
        assert response.status_code == 404, (method, url, response.content)
        assert response.json() == {"detail": "Not found.", "field_errors": {}}
    assert case_rows() == before
    assert logged(outsider, "child") == logged(outsider, "episode") == []


def test_the_same_urls_work_for_this_forces_inspector(client_for, inspector, detail_urls):
    client = client_for(inspector)
    for method, url in detail_urls:
        if url.endswith("/decline"):
            continue  # ratified just before
        response = call(client, method, url)
        assert response.status_code in (200, 201), (method, url, response.content)


def test_another_forces_user_sees_empty_lists(client_for, outsider, graded):
    client = client_for(outsider)
    for url in LIST_URLS:
        body = client.get(url).json()
        assert (body["count"], body["results"]) == (0, []), url
    assert client.get("/api/v1/children/", {"q": "Amira"}).json()["count"] == 0


def test_this_forces_lists_show_the_rows(client_for, sergeant, graded):
    client = client_for(sergeant)
    for url in LIST_URLS:
        assert client.get(url).json()["count"] == 1, url


def test_anonymous_requests_get_401_asking_for_a_token(anonymous, detail_urls):
    for method, url in [*detail_urls, *(("get", url) for url in LIST_URLS),
                        ("post", "/api/v1/episodes/"), ("post", "/api/v1/children/")]:
        response = call(anonymous, method, url)
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"] == "Token"
        refused(response, 401)


def test_users_without_a_police_role_get_403(client_for, make_user, force, detail_urls):
    no_roles = make_user(force=force, roles=[])
    client = client_for(no_roles)
    for method, url in [*detail_urls, *(("get", url) for url in LIST_URLS)]:
        response = call(client, method, url)
        assert response.status_code == 403, (method, url)
        assert refused(response, 403)["detail"] == (
            "You need a police role in a force to use this API.")


def test_a_user_with_roles_but_no_force_gets_403(client_for, make_user):
    forceless = make_user(force=None, roles=["officer"], rank="officer")
    assert client_for(forceless).get("/api/v1/episodes/").status_code == 403


def test_token_authentication(officer, episode):
    token = Token.objects.create(user=officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(f"/api/v1/episodes/{episode.pk}/")
    assert response.status_code == 200
    assert logged(officer, "episode") == [str(episode.pk)]
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert refused(client.get("/api/v1/episodes/"), 401)["detail"] == "Invalid token."


def test_token_clients_post_without_csrf(officer, episode):
    token = Token.objects.create(user=officer)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(f"/api/v1/episodes/{episode.pk}/assessments/",
                           {"answers": {}, "grade": "high"}, format="json")
    assert response.status_code == 201, response.content


def test_session_writes_need_the_csrf_token(officer, episode):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    before = case_rows()
    response = client.post(f"/api/v1/episodes/{episode.pk}/assessments/",
                           {"answers": {}, "grade": "high"}, format="json")
    assert "CSRF" in refused(response, 403)["detail"]
    assert case_rows() == before


@pytest.mark.parametrize("url", ["/api/v1/children/not-a-uuid/", "/api/v1/nothing/",
                                 "/api/v2/episodes/"])
def test_unknown_api_addresses_answer_json_404(client_for, officer, url):
    response = client_for(officer).get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "field_errors": {}}


def test_a_missing_record_of_this_force_is_404(client_for, officer, db):
    missing = "00000000-0000-4000-8000-000000000000"
    for url in (f"/api/v1/children/{missing}/", f"/api/v1/episodes/{missing}/",
                f"/api/v1/assessments/{missing}/"):
        assert refused(client_for(officer).get(url), 404)["detail"] == "Not found."
