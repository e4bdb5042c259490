"""Browser journey in Chromium (issue 4): a call handler reports a child whose surname is
misspelled and whose day and month of birth are swapped; the right child is the first candidate;
the report joins that child's history; it is the third episode in 90 days, so a strategy meeting
is flagged for the coordinator; the child's trigger plan actions appear on the new episode."""

import datetime as dt

import pytest
from django.utils import timezone

from mispers.casework.children import child_create
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.core.testing import fill_date, fill_datetime
from mispers.episodes.models import Action, Episode
from mispers.episodes.services import ReportDetails
from mispers.people.services import ChildDetails
from mispers.repeats.models import StrategyMeetingFlag
from mispers.repeats.services import PlanActionInput, trigger_plan_save
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = dt.date(2011, 4, 7)  # typed as 4 July 2011 by the call handler


def _earlier_episode(*, child, handler, officer, reported_at):
    episode = episode_report(actor=handler, now=reported_at, child=child, details=ReportDetails(
        reported_at=reported_at, reported_by_name="A Carer",
        last_seen_at=reported_at - dt.timedelta(hours=2), last_seen_where="Harbour View",
        missing_from="care"))
    assessment_record(actor=officer, now=reported_at + dt.timedelta(minutes=5), episode=episode,
                      chosen_grade="medium", rationale="",
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    return_record(actor=officer, now=reported_at + dt.timedelta(hours=6), episode=episode,
                  found_at=reported_at + dt.timedelta(hours=5), found_where="Plymouth bus station",
                  found_by="police", condition="safe_and_well")
    return episode


@pytest.fixture
def known_child(force, call_handler, officer, make_user):
    """Jessica Smith, reported twice in the last two months, with a trigger plan; and children
    with similar names who must rank below her."""
    current = timezone.now()
    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant",
                            username="coordinator")

    def child(given, family, born, address="1 Example Row, Plymouth"):
        return child_create(actor=call_handler, now=current - dt.timedelta(days=120), force=force,
                            details=ChildDetails(
                                given_name=given, family_name=family, date_of_birth=born,
                                sex="female", ethnicity="white_british", looked_after=True,
                                local_authority="Plymouth City Council",
                                placement_address=address))

    jessica = child("Jessica", "Smith", BORN)
    for decoy in [("Jessie", "Smithson", dt.date(2010, 7, 4)),
                  ("Jessica", "Smart", dt.date(2012, 4, 7)),
                  ("Jennifer", "Smith", dt.date(2011, 7, 4)),
                  ("Jessica", "Schmidt", dt.date(2009, 1, 20))]:
        child(*decoy, address="9 Other Lane, Exeter")
    for days in (60, 20):
        _earlier_episode(child=jessica, handler=call_handler, officer=officer,
                         reported_at=current - dt.timedelta(days=days))
    trigger_plan_save(actor=coordinator, now=current - dt.timedelta(days=10), child=jessica,
                      review_on=(current + dt.timedelta(days=60)).date(), actions=[
                          PlanActionInput(kind="check_address",
                                          description="Check her boyfriend's flat",
                                          detail="Flat 3, 12 Example Street, Plymouth"),
                          PlanActionInput(kind="call_carer", description="Call her key worker",
                                          detail="Key worker on 01234 000111"),
                      ])
    return jessica


def test_misspelled_child_is_found_joins_history_flags_meeting_and_applies_plan(
        page_for, call_handler, known_child):
    page = page_for(call_handler)
    page.get_by_role("link", name="New report").first.click()
    page.get_by_label("Given name").fill("Jessica")
    page.get_by_label("Family name").fill("Smiht")
    fill_date(page, "Date of birth", dt.date(2011, 7, 4))
    page.get_by_role("button", name="Find the child").click()

    first = page.locator(".app-candidate").first
    first.wait_for()
    assert "Jessica Smith" in first.locator(".govuk-summary-card__title").inner_text()
    reasons = first.inner_text().lower()
    assert "day and month" in reasons
    first.get_by_role("link", name="This is the child").click()

    reported = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    fill_datetime(page, "When was the report made?", reported)
    page.get_by_label("Name of the person reporting").fill("Residential Worker")
    fill_datetime(page, "When was the child last seen?", reported - dt.timedelta(hours=2))
    page.get_by_label("Where were they last seen?").fill("Leaving the children's home")
    page.get_by_role("radio", name="Care placement").check()
    page.get_by_role("button", name="Save report and assess the risk").click()
    page.get_by_role("heading", name="Assess the risk").wait_for()

    # The report joined Jessica's history: no second Jessica, three episodes on her record.
    episodes = Episode.objects.filter(child=known_child)
    assert episodes.count() == 3
    new = episodes.order_by("-reported_at").first()
    assert new.child_id == known_child.pk

    # The third episode in 90 days flags a strategy meeting for the coordinator.
    flag = StrategyMeetingFlag.objects.get(child=known_child)
    assert flag.episode_id == new.pk

    page.goto(f"/episodes/{new.pk}/")
    content = page.content()
    assert "strategy meeting" in content.lower()
    # The trigger plan's actions are on the new episode, linked to the plan.
    actions = page.locator("#actions + table, #actions ~ table").first.inner_text()
    assert "Check her boyfriend's flat" in actions
    assert "Call her key worker" in actions
    assert "trigger plan" in actions.lower()
    titles = list(Action.objects.filter(episode=new, source="trigger_plan")
                  .values_list("title", flat=True))
    assert len(titles) == 2
    assert any("Check her boyfriend's flat" in t for t in titles)
    assert any("Call her key worker" in t for t in titles)

    # The child's page shows the pattern: three episodes in the last 90 days.
    page.goto(f"/children/{known_child.pk}/")
    pattern = page.inner_text("main")
    assert "Jessica Smith" in pattern
    assert "strategy meeting" in pattern.lower()
