"""Who may see the force picture (issue 12): aggregate figures only, never a child."""

from mispers.accounts.roles import (
    AGGREGATE_ROLES,
    GRADING_REVIEW_ROLES,
    INSIGHT_ROLES,
    SUPPRESSED_ROLES,
)
from mispers.accounts.rules import has_police_role


def can_see_insights(user) -> bool:
    """The analyst, the coordinator, inspectors and superintendents of a force."""
    return bool(has_police_role(user) and getattr(user, "force_id", None)
                and user.role_codes & INSIGHT_ROLES)


def can_review_grading(user) -> bool:
    """The possibly miscategorised list names episodes: the insight roles who may also read
    case records (the coordinator, inspectors and superintendents), not the analyst alone."""
    return can_see_insights(user) and bool(user.role_codes & GRADING_REVIEW_ROLES)


def can_see_aggregates(user) -> bool:
    """The force picture and outcomes: the insight roles, and the commissioner's office."""
    return bool(has_police_role(user) and getattr(user, "force_id", None)
                and user.role_codes & AGGREGATE_ROLES)


def sees_suppressed(user) -> bool:
    """Counts of 1 to 4 are shown as "fewer than 5" to this user (the commissioner's office,
    unless they also hold a role that sees the force's own figures)."""
    return bool(user.role_codes & SUPPRESSED_ROLES) and not user.role_codes & INSIGHT_ROLES
