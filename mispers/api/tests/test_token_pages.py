"""The "API tokens" page: a user creates a named token (its secret shown exactly once), lists
their own (prefix, scope, dates, last use), and revokes one; nobody reaches anyone else's."""

import pytest
from rest_framework.test import APIClient

from mispers.api.models import ApiToken
from mispers.partners.tests.together import world

from .helpers import token_for

pytestmark = pytest.mark.django_db
LIST, NEW = "/account/api-tokens/", "/account/api-tokens/new/"


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def create(client, name="Case system link", days="30"):
    return client.post(NEW, {"name": name, "days": days})


def test_create_shows_the_secret_once_and_it_works(signed_in, officer, now):
    page = signed_in.get(NEW)
    assert page.status_code == 200 and b"Police API" in page.content
    response = create(signed_in)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=officer)
    html = response.content.decode()
    secret = html.split('data-token-secret', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert secret.startswith(token.prefix) and f"Authorization: Token {secret}" in html
    assert (token.name, token.scope, str(token.expires_at - token.created_at)) == (
        "Case system link", "police", "30 days, 0:00:00")

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/episodes/").status_code == 200

    listing = signed_in.get(LIST).content.decode()
    assert f'href="{LIST}">API tokens</a>' in listing  # the link in every page's header
    assert token.prefix in listing and "Case system link" in listing
    assert secret not in listing  # never again
    assert "from 127.0.0.1" in listing  # last used, just now, by the client above


def test_the_form_explains_what_is_wrong(signed_in):
    response = signed_in.post(NEW, {"name": "  ", "days": "1000"})
    html = response.content.decode()
    assert "There is a problem" in html and "Enter a name for the token" in html
    assert "Choose when the token expires" in html
    assert not ApiToken.objects.exists()


def test_revoke_your_own_token(signed_in, officer):
    create(signed_in, name="Old script")
    token = ApiToken.objects.get(user=officer)
    response = signed_in.post(f"{LIST}{token.pk}/revoke", follow=True)
    assert "Token “Old script”" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in signed_in.get(LIST).content.decode()


def test_nobody_sees_or_revokes_another_users_tokens(signed_in, sergeant):
    token_for(sergeant)
    theirs = ApiToken.objects.get(user=sergeant)
    assert theirs.prefix not in signed_in.get(LIST).content.decode()
    assert signed_in.post(f"{LIST}{theirs.pk}/revoke").status_code == 404
    assert signed_in.get(f"{LIST}{theirs.pk}/revoke").status_code == 405
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_users_who_may_not_use_the_api_get_403(client, make_user, force):
    client.force_login(make_user(force=force, roles=[]))
    assert client.get(LIST).status_code == 403
    assert create(client).status_code == 403
    assert not ApiToken.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_partner_user_gets_a_partner_api_token(client, force, now, child_details):
    partner = world(force=force, now=now, child_details=child_details).users.social_worker
    client.force_login(partner)
    assert b"Partner API" in client.get(NEW).content
    create(client)
    token = ApiToken.objects.get(user=partner)
    assert token.scope == "partner"
