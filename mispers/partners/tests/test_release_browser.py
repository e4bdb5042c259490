"""Browser journey in Chromium: the child is found at a place police wrote down; the care home's
page shows when, not where; an officer releases "where found" from the episode page with a
reason; the care worker then sees the place, never the reason."""

import datetime as dt

import pytest

from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.episodes.services import ReportDetails
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

from .together import PASSWORD, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PLACE = "Plymouth coach station, by the ticket office"


def test_an_officer_releases_where_the_child_was_found(page_for, chromium, live_server, force,
                                                       officer, child_details):
    from django.utils import timezone

    now = timezone.now()
    w = world(force=force, now=now, child_details=child_details)
    reported_at = now - dt.timedelta(hours=5)
    episode = episode_report(actor=officer, now=reported_at, child=w.child, details=ReportDetails(
        reported_at=reported_at, reported_by_name="A Carer", last_seen_at=reported_at,
        last_seen_where="Harbour View gate", missing_from="care"))
    assessment_record(actor=officer, now=reported_at, episode=episode, chosen_grade="high",
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    return_record(actor=officer, now=now - dt.timedelta(minutes=30), episode=episode,
                  found_at=now - dt.timedelta(hours=1), found_where=PLACE, found_by="police",
                  condition="safe_and_well")

    def partner_page():
        context = chromium.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/login/")
        page.get_by_label("Username").fill(w.users.care_worker.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/partners/**")
        page.goto(f"/partners/children/{w.child.pk}/")
        return context, page

    context, carer = partner_page()
    assert episode.reference in carer.content() and PLACE not in carer.content()
    context.close()

    police = page_for(officer)
    police.goto(f"/episodes/{episode.pk}/")
    police.get_by_role("link", name="Release a field to partners").click()
    police.get_by_label(f"Where found: {PLACE}").check()
    police.get_by_label("Safeguarding a child (Children Act 1989 and 2004)").check()
    police.get_by_label("Why do the partners need it?").fill(
        "The home's staff know the station and can talk to her about it")
    police.get_by_role("button", name="Release to partners").click()
    police.wait_for_url(f"**/episodes/{episode.pk}/")
    police.get_by_text("written to the information-sharing log").first.wait_for()

    context, carer = partner_page()
    carer.get_by_text(PLACE).wait_for()
    assert "can talk to her about it" not in carer.content()  # the reason stays with police
    context.close()
