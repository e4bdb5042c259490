"""Who may read and record intelligence, and merge duplicate entities (issue 14, ADR 29, 49).

Police-only and need-to-know: partners, the commissioner's office, the analyst (by that role
alone) and the force administrator are refused; another force's records are not found."""

from mispers.accounts.roles import INTELLIGENCE_MERGE_ROLES, INTELLIGENCE_ROLES
from mispers.accounts.rules import is_police_user


def can_use_intelligence(user) -> bool:
    """Read the force's entities and links, record them, confirm or dismiss suggestions."""
    return bool(is_police_user(user) and user.role_codes & INTELLIGENCE_ROLES)


def can_see_entity(user, entity) -> bool:
    return bool(can_use_intelligence(user) and entity is not None
                and entity.force_id == user.force_id)


def can_link_child(user, child) -> bool:
    """Link one of the force's children: never another force's child."""
    return bool(can_use_intelligence(user) and child is not None
                and child.force_id == user.force_id)


def can_merge_entities(user, entity=None) -> bool:
    """Merge duplicates and undo a merge: supervisors and the coordinator, in their force."""
    return bool(can_use_intelligence(user) and user.role_codes & INTELLIGENCE_MERGE_ROLES
                and (entity is None or entity.force_id == user.force_id))
