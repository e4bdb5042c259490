"""Browser journey in Chromium (issue 12): an analyst opens the force picture, chooses a period
and a filter, sees the figures and the charts, and downloads a table as CSV."""

import datetime as dt

import pytest
from django.utils import timezone

from mispers.casework.report import episode_report
from mispers.core.testing import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_filters_the_force_picture_and_downloads_a_csv(
        page_for, force, make_user, call_handler, child_details, report_details):
    analyst = make_user(force=force, roles=["analyst"], username="analyst")
    reported = timezone.now() - dt.timedelta(days=3)
    for name, missing_from in (("Ann", "care"), ("Bea", "home"), ("Cat", "care")):
        episode_report(actor=call_handler, now=reported, new_child=child_details(
            given_name=name, family_name="Picture"), details=report_details(
            reported_at=reported, last_seen_at=reported - dt.timedelta(hours=1),
            missing_from=missing_from))
    page = page_for(analyst, lands="**/")
    page.goto("/insights/")
    page.get_by_role("heading", name="Force picture").wait_for()
    today = timezone.localdate()
    fill_date(page, "First day", today - dt.timedelta(days=30))
    fill_date(page, "Last day", today)
    page.get_by_label("Missing from").select_option(label="Care placement")
    page.get_by_role("button", name="Show the figures").click()
    incidents = page.locator('tr[data-figure="incidents"] td').first
    incidents.wait_for()
    assert incidents.inner_text() == "2"  # Ann and Cat, from care
    assert page.locator("figure.app-chart svg").count() >= 4
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table (CSV)").click()
    body = open(download.value.path(), encoding="utf-8").read()
    assert "Incidents (episodes),incidents,2," in body
