"""Permission predicates (django-rules). Object checks always include the force: a user never acts
on another force's records.

Least privilege (docs/adr/0018-least-privilege.md): holding a police role is not enough to read
identifiable case records; `can_read_cases` (operational roles) is. Analysts get pseudonymised
rows and counts (`can_analyse`); force administrators manage users and organisations."""

import rules

from .roles import (
    ADMIN_ROLES,
    ANALYSIS_ROLES,
    CASE_READ_ROLES,
    MARKER_ROLES,
    POLICE_ROLES,
    RATIFY_ROLES,
    REPORT_ROLES,
)


def _of_force(user) -> bool:
    return bool(user.is_authenticated and user.force_id and not getattr(user, "organisation_id",
                                                                          None))


@rules.predicate
def has_police_role(user) -> bool:
    """A member of a force with any police role: an identity, not a licence to read cases."""
    return bool(_of_force(user) and user.role_codes & POLICE_ROLES)


@rules.predicate
def can_read_cases(user) -> bool:
    """May read the force's identifiable children, episodes and their free text."""
    return bool(_of_force(user) and user.role_codes & CASE_READ_ROLES)


# The name every selector and page has used since the start: it means, and has always been used
# as, "may read the force's case records", so it is the case-reading rule.
is_police_user = can_read_cases


@rules.predicate
def can_analyse(user) -> bool:
    """May read pseudonymised episode rows and counts of the force."""
    return bool(_of_force(user) and user.role_codes & ANALYSIS_ROLES)


@rules.predicate
def can_administer(user) -> bool:
    return bool(_of_force(user) and user.role_codes & ADMIN_ROLES)


@rules.predicate
def can_report(user) -> bool:
    return bool(_of_force(user) and user.role_codes & REPORT_ROLES)


@rules.predicate
def can_ratify_role(user) -> bool:
    return bool(_of_force(user) and user.role_codes & RATIFY_ROLES)


@rules.predicate
def can_mark(user) -> bool:
    return bool(_of_force(user) and user.role_codes & MARKER_ROLES)


@rules.predicate
def same_force(user, obj) -> bool:
    return obj is not None and getattr(obj, "force_id", None) == user.force_id


rules.add_perm("mispers.view_records", can_read_cases)
rules.add_perm("mispers.analyse", can_analyse)
rules.add_perm("mispers.administer", can_administer)
rules.add_perm("mispers.report", can_report)
rules.add_perm("mispers.assess", can_report)
rules.add_perm("mispers.ratify", can_ratify_role)
rules.add_perm("mispers.mark", can_mark)
