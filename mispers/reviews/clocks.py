"""Pure clock rules (no database, no clock): when the next review is due and which grade-specific
deadlines an episode carries. DOMAIN.md section 5; the hours come from the policy data."""

import datetime as dt
from dataclasses import dataclass

from mispers.accounts.roles import RANK_ORDER

HOUR = dt.timedelta(hours=1)
TOP_RANK = "superintendent"


@dataclass(frozen=True)
class DeadlineSpec:
    kind: str
    due_at: dt.datetime
    rank: str


def hours(value: float) -> dt.timedelta:
    return dt.timedelta(hours=value)


def ungraded_review_due(*, policy, reported_at: dt.datetime) -> dt.datetime:
    """Before the first assessment the report is treated as the most urgent grade would be."""
    return reported_at + hours(min(c.first_review_hours for c in policy.clocks.values()))


def review_due(*, policy, grade: str, reported_at: dt.datetime,
               last_review_at: dt.datetime | None) -> dt.datetime:
    clock = policy.clock(grade)
    if last_review_at is None:
        return reported_at + hours(clock.first_review_hours)
    return last_review_at + hours(clock.review_every_hours)


def review_due_after_regrade(*, policy, grade: str, reported_at: dt.datetime,
                             last_review_at: dt.datetime | None, now: dt.datetime,
                             pending_due: dt.datetime | None) -> dt.datetime:
    """A re-grade may bring the next review forward but never puts it off: only a review does."""
    due = review_due(policy=policy, grade=grade, reported_at=reported_at,
                     last_review_at=last_review_at)
    if due < now:
        # The new grade's interval has already run out: the review is due within the first
        # review interval of the new grade from now, not retrospectively.
        due = now + hours(policy.clock(grade).first_review_hours)
    return min(due, pending_due) if pending_due else due


def grade_deadlines(*, policy, grade: str, reported_at: dt.datetime) -> list[DeadlineSpec]:
    """Deadlines that exist because of the grade (other than the review itself)."""
    clock = policy.clock(grade)
    specs = []
    if clock.regrade_by_hours is not None:
        specs.append(DeadlineSpec("regrade", reported_at + hours(clock.regrade_by_hours),
                                  "sergeant"))
    if clock.superintendent_informed_after_hours is not None:
        # Responsible rank inspector: when due, the escalation informs the superintendent.
        specs.append(DeadlineSpec("superintendent_informed",
                                  reported_at + hours(clock.superintendent_informed_after_hours),
                                  "inspector"))
    if clock.inspector_review_after_hours is not None:
        specs.append(DeadlineSpec("inspector_review",
                                  reported_at + hours(clock.inspector_review_after_hours),
                                  "inspector"))
    return specs


def rank_above(rank: str) -> str | None:
    """The next rank up the chain of escalation; None above a superintendent."""
    if not rank or rank in {"staff", "call_handler"}:
        return "sergeant"
    index = RANK_ORDER.index(rank)
    chain = RANK_ORDER[index + 1:]
    return chain[0] if chain else None


def first_escalation_rank(*, kind: str, rank: str) -> str | None:
    """Who an overdue deadline goes to first. Reviews are the duty inspector's to chase: an
    overdue review reaches at least an inspector (for a high-risk case the inspector is also the
    reviewer, who must be told at once), then climbs. Everything else goes one rank up."""
    if kind == "review" and rank in RANK_ORDER and RANK_ORDER.index(rank) <= RANK_ORDER.index(
            "inspector"):
        return "inspector"
    return rank_above(rank)


def overdue_by(*, due_at: dt.datetime, now: dt.datetime) -> dt.timedelta | None:
    return now - due_at if due_at < now else None
