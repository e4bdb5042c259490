"""A second factor (issue 9): an authenticator app (TOTP) with recovery codes, and security keys
(WebAuthn, in the browser). Required for everyone where MISPERS_MFA_REQUIRED is on."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def totp_now(secret: str) -> str:
    """What the user's authenticator app shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _sign_in(client, user):
    response = client.post("/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _enrol_totp(client, user, *, then=None):
    _sign_in(client, user)
    # Changing how you sign in asks for your password again first.
    response = client.get("/account/security/totp/activate/")
    assert response["Location"].startswith("/account/confirm-password/")
    confirm = client.get(response["Location"])
    assert b"govuk-button" in confirm.content
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/account/security/totp/activate/")
    assert page.status_code == 200
    assert b"Set up an authenticator app" in page.content
    assert b"<svg" in page.content  # the QR code, inline
    secret = page.context["form"].secret
    response = client.post("/account/security/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302, response.content
    if then:
        then()
    client.logout()
    return secret


def test_a_user_sets_up_an_app_and_then_needs_its_code_to_sign_in(client, officer,
                                                                   time_machine):
    time_machine.move_to("2026-03-14 09:00:00+00:00", tick=False)
    secret = _enrol_totp(client, officer)
    assert Authenticator.objects.filter(user=officer, type="totp").exists()

    time_machine.move_to("2026-03-14 09:05:00+00:00", tick=False)
    response = client.post("/login/", {"login": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/security/authenticate/"
    # The password alone does not sign in: no page opens yet.
    assert "_auth_user_id" not in client.session
    assert client.get("/episodes/").status_code == 302

    page = client.get("/account/security/authenticate/")
    assert page.status_code == 200
    assert b"govuk-button" in page.content
    wrong = client.post("/account/security/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post("/account/security/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_a_recovery_code_signs_in_once(client, officer, time_machine):
    time_machine.move_to("2026-03-14 09:00:00+00:00", tick=False)
    shown = {}

    def look_at_the_codes():
        # Recovery codes are made with the app and shown to the user to keep.
        page = client.get("/account/security/recovery-codes/")
        assert page.status_code == 200
        shown["page"] = page.content

    _enrol_totp(client, officer, then=look_at_the_codes)
    codes = RecoveryCodes(Authenticator.objects.get(user=officer,
                                                    type="recovery_codes")).get_unused_codes()
    assert codes and codes[0].encode() in shown["page"]

    client.post("/login/", {"login": "officer", "password": PASSWORD})
    response = client.post("/account/security/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    client.logout()

    client.post("/login/", {"login": "officer", "password": PASSWORD})
    response = client.post("/account/security/authenticate/", {"code": codes[0]})
    assert response.status_code == 200  # used once, never again
    assert "_auth_user_id" not in client.session


def test_the_security_pages_are_in_the_service_design(client, officer):
    _sign_in(client, officer)
    client.post("/account/confirm-password/", {"password": PASSWORD})
    page = client.get("/account/security/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-template" in html and "govuk-summary-card" in html
    assert "Authenticator" in html and "Security Keys" in html
    page = client.get("/account/security/webauthn/add/")
    assert page.status_code == 200
    # WebAuthn needs JavaScript: served from this server, never a CDN.
    assert "/static/mfa/js/webauthn.js" in page.content.decode()
    assert "https://" not in page.content.decode().split("<body", 1)[1].split("</footer>")[0]


def test_where_required_a_user_without_a_second_factor_must_set_one_up(client, officer,
                                                                       settings):
    settings.MISPERS_MFA_REQUIRED = True
    response = client.post("/login/", {"login": "officer", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/episodes/")
    assert response.status_code == 302
    assert response["Location"] == "/account/security/"
    assert client.get("/account/security/").status_code == 200
    # The way to set one up stays open: confirm the password, then the app's page.
    assert client.get("/account/confirm-password/").status_code == 200
    client.post("/account/confirm-password/", {"password": PASSWORD})
    assert client.get("/account/security/totp/activate/").status_code == 200
    api = client.get("/api/v1/episodes/")
    assert api.status_code == 403
    assert "second sign-in factor" in api.json()["detail"]


def test_where_required_a_user_with_a_second_factor_carries_on(client, officer, settings,
                                                              time_machine):
    time_machine.move_to("2026-03-14 09:00:00+00:00", tick=False)
    settings.MISPERS_MFA_REQUIRED = True
    _enrol_totp(client, officer)
    client.force_login(officer)
    assert client.get("/episodes/").status_code == 200


def test_in_the_demo_a_second_factor_is_optional(client, officer, settings):
    settings.MISPERS_MFA_REQUIRED = False
    client.post("/login/", {"login": "officer", "password": PASSWORD})
    assert client.get("/episodes/").status_code == 200


def test_guessing_the_code_after_the_password_locks_the_account(client, officer,
                                                                time_machine, settings):
    from axes.models import AccessFailureLog

    time_machine.move_to("2026-03-14 09:00:00+00:00", tick=False)
    secret = _enrol_totp(client, officer)
    time_machine.move_to("2026-03-14 09:05:00+00:00", tick=False)
    client.post("/login/", {"login": "officer", "password": PASSWORD})
    for guess in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/security/authenticate/", {"code": f"{guess:06d}"})
    assert AccessFailureLog.objects.filter(username="officer").count() == \
        settings.AXES_FAILURE_LIMIT
    # Even the right code is refused now: the guesser gains nothing by carrying on.
    response = client.post("/account/security/authenticate/", {"code": totp_now(secret)})
    assert "_auth_user_id" not in client.session
    assert b"locked" in response.content
