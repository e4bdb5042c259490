"""Who may plan for a child who goes missing again (issue 10, ADR 29): strategy meetings, their
flags and trigger plans are the coordinator's and supervisors' work. Asked by the services and by
the pages."""

from mispers.accounts.roles import PLANNER_ROLES
from mispers.accounts.rules import is_police_user


def can_plan(user, child=None) -> bool:
    """Record a strategy meeting, close a flag, write or retire a trigger plan (for `child`, of
    the user's force, when given)."""
    return bool(is_police_user(user) and user.role_codes & PLANNER_ROLES
                and (child is None or child.force_id == user.force_id))
