"""Permission predicates (django-rules). Object checks always include the force: a user never acts
on another force's records."""

import rules

from .roles import MARKER_ROLES, RATIFY_ROLES, READ_ROLES, REPORT_ROLES


@rules.predicate
def is_police_user(user) -> bool:
    return bool(user.is_authenticated and user.force_id and user.role_codes & READ_ROLES)


@rules.predicate
def can_report(user) -> bool:
    return bool(user.is_authenticated and user.force_id and user.role_codes & REPORT_ROLES)


@rules.predicate
def can_ratify_role(user) -> bool:
    return bool(user.is_authenticated and user.force_id and user.role_codes & RATIFY_ROLES)


@rules.predicate
def can_mark(user) -> bool:
    return bool(user.is_authenticated and user.force_id and user.role_codes & MARKER_ROLES)


@rules.predicate
def same_force(user, obj) -> bool:
    return obj is not None and getattr(obj, "force_id", None) == user.force_id


rules.add_perm("mispers.view_records", is_police_user)
rules.add_perm("mispers.report", can_report)
rules.add_perm("mispers.assess", can_report)
rules.add_perm("mispers.ratify", can_ratify_role)
rules.add_perm("mispers.mark", can_mark)
