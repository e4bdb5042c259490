"""Browser check in Chromium (issue 11): the Open episodes list fits a 390 px phone screen
(one card per episode, each value named) instead of a table twice as wide as the screen."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_episodes_fit_a_phone(page_for, call_handler, episode):
    page = page_for(call_handler)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/episodes/")
    row = page.locator(".app-open-episodes tbody tr").first
    row.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
    label = row.locator("td").nth(1).evaluate(
        "cell => getComputedStyle(cell, '::before').content")
    assert label == '"Child"'
    assert episode.child.full_name in row.inner_text()
