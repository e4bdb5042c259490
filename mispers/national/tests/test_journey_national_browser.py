"""Browser journey in Chromium (issue 13): a national-unit user loads force files (one is
rejected and its report names the problem), runs the linkage, reviews the pair it could not
settle with the weight of each comparison, and downloads the national tables."""

import csv
import io

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_national_unit_imports_links_reviews_and_downloads(page_for, make_user, sent,
                                                               tmp_path):
    full, kent = sent
    broken = tmp_path / "broken.jsonl"
    broken.write_text(full.read_text().replace('"missing_from":"care"', '"missing_from":"moon"',
                                               1))
    page = page_for(make_user(force=None, roles=["national_unit"], username="nmpu"),
                    lands="**/national/")
    page.get_by_label("A force file").set_input_files(str(broken))
    page.get_by_role("button", name="Load the file").click()
    expect(page.get_by_text("This file was rejected: nothing from it was loaded")).to_be_visible()
    expect(page.locator(".app-problems")).to_contain_text("missing_from: 'moon' is not one of")
    for path in (full, kent):
        page.get_by_role("link", name="National hub").first.click()
        page.get_by_label("A force file").set_input_files(str(path))
        page.get_by_role("button", name="Load the file").click()
        expect(page.locator(".govuk-notification-banner, .govuk-summary-list").first) \
            .to_be_visible()
        expect(page.get_by_text("(full extract)")).to_be_visible()
    page.get_by_role("link", name="National hub").first.click()
    expect(page.locator('tr[data-force="kent"]')).to_be_visible()
    page.get_by_role("button", name="Run the linkage").click()
    page.wait_for_url("**/national/review/")
    page.locator("table.app-review a").first.click()
    expect(page.locator("table.app-pair-records")).to_contain_text("Zara Bell")
    expect(page.locator("table.app-explanation tbody tr").first).to_be_visible()
    page.get_by_label("Yes, the same child").check()
    page.get_by_label("Why").fill("Birthday written day first; her stepfather's surname")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Nothing waits for review.")).to_be_visible()
    page.goto("/national/tables/?year=2025-26")
    with page.expect_download() as download:
        page.get_by_role("link", name="Incidents and individuals (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path()).read())))
    counted = {(r["area"], r["measure"]): r["incidents"] for r in rows}
    assert counted[("england-and-wales", "incidents")] == "6"
    assert int(counted[("england-and-wales", "individuals_linked")]) < \
        int(counted[("england-and-wales", "individuals")])
