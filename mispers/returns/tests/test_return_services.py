"""The return, through its services: found, prevention interview or an approved waiver, proposed
markers, the return-home interview, closing and withdrawing. Every refusal leaves the records as
they were."""

import datetime as dt

import pytest

from mispers.casework.close import ClosureBlocked, episode_close
from mispers.casework.found import RETURN_CHECKLIST, return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.casework.tests.closing import SUMMARY, settle
from mispers.casework.withdraw import episode_withdraw
from mispers.core.errors import PermissionDenied
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import IllegalTransition
from mispers.people.models import Marker
from mispers.people.services import marker_add
from mispers.returns.models import (
    FoundRecord,
    MarkerProposal,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.returns.selectors import rank_needed_to_withdraw, shared_findings_for_child
from mispers.returns.services import (
    ReturnInvalid,
    marker_proposal_decide,
    prevention_interview_record,
    prevention_waiver_approve,
    prevention_waiver_request,
    return_interview_update,
)
from mispers.reviews.models import Deadline
from mispers.risk import policy as risk_policy
from mispers.risk.models import Assessment
from mispers.risk.services import AnswerInput

Kind = Deadline.Kind
PENDING = Deadline.Status.PENDING
H = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def all_no(**overrides):
    values = {code: "no" for code in risk_policy.FACTORS} | overrides
    return {code: AnswerInput(answer=value, source="Reporting carer")
            for code, value in values.items()}


def rows():
    return {model.__name__: model.objects.count()
            for model in (FoundRecord, PreventionInterview, PreventionWaiver, MarkerProposal,
                          ReturnHomeInterview, Deadline, TimelineEvent, Marker, Assessment)}


def state_of(episode):
    return Episode.objects.values_list("state", "version").get(pk=episode.pk)


@pytest.fixture
def sergeant2(force, make_user):
    return make_user(force=force, roles=["supervisor"], rank="sergeant", username="sergeant2")


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coordinator")


@pytest.fixture
def graded(episode, officer, now):
    assessment_record(actor=officer, now=now, episode=episode, answers=all_no(),
                      chosen_grade="medium")
    episode.refresh_from_db()
    return episode


def find(episode, actor, now, found_at=None, **overrides):
    values = dict(found_at=found_at or now, found_where="A friend's house",
                  found_by="police", condition="safe_and_well")
    values.update(overrides)
    return return_record(actor=actor, now=now, episode=episode, **values)


def interview(episode, actor, now, held_at=None, **overrides):
    values = dict(held_at=held_at or now, where_child_was="At a friend's",
                  why_left="Argument at the placement",
                  child_account="I needed to get away for a bit.")
    values.update(overrides)
    return prevention_interview_record(actor=actor, now=now, episode=episode, **values)


@pytest.fixture
def found(graded, officer, now):
    find(graded, officer, now + H)
    graded.refresh_from_db()
    return graded


# --- found -------------------------------------------------------------------------------------

def test_found_stops_the_missing_clocks_and_starts_the_return_ones(found, now):
    assert found.state == Episode.State.FOUND
    pending = dict(Deadline.objects.filter(episode=found, status=PENDING)
                   .exclude(kind=Kind.ACTION).values_list("kind", "due_at"))
    assert pending == {Kind.PREVENTION_INTERVIEW: now + H + 24 * H,
                       Kind.RETURN_HOME_INTERVIEW: now + H + 72 * H}
    # Issue 10: the grade's standard actions stay open (nothing is silently dropped), and the
    # return checklist is set, each with a pending deadline the sweep escalates.
    open_codes = set(Deadline.objects.filter(episode=found, kind=Kind.ACTION, status=PENDING)
                     .values_list("action__code", flat=True))
    assert set(RETURN_CHECKLIST) <= open_codes
    assert open_codes - set(RETURN_CHECKLIST), "the grade's standard actions stay open"
    assert found.found.time_missing == now + H - found.last_seen_at
    assert list(found.timeline.filter(code__in=["found", "rhi_referred"])
                .values_list("code", flat=True)) == ["found", "rhi_referred"]


def test_found_before_last_seen_or_in_the_future_is_refused(graded, officer, now):
    before, version = rows(), state_of(graded)
    with pytest.raises(ReturnInvalid, match="before the child was last seen") as caught:
        find(graded, officer, now, found_at=graded.last_seen_at - MINUTE)
    assert caught.value.field == "found_at"
    with pytest.raises(ReturnInvalid, match="future"):
        find(graded, officer, now, found_at=now + MINUTE)
    assert rows() == before and state_of(graded) == version


@pytest.mark.parametrize(("field", "overrides"), [
    ("found_where", {"found_where": "  "}), ("found_by", {"found_by": "aliens"}),
    ("condition", {"condition": "fine"}), ("harms", {"condition": "harmed"}),
    ("harms", {"condition": "harmed", "harms": ["paper_cut"]})])
def test_found_details_are_checked(graded, officer, now, field, overrides):
    before, version = rows(), state_of(graded)
    with pytest.raises(ReturnInvalid) as caught:
        find(graded, officer, now, **overrides)
    assert caught.value.field == field
    assert rows() == before and state_of(graded) == version


def test_a_report_must_be_graded_before_the_child_is_found(episode, officer, now):
    before, version = rows(), state_of(episode)
    with pytest.raises(ReturnInvalid, match="Grade the risk"):
        find(episode, officer, now)
    assert rows() == before and state_of(episode) == version


def test_found_twice_is_an_illegal_transition(found, officer, now):
    before, version = rows(), state_of(found)
    with pytest.raises(IllegalTransition):
        find(found, officer, now + 2 * H)
    assert rows() == before and state_of(found) == version


# --- prevention interview and waiver -------------------------------------------------------------

def test_prevention_interview_before_the_return_is_refused(graded, officer, now):
    before = rows()
    with pytest.raises(ReturnInvalid, match="Record the return before"):
        interview(graded, officer, now)
    assert rows() == before


def test_prevention_interview_checks_its_time_and_contents(found, officer, now):
    before = rows()
    with pytest.raises(ReturnInvalid, match="before the child's return") as caught:
        interview(found, officer, now + 2 * H, held_at=now)
    assert caught.value.field == "held_at"
    with pytest.raises(ReturnInvalid, match="future"):
        interview(found, officer, now + 2 * H, held_at=now + 3 * H)
    with pytest.raises(ReturnInvalid) as caught:
        interview(found, officer, now + 2 * H, child_account=" ")
    assert caught.value.field == "child_account"
    with pytest.raises(ReturnInvalid) as caught:
        interview(found, officer, now + 2 * H, indicators=["bad_vibes"])
    assert caught.value.field == "indicators"
    assert rows() == before
    record = interview(found, officer, now + 2 * H)
    assert record.child_account == "I needed to get away for a bit."
    assert Deadline.objects.get(episode=found, kind=Kind.PREVENTION_INTERVIEW).status == (
        Deadline.Status.MET)
    with pytest.raises(ReturnInvalid, match="already recorded"):
        interview(found, officer, now + 3 * H)


def test_closing_needs_the_interview_or_an_approved_waiver(found, officer, sergeant, sergeant2,
                                                           now):
    settle(found, actor=sergeant, now=now + 2 * H)
    before, version = rows(), state_of(found)
    with pytest.raises(ClosureBlocked) as caught:
        episode_close(actor=sergeant, now=now + 2 * H, episode=found, summary=SUMMARY)
    assert [b.text for b in caught.value.blockers] == [
        "Record the prevention interview, or a reason it could not happen approved by a "
        "supervisor"]
    assert rows() == before and state_of(found) == version
    waiver = prevention_waiver_request(actor=sergeant, now=now + 2 * H, episode=found,
                                       reason="The child refused to speak to police")
    assert Deadline.objects.get(episode=found, kind=Kind.WAIVER_APPROVAL).status == PENDING
    before, version = rows(), state_of(found)
    with pytest.raises(ReturnInvalid, match="approved by a supervisor"):
        episode_close(actor=sergeant, now=now + 2 * H, episode=found, summary=SUMMARY)
    assert rows() == before and state_of(found) == version
    prevention_waiver_approve(actor=sergeant2, now=now + 3 * H, waiver=waiver)
    closed = episode_close(actor=sergeant, now=now + 4 * H, episode=found, summary=SUMMARY)
    assert closed.state == Episode.State.CLOSED
    assert found.closing_summary.why_went == SUMMARY.why_went
    assert not Deadline.objects.filter(episode=found, status=PENDING).exists()


def test_waiver_is_approved_by_a_supervisor_other_than_the_requester(found, officer, sergeant,
                                                                     sergeant2, now):
    before = rows()
    with pytest.raises(ReturnInvalid) as caught:
        prevention_waiver_request(actor=sergeant, now=now, episode=found, reason=" ")
    assert caught.value.field == "reason" and rows() == before
    waiver = prevention_waiver_request(actor=sergeant, now=now + 2 * H, episode=found,
                                       reason="Admitted to hospital")
    for actor, words in [(sergeant, "another supervisor"), (officer, "Only a supervisor")]:
        before = rows()
        with pytest.raises(ReturnInvalid, match=words):
            prevention_waiver_approve(actor=actor, now=now + 2 * H, waiver=waiver)
        assert rows() == before
    waiver.refresh_from_db()
    assert waiver.approved_at is None
    prevention_waiver_approve(actor=sergeant2, now=now + 3 * H, waiver=waiver)
    waiver.refresh_from_db()
    assert waiver.approved_by == sergeant2
    assert not Deadline.objects.filter(
        episode=found, kind__in=[Kind.WAIVER_APPROVAL, Kind.PREVENTION_INTERVIEW],
        status=PENDING).exists()
    with pytest.raises(ReturnInvalid, match="Already approved"):
        prevention_waiver_approve(actor=sergeant2, now=now + 3 * H, waiver=waiver)
    with pytest.raises(ReturnInvalid, match="already recorded or excused"):
        prevention_waiver_request(actor=sergeant, now=now + 3 * H, episode=found, reason="x")


def test_an_episode_ever_graded_high_is_closed_by_an_inspector(graded, officer, sergeant,
                                                               inspector, now):
    assessment_record(actor=officer, now=now + 10 * MINUTE, episode=graded,
                      answers=all_no(suicide_self_harm="yes"), chosen_grade="high")
    assessment_record(actor=sergeant, now=now + 20 * MINUTE, episode=graded, answers=all_no(),
                      chosen_grade="medium")  # no longer high, but it was
    find(graded, officer, now + H)
    interview(graded, officer, now + 2 * H)
    settle(graded, actor=sergeant, now=now + 2 * H)
    before, version = rows(), state_of(graded)
    with pytest.raises(ReturnInvalid, match="needs an inspector or above: it was graded high"):
        episode_close(actor=sergeant, now=now + 3 * H, episode=graded, summary=SUMMARY)
    assert rows() == before and state_of(graded) == version
    assert episode_close(actor=inspector, now=now + 3 * H, episode=graded,
                         summary=SUMMARY).state == Episode.State.CLOSED


def test_closing_needs_a_sergeant_and_a_found_child(graded, found, officer, now):
    interview(found, officer, now + 2 * H)
    before, version = rows(), state_of(found)
    with pytest.raises(ReturnInvalid, match="needs a sergeant"):
        episode_close(actor=officer, now=now + 3 * H, episode=found, summary=SUMMARY)
    assert rows() == before and state_of(found) == version


def test_only_a_found_episode_can_be_closed(graded, sergeant, now):
    before, version = rows(), state_of(graded)
    with pytest.raises(ReturnInvalid, match="only a found child's episode"):
        episode_close(actor=sergeant, now=now, episode=graded, summary=SUMMARY)
    assert rows() == before and state_of(graded) == version


# --- markers proposed from what the child discloses ----------------------------------------------

def test_indicators_propose_a_marker_that_makes_the_next_recommendation_high(
        found, officer, sergeant, coordinator, call_handler, report_details, now):
    interview(found, officer, now + 2 * H, indicators=["older_associates", "gifts_or_money"])
    [proposal] = MarkerProposal.objects.filter(episode=found)
    assert proposal.status == MarkerProposal.Status.PROPOSED
    assert proposal.indicators == ["older_associates", "gifts_or_money"]
    assert Deadline.objects.get(episode=found, kind=Kind.MARKER_DECISION).status == PENDING
    assert not Marker.objects.filter(child=found.child).exists()  # proposed, not yet a marker

    before = rows()
    with pytest.raises(ReturnInvalid, match="Only a supervisor or the coordinator"):
        marker_proposal_decide(actor=officer, now=now + 3 * H, proposal=proposal, confirm=True)
    with pytest.raises(ReturnInvalid) as caught:
        marker_proposal_decide(actor=sergeant, now=now + 3 * H, proposal=proposal,
                               confirm=False, note="")
    assert caught.value.field == "note" and rows() == before

    marker_proposal_decide(actor=coordinator, now=now + 3 * H, proposal=proposal, confirm=True)
    proposal.refresh_from_db()
    assert proposal.status == MarkerProposal.Status.CONFIRMED
    marker = Marker.objects.get(child=found.child)
    assert marker.kind == Marker.Kind.EXPLOITATION and proposal.marker == marker
    assert Deadline.objects.get(episode=found, kind=Kind.MARKER_DECISION).status == (
        Deadline.Status.MET)
    with pytest.raises(ReturnInvalid, match="already been decided"):
        marker_proposal_decide(actor=sergeant, now=now + 3 * H, proposal=proposal, confirm=True)

    # The child's next report: the marker alone makes the recommendation high.
    later = now + 48 * H
    again = episode_report(actor=call_handler, now=later, child=found.child,
                           details=report_details(reported_at=later - MINUTE,
                                                  last_seen_at=later - 2 * H))
    assessment = assessment_record(actor=officer, now=later, episode=again, answers=all_no(),
                                   chosen_grade="high")
    assert assessment.recommended_grade == "high" and assessment.exploitation_marker
    assert any(r["rule"] == "exploitation_marker" for r in assessment.reasons)


def test_confirming_a_proposal_adds_to_the_active_marker(found, officer, sergeant, now):
    """Issue 10: confirming a proposed exploitation marker when one is already active created a
    duplicate. Now the disclosure is added to the active marker's note: one row."""
    active = marker_add(actor=sergeant, now=now, child=found.child, kind="exploitation",
                        subtype="criminal",
                        active_from=now.date() - dt.timedelta(days=30), note="From intelligence")
    interview(found, officer, now + 2 * H, indicators=["older_associates"])
    proposal = MarkerProposal.objects.get(episode=found)
    marker_proposal_decide(actor=sergeant, now=now + 3 * H, proposal=proposal, confirm=True)
    [marker] = Marker.objects.filter(child=found.child, kind="exploitation")
    assert marker.pk == active.pk
    proposal.refresh_from_db()
    assert proposal.status == MarkerProposal.Status.CONFIRMED and proposal.marker_id == active.pk
    assert marker.note.startswith("From intelligence\n")
    assert f"Disclosed at the prevention interview of {found.reference}" in marker.note
    assert marker.history.count() == 2  # the note's earlier version is kept
    event = found.timeline.get(code=TimelineEvent.Code.MARKER_DECIDED)
    assert "added to the child's marker active from" in event.summary
    assert event.data["added_to_active"] is True


def test_confirming_after_a_marker_has_ended_records_a_new_one(found, officer, sergeant, now):
    ended = marker_add(actor=sergeant, now=now, child=found.child, kind="exploitation",
                       subtype="criminal",
                       active_from=now.date() - dt.timedelta(days=400),
                       active_until=now.date() - dt.timedelta(days=30))
    interview(found, officer, now + 2 * H, indicators=["older_associates"])
    proposal = MarkerProposal.objects.get(episode=found)
    marker_proposal_decide(actor=sergeant, now=now + 3 * H, proposal=proposal, confirm=True)
    assert Marker.objects.filter(child=found.child).count() == 2
    proposal.refresh_from_db()
    assert proposal.marker_id != ended.pk and proposal.marker.active_until is None


def test_rejected_proposal_makes_no_marker(found, officer, sergeant, now):
    interview(found, officer, now + 2 * H, indicators=["older_associates"])
    proposal = MarkerProposal.objects.get(episode=found)
    marker_proposal_decide(actor=sergeant, now=now + 3 * H, proposal=proposal, confirm=False,
                           note="Older brother, known to the family")
    assert not Marker.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == MarkerProposal.Status.REJECTED


# --- return-home interview -----------------------------------------------------------------------

def rhi_of(episode):
    return ReturnHomeInterview.objects.get(episode=episode)


def test_return_home_interview_is_due_72_hours_after_found(found, now):
    rhi = rhi_of(found)
    assert rhi.due_at == found.found.found_at + 72 * H
    assert rhi.local_authority == "Plymouth City Council"
    assert rhi.within_72_hours is None


@pytest.mark.parametrize(("hours", "within"), [(71, True), (72, True), (73, False)])
def test_within_72_hours_is_computed(found, coordinator, now, hours, within):
    found_at = found.found.found_at
    rhi = rhi_of(found)
    at = found_at + hours * H
    return_interview_update(actor=coordinator, now=at, interview=rhi, offered_at=found_at + H,
                            response="accepted")
    rhi = return_interview_update(actor=coordinator, now=at, interview=rhi, completed_at=at,
                                  interviewer_name="Independent worker",
                                  where_went="A friend's flat", child_words="I was fine")
    assert rhi.within_72_hours is within
    assert Deadline.objects.get(episode=found, kind=Kind.RETURN_HOME_INTERVIEW).status == (
        Deadline.Status.MET)


def test_declined_interview_meets_the_deadline_and_cannot_be_completed(found, coordinator, now):
    found_at = found.found.found_at
    rhi = rhi_of(found)
    before = rows()
    with pytest.raises(ReturnInvalid, match="offered first"):
        return_interview_update(actor=coordinator, now=found_at + H, interview=rhi,
                                response="declined")
    assert rows() == before
    return_interview_update(actor=coordinator, now=found_at + 2 * H, interview=rhi,
                            offered_at=found_at + H, response="declined")
    assert Deadline.objects.get(episode=found, kind=Kind.RETURN_HOME_INTERVIEW).status == (
        Deadline.Status.MET)
    before = rows()
    with pytest.raises(ReturnInvalid, match="declined cannot be completed"):
        return_interview_update(actor=coordinator, now=found_at + 3 * H, interview=rhi,
                                completed_at=found_at + 3 * H)
    assert rows() == before
    rhi.refresh_from_db()
    assert rhi.completed_at is None and rhi.response == "declined"


def test_return_home_interview_before_the_return_is_refused(found, coordinator, now):
    found_at = found.found.found_at
    rhi = rhi_of(found)
    before = rows()
    with pytest.raises(ReturnInvalid, match="before the child's return") as caught:
        return_interview_update(actor=coordinator, now=found_at + H, interview=rhi,
                                offered_at=found_at - MINUTE)
    assert caught.value.field == "offered_at"
    with pytest.raises(ReturnInvalid, match="before the child's return"):
        return_interview_update(actor=coordinator, now=found_at + H, interview=rhi,
                                offered_at=found_at, response="accepted",
                                completed_at=found_at - MINUTE)
    with pytest.raises(ReturnInvalid, match="future"):
        return_interview_update(actor=coordinator, now=found_at + H, interview=rhi,
                                offered_at=found_at + 2 * H)
    with pytest.raises(ReturnInvalid, match="Unknown finding"):
        return_interview_update(actor=coordinator, now=found_at + H, interview=rhi,
                                favourite_colour="blue")
    with pytest.raises(ReturnInvalid, match="accepted or declined"):
        return_interview_update(actor=coordinator, now=found_at + H, interview=rhi,
                                offered_at=found_at, response="maybe")
    assert rows() == before
    rhi.refresh_from_db()
    assert rhi.offered_at is None


def test_shared_findings_are_listed_for_the_child(found, coordinator, officer, now):
    found_at = found.found.found_at
    rhi = rhi_of(found)
    before = rows()
    with pytest.raises(ReturnInvalid, match="Complete the interview before sharing"):
        return_interview_update(actor=coordinator, now=found_at + H, interview=rhi,
                                offered_at=found_at, response="accepted", share=True)
    assert rows() == before
    assert not shared_findings_for_child(child=found.child).exists()
    return_interview_update(actor=coordinator, now=found_at + 2 * H, interview=rhi,
                            offered_at=found_at + H, response="accepted",
                            completed_at=found_at + 2 * H, where_went="The park",
                            with_whom="Older lads", indicators=["older_associates"],
                            share=True)
    [shared] = shared_findings_for_child(child=found.child)
    assert shared.pk == rhi.pk and shared.with_whom == "Older lads"
    assert shared.shared_at == found_at + 2 * H
    # The disclosed indicator proposes a marker from the return-home interview too.
    assert MarkerProposal.objects.get(episode=found).source == "return_home_interview"


# --- withdraw ----------------------------------------------------------------------------------

def test_withdraw_is_for_an_inspector_with_a_reason(graded, officer, sergeant, inspector, now):
    """Issue 10: a sergeant alone withdrew, "made in error", a case still missing and graded
    high, which stopped every clock and removed it from repeat counts."""
    for actor, reason, error, words in [
            (officer, "Made in error", PermissionDenied, "Only a supervisor"),
            (sergeant, "  ", ReturnInvalid, "Say why"),
            (inspector, "", ReturnInvalid, "Say why"),
            (sergeant, "Made in error", PermissionDenied, "needs an inspector")]:
        before, version = rows(), state_of(graded)
        with pytest.raises(error, match=words):
            episode_withdraw(actor=actor, now=now, episode=graded, reason=reason)
        assert rows() == before and state_of(graded) == version
        assert Deadline.objects.filter(episode=graded, status=PENDING).exists()
    withdrawn = episode_withdraw(actor=inspector, now=now, episode=graded,
                                 reason="The child was at school all along")
    assert withdrawn.state == Episode.State.WITHDRAWN
    assert not Deadline.objects.filter(episode=graded, status=PENDING).exists()
    assert graded.timeline.filter(code="withdrawn").count() == 1


def test_a_reported_child_not_yet_graded_still_needs_an_inspector(episode, sergeant, inspector,
                                                                  now):
    with pytest.raises(PermissionDenied, match="needs an inspector"):
        episode_withdraw(actor=sergeant, now=now, episode=episode, reason="Made in error")
    assert state_of(episode)[0] == Episode.State.REPORTED
    assert episode_withdraw(actor=inspector, now=now, episode=episode,
                            reason="Made in error").state == Episode.State.WITHDRAWN


@pytest.mark.parametrize(("chosen", "answers", "state", "needed"), [
    ("low", {}, "found", "sergeant"),  # found, never above low: a sergeant may decide
    ("medium", {}, "found", "inspector"),  # ever graded medium
    ("low", {"exploitation": "yes"}, "found", "inspector"),  # recommended high, downgraded
    ("low", {}, "open", "inspector"),  # still missing
])
def test_rank_needed_to_withdraw(call_handler, officer, now, report_details, child_details,
                                chosen, answers, state, needed):
    # A sixteen-year-old missing from home with nothing of concern: recommended low.
    episode = episode_report(actor=call_handler, now=now,
                             details=report_details(missing_from="home"),
                             new_child=child_details(looked_after=False, local_authority="",
                                                     date_of_birth=dt.date(2010, 1, 1)))
    assessment_record(actor=officer, now=now, episode=episode, answers=all_no(**answers),
                      chosen_grade=chosen, rationale="Seen at home by a neighbour")
    episode.refresh_from_db()
    if state == "found":
        find(episode, officer, now + H)
        episode.refresh_from_db()
    assert episode.state == state
    assert rank_needed_to_withdraw(episode=episode) == needed


def test_a_found_child_cannot_be_withdrawn(found, sergeant, now):
    before, version = rows(), state_of(found)
    with pytest.raises(IllegalTransition):
        episode_withdraw(actor=sergeant, now=now + 2 * H, episode=found, reason="Error")
    assert rows() == before and state_of(found) == version


def test_each_kind_of_exploitation_disclosed_becomes_its_own_marker(found, officer, sergeant,
                                                                   now):
    """ADR 38: a disclosure of sexual exploitation and trafficking, confirmed, gives the child
    one marker of each subtype, sourced from the interview, due for review."""
    interview(found, officer, now + 2 * H,
              indicators=["sexual_exploitation", "trafficking", "gifts_or_money"])
    proposal = MarkerProposal.objects.get(episode=found)
    marker_proposal_decide(actor=sergeant, now=now + 3 * H, proposal=proposal, confirm=True)
    markers = Marker.objects.filter(child=found.child).order_by("subtype")
    assert [(m.subtype, m.source) for m in markers] == [
        ("sexual", "prevention_interview"), ("trafficking", "prevention_interview")]
    assert all(m.review_on and m.review_on > now.date() for m in markers)
    event = found.timeline.get(code=TimelineEvent.Code.MARKER_DECIDED)
    assert "child sexual exploitation, trafficking or modern slavery" in event.summary
