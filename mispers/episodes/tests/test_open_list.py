"""The Open episodes list (issue 10): grade, time missing, next review due, officer in the case
and an overdue flag; riskiest first, then the most urgent; a fixed number of queries."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.risk.policy import FACTORS
from mispers.risk.services import AnswerInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(call_handler, now, child_details, report_details):
    def make(name, grade="", officer=None, minutes_ago=30):
        episode = episode_report(actor=call_handler, now=now, new_child=child_details(
            given_name=name, family_name="Listchild", looked_after=False),
            details=report_details(reported_at=now - dt.timedelta(minutes=minutes_ago)))
        if grade:
            assessment_record(actor=officer, now=now, episode=episode, chosen_grade=grade,
                              answers={code: AnswerInput(answer="no") for code in FACTORS},
                              rationale="Known to stay at her sister's")
        episode.refresh_from_db()
        return episode
    return make


def rows(response) -> list[str]:
    return re.findall(r'data-episode="([^"]+)"', response.content.decode())


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_open_list_shows_grade_time_missing_next_review_owner_and_overdue(
        client, report, officer, sergeant, now):
    low = report("Lowe", "low", officer)
    ungraded = report("Nogr")
    high = report("Hye", "high", officer)
    client.force_login(sergeant)
    with time_machine.travel(now + dt.timedelta(hours=2), tick=False):
        response = client.get(reverse("episodes:open"))
    assert response.status_code == 200
    assert rows(response) == [high.reference, low.reference, ungraded.reference]
    text = text_of(response)
    for heading in ("Grade", "Missing for", "Next review", "Officer in the case"):
        assert heading in text
    high_row = text[text.index(high.reference):text.index(low.reference)]
    assert "High" in high_row and "Overdue" in high_row and "5 h 0 min" in high_row
    assert "Overdue by 1 h 30 min" in high_row  # its review was due 30 min after the report
    ungraded_row = text[text.index(ungraded.reference):]
    assert "Not graded" in ungraded_row


def test_open_list_query_count_does_not_grow_with_rows(client, report, officer, sergeant, now):
    report("One", "medium", officer)
    client.force_login(sergeant)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("episodes:open")).status_code == 200
    for index in range(6):
        report(f"More{index}", "high" if index % 2 else "", officer)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("episodes:open"))
    assert len(rows(response)) == 7
    assert len(many.captured_queries) == len(few.captured_queries)
