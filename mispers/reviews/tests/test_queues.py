"""Queues that can be worked (ADR 23): one escalation row per episode naming what is overdue,
riskiest first (downgrades of children still missing before all), filters by grade, team, area
and kind, and acknowledging several escalations with one note. Asserted on the pages."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.urls import reverse

from mispers.accounts.models import Area, Team
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.episodes.models import Episode, TimelineEvent
from mispers.reviews.escalation import sweep
from mispers.reviews.models import Notification
from mispers.reviews.services import action_create
from mispers.risk.policy import FACTORS
from mispers.risk.services import AnswerInput

pytestmark = pytest.mark.django_db


def grade(episode, actor, now, chosen, answer="no"):
    assessment_record(actor=actor, now=now, episode=episode, chosen_grade=chosen,
                      answers={code: AnswerInput(answer=answer) for code in FACTORS},
                      rationale="Known to stay at her sister's")
    episode.refresh_from_db()
    return episode


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def escalation_rows(response) -> list[str]:
    """The references of the escalation rows, top to bottom."""
    return re.findall(r'app-escalation-row[^"]*" data-episode="([^"]+)"',
                      response.content.decode())


@pytest.fixture
def report(call_handler, now, child_details, report_details):
    def make(name, minutes_ago=30):
        return episode_report(actor=call_handler, now=now, new_child=child_details(
            given_name=name, family_name="Queuechild", looked_after=False),
        details=report_details(
            reported_at=now - dt.timedelta(minutes=minutes_ago)))
    return make


def overdue_actions(episode, officer, now, titles, hours_late=2):
    for title in titles:
        action_create(actor=officer, now=now - dt.timedelta(hours=hours_late + 1),
                      episode=episode, code="x", title=title,
                      due_at=now - dt.timedelta(hours=hours_late), assigned_to=officer)


LATER = dt.timedelta(hours=6)


def test_one_row_per_episode_names_every_overdue_thing(client, report, officer, sergeant, now):
    episode = grade(report("Amy"), officer, now, "medium")
    overdue_actions(episode, officer, now, ["Check the bus station CCTV",
                                            "Speak to the school", "Search the garden"])
    sweep(now=now + LATER)
    assert Notification.objects.filter(recipient=sergeant).count() >= 3
    client.force_login(sergeant)
    with time_machine.travel(now + LATER, tick=False):
        response = client.get(reverse("reviews:supervision"))
    assert escalation_rows(response) == [episode.reference]  # one row, not one per deadline
    text = text_of(response)
    for title in ("Check the bus station CCTV", "Speak to the school", "Search the garden"):
        assert f"{title} : overdue by 8 h 0 min" in text
    assert "Action, due" not in text


def test_escalations_are_riskiest_first_then_most_overdue_with_live_downgrades_first(
        client, report, officer, sergeant, now):
    low = grade(report("Lowe"), officer, now, "low")
    high = grade(report("Hye"), officer, now, "high")
    medium = grade(report("Medd"), officer, now, "medium")
    downgraded = grade(report("Down"), officer, now, "low", answer="unknown")  # waits for a sgt
    overdue_actions(low, officer, now, ["Low's long-late action"], hours_late=5)
    overdue_actions(high, officer, now, ["High's action"], hours_late=1)
    overdue_actions(medium, officer, now, ["Medium's action"], hours_late=3)
    overdue_actions(downgraded, officer, now, ["Downgraded's action"], hours_late=1)
    sweep(now=now + LATER)
    client.force_login(sergeant)
    with time_machine.travel(now + LATER, tick=False):
        response = client.get(reverse("reviews:supervision"))
    assert escalation_rows(response) == [downgraded.reference, high.reference,
                                         medium.reference, low.reference]
    text = text_of(response)
    assert "Downgrade to ratify" in text
    # The ratifications come before the escalations on the page.
    assert text.index("Grades waiting for ratification (1)") < text.index(
        "Escalations to acknowledge")


def test_filters_by_grade_team_area_and_kind_without_javascript(
        client, report, officer, sergeant, force, now):
    north = Area.objects.create(force=force, name="North")
    team = Team.objects.create(force=force, name="Response A", area=north)
    high = grade(report("Hye"), officer, now, "high")
    medium = grade(report("Medd"), officer, now, "medium")
    Episode.objects.filter(pk=medium.pk).update(team=team, area=north)
    overdue_actions(high, officer, now, ["High's action"])
    overdue_actions(medium, officer, now, ["Medium's action"])
    sweep(now=now + LATER)
    client.force_login(sergeant)
    url = reverse("reviews:supervision")
    with time_machine.travel(now + LATER, tick=False):
        assert escalation_rows(client.get(url)) == [high.reference, medium.reference]
        assert escalation_rows(client.get(url, {"grade": "high"})) == [high.reference]
        assert escalation_rows(client.get(url, {"team": team.pk})) == [medium.reference]
        by_area = client.get(url, {"area": north.pk})
        assert escalation_rows(by_area) == [medium.reference]
        assert "Clear filters" in text_of(by_area) and "North" in text_of(by_area)
        only_reviews = text_of(client.get(url, {"kind": "review"}))
        assert "High's action" not in only_reviews and "Medium's action" not in only_reviews
        # An unknown value is ignored, not an error.
        assert escalation_rows(client.get(url, {"grade": "purple", "team": "x"})) == [
            high.reference, medium.reference]


def test_the_page_shows_the_most_urgent_and_each_whole_list_pages_on_its_own(
        client, report, officer, sergeant, now, monkeypatch):
    """The first screen holds the most urgent few of each list; "See all" opens one list, page
    by page, in the same order, keeping the filters; an unknown list is a 404."""
    from mispers.reviews import views

    monkeypatch.setattr(views, "SUPERVISION_FIRST", 2)
    monkeypatch.setattr(views, "SECTION_PAGE", 2)
    episodes = [grade(report(name), officer, now, "medium")
                for name in ("Ann", "Bea", "Cat", "Dot", "Eve")]
    for late, episode in enumerate(episodes):  # Ann the least late, Eve the most
        overdue_actions(episode, officer, now, [f"{episode.child.given_name}'s action"],
                        hours_late=1 + late)
    sweep(now=now + LATER)
    client.force_login(sergeant)
    url = reverse("reviews:supervision")
    most_late_first = [e.reference for e in reversed(episodes)]
    with time_machine.travel(now + LATER, tick=False):
        first = client.get(url)
        assert escalation_rows(first) == most_late_first[:2]
        text = text_of(first)
        assert "Escalations to acknowledge (5 episodes)" in text
        assert "Showing the 2 most urgent" in text and "See all 5" in text
        assert 'href="?section=escalations"' in first.content.decode()
        page_one = client.get(url, {"section": "escalations"})
        assert escalation_rows(page_one) == most_late_first[:2]
        page_text = text_of(page_one)
        assert "Page 1 of 3" in page_text and "Back to Supervision" in page_text
        assert "Reviews due" not in page_text  # one list only
        assert escalation_rows(client.get(url, {"section": "escalations", "page": 3})) == [
            most_late_first[4]]
        # Past the end (rows acknowledged meanwhile): the last page, not an empty one.
        past = client.get(url, {"section": "escalations", "page": 9})
        assert past.status_code == 302 and past["Location"].endswith("page=3")
        # Filters survive into the whole list and its pages.
        filtered = client.get(url, {"grade": "medium", "section": "escalations"})
        assert 'name="section" value="escalations"' in filtered.content.decode()
        assert "grade=medium&amp;section=escalations&amp;page=2" in filtered.content.decode()
        assert escalation_rows(client.get(url, {"grade": "high", "section": "escalations"})) == []
        assert client.get(url, {"section": "everything"}).status_code == 404


def test_bulk_acknowledgement_with_one_note(client, report, officer, sergeant, inspector, now):
    first = grade(report("Amy"), officer, now, "medium")
    second = grade(report("Bea"), officer, now, "high")
    overdue_actions(first, officer, now, ["Check the CCTV", "Ring the school"])
    overdue_actions(second, officer, now, ["Search the park"])
    sweep(now=now + LATER)
    mine = Notification.objects.filter(recipient=sergeant, acknowledged_at__isnull=True)
    ids = {episode: ",".join(str(pk) for pk in mine.filter(episode=episode)
                             .values_list("pk", flat=True)) for episode in (first, second)}
    client.force_login(sergeant)
    url = reverse("reviews:supervision")
    with time_machine.travel(now + LATER, tick=False):
        # No note: nothing is acknowledged and the page says why.
        refused = client.post(reverse("reviews:acknowledge_many"),
                              {"notifications": list(ids.values()), "note": " ", "next": url},
                              follow=True)
        assert "Nothing was acknowledged: Enter a note" in text_of(refused)
        assert escalation_rows(refused) == [second.reference, first.reference]
        done = client.post(reverse("reviews:acknowledge_many"),
                           {"notifications": list(ids.values()), "next": url,
                            "note": "Both owners called; actions under way"}, follow=True)
    assert "acknowledged on 2 episodes, with your note" in text_of(done)
    assert escalation_rows(done) == []
    assert not mine.exists()
    event = TimelineEvent.objects.get(episode=first, code="escalation_acknowledged")
    assert "Check the CCTV" in event.summary and "Ring the school" in event.summary
    assert "Note: Both owners called; actions under way" in event.summary


def test_bulk_acknowledgement_refuses_someone_elses_and_changes_nothing(
        client, report, officer, sergeant, inspector, now):
    episode = grade(report("Amy"), officer, now, "medium")
    overdue_actions(episode, officer, now, ["Check the CCTV"], hours_late=30)
    sweep(now=now + dt.timedelta(hours=6))
    sweep(now=now + dt.timedelta(hours=40))  # climbed to the inspector
    own = Notification.objects.filter(recipient=sergeant).first()
    theirs = Notification.objects.filter(recipient=inspector).first()
    assert own is not None and theirs is not None
    client.force_login(sergeant)
    response = client.post(reverse("reviews:acknowledge_many"),
                           {"notifications": [str(own.pk), str(theirs.pk)], "note": "Seen",
                            "next": reverse("reviews:supervision")}, follow=True)
    assert "Nothing was acknowledged" in text_of(response)
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.acknowledged_at is None and theirs.acknowledged_at is None
    assert client.get(reverse("reviews:acknowledge_many")).status_code == 405


def test_my_work_groups_escalations_and_orders_actions_by_risk(
        client, report, officer, sergeant, now):
    low = grade(report("Lowe"), officer, now, "low")
    high = grade(report("Hye"), officer, now, "high")
    overdue_actions(low, officer, now, ["Low and very late"], hours_late=9)
    overdue_actions(high, officer, now, ["High and a little late"], hours_late=1)
    client.force_login(officer)
    with time_machine.travel(now, tick=False):
        text = text_of(client.get(reverse("reviews:mine")))
    assert text.index("High and a little late") < text.index("Low and very late")
    sweep(now=now + LATER)
    client.force_login(sergeant)
    with time_machine.travel(now + LATER, tick=False):
        response = client.get(reverse("reviews:mine"))
    assert escalation_rows(response) == [high.reference, low.reference]
