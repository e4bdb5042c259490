"""First passwords set by an administrator are changed at first sign-in; sessions end after 30
idle minutes and when the browser closes (issue 9)."""

import datetime as dt

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from mispers.accounts.passwords import password_change_required
from mispers.core.testing import page_text

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_a_first_password_must_be_changed_before_anything_else_opens(client, officer):
    password_change_required(user=officer, actor=None)
    response = client.post("/login/", {"login": "officer", "password": PASSWORD})
    assert response.status_code == 302
    for path in ("/", "/episodes/", "/children/", "/account/security/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/account/password/"
    page = client.get("/account/password/")
    assert page.status_code == 200
    response = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": "lantern-orchard-42",
        "new_password2": "lantern-orchard-42"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.must_change_password
    assert officer.password_changed_at is not None
    assert client.get("/episodes/").status_code == 200


def test_the_api_refuses_a_user_who_must_change_their_password(client, officer):
    password_change_required(user=officer, actor=None)
    api = APIClient()
    api.force_authenticate(officer)  # whatever the credential: a token, a session
    response = api.get("/api/v1/episodes/")
    assert response.status_code == 403
    assert "must change the password" in response.json()["detail"]
    client.post("/login/", {"login": "officer", "password": PASSWORD})
    response = client.get("/api/v1/episodes/")
    assert response.status_code == 403
    assert "must change the password" in response.json()["detail"]


def test_a_password_set_in_the_admin_site_must_be_changed_at_first_sign_in(officer):
    from mispers.accounts.admin import AdminSetPasswordForm

    form = AdminSetPasswordForm(officer, {"password1": "river-stone-9876",
                                          "password2": "river-stone-9876"})
    assert form.is_valid(), form.errors
    form.save()
    officer.refresh_from_db()
    assert officer.must_change_password


def test_a_session_ends_after_thirty_idle_minutes(client, officer, time_machine, settings):
    # The test settings lengthen sessions for time-travelling tests; this one uses the real value.
    assert settings.IDLE_SESSION_SECONDS == 30 * 60
    settings.SESSION_COOKIE_AGE = settings.IDLE_SESSION_SECONDS
    start = dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    client.post("/login/", {"login": "officer", "password": PASSWORD})
    assert client.get("/episodes/").status_code == 200
    # Busy: each request moves the end on.
    time_machine.move_to(start + dt.timedelta(minutes=25), tick=False)
    assert client.get("/episodes/").status_code == 200
    time_machine.move_to(start + dt.timedelta(minutes=50), tick=False)
    assert client.get("/episodes/").status_code == 200
    # Idle for 31 minutes: signed out.
    time_machine.move_to(start + dt.timedelta(minutes=81), tick=False)
    response = client.get("/episodes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_session_cookie_ends_when_the_browser_closes(client, officer):
    # No "remember me": nothing keeps a session on a shared computer.
    assert "remember" not in page_text(client.get("/login/")).lower()
    response = client.post("/login/", {"login": "officer", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]
