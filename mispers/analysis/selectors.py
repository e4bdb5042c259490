"""Reads for analysis: pseudonymised episode rows and counts (docs/adr/0018-least-privilege.md).

Rows are read with `.values()` from a whitelist of coded columns, so names, dates of birth,
addresses and free text are never even loaded. The child's id becomes a keyed pseudonym and the
date of birth an age band before a row leaves this module; times are cut to the hour.

Who: `can_analyse` (the analyst, the coordinator, inspectors and superintendents), own force
only; anyone else gets no rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from mispers.accounts.rules import can_analyse
from mispers.episodes.models import Episode, Grade, MissingFrom
from mispers.people.models import Marker
from mispers.risk.models import Assessment

from .pseudonym import child_pseudonym

AGE_BANDS = ((0, 9, "0-9"), (10, 11, "10-11"), (12, 13, "12-13"), (14, 15, "14-15"),
             (16, 17, "16-17"))
UNKNOWN = "unknown"
# The only columns an analysis row is made from. Anything added here is reviewed against ADR 18.
COLUMNS = ("id", "reference", "force_id", "child_id", "state", "current_grade", "missing_from",
           "reported_via", "reported_at", "last_seen_at", "child__sex", "child__ethnicity",
           "child__looked_after", "child__date_of_birth", "child__estimated_age",
           "child__estimated_age_on", "found__found_at", "found__found_by", "found__condition")


@dataclass(frozen=True)
class Period:
    """Reported between two days, both included, in the force's local time."""

    first: dt.date
    last: dt.date


    @classmethod
    def ending(cls, last: dt.date, *, days: int = 90) -> Period:
        return cls(first=last - dt.timedelta(days=days - 1), last=last)


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "18+"


def _age_on(row: dict, day: dt.date) -> int | None:
    born = row["child__date_of_birth"]
    if born:
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    estimate, on = row["child__estimated_age"], row["child__estimated_age_on"]
    if estimate is not None and on:
        return estimate + max(0, (day - on).days) // 365
    return None


def to_hour(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(minute=0, second=0, microsecond=0)


def _scope(user) -> QuerySet[Episode]:
    if not can_analyse(user):
        return Episode.objects.none()
    return Episode.objects.filter(force_id=user.force_id)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def _reported(*, user, first: dt.date | None, last: dt.date | None) -> QuerySet[Episode]:
    qs = _scope(user)
    if first is not None:
        qs = qs.filter(reported_at__gte=_day_start(first))
    if last is not None:
        qs = qs.filter(reported_at__lt=_day_start(last + dt.timedelta(days=1)))
    return qs


def analysis_episodes(*, user, first: dt.date | None = None,
                      last: dt.date | None = None) -> QuerySet:
    """The force's episodes (reported from day `first` to day `last`, both included, when
    given), newest first, as whitelisted coded values. Counting them costs one plain COUNT;
    turn a page of them into rows with `analysis_rows`."""
    qs = _reported(user=user, first=first, last=last)
    return qs.order_by("-reported_at", "reference").values(*COLUMNS)


def analysis_rows(rows, *, key: bytes | None = None) -> list[dict]:
    """Pseudonymised rows for a page of `analysis_episodes`: three more queries whatever the
    page size (the latest assessment's reason codes, the markers active on the day of the
    report, the child's earlier episodes)."""
    rows = list(rows)
    reasons = _reason_codes([row["id"] for row in rows])
    children = {row["child_id"] for row in rows}
    markers = _markers(children)
    history = _reported_times(children)
    out = []
    for row in rows:
        reported = timezone.localtime(row["reported_at"])
        found_at = row["found__found_at"]
        out.append({
            "reference": row["reference"],
            "force": row["force_id"],
            "child": child_pseudonym(row["child_id"], key=key),
            "state": row["state"],
            "grade": row["current_grade"],
            "missing_from": row["missing_from"],
            "reported_via": row["reported_via"],
            "reported_at": to_hour(row["reported_at"]),
            "found_at": to_hour(found_at),
            "hours_missing": (int((found_at - row["last_seen_at"]).total_seconds() // 3600)
                              if found_at else None),
            "found_by": row["found__found_by"] or "",
            "found_condition": row["found__condition"] or "",
            "age_band": age_band(_age_on(row, reported.date())),
            "sex": row["child__sex"],
            "ethnicity": row["child__ethnicity"],
            "looked_after": row["child__looked_after"],
            "earlier_episodes": sum(1 for at in history[row["child_id"]]
                                    if at < row["reported_at"]),
            "reason_codes": reasons.get(row["id"], []),
            "marker_kinds": sorted({kind for kind, first, last in markers[row["child_id"]]
                                    if first <= reported.date()
                                    and (last is None or reported.date() <= last)}),
        })
    return out


def _reason_codes(episode_ids) -> dict:
    """The rule ids (codes, never the worded text) of each episode's latest assessment."""
    latest: dict = {}
    for episode_id, reasons in (Assessment.objects.filter(episode_id__in=episode_ids)
                                .order_by("episode_id", "-sequence")
                                .values_list("episode_id", "reasons")):
        if episode_id not in latest:
            latest[episode_id] = [str(reason["rule"]) for reason in reasons or []
                                  if isinstance(reason, dict) and reason.get("rule")]
    return latest


def _reported_times(child_ids) -> dict:
    """When each child was reported missing, every time (whatever the period or force scope of
    the page: the count is the child's history)."""
    found = defaultdict(list)
    for child_id, at in (Episode.objects.filter(child_id__in=child_ids)
                         .values_list("child_id", "reported_at")):
        found[child_id].append(at)
    return found


def _markers(child_ids) -> dict:
    found = defaultdict(list)
    for child_id, kind, first, last in (Marker.objects.filter(child_id__in=child_ids)
                                        .values_list("child_id", "kind", "active_from",
                                                     "active_until")):
        found[child_id].append((kind, first, last))
    return found


# --- counts for the analyst's page ------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    period: Period
    episodes: int
    children: int
    repeat_children: int  # children reported missing more than once in the period
    by_grade: list[tuple[str, int]]
    by_state: list[tuple[str, int]]
    by_missing_from: list[tuple[str, int]]


def _labelled(qs: QuerySet, field: str, choices, *, blank: str) -> list[tuple[str, int]]:
    counted = dict(qs.order_by().values_list(field).annotate(n=Count("pk")))
    labels = [(value, label) for value, label in choices]
    rows = [(label, counted.get(value, 0)) for value, label in labels]
    if counted.get("", 0):
        rows.append((blank, counted[""]))
    return rows


def analysis_counts(*, user, period: Period) -> Counts:
    """Episodes reported in `period` counted by grade, state and where from: a fixed few
    aggregate queries whatever the number of episodes."""
    qs = _reported(user=user, first=period.first, last=period.last)
    per_child = qs.order_by().values("child").annotate(n=Count("pk"))
    totals = qs.aggregate(episodes=Count("pk"), children=Count("child", distinct=True))
    return Counts(
        period=period,
        episodes=totals["episodes"],
        children=totals["children"],
        repeat_children=per_child.filter(n__gt=1).count(),
        by_grade=_labelled(qs, "current_grade", Grade.choices, blank="Not yet graded"),
        by_state=_labelled(qs, "state", Episode.State.choices, blank="Unknown"),
        by_missing_from=_labelled(qs, "missing_from", MissingFrom.choices, blank="Unknown"),
    )
