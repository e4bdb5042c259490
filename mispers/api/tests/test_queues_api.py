"""The three queues through the API: mine, the supervisor's and the coordinator's. Overdue work
first, with how long (`overdue_seconds`); who may see which queue; force scoping; query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mispers.accounts.models import AccessLog

from .helpers import refused

H = 3600
MINE, SUPERVISOR, COORDINATOR = ("/api/v1/queues/mine/", "/api/v1/queues/supervisor/",
                                 "/api/v1/queues/coordinator/")


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], username="coordinator")


@pytest.fixture
def colleague(force, make_user):
    return make_user(force=force, roles=["officer"], rank="officer", username="colleague")


@pytest.fixture
def missing_work(officer, colleague, report, assess, now):
    """Three missing episodes the officer reported (and owns):

    - `late`: reported 150 minutes ago and not yet graded: its first review was due an hour
      after the report, so it is 90 minutes overdue;
    - `fresh`: graded medium now (review due 2 hours after the report, in 90 minutes), with a
      sighting three hours ago that prompted a re-assessment (due two hours later: one hour
      overdue), and handed over to a colleague who has not yet accepted it;
    - `downgraded`: graded low below a medium recommendation, waiting for a sergeant.
    """
    from mispers.reviews.services import enquiry_record, handover_request

    late = report(officer, reported_minutes_ago=150)
    fresh = report(officer, given_name="Fresh")
    assess(fresh, officer, "medium")
    enquiry_record(actor=officer, now=now - dt.timedelta(hours=3), episode=fresh,
                   kind="sighting", occurred_at=now - dt.timedelta(hours=3),
                   location="Plymouth station", text="Seen on the platform",
                   prompts_reassessment=True)
    handover_request(actor=officer, now=now, episode=fresh, to_user=colleague,
                     note="Over to you")
    downgraded = report(officer, given_name="Downgraded")
    assess(downgraded, officer, "low", rationale="Known to stay at her sister's")
    return {"late": late, "fresh": fresh, "downgraded": downgraded}


@pytest.fixture
def returned_work(officer, report_details, child_details, now):
    """Two found children: `old` found 30 hours ago (prevention interview 6 hours overdue) and
    `recent` found an hour ago."""
    from mispers.casework.found import return_record
    from mispers.casework.grade import assessment_record
    from mispers.casework.report import episode_report

    def found(name, reported_ago, found_ago):
        reported = now - reported_ago
        episode = episode_report(
            actor=officer, now=reported, new_child=child_details(given_name=name),
            details=report_details(reported_at=reported,
                                   last_seen_at=reported - dt.timedelta(hours=1)))
        assessment_record(actor=officer, now=reported, episode=episode, answers={},
                          chosen_grade="medium")
        return_record(actor=officer, now=now - found_ago, episode=episode,
                      found_at=now - found_ago, found_where="Home", found_by="own_accord",
                      condition="safe_and_well")
        return episode

    return {"old": found("Old", dt.timedelta(days=2), dt.timedelta(hours=30)),
            "recent": found("Recent", dt.timedelta(hours=5), dt.timedelta(hours=1))}


def get(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


# --- the supervisor's queue ------------------------------------------------------------------

def test_the_supervisor_queue_is_overdue_first_with_how_long(client_for, sergeant,
                                                             missing_work, colleague):
    late, fresh = missing_work["late"], missing_work["fresh"]
    queue = get(client_for(sergeant), SUPERVISOR)
    reviews = [(item["episode"]["id"], item["kind"], item["overdue_seconds"])
               for item in queue["reviews"]]
    # Risk first (ADR 23), then overdue first: the medium case's hour-overdue re-assessment and
    # its review not yet due, the low case's review, then the ungraded case's 90-minute-overdue
    # review. (Inspector reviews are an inspector's.)
    assert reviews == [(str(fresh.pk), "reassessment", H), (str(fresh.pk), "review", None),
                       (str(missing_work["downgraded"].pk), "review", None),
                       (str(late.pk), "review", 90 * 60)]
    due = [item["due_at"] for item in queue["reviews"][:2]]  # within a grade, by due time
    assert due == sorted(due)
    assert queue["reviews"][-1]["owner"]["id"] == str(late.owner_id)
    assert queue["reviews"][-1]["episode"]["child_name"] == late.child.full_name
    handover, = queue["handovers"]
    assert handover["handover_to"]["id"] == str(colleague.pk)
    assert handover["overdue_seconds"] is None
    ratification, = queue["ratifications"]
    assert ratification["episode"]["id"] == str(missing_work["downgraded"].pk)
    assert (ratification["chosen_grade"], ratification["recommended_grade"]) == ("low", "medium")
    assert queue["approvals"] == [] and queue["escalations"] == []


def test_an_inspector_sees_inspector_reviews_and_escalations(client_for, inspector,
                                                             missing_work, now):
    from mispers.reviews.escalation import sweep

    sweep(now=now)
    queue = get(client_for(inspector), SUPERVISOR)
    assert "inspector_review" in [item["kind"] for item in queue["reviews"]]
    escalated = {(note["episode"]["id"], note["escalation"]["deadline"]["kind"])
                 for note in queue["escalations"]}
    assert escalated == {(str(missing_work["late"].pk), "review"),
                         (str(missing_work["fresh"].pk), "reassessment")}


def test_approvals_are_waivers_and_proposed_markers(client_for, sergeant, officer,
                                                    returned_work, now):
    from mispers.returns.services import prevention_interview_record, prevention_waiver_request

    old = returned_work["old"]
    old.refresh_from_db()  # the service reads the state of the episode it is given
    prevention_waiver_request(actor=officer, now=now, episode=old,
                              reason="Moved out of the area")
    prevention_interview_record(actor=officer, now=now, episode=returned_work["recent"],
                                held_at=now, where_child_was="x", why_left="x",
                                child_account="x", indicators=["trafficking"])
    queue = get(client_for(sergeant), SUPERVISOR)
    assert sorted(item["kind"] for item in queue["approvals"]) == ["marker_decision",
                                                                   "waiver_approval"]


# --- the coordinator's queue -----------------------------------------------------------------

def test_the_coordinator_queue_is_overdue_first(client_for, coordinator, returned_work, now):
    old, recent = returned_work["old"], returned_work["recent"]
    queue = get(client_for(coordinator), COORDINATOR)
    interviews = [(item["episode"]["id"], item["overdue_seconds"])
                  for item in queue["prevention_interviews"]]
    assert interviews == [(str(old.pk), 6 * H), (str(recent.pk), None)]
    first = queue["prevention_interviews"][0]
    assert dt.datetime.fromisoformat(first["found_at"]) == now - dt.timedelta(hours=30)
    home = queue["return_home_interviews"]
    assert [item["episode"]["id"] for item in home] == [str(old.pk), str(recent.pk)]
    assert [item["overdue_seconds"] for item in home] == [None, None]
    rhi = home[0]["return_home_interview"]
    assert rhi == str(old.return_home_interview.pk)
    assert get(client_for(coordinator), f"/api/v1/return-home-interviews/{rhi}/")["id"] == rhi


def test_done_interviews_leave_the_coordinator_queue(client_for, coordinator, officer,
                                                     returned_work, now):
    from mispers.returns.services import prevention_interview_record

    prevention_interview_record(actor=officer, now=now, episode=returned_work["old"],
                                held_at=now, where_child_was="x", why_left="x",
                                child_account="x")
    queue = get(client_for(coordinator), COORDINATOR)
    assert [item["episode"]["id"] for item in queue["prevention_interviews"]] == [
        str(returned_work["recent"].pk)]


# --- my queue --------------------------------------------------------------------------------

def test_my_queue_has_my_episodes_actions_handovers_and_notifications(
        client_for, officer, colleague, missing_work, now):
    from mispers.reviews.services import action_create

    fresh = missing_work["fresh"]
    for hours in (1, -1):  # one due in an hour, one an hour overdue
        action_create(actor=officer, now=now - dt.timedelta(hours=2), episode=fresh, code="x",
                      title=f"Due in {hours} h", due_at=now + dt.timedelta(hours=hours),
                      assigned_to=officer)
    queue = get(client_for(officer), MINE)
    mine = [e["id"] for e in queue["episodes"]]
    # Risk first (ADR 23): medium, low, then the case not yet graded.
    assert mine == [str(missing_work[name].pk) for name in ("fresh", "downgraded", "late")]
    assert set(mine) == {str(episode.pk) for episode in missing_work.values()}
    # The grade's standard actions are the owner's too (unnamed: they follow the case).
    assert [(a["title"], a["overdue_seconds"]) for a in queue["actions"]
            if a["title"].startswith("Due in")] == [("Due in -1 h", H), ("Due in 1 h", None)]
    assert queue["handovers"] == [] and queue["notifications"] == []
    theirs = get(client_for(colleague), MINE)
    handover, = theirs["handovers"]
    assert handover["episode"]["id"] == str(fresh.pk)
    assert handover["from_user"]["id"] == str(officer.pk)
    assert theirs["episodes"] == []  # not theirs until they accept


def test_my_queue_shows_my_unacknowledged_escalations(client_for, inspector, missing_work, now):
    from mispers.reviews.escalation import sweep

    sweep(now=now)
    queue = get(client_for(inspector), MINE)
    assert len(queue["notifications"]) == 2
    assert all(note["acknowledged_at"] is None for note in queue["notifications"])


# --- who sees which queue --------------------------------------------------------------------

@pytest.mark.parametrize(("who", "allowed"), [
    ("officer", {MINE}),
    ("coordinator", {MINE, COORDINATOR}),
    ("sergeant", {MINE, SUPERVISOR, COORDINATOR}),
    ("inspector", {MINE, SUPERVISOR, COORDINATOR}),
])
def test_each_queue_is_for_its_roles(request, client_for, who, allowed):
    client = client_for(request.getfixturevalue(who))
    for url in (MINE, SUPERVISOR, COORDINATOR):
        response = client.get(url)
        if url in allowed:
            assert response.status_code == 200, (who, url, response.content)
        else:
            detail = refused(response, 403)["detail"]
            assert detail.startswith("The supervisor queue is for" if url == SUPERVISOR
                                     else "The coordinator queue is for"), (who, url)


def test_no_police_role_or_not_signed_in(client_for, make_user, force, anonymous, analyst):
    no_roles = client_for(make_user(force=force, roles=[]))
    admin = client_for(make_user(force=force, roles=["force_admin"]))
    for url in (MINE, SUPERVISOR, COORDINATOR, "/api/v1/notifications/"):
        # No role, and no operational role: queues name children (ADR 0018).
        for client in (no_roles, client_for(analyst), admin):
            assert refused(client.get(url), 403)["detail"] == (
                "You need an operational police role in a force to read case records.")
        assert refused(anonymous.get(url), 401)
        assert anonymous.get(url)["WWW-Authenticate"] == "Token"


def test_another_forces_supervisor_sees_empty_queues(client_for, outsider, missing_work,
                                                     returned_work, now):
    from mispers.reviews.escalation import sweep

    sweep(now=now)
    client = client_for(outsider)
    for url in (MINE, SUPERVISOR, COORDINATOR):
        body = get(client, url)
        assert all(items == [] for key, items in body.items() if key != "totals"), url
        assert not any(body.get("totals", {}).values()), url
    assert not AccessLog.objects.filter(user=outsider).exists()


# --- the access log and query counts ---------------------------------------------------------

def test_each_episode_a_queue_shows_is_logged_once(client_for, sergeant, missing_work):
    get(client_for(sergeant), SUPERVISOR)
    logged = AccessLog.objects.filter(user=sergeant, object_type="episode", channel="api")
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(
        str(episode.pk) for episode in missing_work.values())
    assert {row.child_id for row in logged} == {e.child_id for e in missing_work.values()}


def test_queue_query_counts_do_not_grow_with_the_work(
        client_for, officer, sergeant, inspector, coordinator, colleague, missing_work,
        returned_work, report, assess, now, django_assert_max_num_queries):
    from mispers.casework.found import return_record
    from mispers.reviews.escalation import sweep
    from mispers.reviews.services import action_create, handover_request

    clients = {SUPERVISOR: client_for(inspector), COORDINATOR: client_for(coordinator),
               MINE: client_for(officer)}

    def counts() -> dict[str, int]:
        found = {}
        for url, client in clients.items():
            client.get(url)  # warm the session and the policy cache
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            found[url] = len(queries.captured_queries)
        return found

    sweep(now=now)
    before = counts()
    for number in range(6):
        missing = report(officer, reported_minutes_ago=150, given_name=f"More{number}")
        assess(missing, officer, "low", rationale="Often at her sister's")
        action_create(actor=officer, now=now, episode=missing, code="x", title="More",
                      assigned_to=officer)
        handover_request(actor=officer, now=now, episode=missing, to_user=colleague)
        other = report(officer, given_name=f"Back{number}")
        assess(other, officer, "medium")
        return_record(actor=officer, now=now, episode=other, found_at=now, found_where="Home",
                      found_by="own_accord", condition="safe_and_well")
    sweep(now=now)
    for url, allowed in before.items():
        with django_assert_max_num_queries(allowed):
            body = clients[url].get(url).json()
        assert sum(len(items) for items in body.values()) > 6, url
