"""Reads for repeat missing: a child's pattern, the force's repeat children and concentration,
flags, strategy meetings and trigger plans. Always scoped to the user's force; a fixed number of
queries however long a child's history is."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from mispers.accounts.rules import is_police_user
from mispers.core.errors import NotFound
from mispers.episodes.models import Episode, MissingFrom
from mispers.people.models import Child

from .counting import (
    PATTERN_WINDOWS,
    concentration,
    count_in_window,
    counted_q,
    top_children,
    window_q,
)
from .models import (
    StrategyMeeting,
    StrategyMeetingAction,
    StrategyMeetingFlag,
    TriggerPlan,
    TriggerPlanAction,
    TriggerPlanActivation,
)

PLACES_SHOWN = 5
MISSING_FROM_NAMES = dict(MissingFrom.choices)


# --- counting over the database (the same definition as counting.py) -------------------------

def counted_episodes_of(*, child_id) -> QuerySet[Episode]:
    return Episode.objects.filter(counted_q(), child_id=child_id)


def episodes_in_window_count(*, child_id, end: dt.datetime, days: int,
                             exclude_pk=None) -> int:
    """The child's counted episodes reported in the `days` days up to and including `end`."""
    qs = counted_episodes_of(child_id=child_id).filter(window_q(end=end, days=days))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


def earlier_episodes_count(*, episode: Episode, days: int) -> int:
    """Counted episodes of the episode's child in the `days` days before its report, not
    counting itself or any reported after it: the risk policy's context."""
    return episodes_in_window_count(child_id=episode.child_id, end=episode.reported_at,
                                    days=days, exclude_pk=episode.pk)


# --- a child's pattern ------------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    now: dt.datetime
    windows: dict[int, int]  # days -> counted episodes reported in the last `days` days
    total: int
    first_reported_at: dt.datetime | None
    last_reported_at: dt.datetime | None
    last_found_at: dt.datetime | None
    missing_now: bool
    missing_from: list[tuple[str, int]] = field(default_factory=list)  # (code, episodes)
    last_seen_places: list[tuple[str, int]] = field(default_factory=list)
    found_places: list[tuple[str, int]] = field(default_factory=list)
    missing_from_places: list[tuple[str, int]] = field(default_factory=list)

    @property
    def since_last_return(self) -> dt.timedelta | None:
        return self.now - self.last_found_at if self.last_found_at else None

    @property
    def missing_from_named(self) -> list[tuple[str, int]]:
        return [(MISSING_FROM_NAMES.get(code, code), n) for code, n in self.missing_from]

    @property
    def last_30(self) -> int:
        return self.windows.get(30, 0)

    @property
    def last_90(self) -> int:
        return self.windows.get(90, 0)

    @property
    def last_365(self) -> int:
        return self.windows.get(365, 0)


def _places(values, limit: int = PLACES_SHOWN) -> list[tuple[str, int]]:
    """Places most frequent first. Each value is (place id, place name, note): a recorded place
    counts as itself (issue 11: "Plymouth bus station" and "bus stn, Plymouth" are one place);
    without one, the free-text note, grouped regardless of case and spacing, as most recently
    written."""
    counts: Counter = Counter()
    shown: dict = {}
    for place_id, name, note in values:
        if place_id is not None:
            key, text = ("place", place_id), name
        else:
            text = " ".join((note or "").split())
            if not text:
                continue
            key = ("text", text.casefold())
        counts[key] += 1
        shown.setdefault(key, text)  # rows come newest first
    return [(shown[key], n) for key, n in
            sorted(counts.items(), key=lambda item: (-item[1], shown[item[0]]))[:limit]]


def child_pattern(*, child: Child, now: dt.datetime) -> Pattern:
    """The child's repeat pattern at `now`, in one query over their counted episodes."""
    rows = list(counted_episodes_of(child_id=child.pk).filter(reported_at__lte=now)
                .order_by("-reported_at")
                .values_list("reported_at", "state", "missing_from", "last_seen_where",
                             "found__found_at", "found__found_where", "last_seen_place_id",
                             "last_seen_place__name", "found__found_place_id",
                             "found__found_place__name", "missing_from_place_id",
                             "missing_from_place__name"))
    times = [row[0] for row in rows]
    found_times = [row[4] for row in rows if row[4] is not None]
    from_counts = Counter(row[2] for row in rows)
    return Pattern(
        now=now,
        windows={days: count_in_window(times, end=now, days=days) for days in PATTERN_WINDOWS},
        total=len(rows),
        first_reported_at=times[-1] if times else None,
        last_reported_at=times[0] if times else None,
        last_found_at=max(found_times) if found_times else None,
        missing_now=any(row[1] in (Episode.State.REPORTED, Episode.State.OPEN) for row in rows),
        missing_from=sorted(from_counts.items(), key=lambda item: (-item[1], item[0])),
        last_seen_places=_places((row[6], row[7], row[3]) for row in rows),
        found_places=_places((row[8], row[9], row[5]) for row in rows),
        missing_from_places=_places((row[10], row[11], "") for row in rows),
    )


# --- visibility -------------------------------------------------------------------------------

def _force_id(user) -> str | None:
    return user.force_id if is_police_user(user) else None


def _scoped(model, user) -> QuerySet:
    force_id = _force_id(user)
    if force_id is None:
        return model.objects.none()
    return model.objects.filter(force_id=force_id)


def _get(qs: QuerySet, pk, noun: str):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError) as exc:  # ValueError: not a UUID
        raise NotFound(f"{noun} not found") from exc


# --- flags ------------------------------------------------------------------------------------

def open_flags_of(*, child: Child) -> QuerySet[StrategyMeetingFlag]:
    return (StrategyMeetingFlag.objects.filter(child=child,
                                               status=StrategyMeetingFlag.Status.OPEN)
            .select_related("episode").order_by("-raised_at"))


def open_flag_of(*, child: Child) -> StrategyMeetingFlag | None:
    return open_flags_of(child=child).first()


def flags_in_force(*, user, status: str | None = StrategyMeetingFlag.Status.OPEN
                   ) -> QuerySet[StrategyMeetingFlag]:
    """The force's flags (open ones by default), oldest first: the coordinator's task list."""
    qs = _scoped(StrategyMeetingFlag, user).select_related("child", "episode")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("raised_at", "id")


def flag_for(*, user, flag_id) -> StrategyMeetingFlag:
    return _get(_scoped(StrategyMeetingFlag, user).select_related("child", "episode", "meeting"),
                flag_id, "Flag")


# --- strategy meetings ------------------------------------------------------------------------

def _with_actions(qs: QuerySet[StrategyMeeting]) -> QuerySet[StrategyMeeting]:
    return qs.select_related("child", "created_by").prefetch_related(
        Prefetch("actions", queryset=StrategyMeetingAction.objects.select_related(
            "owner_user", "done_by").order_by("position", "created_at")))


def meetings_of(*, user, child: Child) -> QuerySet[StrategyMeeting]:
    return _with_actions(_scoped(StrategyMeeting, user).filter(child=child)).order_by(
        "-held_on", "-created_at")


def meetings_in_force(*, user) -> QuerySet[StrategyMeeting]:
    return (_scoped(StrategyMeeting, user).select_related("child", "created_by")
            .annotate(action_count=Count("actions"),
                      open_action_count=Count("actions", filter=Q(actions__done_at__isnull=True)))
            .order_by("-held_on", "-created_at"))


def meeting_for(*, user, meeting_id) -> StrategyMeeting:
    return _get(_with_actions(_scoped(StrategyMeeting, user)), meeting_id, "Strategy meeting")


def meeting_action_for(*, user, action_id) -> StrategyMeetingAction:
    force_id = _force_id(user)
    qs = (StrategyMeetingAction.objects.none() if force_id is None else
          StrategyMeetingAction.objects.filter(meeting__force_id=force_id))
    return _get(qs.select_related("meeting", "meeting__child", "owner_user", "done_by"),
                action_id, "Action")


# --- trigger plans ----------------------------------------------------------------------------

def _plan_qs() -> QuerySet[TriggerPlan]:
    return (TriggerPlan.objects.select_related("child", "created_by", "reviewed_by")
            .prefetch_related(Prefetch("actions", queryset=TriggerPlanAction.objects.order_by(
                "position", "id"))))


def active_plan_of(*, child: Child) -> TriggerPlan | None:
    return _plan_qs().filter(child=child, active=True).order_by("-created_at").first()


def plan_for(*, user, plan_id) -> TriggerPlan:
    force_id = _force_id(user)
    qs = _plan_qs().none() if force_id is None else _plan_qs().filter(force_id=force_id)
    return _get(qs, plan_id, "Trigger plan")


def plan_notes_for_episode(*, episode: Episode) -> dict:
    """For each action on the episode made from a trigger plan: the plan's last review (or
    writing) date and its review date, keyed by the action's id. One query."""
    rows = (TriggerPlanActivation.objects.filter(episode=episode)
            .select_related("plan_action__plan"))
    return {row.action_id: row.plan_action.plan for row in rows}


# --- the force's repeat children --------------------------------------------------------------

REPEAT_MINIMUM = 2  # a repeat child has had more than one (counted) episode


def repeat_children(*, user, now: dt.datetime, place=None) -> QuerySet[Child]:
    """The force's children with two or more counted episodes, ranked by episodes in the last
    90 days, then 365, then in all; each with counts, last report, open flag and active plan.
    With `place` (a Place of the force), only children who went missing from it or were found
    there (issue 11: "which of our repeat children go missing from this home?"). One query
    (plus the count for paging), whatever the number of episodes."""
    force_id = _force_id(user)
    if force_id is None:
        return Child.objects.none()
    counted = counted_q("episodes__")
    open_flag = StrategyMeetingFlag.objects.filter(child=OuterRef("pk"),
                                                   status=StrategyMeetingFlag.Status.OPEN)
    plan = TriggerPlan.objects.filter(child=OuterRef("pk"), active=True).order_by("-created_at")
    return (Child.objects.filter(force_id=force_id)
            .annotate(
                episodes_total=Count("episodes", filter=counted),
                episodes_30=Count("episodes", filter=counted & window_q(
                    end=now, days=30, prefix="episodes__")),
                episodes_90=Count("episodes", filter=counted & window_q(
                    end=now, days=90, prefix="episodes__")),
                episodes_365=Count("episodes", filter=counted & window_q(
                    end=now, days=365, prefix="episodes__")),
                last_reported_at=Max("episodes__reported_at", filter=counted),
                flag_open=Exists(open_flag),
                plan_review_on=Subquery(plan.values("review_on")[:1]))
            .filter(episodes_total__gte=REPEAT_MINIMUM)
            .filter(Exists(Episode.objects.filter(
                Q(missing_from_place=place) | Q(found__found_place=place), child=OuterRef("pk")))
                if place is not None else Q())
            .order_by("-episodes_90", "-episodes_365", "-episodes_total", "-last_reported_at",
                      "family_name", "given_name", "id"))


def top_places_of_children(*, child_ids) -> dict:
    """child id -> (place name, episodes) of the place each child went missing from most often
    (counted episodes with a recorded place), in one query."""
    rows = (Episode.objects.filter(counted_q(), child_id__in=list(child_ids),
                                   missing_from_place__isnull=False)
            .values("child_id", "missing_from_place__name")
            .annotate(n=Count("id")).order_by("child_id", "-n", "missing_from_place__name"))
    found: dict = {}
    for row in rows:
        found.setdefault(row["child_id"], (row["missing_from_place__name"], row["n"]))
    return found


@dataclass(frozen=True)
class Concentration:
    days: int
    start: dt.datetime
    end: dt.datetime
    children: int  # children with at least one counted episode in the period
    episodes: int
    top_children: int
    top_episodes: int
    share: float | None

    @property
    def percent(self) -> str:
        return "–" if self.share is None else f"{100 * self.share:.0f}%"


def force_concentration(*, user, now: dt.datetime, days: int = 365) -> Concentration:
    """The share of the force's episodes in the last `days` days that come from its top 5% of
    children by episodes in that period. One aggregate query."""
    force_id = _force_id(user)
    counts: list[int] = []
    if force_id is not None:
        counts = list(Episode.objects.filter(counted_q(), window_q(end=now, days=days),
                                             force_id=force_id)
                      .values("child_id").annotate(n=Count("id")).order_by()
                      .values_list("n", flat=True))
    children, episodes, top_episodes, share = concentration(counts)
    return Concentration(days=days, start=now - dt.timedelta(days=days), end=now,
                         children=children, episodes=episodes,
                         top_children=top_children(children), top_episodes=top_episodes,
                         share=share)


# --- the child's page ---------------------------------------------------------------------------

def child_repeats(*, child: Child, now: dt.datetime) -> dict:
    """What the child's page shows about repeats: the pattern, the open flag, the active plan
    and the latest meetings. Five queries however long the history."""
    plan = active_plan_of(child=child)
    today = timezone.localdate(now)
    meetings = list(StrategyMeeting.objects.filter(child=child)
                    .order_by("-held_on", "-created_at")[:3])
    return {
        "pattern": child_pattern(child=child, now=now),
        "flag": open_flag_of(child=child),
        "plan": plan,
        "plan_actions": list(plan.actions.all()) if plan else [],
        "plan_stale": bool(plan and plan.is_stale(today)),
        "meetings": meetings,
    }
