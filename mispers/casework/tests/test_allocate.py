"""Issue 10, "no child falls through": a medium or high case has an officer in the case allocated
within the policy's hours; until then it is unallocated, with a deadline that escalates."""

import datetime as dt

import pytest

from mispers.accounts.models import Team
from mispers.casework.allocate import AllocationRefused, episode_allocate
from mispers.episodes.models import TimelineEvent
from mispers.reviews.models import Deadline, Notification
from mispers.reviews.services import handover_request
from mispers.reviews.tests.test_review_services import grade
from mispers.risk.selectors import policy_for_force

pytestmark = pytest.mark.django_db

Kind = Deadline.Kind
PENDING = Deadline.Status.PENDING
H = dt.timedelta(hours=1)


@pytest.fixture
def team(force, officer):
    team = Team.objects.create(force=force, name="Response A")
    type(officer).objects.filter(pk=officer.pk).update(team=team)
    officer.refresh_from_db()
    return team


def allocation(episode):
    return Deadline.objects.filter(episode=episode, kind=Kind.ALLOCATION)


@pytest.mark.parametrize("chosen", ["high", "medium"])
def test_grading_medium_or_high_opens_an_allocation_deadline_from_the_policy(
        episode, call_handler, now, chosen):
    grade(episode, call_handler, now, chosen=chosen)
    hours = policy_for_force(episode.force).clock(chosen).allocation_due_hours
    deadline = allocation(episode).get(status=PENDING)
    assert deadline.due_at == now + dt.timedelta(hours=hours)
    episode.refresh_from_db()
    assert episode.owner == call_handler and episode.allocated_at is None


def test_a_low_risk_case_has_no_allocation_deadline_and_a_lowered_grade_cancels_it(
        episode, call_handler, sergeant, now):
    from mispers.reviews.services import clocks_on_grade

    grade(episode, call_handler, now, chosen="medium")
    # A ratified lower grade sets the clocks of the new effective grade.
    clocks_on_grade(episode=episode, actor=sergeant, now=now + H, grade="low")
    assert allocation(episode).get().status == Deadline.Status.CANCELLED


def test_allocating_makes_the_officer_the_owner_in_their_team_and_meets_the_deadline(
        episode, call_handler, sergeant, officer, team, now):
    grade(episode, call_handler, now, chosen="high")
    episode_allocate(actor=sergeant, now=now + 10 * dt.timedelta(minutes=1), episode=episode,
                     officer=officer, note="Local knowledge")
    episode.refresh_from_db()
    assert (episode.owner, episode.team, episode.allocated_at) == (
        officer, team, now + 10 * dt.timedelta(minutes=1))
    assert allocation(episode).get().status == Deadline.Status.MET
    event = episode.timeline.get(code=TimelineEvent.Code.ALLOCATED)
    assert "Response A" in event.summary and "Local knowledge" in event.summary
    notice = Notification.objects.get(recipient=officer, kind="allocated")
    assert episode.reference in notice.subject


def test_the_officers_standard_actions_follow_them_once_allocated(
        episode, call_handler, sergeant, officer, now):
    from mispers.reviews.selectors import my_queue

    grade(episode, call_handler, now, chosen="high")
    assert episode.actions.filter(source="standard").exists()
    assert my_queue(user=officer, now=now)["actions"] == []
    episode_allocate(actor=sergeant, now=now, episode=episode, officer=officer)
    mine = {action.pk for action, _ in my_queue(user=officer, now=now)["actions"]}
    assert mine == set(episode.actions.filter(source="standard").values_list("pk", flat=True))
    assert my_queue(user=call_handler, now=now)["actions"] == []


def test_only_a_supervisor_may_allocate(episode, call_handler, officer, now):
    grade(episode, call_handler, now, chosen="high")
    for actor in (call_handler, officer):
        with pytest.raises(AllocationRefused):
            episode_allocate(actor=actor, now=now, episode=episode, officer=officer)
    episode.refresh_from_db()
    assert episode.owner == call_handler and episode.allocated_at is None
    assert allocation(episode).get().status == PENDING


def test_the_officer_must_be_an_active_police_user_of_the_same_force(
        episode, call_handler, sergeant, officer, outsider, now):
    grade(episode, call_handler, now, chosen="high")
    with pytest.raises(AllocationRefused):
        episode_allocate(actor=sergeant, now=now, episode=episode, officer=outsider)
    type(officer).objects.filter(pk=officer.pk).update(is_active=False)
    officer.refresh_from_db()
    with pytest.raises(AllocationRefused):
        episode_allocate(actor=sergeant, now=now, episode=episode, officer=officer)
    assert allocation(episode).get().status == PENDING


def test_an_outsiders_supervisor_cannot_allocate(episode, call_handler, officer, outsider, now):
    grade(episode, call_handler, now, chosen="high")
    with pytest.raises(AllocationRefused):
        episode_allocate(actor=outsider, now=now, episode=episode, officer=officer)


def test_allocation_cancels_a_pending_handover(episode, call_handler, sergeant, officer,
                                               inspector, now):
    grade(episode, call_handler, now, chosen="high")
    handover = handover_request(actor=call_handler, now=now, episode=episode, to_user=inspector)
    episode_allocate(actor=sergeant, now=now, episode=episode, officer=officer)
    handover.refresh_from_db()
    assert handover.status == "cancelled"


def test_an_unallocated_deadline_overdue_escalates(episode, call_handler, inspector, now):
    from mispers.reviews.escalation import sweep

    grade(episode, call_handler, now, chosen="high")
    deadline = allocation(episode).get()
    sweep(now=deadline.due_at + H)
    assert deadline.escalations.get().rank == "inspector"
    assert Notification.objects.filter(recipient=inspector, kind="escalation").exists()
