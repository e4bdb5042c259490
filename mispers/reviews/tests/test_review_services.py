"""Reviews, handovers, actions and the enquiry log, through their services. Every refusal leaves
the records as they were."""

import datetime as dt

import pytest

from mispers.casework.grade import assessment_record
from mispers.casework.review import review_complete
from mispers.episodes.models import Action, EnquiryEntry, TimelineEvent
from mispers.reviews.escalation import sweep
from mispers.reviews.models import Deadline, Escalation, Handover, Notification, Review
from mispers.reviews.services import (
    ActionInvalid,
    EnquiryInvalid,
    HandoverRefused,
    ReviewRefused,
    action_assign,
    action_complete,
    action_create,
    enquiry_record,
    handover_accept,
    handover_decline,
    handover_request,
    review_save,
)
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

Kind = Deadline.Kind
PENDING = Deadline.Status.PENDING
H = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def all_no(**overrides):
    values = {code: "no" for code in risk_policy.FACTORS} | overrides
    return {code: AnswerInput(answer=value, source="Reporting carer")
            for code, value in values.items()}


def grade(episode, actor, now, chosen="medium", **answers):
    return assessment_record(actor=actor, now=now, episode=episode, answers=all_no(**answers),
                             chosen_grade=chosen)


def rows():
    """Row counts of everything these services write."""
    return {model.__name__: model.objects.count()
            for model in (Review, Handover, Deadline, Escalation, Notification, Action,
                          EnquiryEntry, TimelineEvent)}


def pending(episode, kind=Kind.REVIEW):
    return Deadline.objects.get(episode=episode, kind=kind, status=PENDING)


@pytest.fixture
def medium(episode, officer, now):
    grade(episode, officer, now)
    episode.refresh_from_db()
    return episode


@pytest.fixture
def high(episode, officer, now):
    grade(episode, officer, now, chosen="high", exploitation="yes")
    episode.refresh_from_db()
    return episode


@pytest.fixture
def superintendent(force, make_user):
    return make_user(force=force, roles=["superintendent"], rank="superintendent",
                     username="superintendent")


@pytest.fixture
def officer2(force, make_user):
    return make_user(force=force, roles=["officer"], rank="officer", username="officer2")


# --- reviews -----------------------------------------------------------------------------------

def test_review_meets_the_deadline_and_sets_the_next(medium, sergeant, now):
    due = pending(medium)
    at = now + 30 * MINUTE
    review = review_complete(actor=sergeant, now=at, episode=medium, notes="Plan agreed",
                             expected_version=medium.version)
    due.refresh_from_db()
    assert due.status == Deadline.Status.MET and due.closed_by == sergeant
    assert review.deadline == due and review.grade == "medium"
    assert review.outcome == Review.Outcome.CONFIRMED and review.reviewer_rank == "sergeant"
    assert review.next_review_due_at == at + 8 * H == pending(medium).due_at
    assert medium.timeline.filter(code="reviewed").count() == 1


@pytest.mark.parametrize("who", ["officer", "call_handler"])
def test_review_by_too_low_a_rank_is_refused(medium, who, request, now):
    actor = request.getfixturevalue(who)
    before = rows()
    with pytest.raises(ReviewRefused, match="needs a sergeant or above"):
        review_complete(actor=actor, now=now, episode=medium, notes="Looks fine")
    assert rows() == before


def test_a_sergeant_rank_without_a_supervisory_role_cannot_review(medium, force, make_user, now):
    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant",
                            username="coordinator")
    before = rows()
    with pytest.raises(ReviewRefused):
        review_complete(actor=coordinator, now=now, episode=medium, notes="Looks fine")
    assert rows() == before


def test_review_of_a_high_episode_needs_an_inspector(high, sergeant, inspector, now):
    assert pending(high).rank == "inspector"
    before = rows()
    with pytest.raises(ReviewRefused, match="high risk episode needs an inspector"):
        review_complete(actor=sergeant, now=now, episode=high, notes="Seen")
    assert rows() == before
    review = review_complete(actor=inspector, now=now, episode=high, notes="Seen")
    assert review.next_review_due_at == now + 4 * H
    assert pending(high).rank == "inspector"


def test_review_needs_notes_and_an_open_episode(medium, sergeant, officer, now):
    from mispers.casework.found import return_record

    before = rows()
    with pytest.raises(ReviewRefused) as caught:
        review_complete(actor=sergeant, now=now, episode=medium, notes="   ")
    assert caught.value.field == "notes" and rows() == before
    return_record(actor=officer, now=now, episode=medium, found_at=now, found_where="Home",
                  found_by="own_accord", condition="safe_and_well")
    before = rows()
    with pytest.raises(ReviewRefused, match="not open"):
        review_complete(actor=sergeant, now=now, episode=medium, notes="Seen")
    assert rows() == before


def test_stale_version_refuses_the_review(medium, sergeant, now):
    from mispers.episodes.services import EpisodeConflict

    before = rows()
    with pytest.raises(EpisodeConflict):
        review_complete(actor=sergeant, now=now, episode=medium, notes="Seen",
                        expected_version=medium.version - 1)
    assert rows() == before


def test_review_next_actions_become_actions_for_the_owner(medium, sergeant, call_handler, now):
    review_complete(actor=sergeant, now=now, episode=medium, notes="Seen",
                    next_actions="Call the school\n\n  Check the bus station CCTV  ")
    titles = set(Action.objects.filter(episode=medium, source="review")
                 .values_list("title", "assigned_to"))
    # Unassigned: they follow the case to whoever owns it (issue 10), so the owner has them.
    assert titles == {("Call the school", None), ("Check the bus station CCTV", None)}
    from mispers.reviews.selectors import my_queue

    mine = {action.title for action, _ in my_queue(user=call_handler, now=now)["actions"]}
    assert {"Call the school", "Check the bus station CCTV"} <= mine


def test_regrade_at_review_is_recorded_as_regraded(medium, sergeant, now):
    # Looked after and missing from placement: medium is recommended, so low waits for a
    # ratification and medium still applies.
    assessment = grade(medium, sergeant, now, chosen="medium", mental_health="yes")
    review = review_save(actor=sergeant, now=now, episode=medium, notes="Raised concern",
                             assessment=assessment)
    assert review.outcome == Review.Outcome.REGRADED and review.assessment == assessment
    assert review.next_review_due_at == now + 8 * H


def test_a_regrade_to_high_at_review_needs_an_inspector_to_review(medium, sergeant, now):
    assessment = grade(medium, sergeant, now, chosen="high")
    before = rows()
    with pytest.raises(ReviewRefused, match="inspector"):
        review_save(actor=sergeant, now=now, episode=medium, notes="Raised",
                        assessment=assessment)
    assert rows() == before


def test_regrade_down_at_review(high, inspector, now):
    assessment = assessment_record(actor=inspector, now=now, episode=high,
                                   answers=all_no(exploitation="no"), chosen_grade="medium")
    review = review_save(actor=inspector, now=now, episode=high, notes="Lowered",
                             assessment=assessment)
    assert review.outcome == Review.Outcome.REGRADED and review.grade == "medium"
    assert review.next_review_due_at == now + 8 * H
    assert pending(high).rank == "sergeant"


# --- handovers ---------------------------------------------------------------------------------

def test_handover_is_accepted_only_by_the_addressee_and_owner_changes_on_accept(
        medium, call_handler, officer, officer2, sergeant, now):
    handover = handover_request(actor=call_handler, now=now, episode=medium, to_user=officer,
                                note="Over to you")
    medium.refresh_from_db()
    assert medium.owner == call_handler  # not theirs until they accept
    deadline = Deadline.objects.get(handover=handover)
    assert deadline.status == PENDING and deadline.due_at == now + H
    assert deadline.rank == "officer"
    for intruder in (officer2, sergeant, call_handler):
        before = rows()
        with pytest.raises(HandoverRefused, match="someone else"):
            handover_accept(actor=intruder, now=now, handover=handover)
        assert rows() == before
    medium.refresh_from_db()
    assert medium.owner == call_handler
    handover_accept(actor=officer, now=now + 10 * MINUTE, handover=handover)
    medium.refresh_from_db()
    handover.refresh_from_db()
    deadline.refresh_from_db()
    assert medium.owner == officer and handover.status == Handover.Status.ACCEPTED
    assert deadline.status == Deadline.Status.MET
    with pytest.raises(HandoverRefused, match="already been decided"):
        handover_accept(actor=officer, now=now, handover=handover)


def test_declined_handover_keeps_the_owner(medium, call_handler, officer, now):
    handover = handover_request(actor=call_handler, now=now, episode=medium, to_user=officer)
    before = rows()
    with pytest.raises(HandoverRefused) as caught:
        handover_decline(actor=officer, now=now, handover=handover, note=" ")
    assert caught.value.field == "note" and rows() == before
    handover_decline(actor=officer, now=now, handover=handover, note="Off shift")
    medium.refresh_from_db()
    handover.refresh_from_db()
    assert medium.owner == call_handler and handover.status == Handover.Status.DECLINED
    assert not Deadline.objects.filter(handover=handover, status=PENDING).exists()


def test_unaccepted_handover_escalates(medium, call_handler, officer, sergeant, inspector, now):
    handover = handover_request(actor=call_handler, now=now, episode=medium, to_user=officer)
    deadline = Deadline.objects.get(handover=handover)
    sweep(now=deadline.due_at - MINUTE)
    assert not Escalation.objects.filter(deadline=deadline).exists()
    sweep(now=deadline.due_at + MINUTE)
    escalation = Escalation.objects.get(deadline=deadline)
    assert escalation.rank == "sergeant"
    assert [n.recipient for n in escalation.notifications.all()] == [sergeant]
    # Accepting it late meets the deadline and stops the climb.
    handover_accept(actor=officer, now=deadline.due_at + 5 * MINUTE, handover=handover)
    sweep(now=deadline.due_at + 3 * H)
    assert not Escalation.objects.filter(deadline=deadline, level=2).exists()


def test_a_new_handover_replaces_a_pending_one(medium, call_handler, officer, officer2, now):
    first = handover_request(actor=call_handler, now=now, episode=medium, to_user=officer)
    second = handover_request(actor=call_handler, now=now + MINUTE, episode=medium,
                              to_user=officer2)
    first.refresh_from_db()
    assert first.status == Handover.Status.CANCELLED
    assert Deadline.objects.get(handover=first).status == Deadline.Status.CANCELLED
    assert Deadline.objects.get(handover=second).status == PENDING
    with pytest.raises(HandoverRefused):
        handover_accept(actor=officer, now=now, handover=first)


def test_handover_refusals(medium, call_handler, officer, officer2, outsider, now):
    before = rows()
    with pytest.raises(HandoverRefused, match="someone in your force"):
        handover_request(actor=call_handler, now=now, episode=medium, to_user=outsider)
    with pytest.raises(HandoverRefused, match="already owns"):
        handover_request(actor=call_handler, now=now, episode=medium, to_user=call_handler)
    with pytest.raises(HandoverRefused, match="Only the owner or a supervisor"):
        handover_request(actor=officer2, now=now, episode=medium, to_user=officer)
    assert rows() == before


def test_a_supervisor_may_hand_over_someone_elses_case(medium, sergeant, officer, now):
    handover = handover_request(actor=sergeant, now=now, episode=medium, to_user=officer)
    assert handover.from_user == medium.owner


# --- actions -----------------------------------------------------------------------------------

def test_standard_actions_come_with_the_grade(medium, now):
    codes = set(Action.objects.filter(episode=medium, source="standard")
                .values_list("code", flat=True))
    # Medium, looked after and missing from placement (conftest child).
    assert codes == {"pnc_circulation", "search_home_or_placement", "inform_childrens_services"}
    for action in Action.objects.filter(episode=medium):
        deadline = Deadline.objects.get(action=action)
        assert deadline.due_at == action.due_at == now + 2 * H and deadline.rank == "officer"


def test_completing_an_action_needs_a_result(medium, officer, now):
    action = Action.objects.filter(episode=medium).first()
    before = rows()
    with pytest.raises(ActionInvalid) as caught:
        action_complete(actor=officer, now=now, action=action, result="  ")
    assert caught.value.field == "result" and rows() == before
    action.refresh_from_db()
    assert action.done_at is None
    action_complete(actor=officer, now=now, action=action, result="Circulated on PNC")
    action.refresh_from_db()
    assert action.is_done and action.done_by == officer
    assert Deadline.objects.get(action=action).status == Deadline.Status.MET
    with pytest.raises(ActionInvalid, match="already done"):
        action_complete(actor=officer, now=now, action=action, result="Again")


def test_overdue_action_escalates_to_a_sergeant(medium, officer, sergeant, inspector, now):
    action = action_create(actor=officer, now=now, episode=medium, code="manual",
                           title="Visit the friend's address", assigned_to=officer)
    deadline = Deadline.objects.get(action=action)
    assert deadline.due_at == now + 4 * H  # the policy's action_due_hours
    sweep(now=deadline.due_at + MINUTE)
    assert Escalation.objects.get(deadline=deadline).rank == "sergeant"


def test_action_assignment(medium, officer, sergeant, outsider, now):
    action = action_create(actor=sergeant, now=now, episode=medium, code="",
                           title="Check CCTV", due_at=now + H)
    assert action.code == "manual"
    before = rows()
    with pytest.raises(ActionInvalid, match="someone in your force"):
        action_assign(actor=sergeant, now=now, action=action, assigned_to=outsider)
    with pytest.raises(ActionInvalid) as caught:
        action_create(actor=sergeant, now=now, episode=medium, code="x", title="  ")
    assert caught.value.field == "title"
    assert rows() == before
    action_assign(actor=sergeant, now=now, action=action, assigned_to=sergeant)
    assert Deadline.objects.get(action=action).rank == "sergeant"


# --- the enquiry log ---------------------------------------------------------------------------

def test_sighting_needs_a_location(medium, officer, now):
    before = rows()
    with pytest.raises(EnquiryInvalid) as caught:
        enquiry_record(actor=officer, now=now, episode=medium, text="Seen by a neighbour",
                       occurred_at=now - H, kind=EnquiryEntry.Kind.SIGHTING, location=" ")
    assert caught.value.field == "location" and rows() == before
    entry = enquiry_record(actor=officer, now=now, episode=medium, text="Seen by a neighbour",
                           occurred_at=now - H, kind=EnquiryEntry.Kind.SIGHTING,
                           location="Bus station", seen_by="Neighbour")
    assert entry.location == "Bus station" and entry.recorded_by == officer
    assert medium.timeline.filter(code="enquiry").count() == 1


def test_enquiry_in_the_future_or_empty_or_unknown_kind_is_refused(medium, officer, now):
    before = rows()
    with pytest.raises(EnquiryInvalid) as caught:
        enquiry_record(actor=officer, now=now, episode=medium, text="Call",
                       occurred_at=now + MINUTE)
    assert caught.value.field == "occurred_at"
    with pytest.raises(EnquiryInvalid) as caught:
        enquiry_record(actor=officer, now=now, episode=medium, text=" ", occurred_at=now)
    assert caught.value.field == "text"
    with pytest.raises(EnquiryInvalid) as caught:
        enquiry_record(actor=officer, now=now, episode=medium, text="x", occurred_at=now,
                       kind="rumour")
    assert caught.value.field == "kind"
    assert rows() == before


def test_new_information_prompts_a_reassessment_met_by_the_next_assessment(medium, officer,
                                                                           sergeant, now):
    enquiry_record(actor=officer, now=now, episode=medium, text="Seen with an older man",
                   occurred_at=now - 10 * MINUTE, kind=EnquiryEntry.Kind.SIGHTING,
                   location="Railway station", prompts_reassessment=True)
    deadline = pending(medium, Kind.REASSESSMENT)
    assert deadline.due_at == now + 2 * H  # medium's first review interval
    # A second prompt does not open a second deadline.
    enquiry_record(actor=officer, now=now, episode=medium, text="Another call",
                   occurred_at=now, prompts_reassessment=True)
    assert Deadline.objects.filter(episode=medium, kind=Kind.REASSESSMENT).count() == 1
    grade(medium, sergeant, now + H, chosen="high", with_person_of_concern="yes")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.MET and deadline.closed_by == sergeant


def test_no_enquiries_on_a_closed_episode(medium, officer, inspector, now):
    from mispers.casework.withdraw import episode_withdraw

    episode_withdraw(actor=inspector, now=now, episode=medium, reason="Made in error")
    medium.refresh_from_db()
    before = rows()
    with pytest.raises(EnquiryInvalid, match="closed"):
        enquiry_record(actor=officer, now=now, episode=medium, text="x", occurred_at=now)
    assert rows() == before


@pytest.mark.parametrize("finish", ["withdraw", "close"])
def test_finishing_an_episode_cancels_its_pending_handover(medium, call_handler, officer,
                                                          sergeant, inspector, now, finish):
    from mispers.casework.close import episode_close
    from mispers.casework.found import return_record
    from mispers.casework.tests.closing import SUMMARY, settle
    from mispers.casework.withdraw import episode_withdraw
    from mispers.returns.services import prevention_interview_record

    handover = handover_request(actor=call_handler, now=now, episode=medium, to_user=officer)
    if finish == "withdraw":
        episode_withdraw(actor=inspector, now=now, episode=medium, reason="Made in error")
    else:
        return_record(actor=officer, now=now, episode=medium, found_at=now, found_where="Home",
                      found_by="own_accord", condition="safe_and_well")
        prevention_interview_record(actor=officer, now=now, episode=medium, held_at=now,
                                    where_child_was="Home", why_left="Argument",
                                    child_account="I went for a walk.")
        settle(medium, actor=sergeant, now=now)
        episode_close(actor=sergeant, now=now, episode=medium, summary=SUMMARY)
    handover.refresh_from_db()
    assert handover.status == Handover.Status.CANCELLED
    assert Deadline.objects.get(handover=handover).status == Deadline.Status.CANCELLED
    with pytest.raises(HandoverRefused):
        handover_accept(actor=officer, now=now, handover=handover)
    medium.refresh_from_db()
    assert medium.owner == call_handler


def test_review_with_regrade_saves_both_or_neither(episode, officer, sergeant, inspector, now):
    import datetime as dt

    from mispers.casework.grade import assessment_record
    from mispers.casework.review import review_with_regrade
    from mispers.reviews.models import Review
    from mispers.reviews.services import ReviewRefused
    from mispers.risk.models import Assessment
    from mispers.risk.services import AnswerInput

    assessment_record(actor=officer, now=now, episode=episode, answers={},
                      chosen_grade="medium")
    later = now + dt.timedelta(hours=1)
    raised = {"exploitation": AnswerInput(answer="yes")}
    # A sergeant may not review a high-risk episode: the re-grade to high is not kept either.
    with pytest.raises(ReviewRefused, match="inspector"):
        review_with_regrade(actor=sergeant, now=later, episode=episode, notes="Seen",
                            answers=raised, chosen_grade="high")
    assert Assessment.objects.filter(episode=episode).count() == 1
    assert not Review.objects.filter(episode=episode).exists()
    episode.refresh_from_db()
    assert episode.current_grade == "medium"

    review = review_with_regrade(actor=inspector, now=later, episode=episode,
                                 notes="Exploitation indicators", answers=raised,
                                 chosen_grade="high")
    assert review.outcome == Review.Outcome.REGRADED
    assert review.assessment.chosen_grade == "high"
    episode.refresh_from_db()
    assert episode.current_grade == "high"
