"""Browser journey in Chromium (issue 12): an inspector opens the grading-consistency funnel,
sees the one officer beyond the outer limit and follows them to the assessments behind the
rate; the coordinator works the possibly miscategorised list and records a finding."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.risk.policy import FACTORS
from mispers.risk.services import AnswerInput

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inspector_follows_an_outlier_and_the_coordinator_records_a_finding(
        page_for, force, make_user, call_handler, inspector, child_details, report_details):
    downgrader = make_user(force=force, roles=["officer"], rank="officer",
                           username="downgrader")
    steady = [make_user(force=force, roles=["officer"], rank="officer", username=f"steady{i}")
              for i in range(2)]
    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant",
                            username="coordinator")
    # Reported 40 days ago: inside the default period, the last 12 whole months.
    start = timezone.now() - dt.timedelta(days=40)
    graded = []
    for number, (who, chosen) in enumerate([(downgrader, "no_apparent_risk")] * 12
                                           + [(steady[0], "high")] * 15
                                           + [(steady[1], "high")] * 15):
        when = start + dt.timedelta(minutes=10 * number)
        episode = episode_report(
            actor=call_handler, now=when, new_child=child_details(
                given_name=f"Child{number}", family_name="Funnel"),
            details=report_details(reported_at=when, last_seen_at=when - dt.timedelta(hours=1)))
        assessment_record(actor=who, now=when + dt.timedelta(minutes=5), episode=episode,
                          chosen_grade=chosen, rationale="With a known friend, phone on",
                          answers={code: AnswerInput(answer="unknown") for code in FACTORS})
        graded.append(episode)
    harmed = graded[0]
    return_record(actor=downgrader, now=start + dt.timedelta(days=1), episode=harmed,
                  found_at=start + dt.timedelta(hours=20), found_where="A flat in town",
                  found_by="police", condition="harmed", harms=["physical"])

    page = page_for(inspector, lands="**/")
    page.goto("/insights/")
    page.get_by_role("link", name="Grading consistency").click()
    page.get_by_role("heading", name="Grading consistency").wait_for()
    assert page.locator("figure.app-chart svg").count() == 1
    row = page.locator("table.app-consistency tbody tr").first
    expect(row).to_contain_text("Test Downgrader")
    expect(row).to_contain_text("Above")
    expect(page.locator("table.app-consistency")).to_contain_text("Test Steady0")
    assert page.locator("table.app-consistency strong.govuk-tag").count() == 1
    row.get_by_role("link").click()
    page.get_by_role("heading", name="Test Downgrader").wait_for()
    expect(page.locator("main")).to_contain_text("12 of 12")
    expect(page.get_by_role("link", name=harmed.reference)).to_be_visible()

    page = page_for(coordinator, lands="**/")
    page.goto("/insights/miscategorised/")
    listed = page.locator(f'tr[data-episode="{harmed.reference}"]')
    expect(listed).to_contain_text("Harmed, a victim, or deceased when found")
    listed.get_by_role("link", name=f"Record a finding for {harmed.reference}").click()
    page.get_by_role("heading", name="Was the first grade right?").wait_for()
    page.get_by_label("Wrongly graded").check()
    page.get_by_role("button", name="Record the finding").click()
    page.get_by_text("Say what was wrong").first.wait_for()
    page.get_by_label("Wrongly graded").check()
    page.get_by_label("Note").fill("Known to be with an adult of concern at the report")
    page.get_by_role("button", name="Record the finding").click()
    listed = page.locator(f'tr[data-episode="{harmed.reference}"]')
    expect(listed).to_contain_text("Wrongly graded")
