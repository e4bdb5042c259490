"""Browser journey in Chromium (issue 12, ADR 39): from the force picture, the missing persons
coordinator opens data quality for a period, opens a rule's fix list and follows its link to the
record to put it right. (The analyst sees the same counts but no fix list: it names children,
ADR 18; the coordinator is the insight role that may open them.)"""

import datetime as dt

import pytest
from django.utils import timezone

from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.core.testing import fill_date
from mispers.risk.policy import FACTORS
from mispers.risk.services import AnswerInput

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_follows_the_fix_list_to_the_record(
        page_for, force, make_user, call_handler, officer, child_details, report_details):
    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant",
                            username="coordinator")
    reported = timezone.now() - dt.timedelta(days=3)
    episode = episode_report(actor=call_handler, now=reported, new_child=child_details(
        given_name="Nia", family_name="Fixlist"), details=report_details(
        reported_at=reported, last_seen_at=reported - dt.timedelta(hours=1)))
    assessment_record(actor=officer, now=reported + dt.timedelta(hours=1), episode=episode,
                      chosen_grade="medium", rationale="",
                      answers={code: AnswerInput(answer="no") for code in FACTORS})
    found_at = reported + dt.timedelta(hours=20)
    return_record(actor=officer, now=found_at, episode=episode, found_at=found_at,
                  found_where="A friend's flat", found_by="police", condition="safe_and_well")

    page = page_for(coordinator, lands="**/")
    page.goto("/insights/")
    page.get_by_role("link", name="Data quality").click()
    page.get_by_role("heading", name="Data quality").wait_for()
    today = timezone.localdate()
    fill_date(page, "First day", today - dt.timedelta(days=30))
    fill_date(page, "Last day", today)
    page.get_by_role("button", name="Show data quality").click()
    row = page.locator('tr[data-rule="found_without_place"]')
    row.wait_for()
    assert row.locator("td").nth(1).inner_text() == "1"  # checked
    assert row.locator("td").nth(2).inner_text() == "1"  # to fix
    row.get_by_role("link", name="Fix list").click()
    page.get_by_role("heading", name="Fix list: Found without a found place").wait_for()
    record = page.locator('table[data-table="fix_list"]').get_by_role(
        "link", name=f"{episode.reference} · Nia Fixlist")
    record.click()
    page.wait_for_url(f"**/episodes/{episode.pk}/")
    assert episode.reference in page.content()
