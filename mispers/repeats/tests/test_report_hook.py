"""What happens at a child's report: the repeat threshold raises one strategy-meeting flag and
tells the coordinator; a trigger plan's actions appear on the new episode, linked to the plan."""

import datetime as dt

import pytest

from mispers.episodes.models import Action, TimelineEvent
from mispers.repeats.models import StrategyMeetingFlag, TriggerPlanActivation
from mispers.repeats.services import (
    PlanActionInput,
    strategy_flag_close,
    trigger_plan_retire,
    trigger_plan_save,
)
from mispers.reviews.models import Notification
from mispers.risk.policy import load_policy_file

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def test_third_episode_in_90_days_flags_a_meeting_and_tells_the_coordinator(
        make_child, report_at, coordinator, sergeant, now):
    child = make_child()
    report_at(child, days_ago(now, 80))
    second = report_at(child, days_ago(now, 40))
    assert not StrategyMeetingFlag.objects.exists()
    assert not second.timeline.filter(code=TimelineEvent.Code.STRATEGY_MEETING_FLAGGED).exists()

    third = report_at(child, days_ago(now, 1))

    flag = StrategyMeetingFlag.objects.get()
    assert (flag.child, flag.episode, flag.episode_count, flag.window_days) == (child, third, 3,
                                                                               90)
    assert flag.status == StrategyMeetingFlag.Status.OPEN
    note = Notification.objects.get()
    assert note.recipient == coordinator and note.episode == third
    assert "Strategy meeting needed" in note.subject and child.full_name in note.subject
    event = third.timeline.get(code=TimelineEvent.Code.STRATEGY_MEETING_FLAGGED)
    assert "3 episodes in 90 days" in event.summary


def test_fourth_episode_does_not_flag_again_while_the_flag_is_open(make_child, report_at,
                                                                    coordinator, now):
    child = make_child()
    for days in (80, 60, 40, 20):
        report_at(child, days_ago(now, days))
    assert StrategyMeetingFlag.objects.count() == 1
    assert Notification.objects.count() == 1


def test_after_the_flag_is_closed_the_next_repeat_flags_again(make_child, report_at,
                                                              coordinator, now):
    child = make_child()
    for days in (80, 60, 40):
        report_at(child, days_ago(now, days))
    flag = StrategyMeetingFlag.objects.get()
    strategy_flag_close(actor=coordinator, now=days_ago(now, 30), flag=flag,
                        reason="Meeting arranged by children's services")
    report_at(child, days_ago(now, 10))
    assert StrategyMeetingFlag.objects.filter(status="open").count() == 1
    assert StrategyMeetingFlag.objects.count() == 2


def test_episodes_outside_the_window_and_withdrawn_reports_do_not_count(
        make_child, report_at, inspector, coordinator, now):
    from mispers.casework.withdraw import episode_withdraw

    child = make_child()
    report_at(child, days_ago(now, 200))  # outside 90 days
    mistake = report_at(child, days_ago(now, 50))
    episode_withdraw(actor=inspector, now=days_ago(now, 49), episode=mistake,
                     reason="Made in error: the child was at school")
    report_at(child, days_ago(now, 30))
    report_at(child, days_ago(now, 2))
    assert not StrategyMeetingFlag.objects.exists()


def test_a_force_with_no_coordinator_tells_its_supervisors(make_child, report_at, sergeant,
                                                           now):
    child = make_child()
    for days in (30, 20, 10):
        report_at(child, days_ago(now, days))
    assert list(Notification.objects.values_list("recipient", flat=True)) == [sergeant.pk]


def test_an_overlay_threshold_of_3_in_30_days_is_used(make_child, report_at, coordinator,
                                                      now, tmp_path, monkeypatch):
    overlay = tmp_path / "kent.toml"
    overlay.write_text('extends = "national"\nname = "kent"\nversion = "1"\n'
                       'title = "Kent"\n\n[thresholds]\nrepeat_window_days = 30\n',
                       encoding="utf-8")
    policy = load_policy_file(overlay)
    monkeypatch.setattr("mispers.repeats.services.policy_for_force", lambda force: policy)
    child = make_child()
    for days in (80, 50, 20):  # three in 90 days, but not in 30
        report_at(child, days_ago(now, days))
    assert not StrategyMeetingFlag.objects.exists()
    report_at(child, days_ago(now, 5))
    assert not StrategyMeetingFlag.objects.exists()  # 50, 20, 5: still only 2 in 30 days
    report_at(child, days_ago(now, 1))
    flag = StrategyMeetingFlag.objects.get()
    assert (flag.episode_count, flag.window_days, flag.threshold_episodes) == (3, 30, 3)


def _plan(coordinator, child, now, review_in_days=30):
    return trigger_plan_save(
        actor=coordinator, now=now, child=child,
        review_on=(now + dt.timedelta(days=review_in_days)).date(),
        actions=[PlanActionInput(kind="check_address", description="Check the boyfriend's flat",
                                 detail="Flat 2, 10 Example Road", due_within_minutes=45),
                 PlanActionInput(kind="notify_team", description="Tell the exploitation team",
                                 due_within_minutes=120)])


def test_trigger_plan_actions_are_created_on_the_next_episode_linked_to_the_plan(
        make_child, report_at, coordinator, now):
    child = make_child()
    plan = _plan(coordinator, child, days_ago(now, 10))
    episode = report_at(child, days_ago(now, 1))

    actions = list(Action.objects.filter(episode=episode, source="trigger_plan")
                   .order_by("due_at"))
    assert [a.title for a in actions] == [
        "Check an address: Check the boyfriend's flat (Flat 2, 10 Example Road)",
        "Tell a team: Tell the exploitation team"]
    assert actions[0].due_at == episode.reported_at + dt.timedelta(minutes=45)
    links = TriggerPlanActivation.objects.filter(episode=episode).select_related(
        "plan_action__plan")
    assert {link.action for link in links} == set(actions)
    assert {link.plan_action.plan for link in links} == {plan}
    event = episode.timeline.get(code=TimelineEvent.Code.TRIGGER_PLAN_APPLIED)
    assert "2 actions created" in event.summary and "stale" not in event.summary


def test_a_stale_plan_still_applies_and_says_so(make_child, report_at, coordinator, now):
    child = make_child()
    _plan(coordinator, child, days_ago(now, 60), review_in_days=30)  # review was due 30 days ago
    episode = report_at(child, days_ago(now, 1))
    assert episode.actions.filter(source="trigger_plan").count() == 2
    assert "(stale)" in episode.timeline.get(code="trigger_plan_applied").summary


def test_a_retired_plan_creates_nothing(make_child, report_at, coordinator, now):
    child = make_child()
    plan = _plan(coordinator, child, days_ago(now, 10))
    trigger_plan_retire(actor=coordinator, now=days_ago(now, 5), plan=plan,
                        reason="Moved out of the area")
    episode = report_at(child, days_ago(now, 1))
    assert not episode.actions.filter(source="trigger_plan").exists()
    assert not TriggerPlanActivation.objects.exists()
