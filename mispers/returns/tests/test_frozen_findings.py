"""Return-home interview findings cannot be overwritten or rewritten (issue 9, ADR 20).

Each test is an attack on the record as a user would make it, and shows it no longer gets in:
two editors at once (the interview's version), a completed and shared interview rewritten
afterwards (police changing the child's words), the completion time moved (the 72-hour measure),
police editing the provider's findings. A correction is an addendum with a reason. The same
episode-level races are shown one after the other here (on SQLite and PostgreSQL); truly parallel
requests are in mispers/api/tests/test_concurrent_writes_api.py (PostgreSQL)."""

import datetime as dt

import pytest

from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.core.errors import NotFound, PermissionDenied
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import EpisodeConflict, IllegalTransition
from mispers.partners.models import SharingRecord
from mispers.partners.services.interviews import (
    interview_of_episode,
    partner_interview_addendum,
    partner_interview_record,
)
from mispers.partners.tests.together import found, graded_episode, world
from mispers.returns.models import FoundRecord, InterviewAddendum, ReturnHomeInterview
from mispers.returns.services import (
    InterviewConflict,
    InterviewFrozen,
    ReturnInvalid,
    interview_addendum_add,
    return_interview_update,
)
from mispers.risk import policy as risk_policy
from mispers.risk.models import Assessment
from mispers.risk.services import AnswerInput

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
FINDINGS = dict(where_went="A flat on Union Street", with_whom="Two older men",
                why_left="Angry at the home", harm="None disclosed",
                what_would_help="A key worker she trusts",
                child_words="They gave me vapes and a phone.")


@pytest.fixture
def w(force, now, child_details):
    return world(force=force, now=now, child_details=child_details)


@pytest.fixture
def returned(w, officer, now):
    """Found an hour before `now`; the child's commissioned provider (w.rhi) interviews."""
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    found(actor=officer, now=now, episode=episode, found_at=now - H)
    return episode


@pytest.fixture
def police_only(returned, w, now):
    """The same interview with no provider in Mispers: police record it themselves."""
    ReturnHomeInterview.objects.filter(episode=returned).update(provider=None)
    return interview_of_episode(episode=returned)


def fresh(interview) -> ReturnHomeInterview:
    return ReturnHomeInterview.objects.get(pk=interview.pk)


def snapshot(interview):
    row = fresh(interview)
    return ({name: getattr(row, name) for name in (*FINDINGS, "completed_at", "offered_at",
                                                   "response", "shared_at", "indicators")},
            row.version, TimelineEvent.objects.count())


def provider_completes(w, returned, now, **extra):
    interview = interview_of_episode(episode=returned)
    return partner_interview_record(actor=w.users.rhi_worker, now=now, interview=interview,
                                    offered_at=now - H / 2, response="accepted",
                                    completed_at=now, **FINDINGS, **extra)


# --- frozen once completed and shared -------------------------------------------------------

def test_police_cannot_rewrite_the_childs_words_after_the_provider_shared_them(returned, w,
                                                                               now):
    interview = provider_completes(w, returned, now)
    assert interview.findings_frozen
    before = snapshot(interview)
    with pytest.raises((PermissionDenied, InterviewFrozen)):
        return_interview_update(actor=w.coordinator, now=now + H, interview=interview,
                                child_words="I was fine really.")
    assert snapshot(interview) == before


def test_the_provider_cannot_move_the_completion_time_after_sharing(returned, w, now):
    interview = provider_completes(w, returned, now)
    before = snapshot(interview)
    with pytest.raises(InterviewFrozen, match="addendum"):
        partner_interview_record(actor=w.users.rhi_worker, now=now + 80 * H,
                                 interview=interview, completed_at=now - H / 4)
    with pytest.raises(InterviewFrozen):
        partner_interview_record(actor=w.users.rhi_worker, now=now + 80 * H,
                                 interview=interview, child_words="Edited later")
    assert snapshot(interview) == before
    assert fresh(interview).within_72_hours is True


def test_police_cannot_edit_their_own_findings_once_shared(police_only, w, now):
    return_interview_update(actor=w.coordinator, now=now, interview=police_only,
                            offered_at=now - H / 2, response="accepted", completed_at=now,
                            share=True, **FINDINGS)
    before = snapshot(police_only)
    with pytest.raises(InterviewFrozen, match="cannot be changed"):
        return_interview_update(actor=w.coordinator, now=now + H, interview=police_only,
                                where_went="Somewhere else")
    with pytest.raises(InterviewFrozen):
        return_interview_update(actor=w.coordinator, now=now + H, interview=police_only,
                                share=True)  # re-sharing would move shared_at
    assert snapshot(police_only) == before


def test_the_completion_time_is_fixed_once_recorded_even_before_sharing(police_only, w, now):
    return_interview_update(actor=w.coordinator, now=now, interview=police_only,
                            offered_at=now - H / 2, response="accepted", completed_at=now)
    before = snapshot(police_only)
    with pytest.raises(ReturnInvalid, match="cannot be changed") as caught:
        return_interview_update(actor=w.coordinator, now=now + H, interview=police_only,
                                completed_at=now + H / 2)
    assert caught.value.field == "completed_at"
    with pytest.raises(ReturnInvalid, match="cannot be changed"):
        return_interview_update(actor=w.coordinator, now=now + H, interview=police_only,
                                response="declined")
    assert snapshot(police_only) == before
    # The same values again change nothing (a form sends them back); findings may still be
    # completed until they are shared.
    return_interview_update(actor=w.coordinator, now=now + H, interview=police_only,
                            completed_at=now, why_left="Angry at the home")
    assert fresh(police_only).completed_at == now


# --- police never edit the provider's findings -----------------------------------------------

@pytest.mark.parametrize("change", [{"child_words": "Police version"},
                                    {"indicators": ["trafficking"]},
                                    {"interviewer_name": "PC Someone"},
                                    {"completed_at": "now"}])
def test_police_cannot_record_findings_of_a_provider_interview(returned, w, now, change):
    interview = interview_of_episode(episode=returned)
    partner_interview_record(actor=w.users.rhi_worker, now=now, interview=interview,
                             offered_at=now - H / 2, response="accepted",
                             where_went="Provider's words")
    if change.get("completed_at") == "now":
        change = {"completed_at": now}
    before = snapshot(interview)
    with pytest.raises(PermissionDenied, match="addendum"):
        return_interview_update(actor=w.coordinator, now=now, interview=interview, **change)
    assert snapshot(interview) == before


def test_police_may_still_note_when_a_provider_interview_was_offered(returned, w, now):
    interview = return_interview_update(actor=w.coordinator, now=now,
                                        interview=interview_of_episode(episode=returned),
                                        offered_at=now - H / 2)
    assert interview.offered_at == now - H / 2 and interview.version == 2


# --- two editors at once: the interview's version --------------------------------------------

def test_a_save_based_on_an_older_version_is_refused(police_only, w, now, make_user, force):
    other = make_user(force=force, roles=["supervisor"], rank="sergeant", username="sgt-b")
    loaded = police_only.version  # both open the page
    return_interview_update(actor=w.coordinator, now=now, interview=police_only,
                            offered_at=now - H / 2, where_went="Coordinator's note",
                            expected_version=loaded)
    before = snapshot(police_only)
    with pytest.raises(InterviewConflict, match="Reload"):
        return_interview_update(actor=other, now=now, interview=police_only,
                                where_went="Sergeant's note", expected_version=loaded)
    assert snapshot(police_only) == before
    assert fresh(police_only).where_went == "Coordinator's note"


def test_police_and_provider_at_once_keep_both_changes_without_a_version(returned, w, now):
    """Without a version each save writes only the fields it changes, on the row as it is now:
    the provider's findings survive a police save made from an older copy."""
    stale = interview_of_episode(episode=returned)  # police open it
    partner_interview_record(actor=w.users.rhi_worker, now=now, interview=stale,
                             where_went="Provider's finding")
    return_interview_update(actor=w.coordinator, now=now, interview=stale,
                            offered_at=now - H / 2)
    row = fresh(stale)
    assert (row.where_went, row.offered_at, row.version) == ("Provider's finding", now - H / 2, 3)


def test_another_partner_cannot_write_to_the_interview(returned, w, now):
    interview = provider_completes(w, returned, now)
    with pytest.raises(NotFound):
        interview_addendum_add(actor=w.users.other_rhi_worker, now=now, interview=interview,
                               reason="x", text="y")
    with pytest.raises(PermissionDenied):
        partner_interview_addendum(actor=w.users.care_worker, now=now, interview=interview,
                                   reason="x", text="y")
    assert not InterviewAddendum.objects.exists()


# --- a correction is an addendum with a reason -----------------------------------------------

def test_the_provider_corrects_its_findings_with_an_addendum(returned, w, now):
    interview = provider_completes(w, returned, now)
    before = snapshot(interview)
    with pytest.raises(ReturnInvalid, match="why") as caught:
        partner_interview_addendum(actor=w.users.rhi_worker, now=now + H, interview=interview,
                                   reason="  ", text="The flat was on Union Road")
    assert caught.value.field == "reason"
    with pytest.raises(InterviewConflict):
        partner_interview_addendum(actor=w.users.rhi_worker, now=now + H, interview=interview,
                                   reason="Street recorded wrongly",
                                   text="The flat was on Union Road",
                                   expected_version=before[1] - 1)
    assert not InterviewAddendum.objects.exists()
    addendum = partner_interview_addendum(
        actor=w.users.rhi_worker, now=now + H, interview=interview,
        reason="Street recorded wrongly", text="The flat was on Union Road",
        expected_version=before[1])
    assert (addendum.author, addendum.organisation, addendum.at) == (
        w.users.rhi_worker, w.rhi, now + H)
    row = fresh(interview)
    assert row.where_went == FINDINGS["where_went"]  # the findings stay as recorded
    assert row.version == before[1] + 1
    assert returned.timeline.filter(code=TimelineEvent.Code.RHI_UPDATED,
                                    summary__contains="Street recorded wrongly").exists()
    assert SharingRecord.objects.filter(episode=returned,
                                        what__startswith="Addendum to the return-home").exists()
    with pytest.raises(PermissionError):  # evidence: never edited
        addendum.text = "changed"
        addendum.save()


def test_police_add_their_own_note_to_the_providers_findings(returned, w, now):
    interview = provider_completes(w, returned, now)
    addendum = interview_addendum_add(actor=w.coordinator, now=now + H, interview=interview,
                                      reason="Later disclosure to the officer",
                                      text="She named one of the men as 'Dee'.")
    assert addendum.by_police and addendum.organisation is None
    assert fresh(interview).child_words == FINDINGS["child_words"]


def test_no_addendum_before_the_interview_is_completed(returned, w, now):
    interview = interview_of_episode(episode=returned)
    with pytest.raises(ReturnInvalid, match="completed"):
        interview_addendum_add(actor=w.coordinator, now=now, interview=interview,
                               reason="x", text="y")
    assert not InterviewAddendum.objects.exists()


# --- the episode: a second request works on what the first left -----------------------------

def answers():
    return {code: AnswerInput(answer="no") for code in risk_policy.FACTORS}


def test_a_second_found_from_a_stale_copy_is_refused_not_duplicated(episode, officer,
                                                                    make_user, force, now):
    assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                      chosen_grade="medium")
    first = Episode.objects.get(pk=episode.pk)
    second = Episode.objects.get(pk=episode.pk)  # two officers open the page
    return_record(actor=officer, now=now, episode=first, found_at=now, found_where="Home",
                  found_by="own_accord", condition="safe_and_well")
    other = make_user(force=force, roles=["officer"], rank="officer", username="officer-b")
    with pytest.raises(EpisodeConflict):
        return_record(actor=other, now=now, episode=second, found_at=now, found_where="Park",
                      found_by="police", condition="safe_and_well", expected_version=2)
    with pytest.raises(IllegalTransition, match="is found"):
        return_record(actor=other, now=now, episode=second, found_at=now, found_where="Park",
                      found_by="police", condition="safe_and_well")
    assert FoundRecord.objects.filter(episode=episode).count() == 1
    assert FoundRecord.objects.get(episode=episode).found_where == "Home"


def test_an_assessment_from_a_stale_copy_numbers_after_the_latest(episode, officer, now):
    stale = Episode.objects.get(pk=episode.pk)
    assessment_record(actor=officer, now=now, episode=episode, answers=answers(),
                      chosen_grade="medium")
    with pytest.raises(EpisodeConflict):
        assessment_record(actor=officer, now=now, episode=stale, answers=answers(),
                          chosen_grade="high", expected_version=1)
    assessment_record(actor=officer, now=now, episode=stale, answers=answers(),
                      chosen_grade="high")
    assert list(Assessment.objects.filter(episode=episode).order_by("sequence")
                .values_list("sequence", "chosen_grade")) == [(1, "medium"), (2, "high")]
    assert Episode.objects.get(pk=episode.pk).version == 3
    assert stale.version == 3 and stale.current_grade == "high"  # the caller's copy follows
