"""Who may read and record intelligence, and merge duplicate entities (issue 14, ADR 29, 49).

Police-only and need-to-know: partners, the commissioner's office, the analyst (by that role
alone) and the force administrator are refused; another force's records are not found."""

from mispers.accounts.roles import (
    INTELLIGENCE_MERGE_ROLES,
    INTELLIGENCE_ROLES,
    SUPPRESSED_ROLES,
    Role,
)
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


def can_see_network(user) -> bool:
    """Open the network page, its exports and its API (ADR 50): the intelligence roles with
    names, and the analyst with pseudonymous ids only. Never a partner, the commissioner's
    office or the force administrator (unless they also hold one of those roles); never a user
    holding the commissioner's role, whatever else they hold."""
    if not _of_force(user) or user.role_codes & SUPPRESSED_ROLES:
        return False
    return bool(can_use_intelligence(user) or Role.ANALYST in user.role_codes)


def network_is_pseudonymous(user) -> bool:
    """The analyst (by that role alone) sees children and persons, vehicles, phones, handles and
    places as pseudonymous ids; the intelligence roles see names."""
    return not can_use_intelligence(user)


def _of_force(user) -> bool:
    return bool(user.is_authenticated and user.force_id
                and not getattr(user, "organisation_id", None))
