"""Strategy meetings and trigger plans through their services; bad input is refused with a
clear message and nothing is written."""

import datetime as dt

import pytest

from mispers.core.errors import DomainError, NotFound, PermissionDenied
from mispers.repeats.models import (
    StrategyMeeting,
    StrategyMeetingAction,
    StrategyMeetingFlag,
    TriggerPlan,
    TriggerPlanAction,
)
from mispers.repeats.services import (
    MeetingActionInput,
    PlanActionInput,
    strategy_action_complete,
    strategy_meeting_record,
    trigger_plan_review,
    trigger_plan_save,
)

from .conftest import days_ago

pytestmark = pytest.mark.django_db
TABLES = (StrategyMeeting, StrategyMeetingAction, StrategyMeetingFlag, TriggerPlan,
          TriggerPlanAction)


def rows() -> dict:
    return {model.__name__: model.objects.count() for model in TABLES}


def owned(description="Refer to the exploitation panel", **overrides):
    values = dict(description=description, due_on=dt.date(2026, 3, 20), owner_name="J Smith",
                  owner_agency="Children's social care")
    values.update(overrides)
    return MeetingActionInput(**values)


@pytest.fixture
def flagged(make_child, report_at, coordinator, now):
    child = make_child()
    for days in (60, 30, 2):
        report_at(child, days_ago(now, days))
    return child


def meeting(coordinator, child, now, **overrides):
    values = dict(held_on=dt.date(2026, 3, 13), agencies=["Police", "Children's social care"],
                  decisions="Refer to the panel; review the placement.",
                  actions=[owned(), owned("Check the placement's evening supervision",
                                          owner_name="", owner_agency="",
                                          owner_user=coordinator)])
    values.update(overrides)
    return strategy_meeting_record(actor=coordinator, now=now, child=child, **values)


def test_recording_a_meeting_closes_the_flag_and_notes_it_on_the_episode(flagged, coordinator,
                                                                         now):
    made = meeting(coordinator, flagged, now)
    flag = StrategyMeetingFlag.objects.get()
    assert flag.status == "held" and flag.meeting == made
    assert [a.owner_text for a in made.actions.all()] == [
        "J Smith, Children's social care", coordinator.display_with_rank]
    assert flag.episode.timeline.filter(code="strategy_meeting_held").exists()


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"actions": [owned(owner_name="", owner_agency="Education")]}, "actions.0.owner_name",
     "needs an owner"),
    ({"actions": [owned(), owned(due_on=None)]}, "actions.1.due_on", "date it is due"),
    ({"actions": [owned(description="  ")]}, "actions.0.description", "what is to be done"),
    ({"actions": [owned(due_on=dt.date(2026, 3, 1))]}, "actions.0.due_on", "before the meeting"),
    ({"held_on": dt.date(2026, 3, 20)}, "held_on", "cannot be in the future"),
    ({"agencies": ["Police", " police "]}, "agencies", "at least 2 agencies"),
    ({"decisions": ""}, "decisions", "what the meeting decided"),
])
def test_a_bad_meeting_is_refused_whole(flagged, coordinator, now, overrides, field, words):
    before = rows()
    with pytest.raises(DomainError) as refused:
        meeting(coordinator, flagged, now, **overrides)
    assert refused.value.field == field and words in refused.value.message
    assert rows() == before
    assert StrategyMeetingFlag.objects.get().status == "open"


def test_an_owner_from_another_force_is_refused(flagged, coordinator, outsider, now):
    with pytest.raises(DomainError, match="someone in your force"):
        meeting(coordinator, flagged, now, actions=[owned(owner_user=outsider)])
    assert not StrategyMeeting.objects.exists()


def test_only_the_coordinator_or_a_supervisor_records_a_meeting(flagged, officer, now):
    with pytest.raises(PermissionDenied):
        meeting(officer, flagged, now, actions=[])


def test_another_forces_child_is_not_found(flagged, other_coordinator, now):
    with pytest.raises(NotFound):
        meeting(other_coordinator, flagged, now, actions=[])
    with pytest.raises(NotFound):
        trigger_plan_save(actor=other_coordinator, now=now, child=flagged,
                          review_on=dt.date(2026, 6, 1),
                          actions=[PlanActionInput(kind="other", description="Call")])
    assert rows()["TriggerPlan"] == 0 and rows()["StrategyMeeting"] == 0


def test_completing_a_meeting_action(flagged, coordinator, officer, now):
    made = meeting(coordinator, flagged, now)
    first, mine = made.actions.all()
    with pytest.raises(PermissionDenied):
        strategy_action_complete(actor=officer, now=now, action=first, result="Done")
    with pytest.raises(DomainError, match="Record the result"):
        strategy_action_complete(actor=coordinator, now=now, action=mine, result=" ")
    done = strategy_action_complete(actor=coordinator, now=now, action=mine, result="Checked")
    assert done.done_by == coordinator and done.result == "Checked"
    with pytest.raises(DomainError, match="already done"):
        strategy_action_complete(actor=coordinator, now=now, action=mine, result="Again")


def plan_action(**overrides):
    values = dict(kind="call_carer", description="Call the key worker", detail="07700 900000")
    values.update(overrides)
    return PlanActionInput(**values)


@pytest.mark.parametrize(("review_on", "actions", "field", "words"), [
    (dt.date(2026, 3, 1), [plan_action()], "review_on", "after today"),
    (dt.date(2026, 3, 14), [plan_action()], "review_on", "after today"),
    (dt.date(2027, 6, 1), [plan_action()], "review_on", "within 12 months"),
    (None, [plan_action()], "review_on", "review"),
    (dt.date(2026, 6, 1), [], "actions", "at least one action"),
    (dt.date(2026, 6, 1), [plan_action(kind="phone")], "actions.0.kind", "unknown kind"),
    (dt.date(2026, 6, 1), [plan_action(), plan_action(description="")],
     "actions.1.description", "what is to be done"),
    (dt.date(2026, 6, 1), [plan_action(due_within_minutes=0)], "actions.0.due_within_minutes",
     "due within"),
])
def test_a_bad_trigger_plan_is_refused_and_nothing_changes(flagged, coordinator, now,
                                                           review_on, actions, field, words):
    old = trigger_plan_save(actor=coordinator, now=days_ago(now, 5), child=flagged,
                            review_on=dt.date(2026, 5, 1), actions=[plan_action()])
    before = rows()
    with pytest.raises(DomainError) as refused:
        trigger_plan_save(actor=coordinator, now=now, child=flagged, review_on=review_on,
                          actions=actions)
    assert refused.value.field == field and words in refused.value.message
    assert rows() == before
    old.refresh_from_db()
    assert old.active


def test_saving_a_plan_keeps_the_old_version_retired(flagged, coordinator, now):
    first = trigger_plan_save(actor=coordinator, now=days_ago(now, 5), child=flagged,
                              review_on=dt.date(2026, 5, 1), actions=[plan_action()])
    second = trigger_plan_save(actor=coordinator, now=now, child=flagged,
                               review_on=dt.date(2026, 6, 1),
                               actions=[plan_action(), plan_action(kind="search_place",
                                                                   description="The park")])
    first.refresh_from_db()
    assert not first.active and "Replaced" in first.retire_reason
    assert second.active and second.actions.count() == 2


def test_reviewing_a_plan_moves_its_review_date(flagged, coordinator, officer, now):
    plan = trigger_plan_save(actor=coordinator, now=days_ago(now, 60), child=flagged,
                             review_on=dt.date(2026, 2, 1), actions=[plan_action()])
    assert plan.is_stale(now.date())
    with pytest.raises(PermissionDenied):
        trigger_plan_review(actor=officer, now=now, plan=plan, review_on=dt.date(2026, 6, 1))
    with pytest.raises(DomainError, match="after today"):
        trigger_plan_review(actor=coordinator, now=now, plan=plan, review_on=dt.date(2026, 3, 1))
    plan = trigger_plan_review(actor=coordinator, now=now, plan=plan,
                               review_on=dt.date(2026, 6, 1))
    assert not plan.is_stale(now.date()) and plan.reviewed_by == coordinator
