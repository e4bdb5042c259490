"""Who may find, record, correct and merge places (issue 11, ADR 29)."""

from mispers.accounts.roles import PLACE_EDIT_ROLES, PLACE_ROLES
from mispers.accounts.rules import is_police_user


def can_use_places(user) -> bool:
    """Find a place and record a new one: whoever takes or works a report."""
    return bool(is_police_user(user) and user.role_codes & PLACE_ROLES)


def can_edit_place(user, place=None) -> bool:
    """Correct a place or merge a duplicate: supervisors and the coordinator, in their force."""
    return bool(is_police_user(user) and user.role_codes & PLACE_EDIT_ROLES
                and (place is None or place.force_id == user.force_id))
