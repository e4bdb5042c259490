"""Writes for clocks and ownership: deadlines, reviews, handovers, actions, the enquiry log."""

import datetime as dt

from django.db import transaction

from mispers.accounts.models import User
from mispers.accounts.roles import READ_ROLES, rank_at_least
from mispers.core.errors import DomainError, PermissionDenied
from mispers.episodes.models import Action, EnquiryEntry, Episode, TimelineEvent
from mispers.episodes.services import episode_lock, episode_touch, timeline_record
from mispers.risk.selectors import policy_for_force

from . import clocks
from .deadlines import (  # noqa: F401 (deadline_open, deadlines_close re-exported for callers)
    action_deadline_rank,
    deadline_close,
    deadline_move,
    deadline_open,
    deadlines_close,
    deadlines_close_for,
    pending_deadline,
)
from .models import Deadline, Handover, Review
from .permissions import can_cancel_action, can_hand_over, can_review, reviewer_rank_for

Kind = Deadline.Kind
GRADE_DEADLINE_KINDS = (Kind.REGRADE, Kind.SUPERINTENDENT_INFORMED, Kind.INSPECTOR_REVIEW)
MISSING_ONLY_KINDS = (Kind.REVIEW, *GRADE_DEADLINE_KINDS, Kind.REASSESSMENT, Kind.NATIONAL_UNIT,
                      Kind.ALLOCATION, Kind.GRADING)
# Marks the review deadline a report gets before its first assessment (see clocks_on_grade).
UNGRADED_REVIEW_NOTE = "Not yet graded: due as for the most urgent grade"


class ReviewRefused(DomainError):
    """The review cannot be recorded (rank too low, episode not missing, no notes)."""


class HandoverRefused(DomainError):
    """The handover cannot be made, accepted or declined by this user."""


class ActionInvalid(DomainError):
    """The action cannot be created or completed as given."""


class EnquiryInvalid(DomainError):
    """The enquiry log entry is not acceptable."""


def clocks_on_report(*, episode: Episode, now: dt.datetime) -> None:
    """Nothing is open without a clock: a new report is due a review as if it were the most
    urgent grade until it is assessed, and the 72-hour national notification is set."""
    policy = policy_for_force(episode.force)
    deadline_open(episode=episode, kind=Kind.REVIEW, rank="sergeant", now=now,
                  due_at=clocks.ungraded_review_due(policy=policy,
                                                    reported_at=episode.reported_at),
                  note=UNGRADED_REVIEW_NOTE)
    deadline_open(episode=episode, kind=Kind.NATIONAL_UNIT, rank="sergeant", now=now,
                  due_at=episode.reported_at + clocks.hours(
                      policy.deadlines.national_unit_notify_after_hours))


def clocks_on_grade(*, episode: Episode, actor, now: dt.datetime, grade: str) -> None:
    """Set the clocks and standard actions of the episode's (new) effective grade."""
    policy = policy_for_force(episode.force)
    last_review = episode.reviews.order_by("-reviewed_at").values_list(
        "reviewed_at", flat=True).first()
    current = pending_deadline(episode=episode, kind=Kind.REVIEW)
    rank = policy.clock(grade).reviewer_rank
    if current is not None and current.note == UNGRADED_REVIEW_NOTE and last_review is None:
        # The first grade replaces the stand-in clock of the ungraded report: the review is due
        # the grade's first interval after the report (DOMAIN.md section 5), overdue if that
        # has passed.
        due = clocks.review_due(policy=policy, grade=grade, reported_at=episode.reported_at,
                                last_review_at=None)
        if current.due_at < now < due:
            # The stand-in is overdue (and may have escalated) but the grade's review is not due
            # yet: the stand-in ends here, and the grade's clock starts its own escalations.
            deadline_close(deadline=current, now=now, actor=actor,
                           status=Deadline.Status.CANCELLED,
                           note="Replaced by the clock of the first grade")
            deadline_open(episode=episode, kind=Kind.REVIEW, due_at=due, rank=rank, now=now)
        else:
            deadline_move(deadline=current, due_at=due, rank=rank, note="")
    else:
        due = clocks.review_due_after_regrade(
            policy=policy, grade=grade, reported_at=episode.reported_at,
            last_review_at=last_review, now=now,
            pending_due=current.due_at if current else None)
        if current is None:
            deadline_open(episode=episode, kind=Kind.REVIEW, due_at=due, rank=rank, now=now)
        elif (current.due_at, current.rank) != (due, rank):
            deadline_move(deadline=current, due_at=due, rank=rank)
    deadlines_close(episode=episode, kinds=[Kind.REASSESSMENT], now=now, actor=actor,
                    note="Re-assessed")
    wanted = {spec.kind: spec for spec in clocks.grade_deadlines(
        policy=policy, grade=grade, reported_at=episode.reported_at)}
    # The pending deadlines of the grade's kinds and the allocation's, read in one query (at
    # most one of each kind is pending; no ORDER BY, as in `pending_deadline`). The loop below
    # changes only the grade's kinds, one each, so what it reads stays true.
    pending = {deadline.kind: deadline for deadline in Deadline.objects.filter(
        episode=episode, kind__in=[*GRADE_DEADLINE_KINDS, Kind.ALLOCATION],
        status=Deadline.Status.PENDING).order_by()}
    for kind in GRADE_DEADLINE_KINDS:
        existing = pending.get(kind)
        if kind in wanted and existing is None and not _already_met(episode, kind):
            spec = wanted[kind]
            deadline_open(episode=episode, kind=kind, due_at=spec.due_at, rank=spec.rank,
                          now=now)
        elif kind not in wanted and existing is not None:
            met = kind == Kind.REGRADE  # leaving no apparent risk is what a re-grade needed
            deadline_close(deadline=existing, now=now, actor=actor,
                           status=Deadline.Status.MET if met else Deadline.Status.CANCELLED,
                           note="Re-graded" if met else f"No longer applies at grade {grade}")
    _allocation_clock(episode=episode, actor=actor, now=now, policy=policy, grade=grade,
                      existing=pending.get(Kind.ALLOCATION))
    deadlines_close(episode=episode, kinds=[Kind.GRADING], now=now, actor=actor, note="Graded")
    _standard_actions(episode=episode, actor=actor, now=now, policy=policy, grade=grade)


def _allocation_clock(*, episode: Episode, actor, now: dt.datetime, policy, grade: str,
                      existing: Deadline | None) -> None:
    """Medium and high: an officer in the case must be allocated within the policy's hours of
    the grade. Until then the control room's supervisors see the case as unallocated.
    `existing`: the episode's pending allocation deadline, if any."""
    allocate_hours = policy.clock(grade).allocation_due_hours
    if allocate_hours is None:
        if existing is not None:
            deadline_close(deadline=existing, now=now, actor=actor,
                           status=Deadline.Status.CANCELLED,
                           note=f"No longer applies at grade {grade}")
        return
    if episode.allocated_at is not None:
        return
    due = now + clocks.hours(allocate_hours)
    if existing is None:
        deadline_open(episode=episode, kind=Kind.ALLOCATION, due_at=due, rank="sergeant",
                      now=now)
    elif due < existing.due_at:  # a higher grade brings it forward, never puts it off
        deadline_move(deadline=existing, due_at=due)


def clocks_on_partner_report(*, episode: Episode, now: dt.datetime) -> Deadline:
    """A partner's report lands in the control room's queue with a clock to grade it."""
    policy = policy_for_force(episode.force)
    return deadline_open(episode=episode, kind=Kind.GRADING, rank="call_handler", now=now,
                         due_at=now + clocks.hours(policy.deadlines.partner_report_grade_due_hours),
                         note="Reported by a partner: the control room grades it")


def _already_met(episode: Episode, kind: str) -> bool:
    return Deadline.objects.filter(episode=episode, kind=kind,
                                   status=Deadline.Status.MET).exists()


def _standard_actions(*, episode: Episode, actor, now: dt.datetime, policy, grade: str) -> None:
    existing = set(episode.actions.values_list("code", flat=True))
    for spec in policy.actions_for(grade, looked_after=episode.child.looked_after):
        if spec.code in existing:
            continue
        action_create(actor=actor, now=now, episode=episode, code=spec.code, title=spec.title,
                      due_at=now + clocks.hours(spec.due_hours), source="standard")


# --- actions ----------------------------------------------------------------------------------

def _police_user_of(episode: Episode, user: User | None) -> bool:
    return bool(user and user.is_active and user.force_id == episode.force_id
                and user.role_codes & READ_ROLES)


@transaction.atomic
def action_create(*, actor, now: dt.datetime, episode: Episode, code: str, title: str,
                  due_at: dt.datetime | None = None, assigned_to: User | None = None,
                  source: str = "manual", follow_up: bool = False) -> Action:
    """An action on the episode, with its deadline. A `follow_up` is agreed after the case
    (a strategy meeting's action on the child's latest episode): it may sit on a closed episode,
    and shows in its owner's My work until done."""
    if not title.strip():
        raise ActionInvalid("Say what the action is", field="title")
    if episode.state == Episode.State.WITHDRAWN or (
            episode.state == Episode.State.CLOSED and not follow_up):
        raise ActionInvalid(f"Episode {episode.reference} is "
                            f"{episode.get_state_display().lower()}: no new actions")
    if due_at is not None and due_at < now:
        raise ActionInvalid("The due time cannot be in the past", field="due_at")
    if assigned_to is not None and not _police_user_of(episode, assigned_to):
        raise ActionInvalid("Assign the action to someone in your force", field="assigned_to")
    policy = policy_for_force(episode.force)
    action = Action(episode=episode, code=code or "manual", title=title.strip(), source=source,
                    due_at=due_at or now + clocks.hours(policy.deadlines.action_due_hours),
                    assigned_to=assigned_to)
    action.stamp(actor=actor, now=now)
    action.save()
    deadline_open(episode=episode, kind=Kind.ACTION, due_at=action.due_at, now=now,
                  rank=assigned_to.rank if assigned_to else "officer", action=action)
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.ACTION_CREATED,
                    summary=f"Action: {action.title} (due {action.due_at:%d %b %H:%M})",
                    data={"action": str(action.pk), "code": action.code})
    return action


def _lock_action(action: Action) -> Action:
    """ADR 20: lock the episode, then read the action afresh (two people completing it at once:
    the second is told it is done, rather than overwriting the first's result)."""
    episode = episode_lock(episode=action.episode)
    fresh = Action.objects.get(pk=action.pk)
    fresh.episode = episode  # the row just locked and read, not a second copy of it
    return fresh


@transaction.atomic
def action_assign(*, actor, now: dt.datetime, action: Action, assigned_to: User) -> Action:
    action = _lock_action(action)
    if action.is_done:
        raise ActionInvalid("This action is already done")
    if not _police_user_of(action.episode, assigned_to):
        raise ActionInvalid("Assign the action to someone in your force", field="assigned_to")
    action.assigned_to = assigned_to
    action.stamp(actor=actor, now=now)
    action.save()
    action_deadline_rank(action=action, rank=assigned_to.rank)
    timeline_record(episode=action.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.ACTION_ASSIGNED,
                    summary=f"{action.title}: assigned to {assigned_to}",
                    data={"action": str(action.pk)})
    return action


@transaction.atomic
def action_cancel(*, actor, now: dt.datetime, action: Action, reason: str) -> Action:
    """A supervisor cancels an open action that no longer needs doing, saying why (issue 10):
    an open action blocks closure, and nothing is dropped without a name and a reason."""
    action = _lock_action(action)
    if not can_cancel_action(actor, action):
        raise PermissionDenied("Only a sergeant or above may cancel an action")
    if action.is_done:
        raise ActionInvalid("This action is already done or cancelled")
    if not reason.strip():
        raise ActionInvalid("Say why the action is no longer needed", field="reason")
    action.done_at, action.done_by = now, actor
    action.cancelled, action.result = True, reason.strip()
    action.stamp(actor=actor, now=now)
    action.save()
    deadlines_close_for(action=action, now=now, actor=actor, status=Deadline.Status.CANCELLED,
                        note=f"Cancelled: {reason.strip()}")
    timeline_record(episode=action.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.ACTION_CANCELLED,
                    summary=f"{action.title}: cancelled by {actor.display_with_rank}. "
                            f"{action.result}",
                    data={"action": str(action.pk)})
    return action


@transaction.atomic
def action_complete(*, actor, now: dt.datetime, action: Action, result: str) -> Action:
    action = _lock_action(action)
    if action.is_done:
        raise ActionInvalid("This action is already done")
    if not result.strip():
        raise ActionInvalid("Record the result of the action", field="result")
    action.done_at, action.done_by, action.result = now, actor, result.strip()
    action.stamp(actor=actor, now=now)
    action.save()
    deadlines_close_for(action=action, now=now, actor=actor)
    timeline_record(episode=action.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.ACTION_DONE,
                    summary=f"{action.title}: done. {action.result}",
                    data={"action": str(action.pk)})
    return action


# --- reviews ----------------------------------------------------------------------------------

@transaction.atomic
def review_save(*, actor, now: dt.datetime, episode: Episode, notes: str,
                    next_actions: str = "", assessment=None,
                    expected_version: int | None = None) -> Review:
    """Record a supervisory review. A re-grade is made first as a new assessment (pass it as
    `assessment`, made in the same transaction by assessment_record)."""
    episode = episode_lock(episode=episode, expected_version=expected_version)  # ADR 20
    if not episode.is_open:
        raise ReviewRefused(f"Episode {episode.reference} is not open: there is nothing to "
                            "review")
    if not notes.strip():
        raise ReviewRefused("Record your review notes", field="notes")
    policy = policy_for_force(episode.force)
    grade = episode.current_grade or "high"
    required = reviewer_rank_for(episode)
    if not can_review(actor, episode):
        raise ReviewRefused(f"A review of a {grade.replace('_', ' ')} risk episode needs "
                            f"{'an' if required[0] in 'aeiou' else 'a'} {required} or above")
    deadline = pending_deadline(episode=episode, kind=Kind.REVIEW)
    next_due = now + clocks.hours(policy.clock(grade).review_every_hours)
    review = Review(
        episode=episode, deadline=deadline, reviewed_at=now, reviewer=actor,
        reviewer_rank=actor.rank, grade=grade,
        outcome=Review.Outcome.REGRADED if assessment else Review.Outcome.CONFIRMED,
        assessment=assessment, notes=notes.strip(), next_actions=next_actions.strip(),
        next_review_due_at=next_due)
    review.stamp(actor=actor, now=now)
    review.save()
    if deadline:
        deadline_close(deadline=deadline, now=now, actor=actor)
    deadline_open(episode=episode, kind=Kind.REVIEW, due_at=next_due,
                  rank=policy.clock(grade).reviewer_rank, now=now)
    if rank_at_least(actor.rank, "inspector"):
        deadlines_close(episode=episode, kinds=[Kind.INSPECTOR_REVIEW], now=now, actor=actor,
                        note="Reviewed by an inspector")
    # Unassigned: each follows the case to whoever owns it now (after a handover too).
    for line in filter(None, (item.strip() for item in next_actions.splitlines())):
        action_create(actor=actor, now=now, episode=episode, code="review", title=line,
                      source="review")
    episode_touch(episode=episode, actor=actor, now=now, expected_version=expected_version)
    timeline_record(
        episode=episode, at=now, actor=actor, code=TimelineEvent.Code.REVIEWED,
        summary=f"{actor.display_with_rank} reviewed: "
                f"{review.get_outcome_display().lower()} ({grade.replace('_', ' ')}). "
                f"{review.notes} Next review due {next_due:%d %b %H:%M}.",
        data={"review": str(review.pk), "next_review_due_at": next_due.isoformat()})
    return review


# --- ownership --------------------------------------------------------------------------------

@transaction.atomic
def handover_request(*, actor, now: dt.datetime, episode: Episode, to_user: User,
                     note: str = "") -> Handover:
    episode = episode_lock(episode=episode)  # ADR 20: one change to a case at a time
    if not episode.is_active:
        raise HandoverRefused("A closed or withdrawn episode cannot be handed over")
    if not _police_user_of(episode, to_user):
        raise HandoverRefused("Hand the case to someone in your force", field="to_user")
    if to_user == episode.owner:
        raise HandoverRefused(f"{to_user} already owns this episode", field="to_user")
    if not can_hand_over(actor, episode):
        raise HandoverRefused("Only the owner or a supervisor may hand this case over")
    handovers_cancel(episode=episode, actor=actor, now=now, note="Replaced by a new handover")
    policy = policy_for_force(episode.force)
    handover = Handover(episode=episode, from_user=episode.owner, to_user=to_user,
                        note=note.strip(), requested_at=now)
    handover.stamp(actor=actor, now=now)
    handover.save()
    deadline_open(episode=episode, kind=Kind.HANDOVER, rank=to_user.rank, now=now,
                  due_at=now + clocks.hours(policy.deadlines.handover_accept_hours),
                  handover=handover)
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.HANDOVER_REQUESTED,
                    summary=f"Handed over to {to_user}: theirs once they accept"
                            + (f". {handover.note}" if handover.note else ""),
                    data={"handover": str(handover.pk)})
    return handover


def handovers_cancel(*, episode: Episode, actor, now: dt.datetime, note: str) -> int:
    """Cancel the episode's pending handovers and their deadlines (a new handover replaces
    them; a closed or withdrawn episode has nobody left to accept it)."""
    cancelled = 0
    for old in episode.handovers.filter(status=Handover.Status.PENDING):
        old.status, old.decided_at, old.decision_note = Handover.Status.CANCELLED, now, note
        old.stamp(actor=actor, now=now)
        old.save()
        deadlines_close_for(handover=old, now=now, actor=actor,
                            status=Deadline.Status.CANCELLED, note=note)
        cancelled += 1
    return cancelled


def _decide_handover(*, actor, now, handover: Handover, status: str, note: str) -> Handover:
    episode_lock(episode=handover.episode)  # ADR 20: the episode first, then its handover
    handover = Handover.objects.select_for_update().select_related("episode").get(
        pk=handover.pk)
    if handover.to_user_id != actor.pk:
        raise HandoverRefused("This handover is addressed to someone else")
    if handover.status != Handover.Status.PENDING:
        raise HandoverRefused("This handover has already been decided")
    if not handover.episode.is_active:
        raise HandoverRefused("A closed or withdrawn episode cannot be handed over")
    handover.status, handover.decided_at, handover.decision_note = status, now, note.strip()
    handover.stamp(actor=actor, now=now)
    handover.save()
    deadlines_close_for(handover=handover, now=now, actor=actor)
    return handover


@transaction.atomic
def handover_accept(*, actor, now: dt.datetime, handover: Handover) -> Handover:
    handover = _decide_handover(actor=actor, now=now, handover=handover,
                                status=Handover.Status.ACCEPTED, note="")
    episode = handover.episode
    # The case goes with its new owner's team; an officer accepting it is its allocation too.
    changes = {"owner": actor, "team": actor.team} if actor.team_id else {"owner": actor}
    officer = not actor.has_role("call_handler") or actor.has_role("officer", "supervisor")
    if episode.allocated_at is None and officer:
        changes["allocated_at"] = now
        deadlines_close(episode=episode, kinds=[Kind.ALLOCATION], now=now, actor=actor,
                        note=f"Allocated by handover to {actor}")
    episode_touch(episode=episode, actor=actor, now=now, **changes)
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.HANDOVER_ACCEPTED,
                    summary=f"{actor} accepted the case and now owns it",
                    data={"handover": str(handover.pk)})
    return handover


@transaction.atomic
def handover_decline(*, actor, now: dt.datetime, handover: Handover, note: str) -> Handover:
    if not note.strip():
        raise HandoverRefused("Say why you cannot take the case", field="note")
    handover = _decide_handover(actor=actor, now=now, handover=handover,
                                status=Handover.Status.DECLINED, note=note)
    timeline_record(episode=handover.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.HANDOVER_DECLINED,
                    summary=f"{actor} declined the case: {handover.decision_note}. "
                            f"It stays with {handover.episode.owner or 'no one'}",
                    data={"handover": str(handover.pk)})
    return handover


# --- enquiry log ------------------------------------------------------------------------------

@transaction.atomic
def enquiry_record(*, actor, now: dt.datetime, episode: Episode, text: str,
                   occurred_at: dt.datetime, kind: str = EnquiryEntry.Kind.UPDATE,
                   location: str = "", seen_by: str = "",
                   prompts_reassessment: bool = False) -> EnquiryEntry:
    episode = episode_lock(episode=episode)  # ADR 20
    if not episode.is_active:
        raise EnquiryInvalid("This episode is closed")
    if kind not in EnquiryEntry.Kind.values:
        raise EnquiryInvalid(f"Unknown kind of entry: {kind}", field="kind")
    if not text.strip():
        raise EnquiryInvalid("Record what happened", field="text")
    if occurred_at > now:
        raise EnquiryInvalid("When it happened cannot be in the future", field="occurred_at")
    if kind == EnquiryEntry.Kind.SIGHTING and not location.strip():
        raise EnquiryInvalid("Say where the child was seen", field="location")
    entry = EnquiryEntry.objects.create(
        episode=episode, kind=kind, occurred_at=occurred_at, location=location.strip(),
        seen_by=seen_by.strip(), text=text.strip(), prompts_reassessment=prompts_reassessment,
        recorded_at=now, recorded_by=actor)
    if prompts_reassessment and episode.is_open and pending_deadline(
            episode=episode, kind=Kind.REASSESSMENT) is None:
        policy = policy_for_force(episode.force)
        grade = episode.current_grade or "high"
        deadline_open(episode=episode, kind=Kind.REASSESSMENT, rank="sergeant", now=now,
                      due_at=now + clocks.hours(policy.clock(grade).first_review_hours))
    where = f" at {entry.location}" if entry.location else ""
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.ENQUIRY,
                    summary=f"{entry.get_kind_display()}{where}: {entry.text}"
                            + (" (re-assessment due)" if prompts_reassessment else ""),
                    data={"entry": entry.pk})
    return entry
