"""Issue 10, ownership: actions without a named assignee follow the case to its owner, and the
superintendent is told at the policy's hour, not only once it is overdue."""

import datetime as dt

import pytest

from mispers.casework.review import review_complete
from mispers.reviews.escalation import sweep
from mispers.reviews.models import Deadline, Escalation, Notification
from mispers.reviews.selectors import my_queue
from mispers.reviews.services import action_create, handover_accept, handover_request
from mispers.reviews.tests.test_review_services import grade
from mispers.risk.selectors import policy_for_force

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
Kind = Deadline.Kind


def titles(user, now):
    return {action.title for action, _ in my_queue(user=user, now=now)["actions"]}


def test_review_next_actions_follow_the_case_to_the_new_owner_after_a_handover(
        episode, call_handler, officer, sergeant, make_user, force, now):
    grade(episode, call_handler, now)
    handover_accept(actor=officer, now=now, handover=handover_request(
        actor=call_handler, now=now, episode=episode, to_user=officer))
    review_complete(actor=sergeant, now=now + H, episode=episode, notes="Reviewed",
                    next_actions="Check the skate park\nCall the school")
    assert {"Check the skate park", "Call the school"} <= titles(officer, now + H)
    other = make_user(force=force, roles=["officer"], rank="officer", username="nights")
    handover_accept(actor=other, now=now + 2 * H, handover=handover_request(
        actor=officer, now=now + 2 * H, episode=episode, to_user=other))
    assert {"Check the skate park", "Call the school"} <= titles(other, now + 2 * H)
    assert not {"Check the skate park", "Call the school"} & titles(officer, now + 2 * H)


def test_an_action_named_for_a_person_stays_with_them_after_a_handover(
        episode, call_handler, officer, sergeant, make_user, force, now):
    grade(episode, call_handler, now)
    handover_accept(actor=officer, now=now, handover=handover_request(
        actor=call_handler, now=now, episode=episode, to_user=officer))
    action_create(actor=sergeant, now=now, episode=episode, code="manual",
                  title="Speak to the sergeant's contact", assigned_to=sergeant)
    other = make_user(force=force, roles=["officer"], rank="officer", username="nights")
    handover_accept(actor=other, now=now + H, handover=handover_request(
        actor=officer, now=now + H, episode=episode, to_user=other))
    assert "Speak to the sergeant's contact" in titles(sergeant, now + H)
    assert "Speak to the sergeant's contact" not in titles(other, now + H)


@pytest.fixture
def superintendent(force, make_user):
    return make_user(force=force, roles=["superintendent"], rank="superintendent",
                     username="superintendent")


def test_the_superintendent_is_told_at_the_policys_hour_not_only_when_overdue(
        episode, call_handler, superintendent, now):
    grade(episode, call_handler, now, chosen="high")
    hours = policy_for_force(episode.force).clock("high").superintendent_informed_after_hours
    due = episode.reported_at + dt.timedelta(hours=hours)
    sweep(now=due - dt.timedelta(minutes=1))
    assert not Notification.objects.filter(recipient=superintendent,
                                           kind="superintendent_informed").exists()
    sweep(now=due)
    notice = Notification.objects.get(recipient=superintendent, kind="superintendent_informed")
    assert episode.reference in notice.subject and notice.episode == episode
    deadline = Deadline.objects.get(episode=episode, kind=Kind.SUPERINTENDENT_INFORMED)
    assert deadline.status == Deadline.Status.MET
    # Told once: a later sweep neither repeats it nor escalates the met deadline.
    sweep(now=due + 3 * H)
    assert Notification.objects.filter(recipient=superintendent,
                                       kind="superintendent_informed").count() == 1
    assert not Escalation.objects.filter(deadline=deadline).exists()


def test_without_a_superintendent_the_deadline_is_not_met_as_if_someone_were_told(
        episode, call_handler, inspector, now):
    grade(episode, call_handler, now, chosen="high")
    deadline = Deadline.objects.get(episode=episode, kind=Kind.SUPERINTENDENT_INFORMED)
    sweep(now=deadline.due_at)
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.PENDING
    assert not Notification.objects.filter(kind="superintendent_informed").exists()
