"""Browser journey in Chromium (issue 14): an officer on an open high-risk case opens the
episode, goes to "Where to look", sees the ranked places with their reasons, records a search of
the first one (nothing found), and sees the list update: the place moves down, marked as
searched."""

import datetime as dt

import pytest
from django.utils import timezone

from mispers.core.testing import fill_datetime
from mispers.searches.models import Search

from .builders import history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def now():
    return timezone.now()


def test_an_officer_uses_where_to_look_and_records_a_search(page_for, force, officer, now,
                                                             child_details):
    from mispers.casework.children import child_create

    child = child_create(actor=officer, now=now - dt.timedelta(days=400), force=force,
                         details=child_details(given_name="Tia", family_name="Journeychild",
                                               looked_after=False, placement_address=""))
    places, episode = history(actor=officer, now=now - dt.timedelta(minutes=30), child=child)
    assert episode.current_grade == "high" and episode.is_open

    page = page_for(officer)
    page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Where to look").click()
    page.get_by_role("heading", name="Where to look", level=1).wait_for()
    items = page.locator(".app-where-to-look__item")
    assert items.nth(0).get_by_role("heading").inner_text() == "1. Central skate park"
    first = items.nth(0).inner_text()
    assert "Found here 2 times before" in first
    assert "Right for this child before: 2 of 3 times" in first
    assert "km from where last seen (within 3 km)" in first

    form = page.locator("form", has=page.get_by_role("button", name="Record the search"))
    form.get_by_role("radio", name="1. Central skate park").check()
    fill_datetime(form, "When was it searched?", now - dt.timedelta(minutes=10))
    form.get_by_label("Who searched").fill("PC 4521 Jones and PC 88 Patel")
    form.get_by_role("radio", name="Not found there").check()
    form.get_by_label("Notes").fill("Bowl, benches and the underpass")
    form.get_by_role("button", name="Record the search").click()

    page.get_by_text("Search recorded. The list of places has been updated.").wait_for()
    assert items.nth(0).get_by_role("heading").inner_text() == "1. Flat 3, Dock Street"
    moved = items.nth(2).inner_text()
    assert moved.startswith("3. Central skate park") and "Searched" in moved
    assert "by PC 4521 Jones and PC 88 Patel: not found" in moved
    table = page.locator(".app-searches").inner_text()
    assert "Central skate park (suggestion 1)" in table and "Not found there" in table
    search = Search.objects.get()
    assert (search.place_id, search.result) == (places.skate.pk, "not_found")
    # The episode's timeline says so too.
    page.goto(f"/episodes/{episode.pk}/")
    assert "Search recorded (suggestion 1): not found there" in page.inner_text("body")
