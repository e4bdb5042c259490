"""Reads for the queues and the episode clock. Overdue work first, with how long; everything is
computed from deadline rows, so it is right even when the sweeper has not run."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery

from mispers.accounts.roles import RANK_ORDER
from mispers.accounts.rules import is_police_user
from mispers.core.errors import NotFound
from mispers.episodes.models import Action, EnquiryEntry, Episode
from mispers.episodes.selectors import episodes_visible_to
from mispers.risk.selectors import ratifications_for

from .models import Deadline, Handover, Notification, Review

Kind = Deadline.Kind
SUPERVISOR_KINDS = (Kind.REVIEW, Kind.REGRADE, Kind.INSPECTOR_REVIEW, Kind.REASSESSMENT,
                    Kind.HANDOVER, Kind.WAIVER_APPROVAL, Kind.MARKER_DECISION)
COORDINATOR_KINDS = (Kind.PREVENTION_INTERVIEW, Kind.RETURN_HOME_INTERVIEW)


@dataclass(frozen=True)
class QueueItem:
    deadline: Deadline
    overdue_by: dt.timedelta | None

    @property
    def episode(self) -> Episode:
        return self.deadline.episode


def _items(deadlines, now: dt.datetime) -> list[QueueItem]:
    """Overdue first (most overdue at the top), then due soonest."""
    return [QueueItem(d, now - d.due_at if d.due_at < now else None) for d in deadlines]


def _overdue_first(items: list[QueueItem]) -> list[QueueItem]:
    """Items of several kinds merged: by due time (most overdue at the top), then id."""
    return sorted(items, key=lambda item: (item.deadline.due_at, item.deadline.pk))


def pending_deadlines_in_force(*, user, kinds) -> QuerySet[Deadline]:
    if not is_police_user(user):
        return Deadline.objects.none()
    return (Deadline.objects.filter(episode__force_id=user.force_id, kind__in=kinds,
                                    status=Deadline.Status.PENDING)
            .select_related("episode", "episode__child", "episode__owner", "action",
                            "handover", "handover__to_user")
            .order_by("due_at", "id"))


def _ranks_up_to(rank: str) -> list[str]:
    return RANK_ORDER[: RANK_ORDER.index(rank) + 1]


def my_queue(*, user, now: dt.datetime) -> dict:
    next_review = Deadline.objects.filter(episode=OuterRef("pk"), kind=Kind.REVIEW,
                                          status=Deadline.Status.PENDING).values("due_at")[:1]
    episodes = (episodes_visible_to(user=user).filter(owner=user)
                .filter(state__in=[Episode.State.REPORTED, Episode.State.OPEN,
                                   Episode.State.FOUND])
                .annotate(next_review_due_at=Subquery(next_review))
                .select_related("child").order_by(F("next_review_due_at").asc(nulls_last=True),
                                                  "reported_at"))
    actions = (Action.objects.filter(episode__force_id=user.force_id, assigned_to=user,
                                     done_at__isnull=True)
               .exclude(episode__state__in=[Episode.State.CLOSED, Episode.State.WITHDRAWN])
               .select_related("episode", "episode__child").order_by("due_at"))
    handovers = (Handover.objects.filter(episode__force_id=user.force_id, to_user=user,
                                         status=Handover.Status.PENDING)
                 .select_related("episode", "episode__child", "from_user")
                 .order_by("requested_at"))
    return {
        "episodes": list(episodes),
        "actions": [(a, now - a.due_at if a.due_at < now else None) for a in actions],
        "handovers": list(handovers),
        "notifications": list(notifications_for(user=user)),
    }


QUEUE_LIMIT = 100
REVIEW_KINDS = (Kind.REVIEW, Kind.INSPECTOR_REVIEW, Kind.REGRADE, Kind.REASSESSMENT)
APPROVAL_KINDS = (Kind.WAIVER_APPROVAL, Kind.MARKER_DECISION)


def _section(deadlines: QuerySet[Deadline], now: dt.datetime, limit: int):
    """The first `limit` items (overdue first) and how many there are: counted in SQL, so a
    force with thousands of overdue items still answers quickly."""
    return _items(deadlines[:limit], now), deadlines.count()


def supervisor_queue(*, user, now: dt.datetime, limit: int = QUEUE_LIMIT) -> dict:
    """Each section holds at most `limit` items, overdue first; `totals` counts them all."""
    ranks = _ranks_up_to(user.rank)
    mine = pending_deadlines_in_force(user=user, kinds=SUPERVISOR_KINDS).filter(rank__in=ranks)
    reviews, reviews_total = _section(mine.filter(kind__in=REVIEW_KINDS), now, limit)
    handovers, handovers_total = _section(mine.filter(kind=Kind.HANDOVER), now, limit)
    # One query per kind: each walks the (kind, status, due_at) index in due order.
    approvals, approvals_total = [], 0
    for kind in APPROVAL_KINDS:
        items, total = _section(mine.filter(kind=kind), now, limit)
        approvals, approvals_total = approvals + items, approvals_total + total
    approvals = _overdue_first(approvals)[:limit]
    # Oldest escalations first (they are for the longest-overdue work); the page orders the
    # slice it shows by how overdue each one is.
    # Ordering by id (creation order) lets the (recipient, acknowledged_at) index serve it.
    escalations = notifications_for(user=user).filter(escalation__isnull=False).order_by("id")
    ratifications = ratifications_for(user=user)
    return {
        "reviews": reviews,
        "handovers": handovers,
        "approvals": approvals,
        "ratifications": list(ratifications[:limit]),
        "escalations": list(escalations[:limit]),
        "totals": {"reviews": reviews_total, "handovers": handovers_total,
                   "approvals": approvals_total, "ratifications": ratifications.count(),
                   "escalations": escalations.count()},
    }


def coordinator_queue(*, user, now: dt.datetime) -> dict:
    deadlines = pending_deadlines_in_force(user=user, kinds=COORDINATOR_KINDS).select_related(
        "episode__found", "episode__return_home_interview")
    items = _items(deadlines, now)
    return {
        "prevention_interviews": [i for i in items if i.deadline.kind == Kind.PREVENTION_INTERVIEW],
        "return_home_interviews": [i for i in items
                                   if i.deadline.kind == Kind.RETURN_HOME_INTERVIEW],
    }


def notifications_for(*, user, include_acknowledged: bool = False) -> QuerySet[Notification]:
    qs = (Notification.objects.filter(recipient=user)
          .select_related("episode", "episode__child", "escalation", "escalation__deadline",
                          "escalation__deadline__action"))
    if not include_acknowledged:
        qs = qs.filter(acknowledged_at__isnull=True)
    return qs.order_by("created_at", "id")


def notification_for(*, user, notification_id) -> Notification:
    try:
        return notifications_for(user=user, include_acknowledged=True).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError) as exc:
        raise NotFound("Notification not found") from exc


def episode_clock(*, episode: Episode, now: dt.datetime) -> dict:
    """The episode page's clock: pending deadlines (overdue first) and the next review due."""
    # Sorted here, not in SQL: ORDER BY due_at lets SQLite walk the (status, due_at) index over
    # every pending deadline in the force instead of looking up this episode's few.
    pending = sorted(Deadline.objects.filter(episode=episode, status=Deadline.Status.PENDING)
                     .select_related("action").order_by(), key=lambda d: (d.due_at, d.id))
    review = next((d for d in pending if d.kind == Kind.REVIEW), None)
    return {
        "deadlines": _items(pending, now),
        "next_review": review,
        "review_overdue_by": (now - review.due_at) if review and review.due_at < now else None,
    }


def reviews_of(*, episode: Episode) -> QuerySet[Review]:
    return episode.reviews.select_related("reviewer", "assessment").order_by("-reviewed_at")


def actions_of(*, episode: Episode) -> QuerySet[Action]:
    return episode.actions.select_related("assigned_to", "done_by").order_by("done_at", "due_at")


def enquiries_of(*, episode: Episode) -> QuerySet[EnquiryEntry]:
    """The episode's enquiry log, newest first."""
    return episode.enquiries.select_related("recorded_by").order_by("-occurred_at", "-id")


def handovers_of(*, episode: Episode) -> QuerySet[Handover]:
    return episode.handovers.select_related("from_user", "to_user").order_by("-requested_at")


def handover_for(*, user, handover_id) -> Handover:
    try:
        return Handover.objects.select_related("episode", "to_user").get(
            pk=handover_id, episode__force_id=user.force_id)
    except (Handover.DoesNotExist, ValueError) as exc:
        raise NotFound("Handover not found") from exc


def action_for(*, user, action_id) -> Action:
    try:
        return Action.objects.select_related("episode").get(pk=action_id,
                                                            episode__force_id=user.force_id)
    except (Action.DoesNotExist, ValueError) as exc:
        raise NotFound("Action not found") from exc


def force_colleagues(*, user) -> QuerySet:
    """People in the user's force a case can be handed or assigned to."""
    from mispers.accounts.models import User

    return (User.objects.filter(force_id=user.force_id, is_active=True,
                                roles__role__in=["officer", "supervisor", "inspector",
                                                 "coordinator", "call_handler",
                                                 "superintendent"])
            .distinct().order_by("last_name", "first_name"))
