"""Browser journey in Chromium: a call handler searches for a child with a misspelt name and a
swapped date of birth, sees the known child first with the reasons, and reports for them."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from mispers.casework.children import child_create
from mispers.core.testing import fill_date, fill_datetime
from mispers.episodes.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_the_known_child_and_report_for_them(page_for, call_handler, force,
                                                  child_details):
    now = timezone.now()
    known = child_create(actor=call_handler, now=now, force=force, details=child_details(
        given_name="Katherine", family_name="Smith", date_of_birth=dt.date(2011, 5, 3)))
    child_create(actor=call_handler, now=now, force=force, details=child_details(
        given_name="Katherine", family_name="Smith", date_of_birth=dt.date(2012, 9, 20)))

    page = page_for(call_handler)
    page.get_by_role("link", name="New report").first.click()
    page.get_by_label("Given name").fill("Kate")
    page.get_by_label("Family name").fill("Smyth")
    fill_date(page, "Date of birth", dt.date(2011, 3, 5))
    page.get_by_role("button", name="Find the child").click()

    first = page.locator(".app-candidate").first
    first.wait_for()
    text = first.inner_text()
    assert "Katherine Smith" in text and "3 May 2011" in text and "Strong match" in text
    assert "Known by nickname (Kate / Katherine)" in text
    assert "Day and month of birth swapped" in text
    if os.environ.get("MISPERS_SCREENSHOTS"):
        page.screenshot(path=os.environ["MISPERS_SCREENSHOTS"] + "/intake.png", full_page=True)
    first.get_by_role("link", name="This is the child — report for them").click()

    page.get_by_role("heading", name="Report Katherine Smith missing").wait_for()
    reported = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    fill_datetime(page, "When was the report made?", reported)
    page.get_by_label("Name of the person reporting").fill("Residential Worker")
    fill_datetime(page, "When was the child last seen?", reported - dt.timedelta(hours=2))
    page.get_by_label("Where were they last seen?").fill("Leaving the children's home")
    page.get_by_role("radio", name="Care placement").check()
    page.get_by_role("button", name="Save report and assess the risk").click()
    page.get_by_role("heading", name="Assess the risk").wait_for()
    assert Episode.objects.get().child == known
