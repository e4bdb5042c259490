"""Risk assessments through the API: grade, re-grade, ratify and decline."""

import pytest

from mispers.episodes.models import Episode
from mispers.risk.models import Assessment
from mispers.risk.policy import FACTORS, GRADES

from .helpers import case_rows, logged, refused

HIGH_NOS = {code: "no" for code, factor in FACTORS.items() if factor.floor == "high"}


def url(episode):
    return f"/api/v1/episodes/{episode.pk}/assessments/"


def test_a_grade_at_the_recommendation_is_accepted(client_for, officer, episode, now):
    given = {
        "answers": {**HIGH_NOS, "mental_health": {
            "answer": "yes", "source": "Care worker", "obtained_at": "2026-03-14T14:30:00Z",
            "note": "Anxiety"}},
        "grade": "medium",
        "version": 1,
    }
    response = client_for(officer).post(url(episode), given, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recommended_grade"] == "medium"
    assert body["grade"] == body["effective_grade"] == "medium"
    assert body["status"] == "accepted"
    assert body["required_rank"] == ""
    assert body["policy"] == "national"
    assert body["policy_version"]
    assert body["sequence"] == 1
    assert body["context"] == {"age": 14, "looked_after": True, "missing_from": "care",
                               "earlier_episodes_90d": 0, "exploitation_marker": False,
                               "linked_to_exploitation_hub": False}
    texts = [reason["text"] for reason in body["reasons"]]
    assert any("mental health" in text for text in texts)
    assert all(reason["grade"] in GRADES for reason in body["reasons"])
    answers = {answer["factor"]: answer for answer in body["answers"]}
    assert set(answers) == set(FACTORS)
    assert answers["mental_health"]["source"] == "Care worker"
    assert answers["mental_health"]["note"] == "Anxiety"
    assert answers["mental_health"]["obtained_at"].startswith("2026-03-14T14:30:00")
    assert answers["exploitation"]["answer"] == "no"
    assert answers["other"]["answer"] == "unknown"  # left out: unknown, never no
    episode.refresh_from_db()
    assert episode.state == Episode.State.OPEN
    assert episode.current_grade == "medium"
    assert episode.version == 2


def test_a_downgrade_with_a_rationale_waits_for_a_sergeant(client_for, officer, episode):
    given = {"answers": HIGH_NOS, "grade": "low", "rationale": "Often stays at her sister's"}
    body = client_for(officer).post(url(episode), given, format="json").json()
    assert body["status"] == "pending_ratification"
    assert body["required_rank"] == "sergeant"
    assert body["grade"] == "low"
    assert body["effective_grade"] == "medium"
    assert body["rationale"] == "Often stays at her sister's"


def test_a_high_recommendation_needs_an_inspector(client_for, officer, episode):
    given = {"answers": {"exploitation": "yes"}, "grade": "medium", "rationale": "Because"}
    body = client_for(officer).post(url(episode), given, format="json").json()
    assert body["recommended_grade"] == "high"
    assert body["required_rank"] == "inspector"
    assert body["reasons"][0]["grade"] == "high"


@pytest.mark.parametrize(("given", "field", "words"), [
    ({"answers": HIGH_NOS, "grade": "low"}, "rationale", "rationale"),
    ({"answers": HIGH_NOS, "grade": "low", "rationale": "   "}, "rationale", "rationale"),
    ({"answers": {"exploitation": "yes"}, "grade": "no_apparent_risk", "rationale": "x"},
     "grade", "no apparent risk"),
    ({"answers": {"astrology": "yes"}, "grade": "high"}, "answers", "astrology"),
    ({"answers": {"mental_health": "maybe"}, "grade": "high"}, "answers.mental_health",
     "yes, no or unknown"),
    ({"answers": {"other": "yes"}, "grade": "high"}, "answers.other", "other risk"),
    ({"answers": {"mental_health": {"answer": "yes",
                                    "obtained_at": "2026-03-15T09:00:00Z"}},
      "grade": "high"}, "answers.mental_health", "future"),
])
def test_refused_assessments_save_nothing(client_for, officer, episode, given, field, words):
    before = case_rows()
    body = refused(client_for(officer).post(url(episode), given, format="json"))
    assert words in body["detail"].lower()
    assert list(body["field_errors"]) == [field]
    assert case_rows() == before
    episode.refresh_from_db()
    assert (episode.version, episode.current_grade, episode.state) == (1, "", "reported")


def test_a_grade_that_does_not_exist_is_refused(client_for, officer, episode):
    before = case_rows()
    body = refused(client_for(officer).post(url(episode), {"answers": {}, "grade": "severe"},
                                            format="json"))
    assert body["field_errors"] == {
        "grade": ["Unknown grade severe: the grades are no_apparent_risk, low, medium, high"]}
    assert case_rows() == before


@pytest.mark.parametrize(("given", "field"), [
    ({"grade": "high"}, "answers"),
    ({"answers": [], "grade": "high"}, "answers"),
    ({"answers": {"mental_health": 3}, "grade": "high"}, "answers.mental_health"),
    ({"answers": {"mental_health": {"source": "Mum"}}, "grade": "high"},
     "answers.mental_health.answer"),
    ({"answers": {"mental_health": {"answer": "yes", "colour": "red"}}, "grade": "high"},
     "answers.mental_health.non_field_errors"),
    ({"answers": {}, "grade": "high", "version": 0}, "version"),
])
def test_badly_shaped_assessments_name_the_field(client_for, officer, episode, given, field):
    before = case_rows()
    body = refused(client_for(officer).post(url(episode), given, format="json"))
    assert list(body["field_errors"]) == [field]
    assert case_rows() == before


def test_a_stale_version_is_a_conflict_and_saves_nothing(client_for, officer, sergeant, episode,
                                                         assess):
    assess(episode, sergeant, "medium")  # someone else grades first: version 1 → 2
    before = case_rows()
    body = refused(client_for(officer).post(
        url(episode), {"answers": {}, "grade": "high", "version": 1}, format="json"), 409)
    assert "Someone else has changed this episode" in body["detail"]
    assert case_rows() == before


def test_a_re_grade_is_a_new_assessment(client_for, officer, episode, assess):
    first = assess(episode, officer, "medium")
    body = client_for(officer).post(url(episode), {"answers": {"exploitation": "yes"},
                                                   "grade": "high"}, format="json").json()
    assert body["sequence"] == 2
    assert Assessment.objects.get(pk=first.pk).chosen_grade == "medium"


def test_list_and_detail_are_logged(client_for, officer, sergeant, episode, assess):
    first = assess(episode, officer, "medium")
    second = assess(episode, officer, "high", answers={"exploitation": "yes"})
    client = client_for(sergeant)
    listed = client.get(url(episode))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [str(second.pk), str(first.pk)]
    detail = client.get(f"/api/v1/assessments/{first.pk}/")
    assert detail.status_code == 200
    assert detail.json()["episode_reference"] == episode.reference
    assert detail.json()["assessed_by"] == officer.display_with_rank
    assert logged(sergeant, "assessment") == [str(second.pk), str(first.pk), str(first.pk)]


# --- ratification ------------------------------------------------------------------------


def decide(client, assessment, action, note=""):
    return client.post(f"/api/v1/assessments/{assessment.pk}/{action}", {"note": note},
                       format="json")


@pytest.fixture
def downgrade(episode, officer, assess):
    return assess(episode, officer, "low", rationale="Often stays at her sister's")


def test_a_sergeant_ratifies_a_downgrade(client_for, sergeant, downgrade, episode):
    response = decide(client_for(sergeant), downgrade, "ratify", "Sister confirms")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ratified"
    assert body["effective_grade"] == "low"
    assert body["ratified_by"] == sergeant.display_with_rank
    assert body["ratification_note"] == "Sister confirms"
    episode.refresh_from_db()
    assert episode.current_grade == "low"


def test_ratifying_needs_a_reason(client_for, sergeant, downgrade, episode):
    before = case_rows()
    body = refused(decide(client_for(sergeant), downgrade, "ratify", "  "))
    assert body["field_errors"] == {"note": ["Say why the grade is ratified"]}
    assert case_rows() == before
    assert Assessment.objects.get(pk=downgrade.pk).status == "pending_ratification"
    episode.refresh_from_db()
    assert episode.current_grade == "medium"


def test_a_rank_too_low_cannot_ratify(client_for, make_user, force, downgrade):
    constable = make_user(force=force, roles=["officer"], rank="officer")
    body = refused(decide(client_for(constable), downgrade, "ratify"))
    assert body["detail"] == "Only a sergeant or above may ratify this grade"
    assert Assessment.objects.get(pk=downgrade.pk).status == "pending_ratification"


def test_the_officer_who_chose_the_grade_cannot_ratify_it(client_for, sergeant, episode, assess):
    own = assess(episode, sergeant, "low", rationale="Known to stay with her aunt")
    before = case_rows()
    body = refused(decide(client_for(sergeant), own, "ratify"))
    assert body["detail"] == "You chose this grade: someone else must ratify it"
    assert case_rows() == before
    assert Assessment.objects.get(pk=own.pk).status == "pending_ratification"


def test_only_an_inspector_ratifies_below_a_high_recommendation(client_for, officer, sergeant,
                                                                inspector, episode, assess):
    below_high = assess(episode, officer, "medium", answers={"exploitation": "yes"},
                        rationale="Marker is historic")
    body = refused(decide(client_for(sergeant), below_high, "ratify"))
    assert "inspector or above may ratify" in body["detail"]
    assert decide(client_for(inspector), below_high, "ratify",
                  "Marker is historic").json()["status"] == "ratified"


def test_an_accepted_grade_is_not_waiting_for_ratification(client_for, officer, sergeant,
                                                           episode, assess):
    accepted = assess(episode, officer, "medium")
    body = refused(decide(client_for(sergeant), accepted, "ratify"))
    assert "not waiting for ratification" in body["detail"]


def test_declining_needs_a_reason_and_keeps_the_recommended_grade(client_for, sergeant,
                                                                  downgrade, episode):
    client = client_for(sergeant)
    before = case_rows()
    body = refused(decide(client, downgrade, "decline"))
    assert body["field_errors"] == {"note": ["Say why the grade is not ratified"]}
    assert case_rows() == before
    response = decide(client, downgrade, "decline", "Too soon to tell")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["effective_grade"] == "medium"
    episode.refresh_from_db()
    assert episode.current_grade == "medium"
