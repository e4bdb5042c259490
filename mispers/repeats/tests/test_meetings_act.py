"""Issue 10 (ADR 27): a strategy meeting's police actions are in their owners' My work and
escalate like any other; recording the meeting clears the "meeting needed" notice; a meeting that
agreed a trigger plan sets the action to write it, done when the plan is saved."""

import datetime as dt

import pytest
from django.urls import reverse

from mispers.episodes.models import Action
from mispers.repeats.models import StrategyMeetingAction
from mispers.repeats.services import (
    NOTIFICATION_KIND,
    WRITE_PLAN_CODE,
    PlanActionInput,
    strategy_action_complete,
    strategy_flag_close,
    trigger_plan_save,
)
from mispers.reviews.escalation import sweep
from mispers.reviews.models import Deadline, Escalation, Notification

from .test_services import meeting, owned

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(make_child, report_at, coordinator, now):
    from .conftest import days_ago

    child = make_child()
    for days in (60, 30, 2):
        report_at(child, days_ago(now, days))
    return child


def my_work(client, user):
    client.force_login(user)
    response = client.get(reverse("reviews:mine"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_police_owners_action_is_in_their_my_work_and_escalates(client, flagged, coordinator,
                                                                   officer, sergeant, now):
    made = meeting(coordinator, flagged, now, actions=[
        owned("Visit the placement with the social worker", owner_name="", owner_agency="",
              owner_user=officer, due_on=dt.date(2026, 3, 16)),
        owned("Refer to the exploitation panel")])
    police, partner = made.actions.order_by("position")
    assert police.action is not None and partner.action is None
    assert police.action.assigned_to == officer
    assert "Visit the placement with the social worker" in my_work(client, officer)
    deadline = Deadline.objects.get(action=police.action)
    assert deadline.status == Deadline.Status.PENDING
    # Overdue: the sweep escalates it up the ranks, as any action.
    sweep(now=deadline.due_at + dt.timedelta(hours=1))
    assert Escalation.objects.filter(deadline=deadline).exists()
    # Done on the meeting's page: done in My work too, and the clock stops.
    strategy_action_complete(actor=officer, now=now + dt.timedelta(days=4), action=police,
                             result="Visited; placement supervision tightened")
    police.action.refresh_from_db()
    assert police.action.done_at is not None
    assert Deadline.objects.get(pk=deadline.pk).status == Deadline.Status.MET
    assert "Visit the placement with the social worker" not in my_work(client, officer)


def test_done_in_my_work_is_done_on_the_meeting(flagged, coordinator, officer, now):
    from mispers.reviews.services import action_complete

    made = meeting(coordinator, flagged, now, actions=[
        owned("Speak to the school", owner_name="", owner_agency="", owner_user=officer)])
    row = made.actions.get()
    assert not row.is_done
    action_complete(actor=officer, now=now, action=row.action, result="Spoke to the head")
    assert StrategyMeetingAction.objects.get(pk=row.pk).is_done


def test_recording_the_meeting_clears_the_meeting_needed_notice(client, flagged, coordinator,
                                                                now):
    notices = Notification.objects.filter(kind=NOTIFICATION_KIND, episode__child=flagged)
    assert notices.filter(acknowledged_at__isnull=True).exists()
    assert "Strategy meeting needed" in my_work(client, coordinator)
    meeting(coordinator, flagged, now)
    assert not notices.filter(acknowledged_at__isnull=True).exists()
    assert "Strategy meeting needed" not in my_work(client, coordinator)


def test_closing_the_flag_without_a_meeting_clears_the_notice_too(flagged, coordinator, now):
    from mispers.repeats.models import StrategyMeetingFlag

    strategy_flag_close(actor=coordinator, now=now, flag=StrategyMeetingFlag.objects.get(),
                        reason="A meeting is arranged by children's services")
    assert not Notification.objects.filter(kind=NOTIFICATION_KIND, episode__child=flagged,
                                           acknowledged_at__isnull=True).exists()


def test_a_trigger_plan_agreed_sets_the_action_to_write_it_met_by_saving_the_plan(
        client, flagged, coordinator, now):
    meeting(coordinator, flagged, now, trigger_plan_agreed=True)
    write = Action.objects.get(episode__child=flagged, code=WRITE_PLAN_CODE)
    assert write.assigned_to == coordinator and write.done_at is None
    assert "Write the trigger plan agreed at the strategy meeting" in my_work(client, coordinator)
    trigger_plan_save(actor=coordinator, now=now, child=flagged,
                      review_on=(now + dt.timedelta(days=60)).date(),
                      actions=[PlanActionInput(kind="call_carer", description="Call Nan")])
    write.refresh_from_db()
    assert write.done_at is not None and "Trigger plan written" in write.result
    assert Deadline.objects.get(action=write).status == Deadline.Status.MET


def test_a_meeting_without_a_trigger_plan_sets_no_such_action(flagged, coordinator, now):
    meeting(coordinator, flagged, now)
    assert not Action.objects.filter(episode__child=flagged, code=WRITE_PLAN_CODE).exists()
