"""The one-step forms (close a flag, review or retire a plan, complete a meeting action): a
refusal is shown on the form and changes nothing; a valid post saves and goes back."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mispers.repeats.models import StrategyMeetingAction, StrategyMeetingFlag, TriggerPlan
from mispers.repeats.services import (
    MeetingActionInput,
    PlanActionInput,
    strategy_meeting_record,
    trigger_plan_save,
)

pytestmark = pytest.mark.django_db


def test_reviewing_and_retiring_a_plan(client, coordinator, make_child):
    current = timezone.now()
    child = make_child()
    plan = trigger_plan_save(actor=coordinator, now=current, child=child,
                             review_on=current.date() + dt.timedelta(days=30),
                             actions=[PlanActionInput(kind="call_carer",
                                                      description="Call the key worker")])
    client.force_login(coordinator)
    review = reverse("repeats:plan_review", args=[plan.pk])
    page = client.post(review, {"review_on": (current.date() - dt.timedelta(days=1)).isoformat()})
    assert page.status_code == 200 and b"after today" in page.content
    later = current.date() + dt.timedelta(days=60)
    done = client.post(review, {"review_on": later.isoformat()})
    assert done.status_code == 302
    assert done["Location"] == reverse("repeats:trigger_plan", args=[child.pk])
    assert TriggerPlan.objects.get(pk=plan.pk).review_on == later

    retire = reverse("repeats:plan_retire", args=[plan.pk])
    assert client.post(retire, {"reason": ""}).status_code == 200
    assert TriggerPlan.objects.get(pk=plan.pk).active
    assert client.post(retire, {"reason": "Moved out of the area"}).status_code == 302
    assert not TriggerPlan.objects.get(pk=plan.pk).active


def test_closing_a_flag_and_completing_a_meeting_action(client, coordinator, make_child,
                                                        report_at):
    current = timezone.now()
    child = make_child()
    for days in (40, 20, 1):
        report_at(child, current - dt.timedelta(days=days))
    flag = StrategyMeetingFlag.objects.get(child=child)
    client.force_login(coordinator)
    close = reverse("repeats:flag_close", args=[flag.pk])
    assert client.post(close, {"reason": ""}).status_code == 200
    assert StrategyMeetingFlag.objects.get(pk=flag.pk).status == "open"
    closed = client.post(close, {"reason": "A meeting is already arranged by the council"})
    assert closed["Location"] == reverse("repeats:child_meetings", args=[child.pk])
    assert StrategyMeetingFlag.objects.get(pk=flag.pk).status == "closed"

    meeting = strategy_meeting_record(
        actor=coordinator, now=current, child=child, held_on=current.date(),
        agencies=["Police", "Children's services"], decisions="Refer to the panel",
        actions=[MeetingActionInput(description="Refer to the panel",
                                    due_on=current.date() + dt.timedelta(days=7),
                                    owner_name="A Coordinator", owner_agency="Police")])
    action = StrategyMeetingAction.objects.get(meeting=meeting)
    url = reverse("repeats:meeting_action_complete", args=[action.pk])
    assert client.post(url, {"result": ""}).status_code == 200
    assert StrategyMeetingAction.objects.get(pk=action.pk).done_at is None
    done = client.post(url, {"result": "Referred"})
    assert done["Location"] == reverse("repeats:meeting", args=[meeting.pk]) + "#actions"
    assert StrategyMeetingAction.objects.get(pk=action.pk).done_at is not None
