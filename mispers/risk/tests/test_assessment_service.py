import datetime as dt

import pytest

from mispers.casework.grade import assessment_decline, assessment_ratify, assessment_record
from mispers.casework.report import episode_report
from mispers.episodes.models import Episode
from mispers.episodes.services import EpisodeConflict
from mispers.people.services import marker_add
from mispers.risk.models import Assessment, FactorAnswer
from mispers.risk.services import AnswerInput, AssessmentInvalid, RatificationRefused

ALL_NO = {"suicide_self_harm": "no", "crime_suspected": "no", "exploitation": "no",
          "medication": "no", "forced_marriage_hba": "no", "with_person_of_concern": "no",
          "mental_health": "no", "substance_misuse": "no", "child_protection_plan": "no",
          "domestic_abuse": "no", "family_conflict": "no", "out_of_character": "no",
          "vulnerable_interaction": "no", "physical_illness_disability": "no",
          "previous_harm_when_missing": "no", "risk_to_others": "no",
          "weather_environment": "no", "identity_or_hate_issue": "no",
          "violent_incident": "no", "school_problems": "no", "preparation": "no",
          "failed_intention": "no", "other": "no"}


def answers(**overrides):
    values = {**ALL_NO, **overrides}
    return {code: AnswerInput(answer=value, source="Reporting carer") for code, value in
            values.items()}


def test_looked_after_from_care_recommends_medium_and_accepts_equal_grade(episode, officer, now):
    a = assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="medium")
    assert a.recommended_grade == "medium"
    assert a.status == Assessment.Status.ACCEPTED
    assert any("placement" in r["text"].lower() for r in a.reasons)
    assert a.policy_name == "national" and a.policy_version
    episode.refresh_from_db()
    assert episode.state == Episode.State.OPEN and episode.current_grade == "medium"
    assert FactorAnswer.objects.filter(assessment=a).count() == 23


def test_unanswered_factors_are_stored_as_unknown_and_raise_the_grade(episode, officer, now):
    a = assessment_record(actor=officer, now=now, episode=episode, answers={},
                          chosen_grade="medium")
    assert a.recommended_grade == "medium"  # unknown on a high-floor factor: medium
    assert set(a.answers.values_list("answer", flat=True)) == {"unknown"}


def test_downgrade_needs_rationale_and_nothing_saved(episode, officer, now):
    with pytest.raises(AssessmentInvalid) as caught:
        assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="low", rationale="  ")
    assert caught.value.field == "rationale"
    assert Assessment.objects.count() == 0 and FactorAnswer.objects.count() == 0
    episode.refresh_from_db()
    assert episode.state == Episode.State.REPORTED


def test_downgrade_pending_until_ratified_recommended_grade_applies(episode, officer, sergeant,
                                                                    now):
    a = assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="low", rationale="Returns every night by 11pm")
    assert a.status == Assessment.Status.PENDING and a.required_rank == "sergeant"
    episode.refresh_from_db()
    assert episode.current_grade == "medium"
    assessment_ratify(actor=sergeant, now=now + dt.timedelta(minutes=20), assessment=a,
                      note="Agreed")
    a.refresh_from_db()
    episode.refresh_from_db()
    assert a.status == Assessment.Status.RATIFIED and a.ratified_by == sergeant
    assert episode.current_grade == "low"
    codes = list(episode.timeline.exclude(code="action_created").values_list("code", flat=True))
    assert codes == ["reported", "assessed", "ratification_requested", "ratified"]


def test_high_recommendation_downgrade_needs_inspector(episode, officer, sergeant, inspector,
                                                       now):
    a = assessment_record(actor=officer, now=now, episode=episode,
                          answers=answers(exploitation="yes"), chosen_grade="medium",
                          rationale="Exploitation concern is historic")
    assert a.recommended_grade == "high" and a.required_rank == "inspector"
    with pytest.raises(RatificationRefused, match="inspector"):
        assessment_ratify(actor=sergeant, now=now, assessment=a, note="Historic concern")
    a.refresh_from_db()
    assert a.status == Assessment.Status.PENDING
    assessment_ratify(actor=inspector, now=now, assessment=a, note="Historic concern")
    a.refresh_from_db()
    assert a.status == Assessment.Status.RATIFIED


def test_grader_cannot_ratify_own_downgrade(episode, sergeant, now):
    a = assessment_record(actor=sergeant, now=now, episode=episode, answers=answers(),
                          chosen_grade="low", rationale="Known pattern")
    with pytest.raises(RatificationRefused, match="someone else"):
        assessment_ratify(actor=sergeant, now=now, assessment=a, note="Known pattern")


def test_other_force_cannot_ratify(episode, officer, outsider, now):
    a = assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="low", rationale="Known pattern")
    with pytest.raises(RatificationRefused, match="not found"):
        assessment_ratify(actor=outsider, now=now, assessment=a, note="Known pattern")


@pytest.mark.parametrize("note", ["", "   \n "])
def test_ratifying_needs_a_written_reason(episode, officer, sergeant, now, note):
    """Issue 10: a sergeant ratified low -> no apparent risk with an empty note."""
    a = assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="low", rationale="Returns every night by 11pm")
    with pytest.raises(RatificationRefused, match="Say why the grade is ratified") as refused:
        assessment_ratify(actor=sergeant, now=now, assessment=a, note=note)
    assert refused.value.field == "note"
    a.refresh_from_db()
    episode.refresh_from_db()
    assert a.status == Assessment.Status.PENDING and a.ratified_by is None
    assert episode.current_grade == "medium"  # the recommended grade still applies
    assert not episode.timeline.filter(code="ratified").exists()


def test_decline_keeps_recommended_grade(episode, officer, sergeant, now):
    a = assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="low", rationale="Known pattern")
    with pytest.raises(RatificationRefused, match="why"):
        assessment_decline(actor=sergeant, now=now, assessment=a, note="")
    assessment_decline(actor=sergeant, now=now, assessment=a, note="Placement breakdown risk")
    a.refresh_from_db()
    episode.refresh_from_db()
    assert a.status == Assessment.Status.DECLINED and episode.current_grade == "medium"


def test_no_apparent_risk_refused_when_high_floor_applies(episode, officer, now):
    with pytest.raises(AssessmentInvalid, match="(?i)no apparent risk"):
        assessment_record(actor=officer, now=now, episode=episode,
                          answers=answers(suicide_self_harm="yes"),
                          chosen_grade="no_apparent_risk", rationale="Seems fine")
    assert Assessment.objects.count() == 0


def test_unknown_grade_code_refused(episode, officer, now):
    with pytest.raises(AssessmentInvalid) as caught:
        assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="extreme")
    assert caught.value.field == "grade"
    assert Assessment.objects.count() == 0


def test_unknown_factor_refused(episode, officer, now):
    with pytest.raises(AssessmentInvalid, match="Unknown risk factor"):
        assessment_record(actor=officer, now=now, episode=episode,
                          answers={"astrology": AnswerInput("yes")}, chosen_grade="high")


def test_reassessment_is_a_new_assessment_and_old_one_unchanged(episode, officer, now):
    first = assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                              chosen_grade="medium")
    second = assessment_record(actor=officer, now=now + dt.timedelta(hours=1), episode=episode,
                               answers=answers(crime_suspected="yes"), chosen_grade="high")
    first.refresh_from_db()
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.chosen_grade == "medium" and second.chosen_grade == "high"
    episode.refresh_from_db()
    assert episode.current_grade == "high"


def test_stale_version_is_refused(episode, officer, now):
    assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                      chosen_grade="medium", expected_version=1)
    with pytest.raises(EpisodeConflict):
        assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="high", expected_version=1)
    assert Assessment.objects.count() == 1


def test_context_counts_earlier_episodes_and_exploitation_marker(episode, call_handler, officer,
                                                                 now, report_details):
    child = episode.child
    child.looked_after = False
    child.save()
    for days in (10, 40):
        episode_report(actor=call_handler, now=now,
                       details=report_details(reported_at=now - dt.timedelta(days=days),
                                              last_seen_at=now - dt.timedelta(days=days, hours=2),
                                              missing_from="home"),
                       child=child)
    a = assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="medium")
    assert a.earlier_episodes_90d == 2 and a.recommended_grade == "medium"
    marker_add(actor=officer, now=now, child=child, kind="exploitation", subtype="criminal",
               active_from=now.date() - dt.timedelta(days=3))
    b = assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                          chosen_grade="high")
    assert b.exploitation_marker and b.recommended_grade == "high"


def test_dorset_overlay_refuses_no_apparent_risk_for_any_child(forces, make_user, now,
                                                               report_details, child_details):
    dorset = forces.get(code="dorset")
    handler = make_user(force=dorset, roles=["call_handler"], rank="call_handler")
    episode = episode_report(actor=handler, now=now, details=report_details(missing_from="home"),
                             new_child=child_details(looked_after=False, local_authority="",
                                                     date_of_birth=dt.date(2010, 1, 1)))
    with pytest.raises(AssessmentInvalid):
        assessment_record(actor=handler, now=now, episode=episode, answers=answers(),
                          chosen_grade="no_apparent_risk", rationale="Nothing of concern")
    a = assessment_record(actor=handler, now=now, episode=episode, answers=answers(),
                          chosen_grade="low")
    assert a.recommended_grade == "low" and a.policy_name == "dorset"
