"""Password guessing is slowed and recorded (issue 9): lockout per account and per address,
checked before any password is hashed; failed sign-ins recorded; administrators see and clear
lockouts of their own users only; failed API credentials count too."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings

from mispers.accounts import backends

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_then_the_right_one_is_refused(client, sign_in, officer):
    for _ in range(20):
        response = sign_in("officer", "wrong-password-123")
        assert response.status_code in (200, 429)
    response = sign_in("officer")
    assert response.status_code == 429
    assert b"Signing in is locked" in response.content
    assert not _signed_in(client)


def test_the_right_password_before_the_limit_still_signs_in(client, sign_in, officer):
    for _ in range(LIMIT - 1):
        assert sign_in("officer", "wrong-password-123").status_code == 200
    response = sign_in("officer")
    assert response.status_code == 302
    assert _signed_in(client)
    # A success clears the count: the user is not one mistake from a lockout for the day.
    assert not AccessAttempt.objects.filter(username="officer").exists()


def test_an_account_is_locked_whatever_address_the_guesses_come_from(client, sign_in, officer):
    for i in range(LIMIT):
        sign_in("officer", "wrong-password-123", address=f"10.1.0.{i + 1}")
    # Letter case does not give a guesser a fresh counter.
    response = sign_in("OFFICER", "wrong-password-123", address="10.9.9.9")
    assert response.status_code == 429
    response = sign_in("officer", address="10.9.9.9")
    assert response.status_code == 429
    assert not _signed_in(client)


def test_an_address_is_locked_whatever_usernames_it_tries(client, sign_in, officer, sergeant):
    for i in range(LIMIT):
        sign_in(f"someone{i}", "wrong-password-123", address="10.2.0.1")
    # The sergeant's own, right password from that address is refused...
    assert sign_in("sergeant", address="10.2.0.1").status_code == 429
    assert not _signed_in(client)
    # ...and works from another address.
    assert sign_in("sergeant", address="10.2.0.2").status_code == 302
    assert _signed_in(client)


def test_a_failed_sign_in_is_recorded_without_the_password(sign_in, officer):
    sign_in("officer", "my-secret-guess-123", address="10.3.0.1")
    failure = AccessFailureLog.objects.get()
    assert failure.username == "officer"
    assert failure.ip_address == "10.3.0.1"
    assert failure.path_info == "/login/"
    attempt = AccessAttempt.objects.get()
    assert "my-secret-guess-123" not in attempt.post_data


def test_a_locked_out_attempt_hashes_no_password(sign_in, officer, monkeypatch):
    for _ in range(LIMIT):
        sign_in("officer", "wrong-password-123")
    calls = []
    original = backends.BoundedModelBackend.authenticate

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(backends.BoundedModelBackend, "authenticate", counting)
    assert sign_in("officer").status_code == 429
    assert calls == []


def test_a_lockout_ends_by_itself_after_the_cool_off(client, sign_in, officer, time_machine):
    time_machine.move_to("2026-03-14 09:00:00+00:00", tick=False)
    for _ in range(LIMIT):
        sign_in("officer", "wrong-password-123")
    assert sign_in("officer").status_code == 429
    time_machine.move_to("2026-03-14 09:16:00+00:00", tick=False)
    assert sign_in("officer").status_code == 302


# --- Administrators ------------------------------------------------------------------------


@pytest.fixture
def force_admin(force, make_user):
    return make_user(force=force, roles=["force_admin"], username="admin")


@pytest.fixture
def other_admin(other_force, make_user):
    return make_user(force=other_force, roles=["force_admin"], username="otheradmin")


def _lock(sign_in, username):
    for i in range(LIMIT):
        sign_in(username, "wrong-password-123", address=f"10.4.0.{i + 1}")


def test_a_force_administrator_sees_and_clears_a_lockout(client, sign_in, officer,
                                                          force_admin):
    _lock(sign_in, "officer")
    client.force_login(force_admin)
    page = client.get("/account/lockouts/")
    assert page.status_code == 200
    assert b"officer" in page.content and b"Locked" in page.content
    response = client.post("/account/lockouts/clear/", {"username": "officer"})
    assert response.status_code == 302
    client.logout()
    assert sign_in("officer", address="10.4.0.99").status_code == 302
    # The record of what happened is kept.
    assert AccessFailureLog.objects.filter(username="officer").count() == LIMIT


def test_an_administrator_of_another_force_neither_sees_nor_clears(client, sign_in, officer,
                                                                   other_admin):
    _lock(sign_in, "officer")
    client.force_login(other_admin)
    page = client.get("/account/lockouts/")
    assert page.status_code == 200
    assert b"officer" not in page.content
    assert client.post("/account/lockouts/clear/", {"username": "officer"}).status_code == 403
    assert AccessAttempt.objects.filter(username="officer").exists()


def test_users_who_are_not_administrators_are_refused(client, officer):
    client.force_login(officer)
    assert client.get("/account/lockouts/").status_code == 403
    assert client.post("/account/lockouts/clear/", {"username": "officer"}).status_code == 403


def test_the_django_admin_lists_lockouts_for_superusers(client, sign_in, officer, force):
    from mispers.accounts.models import User

    _lock(sign_in, "officer")
    root = User.objects.create_superuser("root", password="root-password-123")
    client.force_login(root)
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert b"officer" in page.content


# --- The API ---------------------------------------------------------------------------------


def test_failed_api_tokens_count_and_then_the_address_is_refused(client, officer):
    for _ in range(LIMIT):
        response = client.get("/api/v1/episodes/", HTTP_AUTHORIZATION="Token not-a-real-token",
                              REMOTE_ADDR="10.5.0.1")
        assert response.status_code in (401, 403)
    response = client.get("/api/v1/episodes/", HTTP_AUTHORIZATION="Token not-a-real-token",
                          REMOTE_ADDR="10.5.0.1")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert AccessFailureLog.objects.filter(ip_address="10.5.0.1").count() == LIMIT
    # The page sign-in from that address is locked too: one counter per address.
    response = client.post("/login/", {"login": "officer", "password": "correct-horse-battery"},
                           REMOTE_ADDR="10.5.0.1")
    assert response.status_code == 429


def test_the_admin_site_has_no_password_only_sign_in_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.fixture
def partner_org(force, make_user, now):
    from mispers.partners import services

    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant",
                            username="coord")

    def make(name):
        organisation = services.organisation_create(actor=coordinator, now=now, name=name,
                                                    kind="care_provider", forces=[force])

        def user(username, roles):
            return services.partner_user_create(
                actor=coordinator, now=now, organisation=organisation, username=username,
                roles=roles, password="correct-horse-battery")
        return user
    return make


def test_a_partner_administrator_clears_their_own_staff_only(client, sign_in, officer,
                                                             partner_org):
    oakview, beech = partner_org("Oakview House"), partner_org("Beech Lodge")
    boss, carer = oakview("boss", ["partner_admin"]), oakview("carer", ["care_worker"])
    beech("othercarer", ["care_worker"])
    for name in ("carer", "othercarer", "officer"):
        _lock(sign_in, name)
    client.force_login(boss)
    page = client.get("/account/lockouts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "carer" in html and "othercarer" not in html and "officer" not in html
    for name in ("othercarer", "officer"):
        assert client.post("/account/lockouts/clear/", {"username": name}).status_code == 403
    assert client.post("/account/lockouts/clear/", {"username": "carer"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="carer").exists()
    assert AccessAttempt.objects.filter(username="othercarer").exists()
    # A care worker is not an administrator.
    client.force_login(carer)
    assert client.get("/account/lockouts/").status_code == 403
