"""Writes for repeat missing: what happens at a child's report (trigger plan actions, the
strategy-meeting flag), strategy meetings and their actions, and trigger plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mispers.accounts.models import User
from mispers.accounts.roles import (
    READ_ROLES,
    Role,
)
from mispers.core.errors import DomainError, NotFound, PermissionDenied
from mispers.episodes.models import Action, Episode, TimelineEvent
from mispers.episodes.services import timeline_record
from mispers.people.models import Child
from mispers.reviews.models import Notification
from mispers.reviews.selectors import FOLLOW_UP_SOURCE
from mispers.reviews.services import action_complete, action_create
from mispers.risk.selectors import policy_for_force

from .models import (
    StrategyMeeting,
    StrategyMeetingAction,
    StrategyMeetingFlag,
    TriggerPlan,
    TriggerPlanAction,
    TriggerPlanActivation,
)
from .permissions import can_plan
from .selectors import episodes_in_window_count

# Strategy meetings and trigger plans are the coordinator's work; supervisors and above may do
# it too (the same people who record markers).
MIN_AGENCIES = 2
MAX_DUE_WITHIN_MINUTES = 7 * 24 * 60
MAX_REVIEW_AHEAD_DAYS = 366
NOTIFICATION_KIND = "strategy_meeting"


class RepeatsInvalid(DomainError):
    """A strategy meeting, its action, a flag or a trigger plan is not acceptable as given."""


@dataclass(frozen=True)
class MeetingActionInput:
    description: str
    due_on: dt.date | None
    owner_name: str = ""
    owner_agency: str = ""
    owner_user: User | None = None


@dataclass(frozen=True)
class PlanActionInput:
    kind: str
    description: str
    detail: str = ""
    due_within_minutes: int = 60


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


def _require_planner(actor, what: str) -> None:
    if not can_plan(actor):
        raise PermissionDenied(f"Only the missing persons coordinator or a supervisor may {what}")


def _same_force(child: Child, actor) -> None:
    # Another force's child is answered as if it did not exist (never "forbidden").
    if child.force_id != actor.force_id:
        raise NotFound("Child not found")


# --- at the child's report --------------------------------------------------------------------

@transaction.atomic
def repeats_on_report(*, episode: Episode, actor, now: dt.datetime) -> None:
    """Called by episode_report for every new report: create the actions of the child's trigger
    plan on the episode, then raise a strategy-meeting flag if the report meets the force's
    repeat threshold and none is open."""
    _apply_trigger_plans(episode=episode, actor=actor, now=now)
    _flag_if_threshold_met(episode=episode, actor=actor, now=now)


def _apply_trigger_plans(*, episode: Episode, actor, now: dt.datetime) -> None:
    plans = (TriggerPlan.objects.filter(child_id=episode.child_id, active=True)
             .prefetch_related("actions").order_by("created_at"))
    today = _today(now)
    for plan in plans:
        plan_actions = list(plan.actions.all())
        for item in plan_actions:
            # Due so long after the report; never in the past (a report entered late).
            due = max(now, episode.reported_at + dt.timedelta(minutes=item.due_within_minutes))
            action = action_create(actor=actor, now=now, episode=episode,
                                   code=f"trigger_plan_{item.kind}", title=item.title[:300],
                                   due_at=due, source="trigger_plan")
            TriggerPlanActivation.objects.create(plan_action=item, action=action,
                                                 episode=episode, created_at=now)
        stale = (f"; its review was due {plan.review_on:%d %b %Y} (stale)"
                 if plan.is_stale(today) else "")
        timeline_record(
            episode=episode, at=now, actor=actor, code=TimelineEvent.Code.TRIGGER_PLAN_APPLIED,
            summary=f"Trigger plan (agreed {timezone.localtime(plan.last_reviewed_at):%d %b %Y}"
                    f"{stale}) applied: {len(plan_actions)} "
                    f"action{'s' if len(plan_actions) != 1 else ''} created",
            data={"plan": str(plan.pk), "actions": len(plan_actions),
                  "stale": plan.is_stale(today)})


def _flag_if_threshold_met(*, episode: Episode, actor, now: dt.datetime):
    threshold = policy_for_force(episode.force).thresholds
    count = episodes_in_window_count(child_id=episode.child_id, end=episode.reported_at,
                                     days=threshold.repeat_window_days)
    if count < threshold.repeat_episodes:
        return None
    # Two reports of the same child at once must not raise two flags: take the child's row.
    child = Child.objects.select_for_update().get(pk=episode.child_id)
    if StrategyMeetingFlag.objects.filter(child=child,
                                          status=StrategyMeetingFlag.Status.OPEN).exists():
        return None
    flag = StrategyMeetingFlag(
        child=child, force_id=episode.force_id, episode=episode, raised_at=now,
        episode_count=count, threshold_episodes=threshold.repeat_episodes,
        window_days=threshold.repeat_window_days)
    flag.stamp(actor=actor, now=now)
    flag.save()
    recipients = _coordinators(force_id=episode.force_id)
    what = (f"{count} episodes in {threshold.repeat_window_days} days (threshold "
            f"{threshold.repeat_episodes})")
    Notification.objects.bulk_create([
        Notification(recipient=person, episode=episode, kind=NOTIFICATION_KIND,
                     subject=f"Strategy meeting needed: {child.full_name}, {what}"[:300],
                     body=f"{episode.reference} is {child.full_name}'s {what}. Arrange a "
                          "multi-agency strategy meeting and record it on the child's page.",
                     created_at=now)
        for person in recipients])
    told = "the coordinator" if len(recipients) == 1 else f"{len(recipients)} people"
    timeline_record(
        episode=episode, at=now, actor=actor, code=TimelineEvent.Code.STRATEGY_MEETING_FLAGGED,
        summary=f"Repeat threshold met: {what}. A multi-agency strategy meeting is needed; "
                f"{told} notified",
        data={"flag": str(flag.pk), "episodes": count,
              "window_days": threshold.repeat_window_days,
              "threshold": threshold.repeat_episodes})
    return flag


def _coordinators(*, force_id) -> list[User]:
    """Who is told a strategy meeting is needed: the force's missing persons coordinators, or
    its supervisors when it has no coordinator (someone must be)."""
    active = User.objects.filter(force_id=force_id, is_active=True).order_by("username")
    people = list(active.filter(roles__role=Role.COORDINATOR).distinct())
    return people or list(active.filter(roles__role=Role.SUPERVISOR).distinct())


# --- strategy meetings ------------------------------------------------------------------------

WRITE_PLAN_CODE = "write_trigger_plan"


def _latest_episode(child: Child) -> Episode | None:
    """The episode a meeting's follow-up actions hang on: the child's latest, unless withdrawn."""
    return (Episode.objects.filter(child=child).exclude(state=Episode.State.WITHDRAWN)
            .order_by("-reported_at").first())


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def _clear_meeting_notices(*, child: Child, now: dt.datetime) -> int:
    """The "meeting needed" notices are answered once the meeting is recorded (or the flag
    closed): they leave everyone's queue."""
    return Notification.objects.filter(kind=NOTIFICATION_KIND, episode__child=child,
                                       acknowledged_at__isnull=True).update(acknowledged_at=now)


def _clean_agencies(agencies: Sequence[str]) -> list[str]:
    seen, result = set(), []
    for name in agencies:
        text = " ".join((name or "").split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text[:120])
    return result


def _check_meeting_action(index: int, item: MeetingActionInput, *, held_on: dt.date,
                          actor) -> None:
    number = f"Action {index + 1}"
    prefix = f"actions.{index}."
    if not item.description.strip():
        raise RepeatsInvalid(f"{number}: say what is to be done", field=prefix + "description")
    if item.owner_user is not None:
        owner = item.owner_user
        if not (owner.is_active and owner.force_id == actor.force_id
                and owner.role_codes & READ_ROLES):
            raise RepeatsInvalid(f"{number}: the owner must be someone in your force, or name "
                                 "them and their agency", field=prefix + "owner_user")
    elif not item.owner_name.strip():
        raise RepeatsInvalid(f"{number}: every action needs an owner: name the person (and "
                             "their agency) who will do it", field=prefix + "owner_name")
    if item.due_on is None:
        raise RepeatsInvalid(f"{number}: give the date it is due", field=prefix + "due_on")
    if item.due_on < held_on:
        raise RepeatsInvalid(f"{number}: it cannot be due before the meeting was held",
                             field=prefix + "due_on")


@transaction.atomic
def strategy_meeting_record(*, actor, now: dt.datetime, child: Child, held_on: dt.date | None,
                            agencies: Sequence[str], decisions: str,
                            actions: Sequence[MeetingActionInput] = (),
                            trigger_plan_agreed: bool = False) -> StrategyMeeting:
    """Record a strategy meeting after it is held, with its actions; it closes the child's open
    strategy-meeting flag and clears the "meeting needed" notices. Each action a police user
    owns is also an action on the child's latest episode, in their My work and escalating like
    any other; a trigger plan agreed sets the action to write it (issue 10, ADR 27). Refused
    whole (nothing saved) if any part is wrong."""
    _require_planner(actor, "record a strategy meeting")
    _same_force(child, actor)
    if held_on is None:
        raise RepeatsInvalid("Enter the date the meeting was held", field="held_on")
    if held_on > _today(now):
        raise RepeatsInvalid("The meeting date cannot be in the future: record a meeting once "
                             "it has been held", field="held_on")
    names = _clean_agencies(agencies)
    if len(names) < MIN_AGENCIES:
        raise RepeatsInvalid(f"A strategy meeting is multi-agency: record at least "
                             f"{MIN_AGENCIES} agencies present", field="agencies")
    if not decisions.strip():
        raise RepeatsInvalid("Record what the meeting decided", field="decisions")
    for index, item in enumerate(actions):
        _check_meeting_action(index, item, held_on=held_on, actor=actor)
    meeting = StrategyMeeting(child=child, force_id=child.force_id, held_on=held_on,
                              agencies=names, decisions=decisions.strip(),
                              trigger_plan_agreed=trigger_plan_agreed)
    meeting.stamp(actor=actor, now=now)
    meeting.save()
    episode = _latest_episode(child)
    for index, item in enumerate(actions):
        row = StrategyMeetingAction(
            meeting=meeting, position=index, description=item.description.strip(),
            owner_name=item.owner_name.strip() if item.owner_user is None else "",
            owner_agency=item.owner_agency.strip() if item.owner_user is None else "",
            owner_user=item.owner_user, due_on=item.due_on)
        if item.owner_user is not None and episode is not None:
            row.action = action_create(
                actor=actor, now=now, episode=episode, code="strategy_meeting_action",
                title=f"Strategy meeting {held_on:%d %b}: {item.description.strip()}"[:300],
                due_at=max(_end_of(item.due_on), now), assigned_to=item.owner_user,
                source=FOLLOW_UP_SOURCE, follow_up=True)
        row.stamp(actor=actor, now=now)
        row.save()
    if trigger_plan_agreed and episode is not None:
        hours = policy_for_force(child.force).deadlines.trigger_plan_due_hours
        action_create(actor=actor, now=now, episode=episode, code=WRITE_PLAN_CODE,
                      title=f"Write the trigger plan agreed at the strategy meeting on "
                            f"{held_on:%d %b %Y}", due_at=now + dt.timedelta(hours=hours),
                      assigned_to=actor, source=FOLLOW_UP_SOURCE, follow_up=True)
    _clear_meeting_notices(child=child, now=now)
    for flag in StrategyMeetingFlag.objects.select_for_update().filter(
            child=child, status=StrategyMeetingFlag.Status.OPEN).select_related("episode"):
        flag.status, flag.meeting = StrategyMeetingFlag.Status.HELD, meeting
        flag.closed_at, flag.closed_by = now, actor
        flag.stamp(actor=actor, now=now)
        flag.save()
        timeline_record(episode=flag.episode, at=now, actor=actor,
                        code=TimelineEvent.Code.STRATEGY_MEETING_HELD,
                        summary=f"Strategy meeting held on {held_on:%d %b %Y} "
                                f"({', '.join(names)}): {len(actions)} "
                                f"action{'s' if len(actions) != 1 else ''} agreed",
                        data={"meeting": str(meeting.pk), "flag": str(flag.pk)})
    return meeting


@transaction.atomic
def strategy_action_complete(*, actor, now: dt.datetime, action: StrategyMeetingAction,
                             result: str) -> StrategyMeetingAction:
    action = StrategyMeetingAction.objects.select_for_update().select_related("meeting").get(
        pk=action.pk)
    if action.meeting.force_id != actor.force_id:
        raise NotFound("Action not found")
    if action.owner_user_id != actor.pk:
        _require_planner(actor, "record the result of another person's action")
    if action.is_done:
        raise RepeatsInvalid("This action is already done")
    if not result.strip():
        raise RepeatsInvalid("Record the result of the action", field="result")
    action.done_at, action.done_by, action.result = now, actor, result.strip()
    action.stamp(actor=actor, now=now)
    action.save()
    if action.action_id is not None and action.action.done_at is None:
        # Done on the meeting's page: done in My work too, and its clock stops.
        action_complete(actor=actor, now=now, action=action.action, result=result)
    return action


@transaction.atomic
def strategy_flag_close(*, actor, now: dt.datetime, flag: StrategyMeetingFlag,
                        reason: str) -> StrategyMeetingFlag:
    """Close a flag without a meeting, with the reason (e.g. the report that met the threshold
    was withdrawn, or a meeting about the child is already arranged elsewhere)."""
    _require_planner(actor, "close a strategy-meeting flag")
    flag = StrategyMeetingFlag.objects.select_for_update().select_related("episode").get(
        pk=flag.pk)
    if flag.force_id != actor.force_id:
        raise NotFound("Flag not found")
    if not flag.is_open:
        raise RepeatsInvalid(f"This flag is already {flag.get_status_display().lower()}")
    if not reason.strip():
        raise RepeatsInvalid("Say why no strategy meeting is needed", field="reason")
    flag.status, flag.closed_at, flag.closed_by = StrategyMeetingFlag.Status.CLOSED, now, actor
    flag.close_reason = reason.strip()
    flag.stamp(actor=actor, now=now)
    flag.save()
    _clear_meeting_notices(child=flag.child, now=now)
    timeline_record(episode=flag.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.STRATEGY_MEETING_FLAG_CLOSED,
                    summary=f"Strategy-meeting flag closed without a meeting: "
                            f"{flag.close_reason}",
                    data={"flag": str(flag.pk)})
    return flag


# --- trigger plans ----------------------------------------------------------------------------

def _check_review_on(review_on: dt.date | None, *, now: dt.datetime) -> None:
    today = _today(now)
    if review_on is None:
        raise RepeatsInvalid("Enter the date the plan is to be reviewed by", field="review_on")
    if review_on <= today:
        raise RepeatsInvalid("The review date must be after today", field="review_on")
    if review_on > today + dt.timedelta(days=MAX_REVIEW_AHEAD_DAYS):
        raise RepeatsInvalid("Review a trigger plan at least once a year: choose a review "
                             "date within 12 months", field="review_on")


def _check_plan_action(index: int, item: PlanActionInput) -> None:
    number, prefix = f"Action {index + 1}", f"actions.{index}."
    if item.kind not in TriggerPlanAction.Kind.values:
        codes = ", ".join(TriggerPlanAction.Kind.values)
        raise RepeatsInvalid(f"{number}: unknown kind {item.kind!r}: use one of {codes}",
                             field=prefix + "kind")
    if not item.description.strip():
        raise RepeatsInvalid(f"{number}: say what is to be done", field=prefix + "description")
    minutes = item.due_within_minutes
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_DUE_WITHIN_MINUTES:
        raise RepeatsInvalid(f"{number}: due within 1 minute to 7 days of the report",
                             field=prefix + "due_within_minutes")


@transaction.atomic
def trigger_plan_save(*, actor, now: dt.datetime, child: Child, review_on: dt.date | None,
                      actions: Sequence[PlanActionInput]) -> TriggerPlan:
    """Agree the child's trigger plan: a new version with these actions replaces the active one
    (which is kept, retired, as the record of what applied before)."""
    _require_planner(actor, "write a trigger plan")
    _same_force(child, actor)
    _check_review_on(review_on, now=now)
    if not actions:
        raise RepeatsInvalid("A trigger plan needs at least one action", field="actions")
    for index, item in enumerate(actions):
        _check_plan_action(index, item)
    Child.objects.select_for_update().filter(pk=child.pk).exists()  # one saver at a time
    for old in TriggerPlan.objects.select_for_update().filter(child=child, active=True):
        _retire(old, actor=actor, now=now, reason="Replaced by a new version of the plan")
    plan = TriggerPlan(child=child, force_id=child.force_id, review_on=review_on)
    plan.stamp(actor=actor, now=now)
    plan.save()
    TriggerPlanAction.objects.bulk_create([
        TriggerPlanAction(plan=plan, position=index, kind=item.kind,
                          description=item.description.strip()[:200],
                          detail=item.detail.strip()[:300],
                          due_within_minutes=item.due_within_minutes)
        for index, item in enumerate(actions)])
    # A strategy meeting agreed this plan: writing it is the action done (issue 10).
    for waiting in Action.objects.filter(episode__child=child, code=WRITE_PLAN_CODE,
                                         done_at__isnull=True):
        action_complete(actor=actor, now=now, action=waiting,
                        result=f"Trigger plan written, review by {plan.review_on:%d %b %Y}")
    return plan


def _retire(plan: TriggerPlan, *, actor, now: dt.datetime, reason: str) -> None:
    plan.active, plan.retired_at, plan.retired_by = False, now, actor
    plan.retire_reason = reason[:300]
    plan.stamp(actor=actor, now=now)
    plan.save()


def _active_plan(plan: TriggerPlan, actor) -> TriggerPlan:
    plan = TriggerPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.force_id != actor.force_id:
        raise NotFound("Trigger plan not found")
    if not plan.active:
        raise RepeatsInvalid("This version of the plan has been retired")
    return plan


@transaction.atomic
def trigger_plan_review(*, actor, now: dt.datetime, plan: TriggerPlan,
                        review_on: dt.date | None) -> TriggerPlan:
    """The plan was looked at and still stands: record the review and the next review date."""
    _require_planner(actor, "review a trigger plan")
    plan = _active_plan(plan, actor)
    _check_review_on(review_on, now=now)
    plan.reviewed_at, plan.reviewed_by, plan.review_on = now, actor, review_on
    plan.stamp(actor=actor, now=now)
    plan.save()
    return plan


@transaction.atomic
def trigger_plan_retire(*, actor, now: dt.datetime, plan: TriggerPlan,
                        reason: str) -> TriggerPlan:
    """The plan no longer applies: nothing is created at the child's next report."""
    _require_planner(actor, "retire a trigger plan")
    plan = _active_plan(plan, actor)
    if not reason.strip():
        raise RepeatsInvalid("Say why the plan no longer applies", field="reason")
    _retire(plan, actor=actor, now=now, reason=reason.strip())
    return plan
