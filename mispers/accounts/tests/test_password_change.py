"""Changing your own password: police and partner users alike (partner users are given their
first password by an administrator)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_user_changes_their_password_and_signs_in_with_the_new_one(client, officer):
    client.force_login(officer)
    page = client.get(reverse("password_change"))
    assert b"Change your password" in page.content
    response = client.post(reverse("password_change"), {
        "old_password": "correct-horse-battery", "new_password1": "lantern-orchard-42",
        "new_password2": "lantern-orchard-42"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    officer.refresh_from_db()
    assert officer.check_password("lantern-orchard-42")


@pytest.mark.parametrize("new, message", [
    ("short-1", b"too short"),
    ("password1234", b"too common"),
])
def test_a_weak_password_is_refused_and_the_old_one_stands(client, officer, new, message):
    client.force_login(officer)
    response = client.post(reverse("password_change"), {
        "old_password": "correct-horse-battery", "new_password1": new, "new_password2": new})
    assert response.status_code == 200
    assert message in response.content
    officer.refresh_from_db()
    assert officer.check_password("correct-horse-battery")


def test_the_old_password_must_be_right(client, officer):
    client.force_login(officer)
    response = client.post(reverse("password_change"), {
        "old_password": "wrong-password-here", "new_password1": "lantern-orchard-42",
        "new_password2": "lantern-orchard-42"})
    assert response.status_code == 200
    assert b"old password was entered incorrectly" in response.content
    officer.refresh_from_db()
    assert officer.check_password("correct-horse-battery")


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
