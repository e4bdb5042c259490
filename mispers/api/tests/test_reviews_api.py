"""Clocks, reviews, handovers, actions, the enquiry log and notifications through the API, and
the episode detail's new parts (owner, clock, actions, enquiries, reviews, handovers)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mispers.episodes.models import Action, EnquiryEntry, Episode
from mispers.reviews.models import Deadline, Escalation, Handover, Notification, Review
from mispers.risk.models import Assessment

from .helpers import case_rows, logged, refused

H = 3600
MORE_TABLES = (Action, EnquiryEntry, Deadline, Review, Handover, Escalation, Notification)


def rows() -> dict[str, int]:
    """Row counts of the case tables and of this part's tables."""
    return {**case_rows(), **{model.__name__: model.objects.count() for model in MORE_TABLES}}


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def graded(episode, officer, assess):
    """The fixture episode graded medium (version 2), still owned by the call handler."""
    assess(episode, officer, "medium")
    episode.refresh_from_db()
    assert (episode.state, episode.current_grade, episode.version) == ("open", "medium", 2)
    return episode


def reviews_url(episode):
    return f"/api/v1/episodes/{episode.pk}/reviews/"


# --- the clock -------------------------------------------------------------------------------

def test_the_clock_shows_the_next_review_overdue_first_with_how_long(client_for, officer,
                                                                     sergeant, report):
    late = report(officer, reported_minutes_ago=150)  # ungraded: first review due after 1 h
    response = client_for(sergeant).get(f"/api/v1/episodes/{late.pk}/clock/")
    assert response.status_code == 200, response.content
    clock = response.json()
    assert clock["next_review_rank"] == "sergeant"
    assert clock["review_overdue_seconds"] == 90 * 60
    first, *others = clock["deadlines"]
    assert (first["kind"], first["overdue_seconds"]) == ("review", 90 * 60)
    assert first["kind_label"] == "Supervisory review"
    national = next(d for d in others if d["kind"] == "national_unit")
    assert national["overdue_seconds"] is None
    assert logged(sergeant, "episode") == [str(late.pk)]


def test_a_graded_episode_is_due_its_review_at_the_grades_interval(client_for, sergeant,
                                                                   graded, now):
    clock = client_for(sergeant).get(f"/api/v1/episodes/{graded.pk}/clock/").json()
    # Medium: first review 2 h after the report (30 minutes ago).
    due = graded.reported_at + dt.timedelta(hours=2)
    assert dt.datetime.fromisoformat(clock["next_review_due_at"]) == due
    assert clock["review_overdue_seconds"] is None
    kinds = [d["kind"] for d in clock["deadlines"]]
    assert "inspector_review" in kinds and "action" in kinds
    actions = [d for d in clock["deadlines"] if d["kind"] == "action"]
    assert all(d["action"]["title"] for d in actions)


# --- reviews ---------------------------------------------------------------------------------

def test_a_sergeant_reviews_and_the_next_review_falls_due(client_for, sergeant, graded, now):
    before = Action.objects.filter(episode=graded).count()
    response = client_for(sergeant).post(reviews_url(graded), {
        "notes": "Phone off since 13:00; friend says she was at the bus station",
        "next_actions": "Check CCTV at the bus station\n\nSpeak to her friend Jade",
        "version": 2}, format="json")
    assert response.status_code == 201, response.content
    review = response.json()
    assert review["outcome"] == "confirmed"
    assert review["grade"] == "medium"
    assert review["assessment"] is None
    assert review["reviewer"]["id"] == str(sergeant.pk)
    assert review["reviewer"]["name"] == sergeant.display_with_rank
    assert dt.datetime.fromisoformat(review["next_review_due_at"]) == now + dt.timedelta(hours=8)
    titles = set(Action.objects.filter(episode=graded, source="review")
                 .values_list("title", flat=True))
    assert titles == {"Check CCTV at the bus station", "Speak to her friend Jade"}
    assert Action.objects.filter(episode=graded).count() == before + 2
    graded.refresh_from_db()
    assert graded.version == 3
    listed = client_for(sergeant).get(reviews_url(graded)).json()
    assert [row["id"] for row in listed["results"]] == [review["id"]]
    assert logged(sergeant, "review") == [review["id"]]


def test_a_review_with_a_regrade_is_one_unit_of_work(client_for, inspector, graded):
    response = client_for(inspector).post(reviews_url(graded), {
        "notes": "Seen getting into a car with an older man",
        "regrade": {"answers": {"exploitation": "yes"}, "grade": "high"},
        "version": 2}, format="json")
    assert response.status_code == 201, response.content
    review = response.json()
    assert (review["outcome"], review["grade"]) == ("regraded", "high")
    assessment = Assessment.objects.get(pk=review["assessment"])
    assert (assessment.sequence, assessment.chosen_grade) == (2, "high")
    graded.refresh_from_db()
    assert (graded.current_grade, graded.version) == ("high", 4)
    codes = list(graded.timeline.values_list("code", flat=True))
    assert codes.index("assessed", codes.index("assessed") + 1) < codes.index("reviewed")


def test_a_regrade_the_reviewer_may_not_review_saves_nothing(client_for, sergeant, graded):
    # A sergeant re-grading to high would then be reviewing a high-risk episode: an inspector's.
    before = rows()
    body = refused(client_for(sergeant).post(reviews_url(graded), {
        "notes": "Seen with an older man",
        "regrade": {"answers": {"exploitation": "yes"}, "grade": "high"}}, format="json"))
    assert body["detail"] == "A review of a high risk episode needs an inspector or above"
    assert rows() == before  # the re-grade's assessment is rolled back with the review
    graded.refresh_from_db()
    assert (graded.current_grade, graded.version) == ("medium", 2)


def test_a_review_by_someone_of_too_low_a_rank_is_refused(client_for, officer, graded):
    before = rows()
    body = refused(client_for(officer).post(reviews_url(graded), {"notes": "Looks fine"},
                                            format="json"))
    assert body["detail"] == "A review of a medium risk episode needs a sergeant or above"
    assert body["field_errors"] == {}
    assert rows() == before


@pytest.mark.parametrize(("given", "field", "words"), [
    ({"notes": "   "}, "notes", "Record your review notes"),
    ({}, "notes", "required"),
    ({"notes": "x", "version": 0}, "version", "greater than or equal to 1"),
    ({"notes": "x", "regrade": {"answers": {}, "grade": "low"}}, "regrade.rationale",
     "rationale"),
    ({"notes": "x", "regrade": {"answers": {"astrology": "yes"}, "grade": "high"}},
     "regrade.answers", "astrology"),
    ({"notes": "x", "regrade": {"answers": {"mental_health": "maybe"}, "grade": "high"}},
     "regrade.answers.mental_health", "yes, no or unknown"),
    ({"notes": "x", "regrade": {"answers": {}, "grade": "severe"}}, "regrade.grade",
     "Unknown grade severe"),
])
def test_bad_reviews_are_refused_and_save_nothing(client_for, inspector, graded, given, field,
                                                  words):
    before = rows()
    body = refused(client_for(inspector).post(reviews_url(graded), given, format="json"))
    assert list(body["field_errors"]) == [field]
    assert words in body["detail"]
    assert rows() == before


def test_a_stale_version_is_a_conflict(client_for, sergeant, graded):
    before = rows()
    body = refused(client_for(sergeant).post(reviews_url(graded), {"notes": "x", "version": 1},
                                             format="json"), 409)
    assert "Someone else has changed this episode" in body["detail"]
    assert rows() == before


def test_a_stale_version_with_a_regrade_is_a_conflict(client_for, inspector, graded):
    before = rows()
    refused(client_for(inspector).post(reviews_url(graded), {
        "notes": "x", "regrade": {"answers": {}, "grade": "high"}, "version": 1},
        format="json"), 409)
    assert rows() == before


def test_a_found_child_is_not_reviewed_or_regraded(client_for, inspector, graded, officer,
                                                   now):
    from mispers.casework.found import return_record

    return_record(actor=officer, now=now, episode=graded, found_at=now, found_where="Home",
                  found_by="own_accord", condition="safe_and_well")
    client, before = client_for(inspector), rows()
    body = refused(client.post(reviews_url(graded), {"notes": "x"}, format="json"))
    assert "is not open: there is nothing to review" in body["detail"]
    body = refused(client.post(reviews_url(graded), {
        "notes": "x", "regrade": {"answers": {}, "grade": "high"}}, format="json"))
    assert "is found: it cannot be assessed" in body["detail"]
    assert rows() == before


def test_a_call_handler_may_read_reviews_but_not_review(client_for, call_handler, analyst,
                                                        graded):
    client = client_for(call_handler)
    assert client.get(reviews_url(graded)).status_code == 200
    body = refused(client.post(reviews_url(graded), {"notes": "x"}, format="json"), 400)
    assert "needs a sergeant or above" in body["detail"]
    # The analyst reads no identifiable record (ADR 0018).
    assert refused(client_for(analyst).get(reviews_url(graded)), 403)


# --- handovers -------------------------------------------------------------------------------

def handover(client, episode, to_user, note=""):
    return client.post(f"/api/v1/episodes/{episode.pk}/handovers/",
                       {"to_user": str(to_user.pk), "note": note}, format="json")


def test_a_handover_is_the_new_owners_once_accepted(client_for, call_handler, officer, graded):
    response = handover(client_for(call_handler), graded, officer, "End of my shift")
    assert response.status_code == 201, response.content
    offered = response.json()
    assert offered["status"] == "pending"
    assert offered["from_user"]["id"] == str(call_handler.pk)
    assert offered["to_user"]["id"] == str(officer.pk)
    graded.refresh_from_db()
    assert graded.owner == call_handler  # not theirs until they accept
    response = client_for(officer).post(f"/api/v1/handovers/{offered['id']}/accept")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    graded.refresh_from_db()
    assert graded.owner == officer
    detail = client_for(officer).get(f"/api/v1/episodes/{graded.pk}/").json()
    assert detail["owner"]["id"] == str(officer.pk)
    assert [h["status"] for h in detail["handovers"]] == ["accepted"]
    listed = client_for(officer).get(f"/api/v1/episodes/{graded.pk}/handovers/").json()
    assert listed["count"] == 1


def test_accepting_a_handover_addressed_to_someone_else_is_refused(client_for, call_handler,
                                                                   officer, sergeant, graded):
    offered = handover(client_for(call_handler), graded, officer).json()
    before = rows()
    body = refused(client_for(sergeant).post(f"/api/v1/handovers/{offered['id']}/accept"))
    assert body["detail"] == "This handover is addressed to someone else"
    assert rows() == before
    assert Handover.objects.get(pk=offered["id"]).status == "pending"
    graded.refresh_from_db()
    assert graded.owner == call_handler


def test_declining_needs_a_reason_and_the_case_stays(client_for, call_handler, officer, graded):
    offered = handover(client_for(call_handler), graded, officer).json()
    client = client_for(officer)
    url = f"/api/v1/handovers/{offered['id']}/decline"
    body = refused(client.post(url, {"note": ""}, format="json"))
    assert body["field_errors"] == {"note": ["Say why you cannot take the case"]}
    assert Handover.objects.get(pk=offered["id"]).status == "pending"
    response = client.post(url, {"note": "On leave from tomorrow"}, format="json")
    assert response.status_code == 200
    assert response.json()["decision_note"] == "On leave from tomorrow"
    graded.refresh_from_db()
    assert graded.owner == call_handler
    again = refused(client.post(f"/api/v1/handovers/{offered['id']}/accept"))
    assert again["detail"] == "This handover has already been decided"


def test_a_case_is_handed_only_to_a_colleague_in_the_force(client_for, call_handler, outsider,
                                                           officer, graded, make_user, force):
    client, before = client_for(call_handler), rows()
    for someone in ("00000000-0000-4000-8000-000000000000", str(outsider.pk)):
        body = refused(client.post(f"/api/v1/episodes/{graded.pk}/handovers/",
                                   {"to_user": someone}, format="json"))
        assert body["field_errors"] == {"to_user": ["Hand the case to someone in your force"]}
    body = refused(handover(client, graded, call_handler))
    assert body["field_errors"] == {"to_user": [f"{call_handler} already owns this episode"]}
    stranger = make_user(force=force, roles=["officer"], rank="officer")
    body = refused(handover(client_for(stranger), graded, officer))
    assert body["detail"] == "Only the owner or a supervisor may hand this case over"
    assert rows() == before


# --- actions ---------------------------------------------------------------------------------

def actions_url(episode):
    return f"/api/v1/episodes/{episode.pk}/actions/"


def test_add_assign_and_complete_an_action(client_for, sergeant, officer, graded, now):
    client = client_for(sergeant)
    response = client.post(actions_url(graded), {
        "title": "Check the bus station CCTV", "assigned_to": str(officer.pk),
        "due_at": iso(now + dt.timedelta(hours=1))}, format="json")
    assert response.status_code == 201, response.content
    action = response.json()
    assert action["assigned_to"]["id"] == str(officer.pk)
    assert action["source"] == "manual"
    assert action["overdue_seconds"] is None
    deadline = Deadline.objects.get(action_id=action["id"])
    assert (deadline.status, deadline.rank) == ("pending", "officer")
    response = client.post(f"/api/v1/actions/{action['id']}/assign",
                           {"assigned_to": str(sergeant.pk)}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["assigned_to"]["id"] == str(sergeant.pk)
    response = client.post(f"/api/v1/actions/{action['id']}/complete",
                           {"result": "Seen on camera at 13:05 boarding the 14 bus"},
                           format="json")
    assert response.status_code == 200, response.content
    done = response.json()
    assert done["done_by"]["id"] == str(sergeant.pk)
    assert done["done_at"] is not None
    Deadline.objects.get(action_id=action["id"], status="met")
    again = refused(client.post(f"/api/v1/actions/{action['id']}/complete", {"result": "x"},
                                format="json"))
    assert again["detail"] == "This action is already done"


def test_an_action_without_a_due_time_is_due_after_the_forces_interval(client_for, officer,
                                                                       graded, now):
    action = client_for(officer).post(actions_url(graded), {"title": "Ring the school"},
                                      format="json").json()
    assert dt.datetime.fromisoformat(action["due_at"]) == now + dt.timedelta(hours=4)
    assert action["assigned_to"] is None


def test_an_overdue_action_says_how_long(client_for, officer, graded, now):
    from mispers.reviews.services import action_create

    action_create(actor=officer, now=now - dt.timedelta(hours=3), episode=graded, code="x",
                  title="Late one", due_at=now - dt.timedelta(hours=1), source="manual")
    listed = client_for(officer).get(actions_url(graded)).json()["results"]
    late = next(row for row in listed if row["title"] == "Late one")
    assert late["overdue_seconds"] == H
    assert len(logged(officer, "action")) == len(listed)


@pytest.mark.parametrize(("given", "field", "words"), [
    ({"title": "  "}, "title", "Say what the action is"),
    ({"title": "x", "assigned_to": "00000000-0000-4000-8000-000000000000"}, "assigned_to",
     "Assign the action to someone in your force"),
    ({"title": "x", "due_at": "tomorrow"}, "due_at", "Datetime has wrong format"),
])
def test_bad_actions_are_refused(client_for, officer, graded, given, field, words):
    before = rows()
    body = refused(client_for(officer).post(actions_url(graded), given, format="json"))
    assert list(body["field_errors"]) == [field]
    assert words in body["detail"]
    assert rows() == before


def test_bad_assignments_and_results_are_refused(client_for, officer, outsider, graded):
    action = graded.actions.first()
    client, before = client_for(officer), rows()
    body = refused(client.post(f"/api/v1/actions/{action.pk}/assign",
                               {"assigned_to": str(outsider.pk)}, format="json"))
    assert body["field_errors"] == {
        "assigned_to": ["Assign the action to someone in your force"]}
    body = refused(client.post(f"/api/v1/actions/{action.pk}/complete", {"result": " "},
                               format="json"))
    assert body["field_errors"] == {"result": ["Record the result of the action"]}
    assert rows() == before
    action.refresh_from_db()
    assert (action.assigned_to, action.done_at) == (None, None)


# --- the enquiry log -------------------------------------------------------------------------

def enquiries_url(episode):
    return f"/api/v1/episodes/{episode.pk}/enquiries/"


def test_a_sighting_that_prompts_a_reassessment_sets_a_deadline(client_for, officer, sergeant,
                                                                graded, now):
    response = client_for(officer).post(enquiries_url(graded), {
        "kind": "sighting", "occurred_at": iso(now - dt.timedelta(minutes=20)),
        "location": "Exeter St Davids station", "seen_by": "Station staff",
        "text": "Seen boarding a train to Bristol", "prompts_reassessment": True},
        format="json")
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["recorded_by"]["id"] == str(officer.pk)
    clock = client_for(sergeant).get(f"/api/v1/episodes/{graded.pk}/clock/").json()
    assert "reassessment" in [d["kind"] for d in clock["deadlines"]]
    client_for(officer).post(enquiries_url(graded), {
        "occurred_at": iso(now - dt.timedelta(minutes=5)), "text": "Mum rang: no news"},
        format="json")
    listed = client_for(sergeant).get(enquiries_url(graded)).json()["results"]
    assert [row["kind"] for row in listed] == ["update", "sighting"]  # newest first
    assert logged(sergeant, "enquiry") == [str(row["id"]) for row in listed]


@pytest.mark.parametrize(("given", "field", "words"), [
    ({"kind": "sighting", "location": ""}, "location", "Say where the child was seen"),
    ({"text": ""}, "text", "Record what happened"),
    ({"occurred_at": "2026-03-14T16:00:00Z"}, "occurred_at", "cannot be in the future"),
    ({"kind": "rumour"}, "kind", "Unknown kind of entry rumour: use one of update, sighting"),
])
def test_bad_enquiries_are_refused(client_for, officer, graded, now, given, field, words):
    body_in = {"kind": "update", "occurred_at": iso(now), "text": "Something", **given}
    before = rows()
    body = refused(client_for(officer).post(enquiries_url(graded), body_in, format="json"))
    assert list(body["field_errors"]) == [field]
    assert words in body["detail"]
    assert rows() == before


# --- notifications ---------------------------------------------------------------------------

@pytest.fixture
def escalated(officer, inspector, report, now):
    """An ungraded report whose first review is 90 minutes overdue, escalated to inspectors."""
    from mispers.reviews.escalation import sweep

    late = report(officer, reported_minutes_ago=150)
    assert sweep(now=now)["notifications"] == 1
    return late


def test_escalations_are_notified_and_acknowledged(client_for, inspector, escalated):
    client = client_for(inspector)
    listed = client.get("/api/v1/notifications/").json()
    assert listed["count"] == 1
    note = listed["results"][0]
    assert note["kind"] == "escalation"
    assert note["episode"]["reference"] == escalated.reference
    assert note["escalation"]["level"] == 1
    assert note["escalation"]["rank"] == "inspector"
    assert note["escalation"]["deadline"]["kind"] == "review"
    assert note["acknowledged_at"] is None
    assert logged(inspector, "notification") == [str(note["id"])]
    response = client.post(f"/api/v1/notifications/{note['id']}/acknowledge")
    assert response.status_code == 200, response.content
    assert response.json()["acknowledged_at"] is not None
    assert response.json()["escalation"]["acknowledged_at"] is not None
    assert Escalation.objects.get().acknowledged_by == inspector
    assert "escalation_acknowledged" in escalated.timeline.values_list("code", flat=True)
    assert client.get("/api/v1/notifications/").json()["count"] == 0
    assert client.get("/api/v1/notifications/", {"all": "1"}).json()["count"] == 1
    again = refused(client.post(f"/api/v1/notifications/{note['id']}/acknowledge"))
    assert again["detail"] == "You have already acknowledged this"


def test_a_notification_is_only_its_recipients(client_for, sergeant, escalated):
    note = Notification.objects.get()
    client = client_for(sergeant)
    assert client.get("/api/v1/notifications/").json()["count"] == 0
    refused(client.post(f"/api/v1/notifications/{note.pk}/acknowledge"), 404)
    assert Notification.objects.get().acknowledged_at is None


def test_an_unknown_all_filter_is_refused(client_for, inspector):
    body = refused(client_for(inspector).get("/api/v1/notifications/", {"all": "maybe"}))
    assert list(body["field_errors"]) == ["all"]


# --- the episode detail ----------------------------------------------------------------------

def test_the_episode_shows_owner_clock_actions_enquiries_reviews_and_handovers(
        client_for, call_handler, officer, sergeant, graded, now):
    from mispers.casework.review import review_complete
    from mispers.reviews.services import enquiry_record, handover_request

    enquiry_record(actor=officer, now=now, episode=graded, text="Mum rang", occurred_at=now)
    review_complete(actor=sergeant, now=now, episode=graded, notes="All in hand",
                    next_actions="Ring the school")
    handover_request(actor=call_handler, now=now, episode=graded, to_user=officer)
    body = client_for(sergeant).get(f"/api/v1/episodes/{graded.pk}/").json()
    assert body["owner"] == {"id": str(call_handler.pk), "rank": "call_handler",
                             "name": call_handler.display_with_rank}
    assert dt.datetime.fromisoformat(body["clock"]["next_review_due_at"]) == (
        now + dt.timedelta(hours=8))
    assert "Ring the school" in [a["title"] for a in body["actions"]]
    assert [e["text"] for e in body["enquiries"]] == ["Mum rang"]
    assert [r["notes"] for r in body["reviews"]] == ["All in hand"]
    assert [h["status"] for h in body["handovers"]] == ["pending"]
    assert body["return"] is None


def test_episode_detail_query_count_does_not_grow_with_its_history(
        client_for, call_handler, officer, sergeant, report, assess, now,
        django_assert_max_num_queries):
    from mispers.casework.review import review_complete
    from mispers.reviews.services import action_create, enquiry_record, handover_request

    def history(episode, times):
        assess(episode, officer, "medium")
        for number in range(times):
            review_complete(actor=sergeant, now=now, episode=episode, notes=f"Review {number}",
                            next_actions=f"Action {number}")
            action_create(actor=officer, now=now, episode=episode, code="x",
                          title=f"Extra {number}", assigned_to=officer)
            enquiry_record(actor=officer, now=now, episode=episode, text=f"Call {number}",
                           occurred_at=now)
            handover_request(actor=sergeant, now=now, episode=episode,
                             to_user=officer if number % 2 else sergeant)
        return episode

    small = history(report(call_handler), 1)
    large = history(report(call_handler, given_name="Other"), 8)
    client = client_for(sergeant)
    client.get(f"/api/v1/episodes/{small.pk}/")  # warm the session and the policy cache
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"/api/v1/episodes/{small.pk}/").json()["reviews"]) == 1
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(f"/api/v1/episodes/{large.pk}/").json()
    assert len(body["reviews"]) == 8
    assert len(body["enquiries"]) == 8
    assert len(body["handovers"]) == 8
    assert len([a for a in body["actions"] if a["source"] == "review"]) == 8


def test_another_forces_user_gets_nothing(client_for, outsider, graded):
    client, before = client_for(outsider), rows()
    for url in (f"/api/v1/episodes/{graded.pk}/clock/", reviews_url(graded),
                actions_url(graded), enquiries_url(graded)):
        assert refused(client.get(url), 404)["detail"] == "Not found."
    assert client.get("/api/v1/notifications/").json()["count"] == 0
    assert rows() == before
    assert Episode.objects.get(pk=graded.pk).version == 2
