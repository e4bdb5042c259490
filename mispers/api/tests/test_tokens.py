"""API tokens (ADR 0017): stored as a digest only, refused when wrong, expired, revoked, used on
the other API or older than the user's password; last use recorded at most once a minute; the
`mispers token` command; the admin never shows a secret or a digest."""

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mispers.api.models import ApiToken
from mispers.api.services import api_token_create, api_token_revoke
from mispers.api.tokens import TokenRefused
from mispers.partners.tests.together import world

from .helpers import refused, token_for

pytestmark = pytest.mark.django_db


def with_token(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def partner(force, now, child_details):
    return world(force=force, now=now, child_details=child_details).users.social_worker


def test_the_database_holds_a_digest_never_the_secret(officer):
    secret = token_for(officer)
    token = ApiToken.objects.get(user=officer)
    stored = " ".join(str(value) for value in ApiToken.objects.filter(pk=token.pk).values()[0]
                      .values())
    assert secret not in stored
    assert secret[12:] not in stored  # not even the part after the visible prefix
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12] and secret.startswith("mpt_") and len(secret) > 40
    assert with_token(secret).get("/api/v1/episodes/").status_code == 200


def test_only_the_whole_token_works(officer):
    secret = token_for(officer)
    for wrong in [secret[:12], secret[:-1] + ("A" if secret[-1] != "A" else "B"), secret + "x",
                  "mpt_" + "x" * 43, "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"]:
        response = with_token(wrong).get("/api/v1/episodes/")
        assert refused(response, 401)["detail"] == "Invalid token.", wrong
        assert response["WWW-Authenticate"] == "Token"


def test_an_expired_token_is_refused(officer, now):
    client = with_token(token_for(officer, days=30))
    with time_machine.travel(now + dt.timedelta(days=30) - dt.timedelta(seconds=1), tick=False):
        assert client.get("/api/v1/episodes/").status_code == 200
    with time_machine.travel(now + dt.timedelta(days=30), tick=False):
        assert refused(client.get("/api/v1/episodes/"), 401)["detail"] == (
            "This token has expired.")


def test_a_revoked_token_is_refused_at_once(officer, now):
    secret = token_for(officer)
    client = with_token(secret)
    assert client.get("/api/v1/episodes/").status_code == 200
    api_token_revoke(actor=officer, token=ApiToken.objects.get(user=officer), now=now)
    assert refused(client.get("/api/v1/episodes/"), 401)["detail"] == (
        "This token has been revoked.")


def test_a_partner_token_is_refused_on_the_police_api_and_a_police_token_on_the_partner_api(
        officer, partner):
    police = with_token(token_for(officer, scope="police"))
    partner_client = with_token(token_for(partner, scope="partner"))
    assert partner_client.get("/api/v1/partner/children/").status_code == 200
    assert police.get("/api/v1/episodes/").status_code == 200
    for url in ["/api/v1/episodes/", "/api/v1/children/", "/api/v1/queues/mine/",
                "/api/v1/partner-organisations/"]:
        assert refused(partner_client.get(url), 403)["detail"] == (
            "This token is for the Partner API, not this one."), url
    assert refused(police.get("/api/v1/partner/children/"), 403)["detail"] == (
        "This token is for the Police API, not this one.")
    # Both read the schema.
    assert police.get("/api/schema/").status_code == 200
    assert partner_client.get("/api/schema/").status_code == 200


def test_a_token_is_only_issued_for_the_api_the_user_may_use(officer, partner, make_user, force,
                                                             now):
    with pytest.raises(TokenRefused, match="only have tokens for the Police API"):
        api_token_create(actor=officer, user=officer, name="x", scope="partner", now=now)
    with pytest.raises(TokenRefused, match="only have tokens for the Partner API"):
        api_token_create(actor=partner, user=partner, name="x", scope="police", now=now)
    nobody = make_user(force=force, roles=[])
    with pytest.raises(TokenRefused, match="no police or partner role"):
        api_token_create(actor=nobody, user=nobody, name="x", scope="police", now=now)
    with pytest.raises(TokenRefused, match="between 1 and 365 days"):
        api_token_create(actor=officer, user=officer, name="x", scope="police", now=now,
                         days=366)
    assert not ApiToken.objects.exists()


def test_a_password_change_stops_every_older_token(officer, client):
    old = with_token(token_for(officer))
    assert old.get("/api/v1/episodes/").status_code == 200
    client.force_login(officer)
    client.post("/account/password/", {"old_password": "correct-horse-battery",
                                       "new_password1": "a-new-long-passphrase-7",
                                       "new_password2": "a-new-long-passphrase-7"})
    officer.refresh_from_db()
    assert officer.check_password("a-new-long-passphrase-7")
    assert refused(old.get("/api/v1/episodes/"), 401)["detail"] == (
        "Your password has changed since this token was created: create a new one.")
    assert with_token(token_for(officer)).get("/api/v1/episodes/").status_code == 200


def test_a_password_set_by_anyone_else_stops_them_too(officer):
    client = with_token(token_for(officer))
    officer.set_password("set-by-an-administrator-1")  # the admin, the changepassword command
    officer.save()
    assert client.get("/api/v1/episodes/").status_code == 401


def test_a_deactivated_users_token_is_refused(officer):
    client = with_token(token_for(officer))
    officer.is_active = False
    officer.save()
    assert client.get("/api/v1/episodes/").status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(officer, now):
    client = with_token(token_for(officer))
    token = ApiToken.objects.get(user=officer)
    assert token.last_used_at is None
    client.get("/api/v1/episodes/", REMOTE_ADDR="192.0.2.7")
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_from) == (now, "192.0.2.7")

    def token_writes(at):
        with time_machine.travel(at, tick=False), \
                CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/episodes/").status_code == 200
        return [q for q in queries if q["sql"].startswith("UPDATE") and "api_apitoken" in q["sql"]]

    assert token_writes(now + dt.timedelta(seconds=59)) == []
    assert len(token_writes(now + dt.timedelta(minutes=2))) == 1
    token.refresh_from_db()
    assert token.last_used_at == now + dt.timedelta(minutes=2)


def test_the_schema_describes_the_token_header(officer):
    schema = with_token(token_for(officer)).get("/api/schema/", {"format": "json"}).json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header",
                                                              "Authorization")
    assert "Token mpt_" in scheme["description"]
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/episodes/"]["get"]["security"]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_creates_lists_and_revokes(officer):
    out, err = run("create", "--user", "officer", "--name", "Force data warehouse",
                   "--scope", "police", "--days", "30")
    secret = out.strip()
    assert secret.startswith("mpt_") and "cannot be shown again" in err
    token = ApiToken.objects.get(user=officer)
    assert (token.name, token.scope, token.expires_at - token.created_at) == (
        "Force data warehouse", "police", dt.timedelta(days=30))
    client = with_token(secret)
    assert client.get("/api/v1/episodes/").status_code == 200

    listing, _ = run("list", "--user", "officer")
    assert token.prefix in listing and secret not in listing and "active" in listing

    run("revoke", "--prefix", token.prefix)
    assert client.get("/api/v1/episodes/").status_code == 401
    assert "revoked" in run("list", "--user", "officer")[0]


def test_the_command_refuses_what_the_page_would(officer):
    with pytest.raises(CommandError, match="only have tokens for the Police API"):
        run("create", "--user", "officer", "--name", "x", "--scope", "partner")
    with pytest.raises(CommandError, match="No user nobody"):
        run("create", "--user", "nobody", "--name", "x", "--scope", "police")
    assert not ApiToken.objects.exists()


def test_the_admin_shows_the_prefix_never_the_secret_or_digest(officer, client, now):
    from mispers.accounts.services import user_create

    admin = user_create(username="root", password="correct-horse-battery", force=None,
                        roles=[], first_name="Ada", last_name="Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    secret = token_for(officer)
    token = ApiToken.objects.get(user=officer)
    client.force_login(admin)
    for url in ["/admin/api/apitoken/", f"/admin/api/apitoken/{token.pk}/change/"]:
        html = client.get(url).content.decode()
        assert token.prefix in html, url
        assert secret not in html and token.digest not in html, url
        assert token.password_fingerprint not in html, url
    assert client.get("/admin/api/apitoken/add/").status_code == 403
    # Nothing can be changed through the change page.
    client.post(f"/admin/api/apitoken/{token.pk}/change/", {"digest": "0" * 64, "name": "x"})
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest() and token.name != "x"
    # A superuser may revoke.
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin
