"""The coordinator's part of the synthetic history: each strategy-meeting flag the reports raise
is met by a meeting a week or two later (until the last fortnight, whose flags stay open as
today's work), about half the meetings agree a trigger plan that applies at the child's next
report, and meeting actions are done by their due dates. Everything goes through the services at
the simulated time, deterministically (seeded by the force and the episode reference)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from mispers.episodes.models import Episode
from mispers.repeats.models import (
    StrategyMeeting,
    StrategyMeetingAction,
    StrategyMeetingFlag,
    TriggerPlan,
    TriggerPlanAction,
    TriggerPlanActivation,
)
from mispers.repeats.services import (
    NOTIFICATION_KIND,
    MeetingActionInput,
    PlanActionInput,
    strategy_action_complete,
    strategy_meeting_record,
    trigger_plan_save,
)
from mispers.reviews.escalation import notification_acknowledge
from mispers.reviews.models import Notification

AGENCIES = ["Police", "Children's social care", "Education", "Health", "Care provider",
            "Return-home interview provider", "Child exploitation team"]
DECISIONS = [
    "Share the child's missing pattern with the exploitation panel; placement to review "
    "evening supervision; school to report absences the same day.",
    "Social worker to visit weekly; police to check known addresses at each report; "
    "return-home interviews to be offered by the same worker.",
    "Refer to the child exploitation team; trigger plan agreed for the next episode.",
]
MEETING_ACTIONS = [
    ("Refer to the exploitation panel", "Social worker", "Children's social care"),
    ("Review evening supervision at the placement", "Registered manager", "Care provider"),
    ("Report same-day absences to the police", "Designated safeguarding lead", "Education"),
    ("Offer the return-home interview through the same worker", "RHI worker",
     "Return-home interview provider"),
]
PLAN_ACTIONS = [
    PlanActionInput(kind="check_address", description="Check the friend's address",
                    detail="A friend's address recorded on the child's file",
                    due_within_minutes=60),
    PlanActionInput(kind="call_carer", description="Call the named carer",
                    detail="The key worker's mobile on the child's file", due_within_minutes=30),
    PlanActionInput(kind="notify_team", description="Tell the child exploitation team",
                    detail="Exploitation team duty phone", due_within_minutes=120),
    PlanActionInput(kind="search_place", description="Search the bus station and seafront",
                    due_within_minutes=90),
]


class RepeatsReplay:
    """Called by the generator's replay: after each report, and before each later event."""

    def __init__(self, *, force, coordinator, until: dt.datetime) -> None:
        self.force, self.coordinator, self.until = force, coordinator, until
        # (when, tie-breaker, what to do): meetings and completions of their actions.
        self.pending: list[tuple[dt.datetime, str, Callable[[dt.datetime], None]]] = []

    def _queue(self, at: dt.datetime, key: str, step: Callable[[dt.datetime], None]) -> None:
        if at < self.until:
            self.pending.append((at, key, step))
            self.pending.sort(key=lambda item: (item[0], item[1]))

    def after_report(self, at: dt.datetime, episode: Episode) -> None:
        flag = StrategyMeetingFlag.objects.filter(episode=episode).first()
        if flag is None:
            return
        pick = random.Random(f"{self.force.code}-repeats-{episode.reference}")
        meeting_at = at + dt.timedelta(days=pick.randint(5, 12), hours=pick.randint(0, 6))
        self._queue(meeting_at, f"meeting-{episode.reference}",
                    lambda when: self._meeting(when, episode.reference, flag))

    def before(self, at: dt.datetime) -> None:
        """Do everything queued for `at` or earlier, in time order."""
        while self.pending and self.pending[0][0] <= at:
            when, _key, step = self.pending.pop(0)
            step(when)

    def finish(self) -> None:
        self.before(self.until)

    def _meeting(self, at: dt.datetime, reference: str, flag: StrategyMeetingFlag) -> None:
        flag.refresh_from_db()
        if not flag.is_open:
            return
        pick = random.Random(f"{self.force.code}-meeting-{reference}")
        held_on = timezone.localdate(at)
        agencies = ["Police", *pick.sample(AGENCIES[1:], pick.randint(2, 4))]
        actions = [MeetingActionInput(description=text, owner_name=name, owner_agency=agency,
                                      due_on=held_on + dt.timedelta(days=pick.choice([7, 14])))
                   for text, name, agency in pick.sample(MEETING_ACTIONS, 2)]
        meeting = strategy_meeting_record(actor=self.coordinator, now=at, child=flag.child,
                                          held_on=held_on, agencies=agencies,
                                          decisions=pick.choice(DECISIONS), actions=actions)
        # The people told a meeting was needed have seen to it.
        for note in (Notification.objects.filter(episode_id=flag.episode_id,
                                                 kind=NOTIFICATION_KIND,
                                                 acknowledged_at__isnull=True)
                     .select_related("recipient").order_by("id")):
            notification_acknowledge(actor=note.recipient, now=at, notification=note)
        for row in meeting.actions.all():
            if pick.random() < 0.8:
                done_at = dt.datetime.combine(row.due_on, dt.time(16), tzinfo=dt.UTC)
                self._queue(done_at, f"action-{reference}-{row.position}",
                            lambda when, row=row: strategy_action_complete(
                                actor=self.coordinator, now=when, action=row,
                                result="Done as agreed at the strategy meeting."))
        if pick.random() < 0.5:
            trigger_plan_save(actor=self.coordinator, now=at, child=flag.child,
                              review_on=held_on + dt.timedelta(days=pick.choice([60, 90])),
                              actions=pick.sample(PLAN_ACTIONS, pick.randint(2, 3)))


def repeats_reset(*, episode_ids: list, child_ids: list, delete) -> None:
    """Delete the repeat records of the generator's children (synth_reset's helper; `delete`
    is its chunked delete)."""
    delete(TriggerPlanActivation, "episode_id", episode_ids)
    flag_ids = list(StrategyMeetingFlag.objects.filter(child_id__in=child_ids)
                    .values_list("pk", flat=True))
    delete(StrategyMeetingFlag, "pk", flag_ids, history=True)
    meeting_ids = list(StrategyMeeting.objects.filter(child_id__in=child_ids)
                       .values_list("pk", flat=True))
    action_ids = list(StrategyMeetingAction.objects.filter(meeting_id__in=meeting_ids)
                      .values_list("pk", flat=True))
    delete(StrategyMeetingAction, "pk", action_ids, history=True)
    delete(StrategyMeeting, "pk", meeting_ids, history=True)
    plan_ids = list(TriggerPlan.objects.filter(child_id__in=child_ids)
                    .values_list("pk", flat=True))
    delete(TriggerPlanAction, "plan_id", plan_ids)
    delete(TriggerPlan, "pk", plan_ids, history=True)
