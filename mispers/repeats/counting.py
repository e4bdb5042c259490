"""How repeat episodes are counted: one definition for the child's page, the repeat list, the
strategy-meeting threshold and the risk policy's "earlier episodes in the 90 days before this
report", so they can never disagree. Pure functions (no database, no clock) and the same
predicate as a database filter.

- An episode counts unless it was withdrawn (a report made in error is not an episode).
- The window of `days` days ending at `end` holds the episodes reported at or after
  `end - days` and at or before `end`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from django.db.models import Q

from mispers.episodes.models import Episode

PATTERN_WINDOWS = (30, 90, 365)
POLICY_WINDOW_DAYS = 90  # the policy's context: earlier episodes in the 90 days before a report
TOP_SHARE = 0.05  # the concentration figure: share of episodes from the top 5% of children


def window_start(*, end: dt.datetime, days: int) -> dt.datetime:
    return end - dt.timedelta(days=days)


def in_window(reported_at: dt.datetime, *, end: dt.datetime, days: int) -> bool:
    return window_start(end=end, days=days) <= reported_at <= end


def count_in_window(reported_ats: Iterable[dt.datetime], *, end: dt.datetime, days: int) -> int:
    return sum(1 for at in reported_ats if in_window(at, end=end, days=days))


def window_q(*, end: dt.datetime, days: int, prefix: str = "") -> Q:
    """`in_window` as a filter on an episode's reported_at (`prefix` e.g. "episodes__")."""
    return Q(**{f"{prefix}reported_at__gte": window_start(end=end, days=days),
                f"{prefix}reported_at__lte": end})


def counted_q(prefix: str = "") -> Q:
    """The episodes that count: not withdrawn."""
    return ~Q(**{f"{prefix}state": Episode.State.WITHDRAWN})


def top_children(children_with_episodes: int) -> int:
    """How many children make the top 5%: 5% rounded up, at least one (when there are any)."""
    if children_with_episodes <= 0:
        return 0
    return max(1, math.ceil(children_with_episodes * TOP_SHARE))


def concentration(counts: Iterable[int]) -> tuple[int, int, int, float | None]:
    """From each child's episode count in a period: (children, episodes, episodes of the top
    5% of children, their share of all episodes or None when there were none)."""
    ordered = sorted((n for n in counts if n > 0), reverse=True)
    total = sum(ordered)
    top = top_children(len(ordered))
    top_episodes = sum(ordered[:top])
    return len(ordered), total, top_episodes, (top_episodes / total if total else None)
