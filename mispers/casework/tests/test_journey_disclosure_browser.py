"""Browser journey in Chromium (issue 10): a child discloses possible sexual assault at the
return-home interview, recorded by the provider's return-interview worker on the partner screens.
The officer in the case is told at once: it is at the top of their My work, the child's page
shows it under "Harm and disclosures" with the tasks that follow, and the disclosure's words are
in their notification. The care worker at the child's home, a partner, sees the interview's
shared findings (the provider's own record, ADR 15) but nothing of the police response: not the
notification, not the tasks."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from mispers.casework.found import return_record
from mispers.casework.harm import HARM_TASKS
from mispers.core.testing import fill_datetime
from mispers.partners.tests.together import PASSWORD, graded_episode, world
from mispers.reviews.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "Possible sexual assault by an older man at the flat"


def banner(page, text: str) -> None:
    page.locator(".govuk-notification-banner").get_by_text(text).first.wait_for()


def minute(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_a_disclosure_at_the_return_home_interview_reaches_the_officer_at_once(
        page_for, force, make_user, child_details):
    real_now = timezone.now()
    w = world(force=force, now=real_now - dt.timedelta(days=1), child_details=child_details)
    officer = make_user(force=force, roles=["officer"], rank="officer", username="oic",
                        password=PASSWORD)
    make_user(force=force, roles=["supervisor"], rank="sergeant", username="sergeant",
              password=PASSWORD)
    episode = graded_episode(actor=officer, now=real_now - dt.timedelta(hours=6),
                             child=w.child, grader=officer)
    found_at = real_now - dt.timedelta(hours=3)
    return_record(actor=officer, now=found_at, episode=episode, found_at=found_at,
                  found_where="Plymouth bus station", found_by="police",
                  condition="safe_and_well")
    assert not Notification.objects.filter(episode=episode, kind="disclosure").exists()

    # The provider's return-interview worker records the interview and what the child said.
    worker = page_for(w.users.rhi_worker, lands="**/partners/")
    worker.get_by_role("link", name="Return-home interviews").first.click()
    worker.get_by_role("link", name=re.compile("Kayla Partnerchild")).click()
    fill_datetime(worker, "When was the interview offered?", found_at + dt.timedelta(hours=1))
    worker.get_by_role("radio", name="Accepted").check()
    fill_datetime(worker, "When was the interview completed?", found_at + dt.timedelta(hours=2))
    worker.get_by_label("Interviewer").fill("Sam Independent")
    worker.get_by_label("Where they went").fill("A flat above the takeaway on Union Street")
    worker.get_by_label("Harm").fill(WORDS)
    worker.get_by_label("The child's words").fill("He said it was our secret.")
    worker.get_by_role("button", name="Save the interview").click()
    worker.locator(".govuk-notification-banner").first.wait_for()

    # The officer in the case signs in: it is waiting in My work, first thing.
    cop = page_for(officer)
    cop.get_by_role("link", name="My work").first.click()
    mine = cop.locator("main").inner_text()
    assert f"{episode.reference}: disclosure at the return-home interview" in mine
    notification = Notification.objects.get(episode=episode, recipient=officer, kind="disclosure")
    assert WORDS in notification.body and notification.acknowledged_at is None

    # The child's page shows it, with the tasks that follow; the words stay in the notification.
    cop.goto(f"/children/{w.child.pk}/")
    panel = cop.locator("section.app-harm-panel").inner_text()
    assert "Disclosure at the return-home interview" in panel
    for title in HARM_TASKS.values():
        assert title in panel
    assert WORDS not in panel

    # The care worker at the child's home sees the child, never the police response to it.
    carer = page_for(w.users.care_worker, lands="**/partners/")
    carer.goto(f"/partners/children/{w.child.pk}/")
    seen = carer.locator("main").inner_text()
    assert "Kayla Partnerchild" in seen
    assert "disclosure at the return-home interview" not in carer.content().lower()
    for title in HARM_TASKS.values():
        assert title not in carer.content()
