"""The return through the API: found, prevention interview or its waiver, proposed markers, the
return-home interview, closing and withdrawing; and the return on the episode."""

import datetime as dt

import pytest

from mispers.casework.tests.closing import SUMMARY_BODY, settle
from mispers.episodes.models import Action, EnquiryEntry, Episode
from mispers.people.models import Marker
from mispers.returns.models import (
    FoundRecord,
    MarkerProposal,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.reviews.models import Deadline, Review

from .helpers import case_rows, logged, refused

H = 3600
MORE_TABLES = (Action, EnquiryEntry, Deadline, Review, FoundRecord, PreventionInterview,
               PreventionWaiver, MarkerProposal, ReturnHomeInterview, Marker)


def rows() -> dict[str, int]:
    """Row counts of the case tables and of the return's tables."""
    return {**case_rows(), **{model.__name__: model.objects.count() for model in MORE_TABLES}}


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def state(episode) -> tuple[str, int]:
    episode.refresh_from_db()
    return episode.state, episode.version


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], username="coordinator")


@pytest.fixture
def graded(episode, officer, assess):
    """Graded medium: open, version 2. Last seen 3 hours ago."""
    assess(episode, officer, "medium")
    episode.refresh_from_db()
    return episode


@pytest.fixture
def found(graded, officer, now):
    """Found an hour ago by police (version 3)."""
    from mispers.casework.found import return_record

    return_record(actor=officer, now=now, episode=graded, found_at=now - dt.timedelta(hours=1),
                  found_where="Exeter bus station", found_by="police",
                  condition="safe_and_well")
    graded.refresh_from_db()
    return graded


@pytest.fixture
def interviewed(found, officer, now):
    """The prevention interview disclosed older associates: a marker is proposed."""
    from mispers.returns.services import prevention_interview_record

    prevention_interview_record(
        actor=officer, now=now, episode=found, held_at=now - dt.timedelta(minutes=30),
        where_child_was="A flat in Exeter", why_left="Argument at the placement",
        child_account="I went to see my mates", indicators=["older_associates"])
    found.refresh_from_db()
    return found


def step(client, episode, name, body=None):
    return client.post(f"/api/v1/episodes/{episode.pk}/{name}", body or {}, format="json")


def found_body(now, **changes):
    return {"found_at": iso(now - dt.timedelta(hours=1)), "found_where": "Exeter bus station",
            "found_by": "police", "condition": "safe_and_well", "harms": [],
            "notes": "Cold, otherwise well", "version": 2, **changes}


# --- found -----------------------------------------------------------------------------------

def test_record_found_starts_the_interview_clocks(client_for, officer, graded, now):
    response = step(client_for(officer), graded, "found", found_body(now))
    assert response.status_code == 200, response.content
    episode = response.json()
    assert (episode["state"], episode["version"]) == ("found", 3)
    returned = episode["return"]
    assert returned["found"]["found_by"] == "police"
    assert returned["found"]["time_missing_seconds"] == 2 * H  # last seen 3 h ago
    assert returned["found"]["recorded_by"]["id"] == str(officer.pk)
    assert returned["prevention_interview"] is None
    assert returned["prevention_waiver"] is None
    rhi = returned["return_home_interview"]
    assert dt.datetime.fromisoformat(rhi["due_at"]) == now + dt.timedelta(hours=71)
    assert rhi["local_authority"] == "Plymouth City Council"
    kinds = {d["kind"]: d for d in episode["clock"]["deadlines"]}
    # Open actions stay open and the return checklist is set (issue 10).
    assert set(kinds) == {"prevention_interview", "return_home_interview", "action"}
    assert dt.datetime.fromisoformat(kinds["prevention_interview"]["due_at"]) == (
        now + dt.timedelta(hours=23))
    assert episode["clock"]["next_review_due_at"] is None  # the missing clocks stopped


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"found_at": "2026-03-14T11:00:00Z"}, "found_at",
     "Found cannot be before the child was last seen"),
    ({"found_at": "2026-03-14T15:30:00Z"}, "found_at", "This time cannot be in the future"),
    ({"found_where": " "}, "found_where", "Say where the child was found"),
    ({"found_by": "dog"}, "found_by", "Unknown found_by dog: use one of own_accord, police"),
    ({"condition": "fine"}, "condition", "Unknown condition fine"),
    ({"condition": "harmed"}, "harms", "Record the kinds of harm"),
    ({"harms": ["bruise"]}, "harms.0", "Unknown harm bruise"),
    ({"found_at": None}, "found_at", "may not be null"),
])
def test_bad_returns_are_refused_and_save_nothing(client_for, officer, graded, now, changes,
                                                  field, words):
    before = rows()
    body = refused(step(client_for(officer), graded, "found", found_body(now, **changes)))
    assert list(body["field_errors"]) == [field]
    assert words in body["detail"]
    assert rows() == before
    assert state(graded) == ("open", 2)


def test_an_ungraded_report_cannot_be_found_before_it_is_graded(client_for, officer, episode,
                                                                now):
    before = rows()
    body = refused(step(client_for(officer), episode, "found", found_body(now, version=1)))
    assert "Grade the risk before recording the return" in body["detail"]
    assert rows() == before


def test_found_twice_is_an_illegal_transition(client_for, officer, found, now):
    before = rows()
    # The episode has moved past this step: a conflict, as a lost race would be (ADR 20).
    body = refused(step(client_for(officer), found, "found", found_body(now, version=3)), 409)
    assert body["detail"].endswith("is found: it cannot be recorded as found")
    assert rows() == before


def test_found_with_a_stale_version_is_a_conflict(client_for, officer, graded, now):
    before = rows()
    refused(step(client_for(officer), graded, "found", found_body(now, version=1)), 409)
    assert rows() == before
    assert state(graded) == ("open", 2)


# --- prevention interview --------------------------------------------------------------------

def interview_body(now, **changes):
    return {"held_at": iso(now - dt.timedelta(minutes=10)), "where_child_was": "A friend's flat",
            "with_whom": "Two older boys", "why_left": "Argument with carers",
            "harm_disclosed": "", "indicators": ["older_associates", "gifts_or_money"],
            "child_account": "I just wanted to get away for a bit", **changes}


def test_a_prevention_interview_proposes_a_marker(client_for, officer, sergeant, found, now):
    response = client_for(officer).post(f"/api/v1/episodes/{found.pk}/prevention-interview/",
                                        interview_body(now), format="json")
    assert response.status_code == 201, response.content
    interview = response.json()
    assert interview["interviewer"]["id"] == str(officer.pk)
    assert interview["indicators"] == ["older_associates", "gifts_or_money"]
    assert interview["child_account"] == "I just wanted to get away for a bit"
    episode = client_for(sergeant).get(f"/api/v1/episodes/{found.pk}/").json()
    proposal, = episode["return"]["marker_proposals"]
    assert (proposal["status"], proposal["kind"]) == ("proposed", "exploitation")
    assert proposal["source"] == "prevention_interview"
    kinds = [d["kind"] for d in episode["clock"]["deadlines"]]
    assert "prevention_interview" not in kinds and "marker_decision" in kinds


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"held_at": "2026-03-14T13:30:00Z"}, "held_at",
     "The interview cannot be before the child's return"),
    ({"held_at": "2026-03-14T15:01:00Z"}, "held_at", "This time cannot be in the future"),
    ({"child_account": ""}, "child_account", "Record the child's own account"),
    ({"why_left": " "}, "why_left", "Record why the child left"),
    ({"indicators": ["astrology"]}, "indicators.0", "Unknown indicator astrology"),
])
def test_bad_interviews_are_refused(client_for, officer, found, now, changes, field, words):
    before = rows()
    body = refused(client_for(officer).post(f"/api/v1/episodes/{found.pk}/prevention-interview/",
                                            interview_body(now, **changes), format="json"))
    assert list(body["field_errors"]) == [field]
    assert words in body["detail"]
    assert rows() == before


def test_no_interview_before_the_return_or_twice(client_for, officer, graded, interviewed, now,
                                                 report, assess):
    client = client_for(officer)
    missing = report(officer)
    assess(missing, officer, "medium")
    before = rows()
    body = refused(client.post(f"/api/v1/episodes/{missing.pk}/prevention-interview/",
                               interview_body(now), format="json"))
    assert body["detail"] == "Record the return before the prevention interview"
    body = refused(client.post(f"/api/v1/episodes/{interviewed.pk}/prevention-interview/",
                               interview_body(now), format="json"))
    assert body["detail"] == "The prevention interview is already recorded"
    assert rows() == before


# --- waiver ----------------------------------------------------------------------------------

def test_a_waiver_needs_another_supervisors_approval(client_for, officer, sergeant, inspector,
                                                     found):
    response = client_for(sergeant).post(f"/api/v1/episodes/{found.pk}/prevention-waiver/",
                                         {"reason": "Moved out of area the same night"},
                                         format="json")
    assert response.status_code == 201, response.content
    waiver = response.json()
    assert waiver["approved_at"] is None
    assert waiver["requested_by"]["id"] == str(sergeant.pk)
    url = f"/api/v1/prevention-waivers/{waiver['id']}/approve"
    before = rows()
    assert refused(client_for(officer).post(url))["detail"] == (
        "Only a supervisor may approve this")
    assert refused(client_for(sergeant).post(url))["detail"] == (
        "You asked for this: another supervisor must approve it")
    assert rows() == before
    assert PreventionWaiver.objects.get().approved_at is None
    response = client_for(inspector).post(url)
    assert response.status_code == 200, response.content
    assert response.json()["approved_by"]["id"] == str(inspector.pk)
    again = refused(client_for(inspector).post(url))
    assert again["detail"] == "Already approved"


def test_a_waiver_needs_a_reason_and_a_found_child(client_for, officer, found, graded):
    before = rows()
    body = refused(client_for(officer).post(f"/api/v1/episodes/{found.pk}/prevention-waiver/",
                                            {"reason": " "}, format="json"))
    assert body["field_errors"] == {
        "reason": ["Say why the prevention interview could not happen"]}
    assert rows() == before


# --- marker proposals ------------------------------------------------------------------------

def test_a_supervisor_confirms_a_proposed_marker(client_for, sergeant, interviewed):
    proposal = MarkerProposal.objects.get()
    response = client_for(sergeant).post(f"/api/v1/marker-proposals/{proposal.pk}/confirm",
                                         {"note": "Consistent with the intelligence"},
                                         format="json")
    assert response.status_code == 200, response.content
    decided = response.json()
    assert decided["status"] == "confirmed"
    assert decided["decided_by"]["id"] == str(sergeant.pk)
    marker = Marker.objects.get(pk=decided["marker"])
    assert (marker.child_id, marker.kind) == (interviewed.child_id, "exploitation")
    child = client_for(sergeant).get(f"/api/v1/children/{interviewed.child_id}/").json()
    assert [m["kind"] for m in child["markers"]] == ["exploitation"]
    again = refused(client_for(sergeant).post(f"/api/v1/marker-proposals/{proposal.pk}/reject",
                                              {"note": "x"}, format="json"))
    assert again["detail"] == "This proposal has already been decided"


def test_confirming_when_a_marker_is_active_keeps_one_marker(client_for, sergeant, interviewed,
                                                             now):
    from mispers.people.services import marker_add

    active = marker_add(actor=sergeant, now=now, child=interviewed.child, kind="exploitation",
                        subtype="criminal",
                        active_from=now.date(), note="Seen with older men")
    proposal = MarkerProposal.objects.get()
    response = client_for(sergeant).post(f"/api/v1/marker-proposals/{proposal.pk}/confirm",
                                         {"note": "Consistent"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["marker"] == str(active.pk)
    child = client_for(sergeant).get(f"/api/v1/children/{interviewed.child_id}/").json()
    assert [m["kind"] for m in child["markers"]] == ["exploitation"]
    assert "Disclosed at the prevention interview" in Marker.objects.get().note


def test_the_coordinator_rejects_with_a_reason(client_for, coordinator, officer, interviewed):
    proposal = MarkerProposal.objects.get()
    url = f"/api/v1/marker-proposals/{proposal.pk}/reject"
    before = rows()
    body = refused(client_for(coordinator).post(url, {"note": ""}, format="json"))
    assert body["field_errors"] == {"note": ["Say why the marker is not confirmed"]}
    body = refused(client_for(officer).post(f"/api/v1/marker-proposals/{proposal.pk}/confirm",
                                            {}, format="json"))
    assert body["detail"] == "Only a supervisor or the coordinator may decide on a marker"
    assert rows() == before
    response = client_for(coordinator).post(url, {"note": "Friends of her own age"},
                                            format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["marker"]) == ("rejected", None)
    assert Marker.objects.count() == 0


# --- the return-home interview ---------------------------------------------------------------

def rhi_url(episode):
    return f"/api/v1/return-home-interviews/{episode.return_home_interview.pk}/"


def test_the_return_home_interview_from_offer_to_shared_findings(client_for, coordinator,
                                                                 sergeant, found, now):
    client, url = client_for(coordinator), rhi_url(found)
    shown = client.get(url)
    assert shown.status_code == 200, shown.content
    assert shown.json()["overdue_seconds"] is None
    assert shown.json()["within_72_hours"] is None
    assert logged(coordinator, "return_home_interview") == [shown.json()["id"]]
    offered = client.patch(url, {"offered_at": iso(now - dt.timedelta(minutes=40)),
                                 "response": "accepted"}, format="json")
    assert offered.status_code == 200, offered.content
    assert offered.json()["response"] == "accepted"
    done = client.patch(url, {
        "completed_at": iso(now - dt.timedelta(minutes=5)), "interviewer_name": "Sam Advocate",
        "where_went": "A flat in Plymouth", "with_whom": "Older boys she met online",
        "child_words": "They said they'd look after me", "indicators": ["older_associates"],
        "share": True}, format="json")
    assert done.status_code == 200, done.content
    interview = done.json()
    assert interview["within_72_hours"] is True
    assert interview["shared_at"] is not None
    assert interview["where_went"] == "A flat in Plymouth"
    assert interview["indicators"] == ["older_associates"]
    proposal = MarkerProposal.objects.get()
    assert proposal.source == "return_home_interview"
    clock = client_for(sergeant).get(f"/api/v1/episodes/{found.pk}/clock/").json()
    assert "return_home_interview" not in [d["kind"] for d in clock["deadlines"]]


@pytest.mark.parametrize(("given", "field", "words"), [
    ({"offered_at": "2026-03-14T13:00:00Z"}, "offered_at",
     "The interview cannot be before the child's return"),
    ({"offered_at": "2026-03-14T16:00:00Z"}, "offered_at", "cannot be in the future"),
    ({"response": "accepted"}, "offered_at", "Record when the interview was offered first"),
    ({"response": "maybe"}, "response", "Unknown response maybe: use one of accepted, declined"),
    ({"completed_at": "2026-03-14T14:50:00Z"}, "completed_at",
     "Record that the child accepted the interview before completing it"),
    ({"indicators": ["astrology"]}, "indicators.0", "Unknown indicator astrology"),
    ({"completed": "2026-03-14T14:50:00Z"}, "non_field_errors", "Unexpected field 'completed'"),
    ({}, "non_field_errors", "Send at least one field to change"),
])
def test_bad_return_home_interview_updates_are_refused(client_for, coordinator, found, given,
                                                       field, words):
    before = rows()
    body = refused(client_for(coordinator).patch(rhi_url(found), given, format="json"))
    assert words in body["detail"]
    assert list(body["field_errors"]) == ([field] if field != "non_field_errors" else [])
    assert rows() == before
    interview = ReturnHomeInterview.objects.get()
    assert (interview.offered_at, interview.response, interview.completed_at) == (None, "", None)


def test_findings_are_shared_only_once_completed(client_for, coordinator, found):
    before = rows()
    body = refused(client_for(coordinator).patch(rhi_url(found), {"share": True},
                                                 format="json"))
    assert body["detail"] == "Complete the interview before sharing its findings"
    assert rows() == before
    assert ReturnHomeInterview.objects.get().shared_at is None


def test_an_analyst_neither_reads_nor_updates_the_interview(client_for, analyst, found):
    client = client_for(analyst)  # identifiable records are for operational roles (ADR 0018)
    refused(client.get(rhi_url(found)), 403)
    refused(client.patch(rhi_url(found), {"interviewer_name": "x"}, format="json"), 403)


# --- close and withdraw ----------------------------------------------------------------------

def test_close_after_the_prevention_interview(client_for, sergeant, interviewed, now):
    assert state(interviewed) == ("found", 3)  # an interview does not change the episode
    settle(interviewed, actor=sergeant, now=now)
    response = step(client_for(sergeant), interviewed, "close", {"version": 3, **SUMMARY_BODY})
    assert response.status_code == 200, response.content
    episode = response.json()
    assert (episode["state"], episode["version"]) == ("closed", 4)
    assert episode["clock"]["deadlines"] == []
    assert episode["return"]["prevention_interview"]["why_left"] == "Argument at the placement"


def test_close_after_an_approved_waiver(client_for, sergeant, officer, inspector, found, now):
    from mispers.returns.services import prevention_waiver_approve, prevention_waiver_request

    waiver = prevention_waiver_request(actor=officer, now=now, episode=found,
                                       reason="Refused to speak to police")
    client = client_for(sergeant)
    settle(found, actor=sergeant, now=now)
    before = rows()
    body = refused(step(client, found, "close", SUMMARY_BODY))  # not yet approved
    assert body["field_errors"]["blockers"] == [
        "Record the prevention interview, or a reason it could not happen approved by a "
        "supervisor"]
    assert rows() == before
    prevention_waiver_approve(actor=inspector, now=now, waiver=waiver)
    response = step(client, found, "close", SUMMARY_BODY)
    assert response.status_code == 200, response.content
    returned = response.json()["return"]
    assert returned["prevention_waiver"]["approved_by"]["id"] == str(inspector.pk)


def test_closing_without_the_prevention_interview_is_refused(client_for, sergeant, found):
    before = rows()
    body = refused(step(client_for(sergeant), found, "close", {"version": 3}))
    assert "Record the prevention interview" in body["detail"]
    assert rows() == before
    assert state(found) == ("found", 3)


def test_closing_an_open_episode_is_refused(client_for, sergeant, graded):
    before = rows()
    body = refused(step(client_for(sergeant), graded, "close"))
    assert body["detail"] == (f"Episode {graded.reference} is open: only a found child's "
                              "episode can be closed")
    assert rows() == before
    assert state(graded) == ("open", 2)


def test_closing_needs_a_sergeant_and_the_current_version(client_for, officer, sergeant,
                                                          interviewed):
    before = rows()
    body = refused(step(client_for(officer), interviewed, "close"))
    assert body["detail"] == "Closing this episode needs a sergeant or above"
    refused(step(client_for(sergeant), interviewed, "close", {"version": 2}), 409)
    assert rows() == before
    assert state(interviewed) == ("found", 3)


def test_a_closed_episode_is_not_regraded_reviewed_or_closed_again(client_for, inspector,
                                                                   sergeant, interviewed, now):
    from mispers.casework.close import episode_close
    from mispers.casework.tests.closing import SUMMARY

    settle(interviewed, actor=sergeant, now=now)
    episode_close(actor=sergeant, now=now, episode=interviewed, summary=SUMMARY)
    client, before = client_for(inspector), rows()
    body = refused(client.post(f"/api/v1/episodes/{interviewed.pk}/assessments/",
                               {"answers": {}, "grade": "high"}, format="json"))
    assert "is closed: it cannot be assessed" in body["detail"]
    body = refused(client.post(f"/api/v1/episodes/{interviewed.pk}/reviews/", {
        "notes": "x", "regrade": {"answers": {}, "grade": "high"}}, format="json"))
    assert "is closed: it cannot be assessed" in body["detail"]
    body = refused(step(client, interviewed, "close"), 409)  # moved past it (ADR 20)
    assert "is closed: only a found child's episode can be closed" in body["detail"]
    body = refused(step(client, interviewed, "withdraw", {"reason": "x"}), 409)
    assert body["detail"].endswith("is closed: it cannot be withdrawn")
    assert rows() == before


def test_withdraw_a_report_made_in_error(client_for, inspector, graded):
    response = step(client_for(inspector), graded, "withdraw",
                    {"reason": "She was at her nan's all along: the carer misread the rota",
                     "version": 2})
    assert response.status_code == 200, response.content
    episode = response.json()
    assert (episode["state"], episode["version"]) == ("withdrawn", 3)
    assert episode["clock"]["deadlines"] == []
    assert episode["return"] is None


@pytest.mark.parametrize(("who", "given", "status", "words"), [
    ("officer", {"reason": "Error"}, 403, "Only a supervisor may withdraw a report"),
    ("sergeant", {"reason": " "}, 400, "Say why the report was made in error"),
    ("inspector", {"reason": " "}, 400, "Say why the report was made in error"),
    # Issue 10: a sergeant alone may not withdraw a case while the child is still missing.
    ("sergeant", {"reason": "Error"}, 403, "needs an inspector or above"),
    ("sergeant", {"reason": "Error", "version": 1}, 409, "Someone else has changed"),
])
def test_bad_withdrawals_are_refused(request, client_for, graded, who, given, status, words):
    before = rows()
    body = refused(step(client_for(request.getfixturevalue(who)), graded, "withdraw", given),
                   status)
    assert words in body["detail"]
    assert rows() == before
    assert state(graded) == ("open", 2)


def test_a_found_child_is_not_withdrawn(client_for, sergeant, found):
    body = refused(step(client_for(sergeant), found, "withdraw", {"reason": "Error"}),
                   409)  # the episode has moved past withdrawal (ADR 20)
    assert body["detail"].endswith("is found: it cannot be withdrawn")
    assert state(found) == ("found", 3)


def test_episode_detail_query_count_with_a_return_does_not_grow(
        client_for, officer, sergeant, coordinator, report, assess, now,
        django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mispers.casework.found import return_record
    from mispers.returns.services import prevention_interview_record, return_interview_update

    def returned(episode, indicators):
        assess(episode, officer, "medium")
        return_record(actor=officer, now=now, episode=episode, found_at=now, found_where="Home",
                      found_by="own_accord", condition="safe_and_well")
        prevention_interview_record(actor=officer, now=now, episode=episode, held_at=now,
                                    where_child_was="x", why_left="x", child_account="x",
                                    indicators=indicators[:1])
        return_interview_update(actor=coordinator, now=now,
                                interview=ReturnHomeInterview.objects.get(episode=episode),
                                offered_at=now, indicators=indicators[1:])
        return episode

    small = returned(report(officer), ["older_associates"])
    large = returned(report(officer, given_name="Other"),
                     ["older_associates", "trafficking", "gifts_or_money"])
    client = client_for(sergeant)
    client.get(f"/api/v1/episodes/{small.pk}/")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"/api/v1/episodes/{small.pk}/").json()["return"]
                   ["marker_proposals"]) == 1
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(f"/api/v1/episodes/{large.pk}/").json()
    assert len(body["return"]["marker_proposals"]) == 2


def test_another_forces_user_cannot_touch_the_return(client_for, outsider, interviewed, now):
    client, before = client_for(outsider), rows()
    proposal = MarkerProposal.objects.get()
    for response in (
        step(client, interviewed, "close"),
        client.get(rhi_url(interviewed)),
        client.patch(rhi_url(interviewed), {"interviewer_name": "x"}, format="json"),
        client.post(f"/api/v1/marker-proposals/{proposal.pk}/confirm", {}, format="json"),
    ):
        assert response.status_code == 404, response.content
    assert rows() == before
    assert Episode.objects.get(pk=interviewed.pk).state == "found"
