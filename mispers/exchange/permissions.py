"""Who may make the force's national extract: its administrators (the command runs as the
server's operator, with no user)."""

from mispers.accounts.roles import ADMIN_ROLES
from mispers.accounts.rules import has_police_role


def can_export(user, force) -> bool:
    return bool(has_police_role(user) and user.force_id == force.pk
                and user.role_codes & ADMIN_ROLES)
