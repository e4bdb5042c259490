"""Browser journey in Chromium: an officer creates an API token on the "API tokens" page, copies
it from the one page that shows it, a script uses it, the list shows its last use, the officer
revokes it and the script is refused."""

import json
import urllib.error
import urllib.request

import pytest

from mispers.api.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def frozen_clock():
    """The real clock here: the browser and the live server share it (overrides conftest's)."""
    yield


def api_status(base_url: str, token: str) -> int:
    request = urllib.request.Request(f"{base_url}/api/v1/episodes/",
                                     headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_create_use_and_revoke_a_token(page_for, officer, live_server):
    page = page_for(officer)
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("link", name="Create a token").click()
    page.get_by_label("Name").fill("Nightly report script")
    page.get_by_role("radio", name="30 days").check()
    page.get_by_role("button", name="Create token").click()

    page.get_by_role("heading", name="Token created").wait_for()
    secret = page.get_by_label("Your token").input_value()
    assert secret.startswith("mpt_")
    assert ApiToken.objects.get(user=officer).prefix == secret[:12]
    assert api_status(live_server.url, secret) == 200

    page.get_by_role("link", name="Back to your API tokens").click()
    row = page.get_by_role("row").filter(has_text="Nightly report script")
    assert secret[:12] in row.inner_text() and secret not in page.content()
    assert "Never" not in row.inner_text()  # its use was just recorded
    row.get_by_role("button", name="Revoke").click()
    page.get_by_text("revoked: it no longer works").wait_for()
    assert api_status(live_server.url, secret) == 401
