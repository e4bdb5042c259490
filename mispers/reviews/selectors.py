"""Reads for the queues and the episode clock. Overdue work first, with how long; everything is
computed from deadline rows, so it is right even when the sweeper has not run."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from mispers.accounts.roles import RANK_ORDER
from mispers.accounts.rules import is_police_user
from mispers.core.errors import NotFound
from mispers.episodes.models import Action, EnquiryEntry, Episode, Grade
from mispers.episodes.selectors import episodes_visible_to
from mispers.risk.models import Assessment
from mispers.risk.selectors import ratifications_for

from .models import Deadline, Handover, Notification, Review

Kind = Deadline.Kind
SUPERVISOR_KINDS = (Kind.REVIEW, Kind.REGRADE, Kind.INSPECTOR_REVIEW, Kind.REASSESSMENT,
                    Kind.HANDOVER, Kind.WAIVER_APPROVAL, Kind.MARKER_DECISION)
COORDINATOR_KINDS = (Kind.PREVENTION_INTERVIEW, Kind.RETURN_HOME_INTERVIEW)

# Every queue is ordered by risk first (ADR 23): high, medium, low, no apparent risk, then cases
# not yet graded; lateness only orders items of the same risk.
RISK_ORDER = (Grade.HIGH, Grade.MEDIUM, Grade.LOW, Grade.NO_APPARENT_RISK)
RISK_INDEX = {grade: index for index, grade in enumerate(RISK_ORDER)}
UNGRADED = len(RISK_ORDER)


def risk_index(grade: str) -> int:
    """0 for high ... 3 for no apparent risk, 4 for not graded."""
    return RISK_INDEX.get(grade, UNGRADED)


def risk_rank(path: str = "current_grade"):
    """The same order as an SQL expression on the grade at `path`."""
    return Case(*(When(**{path: grade}, then=Value(index)) for grade, index in RISK_INDEX.items()),
                default=Value(UNGRADED), output_field=IntegerField())


@dataclass(frozen=True)
class QueueFilters:
    """What a queue is narrowed to (GET parameters of the page): a grade ("none" for not graded),
    a team, an area (both of the episode) and a kind of deadline."""

    grade: str = ""
    team_id: int | None = None
    area_id: int | None = None
    kind: str = ""

    @property
    def active(self) -> bool:
        return bool(self.grade or self.team_id or self.area_id or self.kind)

    def episodes(self, queryset, prefix: str = ""):
        """`queryset` narrowed on its episode (at `prefix`, e.g. "episode__")."""
        if self.grade == "none":
            queryset = queryset.filter(**{f"{prefix}current_grade": ""})
        elif self.grade:
            queryset = queryset.filter(**{f"{prefix}current_grade": self.grade})
        if self.team_id:
            queryset = queryset.filter(**{f"{prefix}team_id": self.team_id})
        if self.area_id:
            queryset = queryset.filter(**{f"{prefix}area_id": self.area_id})
        return queryset

    def deadlines(self, queryset, prefix: str = ""):
        """`queryset` of deadlines (at `prefix`) narrowed on the episode and the kind."""
        queryset = self.episodes(queryset, f"{prefix}episode__")
        if self.kind:
            queryset = queryset.filter(**{f"{prefix}kind": self.kind})
        return queryset


NO_FILTERS = QueueFilters()


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
    """Items of several kinds merged: by risk, then due time (most overdue at the top), then id."""
    return sorted(items, key=lambda item: (risk_index(item.deadline.episode.current_grade),
                                           item.deadline.due_at, item.deadline.pk))


def pending_deadlines_in_force(*, user, kinds) -> QuerySet[Deadline]:
    if not is_police_user(user):
        return Deadline.objects.none()
    return (Deadline.objects.filter(episode__force_id=user.force_id, kind__in=kinds,
                                    status=Deadline.Status.PENDING)
            .select_related("episode", "episode__child", "episode__owner", "action",
                            "handover", "handover__to_user")
            .order_by(risk_rank("episode__current_grade"), "due_at", "id"))


def _ranks_up_to(rank: str) -> list[str]:
    return RANK_ORDER[: RANK_ORDER.index(rank) + 1]


def my_queue(*, user, now: dt.datetime, filters: QueueFilters = NO_FILTERS) -> dict:
    next_review = Deadline.objects.filter(episode=OuterRef("pk"), kind=Kind.REVIEW,
                                          status=Deadline.Status.PENDING).values("due_at")[:1]
    episodes = (filters.episodes(episodes_visible_to(user=user).filter(owner=user))
                .filter(state__in=[Episode.State.REPORTED, Episode.State.OPEN,
                                   Episode.State.FOUND])
                .annotate(next_review_due_at=Subquery(next_review))
                .select_related("child").order_by(risk_rank(),
                                                  F("next_review_due_at").asc(nulls_last=True),
                                                  "reported_at"))
    # An action without a named assignee is the officer in the case's: it follows the owner.
    actions = (filters.episodes(Action.objects.filter(
                   Q(assigned_to=user) | Q(assigned_to__isnull=True, episode__owner=user),
                   episode__force_id=user.force_id, done_at__isnull=True),
                                "episode__")
               # A strategy meeting's follow-up stays someone's work after the case closed.
               .exclude(Q(episode__state=Episode.State.WITHDRAWN)
                        | Q(episode__state=Episode.State.CLOSED) & ~Q(source=FOLLOW_UP_SOURCE))
               .select_related("episode", "episode__child")
               .order_by(risk_rank("episode__current_grade"), "due_at"))
    handovers = (filters.episodes(Handover.objects.filter(episode__force_id=user.force_id,
                                                          to_user=user,
                                                          status=Handover.Status.PENDING),
                                  "episode__")
                 .select_related("episode", "episode__child", "from_user")
                 .order_by(risk_rank("episode__current_grade"), "requested_at"))
    groups, groups_total = escalation_groups(user=user, now=now, filters=filters,
                                             escalations_only=False, limit=QUEUE_LIMIT)
    return {
        "episodes": list(episodes),
        "actions": [(a, now - a.due_at if a.due_at < now else None) for a in actions],
        "handovers": list(handovers),
        "notification_groups": groups,
        "notification_groups_total": groups_total,
        # Flat, in the groups' order (the API's list).
        "notifications": _notifications_of(groups),
    }


QUEUE_LIMIT = 100
FOLLOW_UP_SOURCE = "strategy_meeting"
REVIEW_KINDS = (Kind.REVIEW, Kind.INSPECTOR_REVIEW, Kind.REGRADE, Kind.REASSESSMENT)
APPROVAL_KINDS = (Kind.WAIVER_APPROVAL, Kind.MARKER_DECISION)
KIND_NAMES = dict(Kind.choices)


def _section(deadlines: QuerySet[Deadline], now: dt.datetime, limit: int, offset: int = 0):
    """`limit` items from `offset` (riskiest, then most overdue) and how many there are: counted
    in SQL, so a force with thousands of overdue items still answers quickly."""
    return _items(deadlines[offset:offset + limit], now), deadlines.count()


@dataclass(frozen=True)
class OverdueThing:
    """One thing an escalation is about, named as the officer knows it."""

    name: str
    due_at: dt.datetime
    overdue_by: dt.timedelta | None
    escalated: bool = True


@dataclass
class EscalationGroup:
    """Every unacknowledged escalation (or notification) of one episode for one person: one row
    of a queue, naming each overdue thing (ADR 23)."""

    episode: Episode | None
    notifications: list
    things: list
    overdue_by: dt.timedelta | None
    downgrade_waiting: bool = False
    grade: str = ""

    @property
    def notification_ids(self) -> str:
        return ",".join(str(n.pk) for n in self.notifications)

    @property
    def first_escalated_at(self) -> dt.datetime:
        return min(n.created_at for n in self.notifications)

    @property
    def top_rank(self) -> str:
        ranks = [n.rank for n in self.notifications if n.rank]
        return max(ranks, key=RANK_ORDER.index) if ranks else ""


@dataclass(frozen=True, slots=True)
class _Note:
    """A notification as the queue reads it: plain values (a force may have thousands)."""

    pk: int
    episode_id: object
    created_at: dt.datetime
    escalation_id: int | None
    rank: str


NOTE_FIELDS = ("id", "episode_id", "created_at", "escalation_id", "escalation__rank", "subject",
               "escalation__deadline__kind", "escalation__deadline__due_at",
               "escalation__deadline__status", "escalation__deadline__action__title")


def _thing(row, now: dt.datetime) -> OverdueThing:
    (_pk, _episode, created_at, escalation_id, _rank, subject, kind, due_at, status,
     title) = row
    if escalation_id is None:
        return OverdueThing(subject, created_at, None, False)
    name = title if kind == Kind.ACTION and title else KIND_NAMES.get(kind, kind)
    late = now - due_at if status == Deadline.Status.PENDING and due_at < now else None
    return OverdueThing(name, due_at, late)


def live_downgrades_waiting(*, episode_ids) -> set:
    """Episodes among `episode_ids`, still missing, with a downgrade waiting for ratification."""
    return set(Assessment.objects.filter(
        episode_id__in=list(episode_ids), status=Assessment.Status.PENDING,
        episode__state__in=[Episode.State.REPORTED, Episode.State.OPEN])
        .values_list("episode_id", flat=True))


def escalation_groups(*, user, now: dt.datetime, filters: QueueFilters = NO_FILTERS,
                      escalations_only: bool = True, limit: int | None = None,
                      offset: int = 0) -> tuple[list[EscalationGroup], int]:
    """The user's unacknowledged escalations, one group per episode: episodes with a live
    downgrade waiting for ratification first, then by risk, then the most overdue. Returns
    `limit` groups from `offset` (episodes loaded) and how many groups there are."""
    notifications = Notification.objects.filter(recipient=user, acknowledged_at__isnull=True)
    if escalations_only:
        notifications = notifications.filter(escalation__isnull=False)
    if filters.active:
        notifications = filters.episodes(notifications, "episode__")
        if filters.kind:
            notifications = notifications.filter(escalation__deadline__kind=filters.kind)
    by_episode: dict = {}
    for row in notifications.order_by("created_at", "id").values_list(
            *NOTE_FIELDS, "episode__current_grade"):
        key = row[1] or f"n{row[0]}"
        by_episode.setdefault(key, []).append(row)
    waiting = live_downgrades_waiting(
        episode_ids=[key for key in by_episode if not str(key).startswith("n")])
    groups = []
    for key, members in by_episode.items():
        things = sorted((_thing(row[:10], now) for row in members),
                        key=lambda t: -(t.overdue_by or dt.timedelta(0)).total_seconds())
        # The same deadline escalated twice (a higher level) is still one overdue thing.
        unique = list({(t.name, t.due_at): t for t in reversed(things)}.values())[::-1]
        lateness = [t.overdue_by for t in unique if t.overdue_by is not None]
        notes = [_Note(row[0], row[1], row[2], row[3], row[4] or "") for row in members]
        group = EscalationGroup(None, notes, unique, max(lateness) if lateness else None,
                                key in waiting)
        group.grade = members[0][10] or ""
        groups.append(group)
    groups.sort(key=lambda g: (not g.downgrade_waiting, risk_index(g.grade),
                               -(g.overdue_by or dt.timedelta(0)).total_seconds(),
                               g.first_escalated_at))
    shown = groups[offset:] if limit is None else groups[offset:offset + limit]
    episodes = Episode.objects.select_related("child", "team", "area").in_bulk(
        [g.notifications[0].episode_id for g in shown if g.notifications[0].episode_id])
    for group in shown:
        group.episode = episodes.get(group.notifications[0].episode_id)
    return shown, len(groups)


def _notifications_of(groups, limit: int | None = None) -> list[Notification]:
    """The groups' first `limit` notifications as model instances, in the groups' order (the
    API's list; the pages use the groups)."""
    ids = [note.pk for group in groups for note in group.notifications][:limit]
    found = [] if not ids else Notification.objects.filter(pk__in=ids).select_related(
        "episode", "episode__child", "escalation", "escalation__deadline",
        "escalation__deadline__action")
    by_id = {n.pk: n for n in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def ratifications_queue(*, user, filters: QueueFilters = NO_FILTERS):
    """Downgrades to ratify: those of cases still missing first, then by risk, oldest first."""
    live = Q(episode__state__in=[Episode.State.REPORTED, Episode.State.OPEN])
    return (filters.episodes(ratifications_for(user=user), "episode__")
            .annotate(not_live=Case(When(live, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
            .order_by("not_live", risk_rank("episode__current_grade"), "assessed_at"))


def supervisor_queue(*, user, now: dt.datetime, limit: int = QUEUE_LIMIT, offset: int = 0,
                     filters: QueueFilters = NO_FILTERS, flat: bool = True) -> dict:
    """Each section holds `limit` items from `offset` (a page), riskiest then most overdue
    first; `totals` counts them all. Escalations come one group per episode."""
    ranks = _ranks_up_to(user.rank)
    mine = filters.deadlines(
        pending_deadlines_in_force(user=user, kinds=SUPERVISOR_KINDS).filter(rank__in=ranks))
    reviews, reviews_total = _section(mine.filter(kind__in=REVIEW_KINDS), now, limit, offset)
    handovers, handovers_total = _section(mine.filter(kind=Kind.HANDOVER), now, limit, offset)
    approvals, approvals_total = _section(mine.filter(kind__in=APPROVAL_KINDS), now, limit,
                                          offset)
    escalations, escalations_total = escalation_groups(user=user, now=now, filters=filters,
                                                       limit=limit, offset=offset)
    ratifications = ratifications_queue(user=user, filters=filters)
    if filters.kind:
        ratifications = ratifications.none()
    return {
        "reviews": reviews,
        "handovers": handovers,
        "approvals": approvals,
        "ratifications": list(ratifications[offset:offset + limit]),
        "escalation_groups": escalations,
        # Flat, in the groups' order (the API's list).
        "escalations": _notifications_of(escalations, limit) if flat else [],
        "totals": {"reviews": reviews_total, "handovers": handovers_total,
                   "approvals": approvals_total, "ratifications": ratifications.count(),
                   "escalations": escalations_total},
    }


def coordinator_queue(*, user, now: dt.datetime, filters: QueueFilters = NO_FILTERS) -> dict:
    """Interviews to arrange, riskiest first, then the most overdue."""
    deadlines = filters.deadlines(
        pending_deadlines_in_force(user=user, kinds=COORDINATOR_KINDS)).select_related(
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
