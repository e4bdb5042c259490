"""Who may see where to look and record searches (issue 14, ADR 52).

Police-only and need-to-know, like the intelligence the suggestions draw on (ADR 49): the
case-reading roles. Partners, the commissioner's office, the analyst and the force
administrator are refused; another force's episodes are not found."""

from mispers.accounts.roles import INTELLIGENCE_ROLES
from mispers.accounts.rules import is_police_user


def can_use_searches(user) -> bool:
    """See an episode's where-to-look list and its searches, and the force's figure."""
    return bool(is_police_user(user) and user.role_codes & INTELLIGENCE_ROLES)


def can_record_search(user, episode) -> bool:
    """Record a search for one of the force's episodes."""
    return bool(can_use_searches(user) and episode is not None
                and episode.force_id == user.force_id)
