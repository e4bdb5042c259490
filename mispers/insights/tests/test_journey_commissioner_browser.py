"""Browser journey in Chromium (issue 12, ADR 41): the commissioner's office signs in, lands on
the force picture, sees small numbers suppressed, downloads the deep dive, and cannot reach a
child's record."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from mispers.casework.report import episode_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_commissioner_sees_suppressed_figures_and_the_deep_dive_and_no_record(
        page_for, force, make_user, call_handler, child_details, report_details):
    commissioner = make_user(force=force, roles=["commissioner"], username="pcc")
    reported = timezone.now() - dt.timedelta(days=40)  # inside the last 12 whole months
    episodes = [episode_report(actor=call_handler, now=reported, new_child=child_details(
        given_name=name, family_name="Commissioned"), details=report_details(
        reported_at=reported, last_seen_at=reported - dt.timedelta(hours=1)))
        for name in ("Ann", "Bea", "Cat")]
    page = page_for(commissioner, lands="**/insights/")
    page.get_by_role("heading", name="Force picture").wait_for()
    expect(page.locator('tr[data-figure="incidents"] td').first).to_have_text("fewer than 5")
    assert page.locator("figure.app-chart svg").count() == 0
    expect(page.get_by_role("link", name="Force picture")).to_be_visible()  # in the menu
    with page.expect_download() as download:
        page.get_by_role("link", name="The deep dive (PDF)").click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "deep dive" in text and "fewer than 5" in text
    for episode in episodes:
        assert episode.reference not in text and "Commissioned" not in text
    response = page.goto(f"/children/{episodes[0].child_id}/")
    assert response.status == 403
    expect(page.locator("main")).not_to_contain_text("Commissioned")
