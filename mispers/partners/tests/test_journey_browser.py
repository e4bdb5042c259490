"""Browser journey in Chromium: a care worker updates a child's Philomena profile and reports the
child missing; the call handler sees the pre-filled report and grades it; the child is found; the
care worker is alerted; the return-interview worker records the interview; the police see the
findings on the child's page and in the next assessment."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from mispers.casework.report import episode_report
from mispers.core.testing import fill_datetime
from mispers.episodes.models import Episode
from mispers.episodes.services import ReportDetails
from mispers.returns.models import ReturnHomeInterview

from .together import PASSWORD, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTORS = ["suicide_self_harm", "crime_suspected", "exploitation", "medication",
           "forced_marriage_hba", "with_person_of_concern", "mental_health", "substance_misuse",
           "child_protection_plan", "domestic_abuse", "family_conflict", "out_of_character",
           "vulnerable_interaction", "physical_illness_disability", "previous_harm_when_missing",
           "risk_to_others", "weather_environment", "identity_or_hate_issue", "violent_incident",
           "school_problems", "preparation", "failed_intention", "other"]


def banner(page, text: str) -> None:
    page.locator(".govuk-notification-banner").get_by_text(text).first.wait_for()



@pytest.fixture
def sign_in(chromium, live_server):
    """sign_in(user, lands="**/partners/") -> a page signed in through the real form."""
    contexts = []

    def open_page(user, lands="**/partners/"):
        context = chromium.new_context(base_url=live_server.url,
                                       viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lands)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_partner_report_grade_found_alert_interview_and_findings(
        sign_in, force, call_handler, officer, child_details):
    real_now = timezone.now()
    w = world(force=force, now=real_now, child_details=child_details)
    child = w.child

    # The care worker keeps the child's profile up to date, then reports them missing.
    carer = sign_in(w.users.care_worker)
    carer.get_by_role("link", name="Kayla Partnerchild").first.click()
    carer.get_by_role("link", name=re.compile("profile")).click()
    carer.get_by_label("Physical description").fill("Slim, 5ft 4, long dark hair, nose stud")
    carer.get_by_label("Friends and associates").fill("Jade (15) from school; 'Tiny', older")
    carer.get_by_label("Addresses and places frequented").fill("Drake Circus shopping centre")
    carer.get_by_label("Phone number").fill("07700 900123")
    carer.get_by_role("button", name="Save the profile").click()
    carer.get_by_role("link", name="Report Kayla missing").click()
    fill_datetime(carer, "When was the child last seen?", real_now - dt.timedelta(hours=2))
    carer.get_by_label("Where were they last seen?").fill("Leaving Harbour View after tea")
    carer.get_by_label("What were they wearing?").fill("Black puffer jacket, white trainers")
    carer.get_by_label("What happened before they went missing?").fill(
        "Argument with staff about her phone")
    carer.get_by_role("button", name="Send the report to police").click()
    banner(carer, "is reported missing")
    episode = Episode.objects.get(child=child)
    assert episode.reported_via == "partner"

    # The call handler sees what came pre-filled and grades it.
    handler = sign_in(call_handler, lands="**/episodes/")
    handler.goto(f"/episodes/{episode.pk}/")
    source = handler.locator("#partner-report").inner_text()
    assert "Harbour View Children's Home" in source and "Pre-filled report fields" in source
    handler.get_by_role("link", name="Assess the risk").click()
    for code in FACTORS:
        handler.locator(f"#factor-{code} input[value='no']").check()
    handler.get_by_role("radio", name="Medium").check()
    # Each answer asks the server for a preview of the recommendation; let them finish before
    # the grade is posted (the live server shares one in-memory SQLite connection between its
    # threads, and a preview still running would meet the grade's transaction).
    handler.wait_for_load_state("networkidle")
    handler.get_by_role("button", name="Record the grade").click()
    handler.wait_for_url(f"**/episodes/{episode.pk}/**")
    episode.refresh_from_db()
    assert episode.state == Episode.State.OPEN and episode.current_grade == "medium"

    # The officer records the child found.
    cop = sign_in(officer, lands="**/episodes/")
    cop.goto(f"/episodes/{episode.pk}/")
    cop.get_by_role("link", name="Record that the child is found").click()
    found_at = timezone.now() - dt.timedelta(minutes=20)
    fill_datetime(cop, "When was the child found or did they return?", found_at)
    cop.get_by_label("Where", exact=True).fill("Plymouth railway station")
    cop.get_by_role("radio", name="Police").check()
    cop.get_by_role("radio", name="Safe and well").check()
    cop.get_by_role("button", name="Record the return").click()
    banner(cop, "Return recorded")

    # The care worker is alerted, with the interview's due time, and acknowledges it.
    carer.goto("/partners/")
    alerts = carer.locator(".app-partner-alerts").inner_text()
    assert f"Found: Kayla Partnerchild ({episode.reference})" in alerts
    assert "return-home interview must be offered by" in alerts
    acknowledge = re.compile(f"Acknowledge Found: .*{episode.reference}")
    carer.get_by_role("button", name=acknowledge).click()
    banner(carer, "Alert acknowledged")

    # The return-interview worker records the interview; completed, it goes to police.
    worker = sign_in(w.users.rhi_worker)
    worker.get_by_role("link", name="Return-home interviews").first.click()
    worker.get_by_role("link", name=re.compile("Kayla Partnerchild")).click()
    fill_datetime(worker, "When was the interview offered?", found_at + dt.timedelta(minutes=5))
    worker.get_by_role("radio", name="Accepted").check()
    fill_datetime(worker, "When was the interview completed?", found_at + dt.timedelta(minutes=15))
    worker.get_by_label("Interviewer").fill("Sam Independent")
    worker.get_by_label("Where they went").fill("A flat above the takeaway on Union Street")
    worker.get_by_label("Who they were with").fill("Two older men she met online")
    worker.get_by_role("checkbox", name="Older associates or unknown adults").check()
    worker.get_by_label("The child's words").fill("They gave me vapes. I thought they were mates.")
    worker.get_by_role("button", name="Save the interview").click()
    banner(worker, "The findings are shared with police")
    assert ReturnHomeInterview.objects.get(episode=episode).shared_at is not None

    # The police see the findings on the child's page...
    cop.goto(f"/children/{child.pk}/")
    findings = cop.locator(".app-rhi-findings").inner_text()
    assert "They gave me vapes. I thought they were mates." in findings
    assert "Safe Return Interviews" in findings
    # ...and when the child's next episode is assessed.
    later = timezone.now()
    next_episode = episode_report(actor=call_handler, now=later, child=child, details=ReportDetails(
        reported_at=later, reported_by_name="Harbour View", last_seen_at=later
        - dt.timedelta(hours=1), last_seen_where="Harbour View", missing_from="care"))
    handler.goto(f"/episodes/{next_episode.pk}/assess/")
    assert "Two older men she met online" in handler.locator("main").inner_text()
