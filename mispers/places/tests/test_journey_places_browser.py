"""Browser journey in Chromium (issue 11): a call handler reports a known child missing, picks
the children's home from the force's places by typing a few letters (the browser's suggestion
list fills as they type), and records the place last seen as a new place with the report."""

import datetime as dt

import pytest
from django.utils import timezone

from mispers.casework.children import child_create
from mispers.core.testing import fill_datetime
from mispers.episodes.models import Episode
from mispers.places.details import PlaceDetails
from mispers.places.models import Place
from mispers.places.services import place_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_with_one_place_picked_and_one_created(page_for, call_handler, force,
                                                      child_details):
    now = timezone.now()
    child = child_create(actor=call_handler, now=now, force=force, details=child_details(
        given_name="Maya", family_name="Journeyfield", date_of_birth=dt.date(2011, 5, 3)))
    home = place_create(actor=call_handler, now=now, details=PlaceDetails(
        kind="childrens_home", name="Oakfield House", postcode="PL4 8AA"))
    place_create(actor=call_handler, now=now, details=PlaceDetails(
        kind="school", name="Oakwood Academy"))

    page = page_for(call_handler)
    page.goto(f"/episodes/new/?child={child.pk}")
    page.get_by_role("heading", name="Report Maya Journeyfield missing").wait_for()
    reported = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    fill_datetime(page, "When was the report made?", reported)
    page.get_by_label("Name of the person reporting").fill("Residential Worker")
    fill_datetime(page, "When was the child last seen?", reported - dt.timedelta(hours=2))
    page.get_by_label("Where were they last seen?").fill("Walking towards the Hoe")
    page.get_by_role("radio", name="Care placement").check()

    # A few letters: the suggestion list offers the home (and not the school).
    missing_from = page.get_by_label("Place the child went missing from (optional)")
    missing_from.press_sequentially("Oakf", delay=40)
    page.locator('#from-suggestions option[value="Oakfield House, PL4 8AA"]').wait_for(
        state="attached")
    assert page.locator("#from-suggestions option").count() == 1
    missing_from.fill("Oakfield House, PL4 8AA")  # what choosing the suggestion types

    page.get_by_label("Place last seen (optional)").fill("Tinside Lido")
    page.get_by_role("button", name="Save report and assess the risk").click()
    # Not on record: the form asks, keeping everything typed, and offers a new place.
    page.get_by_text("No place called “Tinside Lido” is on record").first.wait_for()
    page.get_by_role("radio", name="Record “Tinside Lido” as a new place").check()
    page.get_by_label("Kind of new place").select_option(label="Shop or leisure")
    page.get_by_role("button", name="Save report and assess the risk").click()
    page.get_by_role("heading", name="Assess the risk").wait_for()

    episode = Episode.objects.get(child=child)
    assert episode.missing_from_place == home
    lido = Place.objects.get(name="Tinside Lido")
    assert episode.last_seen_place == lido and lido.kind == "shop_or_leisure"
