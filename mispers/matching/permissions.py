"""Who may merge two records of one child, undo a merge or reject a suggested pair (ADR 8, 29)."""

from mispers.accounts.roles import MERGE_ROLES
from mispers.accounts.rules import is_police_user


def can_merge(user) -> bool:
    """The coordinator, whose work this is, and inspectors and above, who may need to correct
    a record out of hours (ADR 0008)."""
    return bool(is_police_user(user) and user.role_codes & MERGE_ROLES)
