"""Issue 10: each rule is one `can_<verb>(user, obj)` in its app's permissions module, asked by
the services and by the pages alike. Who may and who may not, per rule."""

import pytest

from mispers.casework.grade import assessment_record
from mispers.returns.permissions import can_close, can_withdraw, close_refusal
from mispers.returns.tests.test_return_services import all_no
from mispers.reviews.permissions import (
    can_allocate,
    can_cancel_action,
    can_hand_over,
    can_review,
)
from mispers.reviews.services import action_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(force, other_force, make_user, call_handler, officer, sergeant, inspector):
    return {
        "call_handler": call_handler, "officer": officer, "sergeant": sergeant,
        "inspector": inspector,
        "coordinator": make_user(force=force, roles=["coordinator"], rank="sergeant",
                                 username="coordinator"),
        "analyst": make_user(force=force, roles=["analyst"], rank="staff", username="analyst"),
        "other_inspector": make_user(force=other_force, roles=["inspector"], rank="inspector",
                                     username="other-inspector"),
    }


def graded(episode, officer, now, grade):
    assessment_record(actor=officer, now=now, episode=episode, answers=all_no(
        exploitation="yes" if grade == "high" else "no"), chosen_grade=grade)
    episode.refresh_from_db()
    return episode


def who(rule, people, obj):
    return {name for name, user in people.items() if rule(user, obj)}


def test_closing_a_case_ever_graded_high_needs_an_inspector(episode, people, now):
    graded(episode, people["officer"], now, "high")
    assert who(can_close, people, episode) == {"inspector"}
    assert close_refusal(people["sergeant"], episode) == (
        "Closing this episode needs an inspector or above: it was graded high")


def test_closing_a_medium_case_needs_a_sergeant(episode, people, now):
    graded(episode, people["officer"], now, "medium")
    assert who(can_close, people, episode) == {"sergeant", "inspector"}


def test_withdrawing_a_case_still_missing_needs_an_inspector(episode, people, now):
    graded(episode, people["officer"], now, "medium")
    assert who(can_withdraw, people, episode) == {"inspector"}


def test_a_high_case_is_reviewed_by_an_inspector_a_medium_by_a_sergeant(episode, people, now):
    graded(episode, people["officer"], now, "medium")
    assert who(can_review, people, episode) == {"sergeant", "inspector"}
    graded(episode, people["officer"], now, "high")
    assert who(can_review, people, episode) == {"inspector"}


def test_the_owner_or_a_supervisor_hands_a_case_over(episode, people, now):
    graded(episode, people["officer"], now, "medium")
    assert who(can_hand_over, people, episode) == {"call_handler", "sergeant", "inspector",
                                                  "coordinator"}  # call handler owns it


def test_supervisors_allocate_and_cancel_actions_in_their_own_force(episode, people, now):
    graded(episode, people["officer"], now, "medium")
    assert who(can_allocate, people, episode) == {"sergeant", "inspector"}
    action = action_create(actor=people["sergeant"], now=now, episode=episode, code="manual",
                           title="Check the park")
    assert who(can_cancel_action, people, action) == {"sergeant", "inspector"}


def test_a_downgrade_is_ratified_by_a_supervisor_at_the_required_rank_who_did_not_choose_it(
        episode, people, now):
    from mispers.risk.permissions import can_ratify

    assessment = assessment_record(actor=people["sergeant"], now=now, episode=episode,
                                   answers=all_no(exploitation="yes"), chosen_grade="medium",
                                   rationale="Known to the family; seen an hour ago")
    assert assessment.required_rank == "inspector"
    assert who(can_ratify, people, assessment) == {"inspector"}


def test_the_coordinator_and_supervisors_plan_for_a_child_of_their_own_force(episode, people):
    from mispers.repeats.permissions import can_plan

    assert who(can_plan, people, episode.child) == {"sergeant", "inspector", "coordinator"}


def test_operational_police_of_the_force_release_fields_to_partners(episode, people):
    from mispers.partners.permissions import can_read_sharing_log, can_release

    assert who(can_release, people, episode) == {"officer", "sergeant", "inspector",
                                                 "coordinator"}
    assert {name for name, user in people.items() if can_read_sharing_log(user)} == {
        "sergeant", "inspector", "coordinator", "other_inspector"}
