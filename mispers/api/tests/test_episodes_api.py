"""GET/POST /api/v1/episodes/ and GET /api/v1/episodes/{id}/."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mispers.episodes.models import Episode
from mispers.risk.policy import load_policy

from .helpers import case_rows, logged, refused

URL = "/api/v1/episodes/"


@pytest.fixture
def body(now):
    def make(**changes):
        values = {
            "new_child": {"given_name": "Lily", "family_name": "Apireport",
                          "date_of_birth": "2010-09-09", "sex": "female",
                          "looked_after": False},
            "reported_at": (now - dt.timedelta(minutes=20)).isoformat(),
            "reported_by": {"name": "Mrs Apireport", "relationship": "Mother",
                            "contact": "07700 900000"},
            "last_seen_at": (now - dt.timedelta(hours=4)).isoformat(),
            "last_seen_where": "School gates",
            "missing_from": "home",
            "circumstances": "Did not come home after school",
            "clothing": "Green school uniform",
            "possible_whereabouts": "Friend's house in Exeter",
        }
        values.update(changes)
        return values

    return make


def test_report_a_new_child_missing(client_for, call_handler, body, force):
    response = client_for(call_handler).post(URL, body(), format="json")
    assert response.status_code == 201, response.content
    episode = response.json()
    assert re.fullmatch(r"DEVON-AND-CORNWALL-2026-\d{6}", episode["reference"])
    assert episode["state"] == "reported"
    assert episode["current_grade"] == ""
    assert episode["version"] == 1
    assert episode["child"]["full_name"] == "Lily Apireport"
    assert episode["age_at_report"] == 15
    assert episode["reported_by"] == {"name": "Mrs Apireport", "relationship": "Mother",
                                      "contact": "07700 900000"}
    assert episode["missing_from"] == "home"
    assert episode["clothing"] == "Green school uniform"
    assert episode["latest_assessment"] is None
    assert [event["code"] for event in episode["timeline"]] == ["reported"]
    saved = Episode.objects.get(pk=episode["id"])
    assert saved.force == force
    assert saved.child.created_by == call_handler


def test_report_an_existing_child_missing(client_for, call_handler, episode, body):
    given = body(new_child=None, child=str(episode.child_id))
    before = case_rows()
    response = client_for(call_handler).post(URL, given, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["child"]["id"] == str(episode.child_id)
    after = case_rows()
    assert after["Child"] == before["Child"]
    assert after["Episode"] == before["Episode"] + 1


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"last_seen_at": "2026-03-14T14:50:00Z"}, "last_seen_at", "before the time of the report"),
    ({"reported_at": "2026-03-14T16:00:00Z"}, "reported_at", "future"),
    ({"reported_by": {"name": "  "}}, "reported_by.name", "person reporting"),
    ({"last_seen_where": ""}, "last_seen_where", "last seen"),
])
def test_bad_reports_are_refused_and_nothing_is_saved(client_for, call_handler, body, change,
                                                      field, words):
    before = case_rows()
    response = client_for(call_handler).post(URL, body(**change), format="json")
    detail = refused(response)
    assert words in detail["detail"]
    assert detail["field_errors"] == {field: [detail["detail"]]}
    # The new child is created in the same transaction as the episode: it is not left behind.
    assert case_rows() == before


@pytest.mark.parametrize(("child", "field", "words"), [
    ({"date_of_birth": "2026-05-01"}, "new_child.date_of_birth", "in the past"),
    ({"date_of_birth": "2008-01-01"}, "new_child.date_of_birth", "18 or over"),
    ({"date_of_birth": None, "estimated_age": 19}, "new_child.estimated_age", "0 and 17"),
    ({"looked_after": True}, "new_child.local_authority", "local authority"),
])
def test_bad_child_details_are_refused_and_nothing_is_saved(client_for, call_handler, body,
                                                            child, field, words):
    new_child = {**body()["new_child"], **child}
    before = case_rows()
    detail = refused(client_for(call_handler).post(URL, body(new_child=new_child),
                                                   format="json"))
    assert words in detail["detail"]
    assert list(detail["field_errors"]) == [field]
    assert case_rows() == before


def test_a_child_aged_18_at_the_time_of_the_report_is_refused(client_for, call_handler, body,
                                                              now):
    # 18 on the day of the report.
    new_child = {**body()["new_child"], "date_of_birth": "2008-03-14"}
    before = case_rows()
    detail = refused(client_for(call_handler).post(URL, body(new_child=new_child),
                                                   format="json"))
    assert "18" in detail["detail"]
    assert list(detail["field_errors"]) == ["new_child.date_of_birth"]
    assert case_rows() == before


def test_child_and_new_child_together_or_neither_are_refused(client_for, call_handler, body,
                                                             episode):
    client = client_for(call_handler)
    before = case_rows()
    both = refused(client.post(URL, body(child=str(episode.child_id)), format="json"))
    neither = refused(client.post(URL, body(new_child=None), format="json"))
    assert "existing child or enter a new child" in both["detail"]
    assert neither["detail"] == both["detail"]
    assert case_rows() == before


def test_a_child_of_another_force_cannot_be_reported(client_for, outsider, episode, body):
    before = case_rows()
    detail = refused(client_for(outsider).post(
        URL, body(new_child=None, child=str(episode.child_id)), format="json"))
    assert detail["field_errors"] == {"child": ["Child not found"]}
    assert case_rows() == before


def test_shape_errors_name_nested_fields(client_for, call_handler, body):
    given = body(reported_by={}, missing_from="space", last_seen_at="yesterday")
    detail = refused(client_for(call_handler).post(URL, given, format="json"))
    assert set(detail["field_errors"]) == {"reported_by.name", "missing_from", "last_seen_at"}


def test_list_is_newest_first_with_grade_label_and_logs_each_row(client_for, officer, report,
                                                                 assess, sergeant):
    first = report(officer, reported_minutes_ago=90)
    second = report(officer, reported_minutes_ago=10, given_name="Zed")
    assess(second, officer, "high", answers={"exploitation": "yes"})
    response = client_for(sergeant).get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(second.pk), str(first.pk)]
    policy = load_policy(officer.force_id)
    assert rows[0]["current_grade"] == "high"
    assert rows[0]["current_grade_label"] == policy.labels["high"]
    assert rows[0]["state"] == "open"
    assert rows[0]["child"]["given_name"] == "Zed"
    assert rows[1]["current_grade"] == ""
    assert rows[1]["current_grade_label"] == ""
    assert logged(sergeant, "episode") == [str(second.pk), str(first.pk)]


def test_list_filters_by_state_and_grade(client_for, officer, report, assess):
    graded = report(officer)
    waiting = report(officer, given_name="Other")
    assess(graded, officer, "high", answers={"exploitation": "yes"})
    client = client_for(officer)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(state="open") == {str(graded.pk), str(waiting.pk)}
    assert ids(state="reported") == {str(waiting.pk)}
    assert ids(state="found") == set()
    assert ids(grade="high") == {str(graded.pk)}
    assert ids(state="open", grade="high") == {str(graded.pk)}
    assert ids(grade="low") == set()


def test_unknown_filters_are_refused(client_for, officer):
    client = client_for(officer)
    assert refused(client.get(URL, {"state": "lost"}))["field_errors"] == {
        "state": ["Unknown state 'lost': use one of open, reported, found, closed, withdrawn"]}
    assert "grade" in refused(client.get(URL, {"grade": "extreme"}))["field_errors"]


def test_detail_shows_grade_reasons_timeline_and_is_logged(client_for, officer, sergeant,
                                                           episode, assess):
    assessment = assess(episode, officer, "low", rationale="Found at her sister's before")
    response = client_for(sergeant).get(f"{URL}{episode.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == episode.reference
    assert body["state"] == "open"
    # A downgrade waiting for ratification: the recommended grade governs.
    assert body["current_grade"] == assessment.recommended_grade == "medium"
    assert body["current_grade_label"] == load_policy(officer.force_id).labels["medium"]
    assert body["version"] == 2
    latest = body["latest_assessment"]
    assert latest["id"] == str(assessment.pk)
    assert latest["status"] == "pending_ratification"
    assert latest["chosen_grade"] == "low"
    assert latest["effective_grade"] == "medium"
    assert latest["policy"] == assessment.policy_name
    assert [reason["text"] for reason in latest["reasons"]] == [
        reason["text"] for reason in assessment.reasons]
    assert all(set(reason) == {"rule", "grade", "text"} for reason in latest["reasons"])
    assert [event["code"] for event in body["timeline"]][:3] == [
        "reported", "assessed", "ratification_requested"]
    assert {event["code"] for event in body["timeline"][3:]} == {"action_created"}
    assert body["timeline"][1]["actor"] == officer.display_with_rank
    assert logged(sergeant, "episode") == [str(episode.pk)]


def test_list_query_count_does_not_grow_with_the_number_of_episodes(
        client_for, officer, report, assess, django_assert_max_num_queries):
    for number in range(3):
        assess(report(officer, given_name=f"Child{number}"), officer, "high",
               answers={"exploitation": "yes"})
    client = client_for(officer)
    client.get(URL)  # warm the session and the policy cache
    with CaptureQueriesContext(connection) as three:
        assert client.get(URL).json()["count"] == 3
    for number in range(3, 30):
        report(officer, given_name=f"Child{number}")
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert client.get(URL).json()["count"] == 30
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert client.get(URL, {"state": "open"}).json()["count"] == 30
