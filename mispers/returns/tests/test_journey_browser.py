"""Browser journey in Chromium: a high-risk report goes unreviewed and the sweeper escalates what is
overdue; the inspector sees it in Supervision, acknowledges the escalation and records the review;
the officer records the child found and the prevention interview; the coordinator records the
return-home interview; the inspector is refused closure with every open action and each part of
the closing summary named, cancels the one action no longer needed with a reason, writes the
summary and closes; the timeline shows every step (issue 10: nothing is dropped on the way)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.core.testing import fill_datetime
from mispers.episodes.models import Action, Episode
from mispers.returns.models import PreventionInterview, ReturnHomeInterview
from mispers.reviews.escalation import sweep
from mispers.reviews.models import Escalation
from mispers.reviews.services import action_complete
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def banner(page, text: str) -> None:
    """Wait for the success banner saying `text`."""
    page.locator(".govuk-notification-banner").get_by_text(text).first.wait_for()



def test_overdue_review_escalation_return_and_closure(page_for, call_handler, officer,
                                                      inspector, make_user, force, child_details,
                                                      report_details):
    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant",
                            username="coordinator")
    make_user(force=force, roles=["supervisor"], rank="sergeant", username="duty-sergeant")
    real_now = timezone.now()
    reported = real_now - dt.timedelta(hours=3)
    # Through the services, in the past: reported three hours ago and graded high at once.
    episode = episode_report(
        actor=call_handler, now=reported, new_child=child_details(
            given_name="Rhys", family_name="Journeychild"),
        details=report_details(reported_at=reported,
                               last_seen_at=reported - dt.timedelta(hours=1)))
    assessment_record(actor=officer, now=reported + dt.timedelta(minutes=5), episode=episode,
                      chosen_grade="high", rationale="",
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    # The sweeper runs now: the first review (due 1 h after the report) and the high grade's
    # standard actions (due 1 h after grading) are overdue. The review escalates to the
    # inspector; the officers' overdue actions to the duty sergeant.
    counts = sweep(now=real_now)
    assert counts["escalations"] >= 1
    assert Escalation.objects.filter(episode=episode, rank="inspector",
                                     deadline__kind="review").exists()

    # The inspector sees the overdue review and the escalation, and acknowledges it.
    boss = page_for(inspector)
    boss.get_by_role("link", name="Supervision").first.click()
    boss.get_by_role("heading", name=re.compile("^Supervision")).wait_for()
    reviews = boss.locator("table.app-queue", has_text="Reviews due")
    assert episode.reference in reviews.inner_text()
    assert re.search(r"Overdue by (1 h 5\d min|2 h \d+ min)", reviews.inner_text())
    escalations = boss.locator("table.app-escalations")
    assert episode.reference in escalations.inner_text()
    assert "Supervisory review: overdue by" in escalations.inner_text()
    boss.get_by_label("Note for the acknowledgement").fill("Seen; reviewing now")
    boss.get_by_role("button", name=f"Acknowledge {episode.reference}").click()
    banner(boss, "acknowledged on 1 episode, with your note")

    # ...then reviews the case.
    boss.get_by_role("link", name=f"Record a review of {episode.reference}").click()
    boss.get_by_label("Review notes").fill("Escalation seen. Search and PNC under way.")
    boss.get_by_role("button", name="Record the review").click()
    banner(boss, "Review recorded")
    assert "Overdue by" not in boss.locator(".app-clock").inner_text()

    # The officer records the child found, and the prevention interview.
    cop = page_for(officer)
    cop.goto(f"/episodes/{episode.pk}/")
    cop.get_by_role("link", name="Record that the child is found").click()
    found_at = real_now - dt.timedelta(minutes=10)
    fill_datetime(cop, "When was the child found or did they return?", found_at)
    cop.get_by_label("Where", exact=True).fill("Plymouth railway station")
    cop.get_by_role("radio", name="Police").check()
    cop.get_by_role("radio", name="Safe and well").check()
    cop.get_by_role("button", name="Record the return").click()
    banner(cop, "Return recorded")
    cop.get_by_role("link", name="Record the prevention interview").click()
    fill_datetime(cop, "When was the interview held?", found_at + dt.timedelta(minutes=5))
    cop.get_by_label("Where were they?").fill("Sleeping at a friend's flat in Devonport")
    cop.get_by_label("Why did they leave?").fill("Row at home about school")
    cop.get_by_label("The child's own account, in their words").fill(
        "I didn't want to go home after the row. I was safe at Jay's.")
    cop.get_by_role("button", name="Record the interview").click()
    banner(cop, "Prevention interview recorded")
    assert PreventionInterview.objects.filter(episode=episode).exists()

    # The coordinator records the return-home interview from the Returns queue.
    coord = page_for(coordinator)
    coord.get_by_role("link", name="Returns").first.click()
    coord.get_by_role("link", name=f"Update the return-home interview for "
                                   f"{episode.reference}").click()
    fill_datetime(coord, "When was the interview offered?", found_at + dt.timedelta(minutes=6))
    coord.get_by_role("radio", name="Accepted").check()
    fill_datetime(coord, "When was the interview completed?", found_at + dt.timedelta(minutes=8))
    coord.get_by_label("Interviewer").fill("Sam Independent")
    coord.get_by_label("Where they went").fill("A friend's flat in Devonport")
    coord.get_by_label("The child's words").fill("Home is loud. School is worse.")
    coord.get_by_label("Share the findings with police").check()
    coord.get_by_role("button", name="Save the interview").click()
    banner(coord, "Findings shared with police")
    assert ReturnHomeInterview.objects.get(episode=episode).shared_at is not None

    # The inspector goes to close it (graded high, so it needs an inspector). Nothing can be
    # dropped: the closing page lists every open action before anyone tries...
    open_titles = list(Action.objects.filter(episode=episode, done_at__isnull=True)
                       .order_by("due_at", "created_at").values_list("title", flat=True))
    assert len(open_titles) >= 5  # the high grade's standard actions and the return checklist
    boss.goto(f"/episodes/{episode.pk}/")
    boss.get_by_role("link", name="Close the episode").click()
    boss.get_by_role("heading", name="Close the episode").wait_for()
    outstanding = boss.locator("#outstanding").inner_text()
    for title in open_titles:
        assert title in outstanding, title
    # ... and refuses, naming each blocker, when she tries anyway without a summary.
    boss.get_by_role("button", name="Close the episode").click()
    refused = boss.locator(".govuk-error-summary")
    refused.wait_for()
    text = refused.inner_text()
    assert "This episode cannot be closed yet" in text
    for title in open_titles:
        assert f"Open action: {title}" in text, title
    for part in ["what happened", "why the child went", "the risks found", "what happens next"]:
        assert f"Write the closing summary: {part}" in text
    episode.refresh_from_db()
    assert episode.state == Episode.State.FOUND

    # The officer gets the actions done (recorded through the service here, as the journey is
    # about closure); one is no longer needed, and the inspector cancels it, saying why.
    actions = list(Action.objects.filter(episode=episode, done_at__isnull=True)
                   .order_by("due_at", "created_at"))
    for action in actions[1:]:
        action_complete(actor=officer, now=timezone.now(), action=action, result="Done")
    boss.goto(f"/episodes/{episode.pk}/")
    row = boss.locator("#actions ~ table tr", has_text=actions[0].title).first
    row.get_by_text("Assign or record the result").click()
    row.get_by_label("Why is it no longer needed?").fill("Found before it was needed")
    row.get_by_role("button", name="Cancel the action").click()
    banner(boss, f"{actions[0].title}: cancelled.")

    # With nothing outstanding, the summary closes it.
    boss.get_by_role("link", name="Close the episode").click()
    assert boss.locator("#outstanding").count() == 0
    boss.get_by_label("What happened").fill("Found at Plymouth station by police, unharmed.")
    boss.get_by_label("Why the child went").fill("A row at home about school.")
    boss.get_by_label("The risks found").fill("None new; school worries shared with the school.")
    boss.get_by_label("What happens next").fill("Return-home interview findings shared.")
    boss.get_by_role("button", name="Close the episode").click()
    banner(boss, f"Episode {episode.reference} closed")
    episode.refresh_from_db()
    assert episode.state == Episode.State.CLOSED
    cancelled = Action.objects.get(pk=actions[0].pk)
    assert cancelled.cancelled and cancelled.result == "Found before it was needed"

    timeline = boss.locator(".moj-timeline").inner_text()
    for title in ["Reported missing", "Risk assessed", "Escalated", "Escalation acknowledged",
                  "Supervisory review", "Found", "Return-home interview referred",
                  "Return checklist set", "Prevention interview", "Return-home interview",
                  "Action cancelled by a supervisor", "Closed"]:
        assert title in timeline, title

    # The child's page now shows what the return-home interview found.
    boss.get_by_role("link", name="Rhys Journeychild").first.click()
    assert "Home is loud. School is worse." in boss.locator("main").inner_text()
