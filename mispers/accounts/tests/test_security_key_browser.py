"""Journey: an officer adds a security key and signs in with password + key (a real Chromium
with its virtual authenticator standing in for the key; WebAuthn needs JavaScript, served
from this server)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_an_officer_adds_a_security_key_and_signs_in_with_it(chromium, live_server, officer,
                                                            settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://localhost in tests
    base = live_server.url.replace("127.0.0.1", "localhost")
    context = chromium.new_context(base_url=base)
    page = context.new_page()
    page.set_default_timeout(15_000)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True}})

    def sign_in_with_password():
        page.goto("/login/")
        page.get_by_label("Username").fill("officer")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    sign_in_with_password()
    page.wait_for_url("**/episodes/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.goto("/account/security/webauthn/add/")
    page.get_by_label("Password").fill(PASSWORD)  # confirm it is you
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/webauthn/add/")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    from allauth.mfa.models import Authenticator

    assert Authenticator.objects.filter(user=officer, type="webauthn").exists()

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password()
    page.wait_for_url("**/account/security/authenticate/")
    assert page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url("**/episodes/")
    context.close()
