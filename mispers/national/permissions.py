"""Who may use the national hub (issue 13): the national missing persons unit's users, who
belong to no force and no organisation."""

from mispers.accounts.roles import NATIONAL_ROLES


def can_use_hub(user) -> bool:
    return bool(user.is_authenticated and not user.force_id
                and not getattr(user, "organisation_id", None)
                and user.role_codes & NATIONAL_ROLES)
