"""The repeat-missing API: pattern, repeat children, strategy meetings, trigger plans. Scoped to
the user's force (404 otherwise); refusals are 400s naming the field; nothing half-written."""

import datetime as dt

import pytest

from mispers.repeats.models import StrategyMeeting, StrategyMeetingFlag, TriggerPlan

from .helpers import logged, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def flagged(call_handler, coordinator, now, report_details, child_details):
    from mispers.casework.children import child_create
    from mispers.casework.report import episode_report

    child = child_create(actor=call_handler, now=now - dt.timedelta(days=400),
                         force=call_handler.force, details=child_details())
    for days in (60, 30, 2):
        at = now - dt.timedelta(days=days)
        episode_report(actor=call_handler, now=at + dt.timedelta(minutes=5), child=child,
                       details=report_details(reported_at=at,
                                              last_seen_at=at - dt.timedelta(hours=1)))
    return child


MEETING = {"held_on": "2026-03-13", "agencies": ["Police", "Education"],
           "decisions": "Refer to the panel",
           "actions": [{"description": "Refer to the panel", "owner_name": "J Smith",
                        "owner_agency": "Children's social care", "due_on": "2026-03-20"}]}
PLAN = {"review_on": "2026-06-01",
        "actions": [{"kind": "check_address", "description": "Check the flat",
                     "detail": "Flat 2", "due_within_minutes": 45}]}


def test_pattern(client_for, officer, analyst, flagged):
    response = client_for(officer).get(f"/api/v1/children/{flagged.pk}/pattern")
    assert response.status_code == 200
    body = response.json()
    assert (body["episodes_30_days"], body["episodes_90_days"], body["episodes_total"]) == (
        2, 3, 3)
    assert body["missing_from"] == [{"missing_from": "care", "episodes": 3}]
    assert body["strategy_meeting_flag"]["episode_count"] == 3
    assert logged(officer, "child") == [str(flagged.pk)]
    # A named child's pattern is case data: not for the analyst (ADR 0018).
    assert client_for(analyst).get(f"/api/v1/children/{flagged.pk}/pattern").status_code == 403


def test_repeat_children_with_concentration(client_for, officer, analyst, flagged):
    assert client_for(analyst).get("/api/v1/repeat-children/").status_code == 403
    body = client_for(officer).get("/api/v1/repeat-children/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == str(flagged.pk)
    assert body["results"][0]["strategy_meeting_needed"] is True
    assert body["concentration"]["share"] == 1.0 and body["concentration"]["top_children"] == 1
    bad = refused(client_for(officer).get("/api/v1/repeat-children/", {"days": "7"}))
    assert "days" in bad["field_errors"]


def test_record_and_read_a_meeting_then_complete_an_action(client_for, coordinator, flagged):
    client = client_for(coordinator)
    response = client.post(f"/api/v1/children/{flagged.pk}/strategy-meetings/", MEETING,
                           format="json")
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert meeting["agencies"] == ["Police", "Education"]
    assert StrategyMeetingFlag.objects.get().status == "held"
    listed = client.get(f"/api/v1/children/{flagged.pk}/strategy-meetings/").json()
    assert [m["id"] for m in listed["results"]] == [meeting["id"]]
    assert client.get(f"/api/v1/strategy-meetings/{meeting['id']}/").status_code == 200
    action = meeting["actions"][0]["id"]
    bad = refused(client.post(f"/api/v1/strategy-meeting-actions/{action}/complete",
                              {"result": ""}, format="json"))
    assert bad["field_errors"] == {"result": ["Record the result of the action"]}
    done = client.post(f"/api/v1/strategy-meeting-actions/{action}/complete",
                       {"result": "Referred"}, format="json")
    assert done.status_code == 200 and done.json()["result"] == "Referred"


def test_a_meeting_action_without_an_owner_is_refused_and_nothing_saved(client_for,
                                                                         coordinator, flagged):
    body = dict(MEETING, actions=[{"description": "Visit", "due_on": "2026-03-20"}])
    bad = refused(client_for(coordinator).post(
        f"/api/v1/children/{flagged.pk}/strategy-meetings/", body, format="json"))
    assert list(bad["field_errors"]) == ["actions.0.owner_name"]
    assert not StrategyMeeting.objects.exists()
    assert StrategyMeetingFlag.objects.get().status == "open"


def test_an_officer_may_read_but_not_record(client_for, officer, flagged):
    client = client_for(officer)
    assert client.get(f"/api/v1/children/{flagged.pk}/strategy-meetings/").status_code == 200
    refused(client.post(f"/api/v1/children/{flagged.pk}/strategy-meetings/", MEETING,
                        format="json"), 403)
    refused(client.put(f"/api/v1/children/{flagged.pk}/trigger-plan", PLAN, format="json"), 403)


def test_trigger_plan_put_get_and_review(client_for, coordinator, flagged):
    client = client_for(coordinator)
    assert client.get(f"/api/v1/children/{flagged.pk}/trigger-plan").json()["plan"] is None
    response = client.put(f"/api/v1/children/{flagged.pk}/trigger-plan", PLAN, format="json")
    assert response.status_code == 200, response.content
    plan = response.json()["plan"]
    assert plan["actions"][0]["title"] == "Check an address: Check the flat (Flat 2)"
    assert plan["stale"] is False
    bad = refused(client.post(f"/api/v1/trigger-plans/{plan['id']}/review",
                              {"review_on": "2026-03-01"}, format="json"))
    assert bad["field_errors"] == {"review_on": ["The review date must be after today"]}
    reviewed = client.post(f"/api/v1/trigger-plans/{plan['id']}/review",
                           {"review_on": "2026-07-01"}, format="json")
    assert reviewed.status_code == 200 and reviewed.json()["review_on"] == "2026-07-01"


@pytest.mark.parametrize(("body", "field"), [
    (dict(PLAN, actions=[]), "actions"),
    (dict(PLAN, review_on="2026-01-01"), "review_on"),
    (dict(PLAN, actions=[{"kind": "phone", "description": "x"}]), "actions.0.kind"),
])
def test_a_bad_trigger_plan_is_refused(client_for, coordinator, flagged, body, field):
    bad = refused(client_for(coordinator).put(f"/api/v1/children/{flagged.pk}/trigger-plan",
                                              body, format="json"))
    assert field in bad["field_errors"]
    assert not TriggerPlan.objects.exists()


def test_another_force_gets_404_everywhere(client_for, outsider, flagged, coordinator):
    meeting = client_for(coordinator).post(f"/api/v1/children/{flagged.pk}/strategy-meetings/",
                                           MEETING, format="json").json()
    plan = client_for(coordinator).put(f"/api/v1/children/{flagged.pk}/trigger-plan", PLAN,
                                       format="json").json()["plan"]
    client = client_for(outsider)
    for url in (f"/api/v1/children/{flagged.pk}/pattern",
                f"/api/v1/children/{flagged.pk}/strategy-meetings/",
                f"/api/v1/strategy-meetings/{meeting['id']}/",
                f"/api/v1/children/{flagged.pk}/trigger-plan"):
        refused(client.get(url), 404)
    refused(client.put(f"/api/v1/children/{flagged.pk}/trigger-plan", PLAN, format="json"), 404)
    refused(client.post(f"/api/v1/trigger-plans/{plan['id']}/review",
                        {"review_on": "2026-07-01"}, format="json"), 404)
    refused(client.post(f"/api/v1/strategy-meeting-actions/{meeting['actions'][0]['id']}"
                        "/complete", {"result": "x"}, format="json"), 404)
    assert client.get("/api/v1/repeat-children/").json()["count"] == 0
    assert TriggerPlan.objects.filter(active=True).count() == 1
