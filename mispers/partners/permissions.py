"""Who may do what in the partners app (issue 10, ADR 29): one function per rule, asked by the
services (which raise their refusal) and by the pages and template tags (which offer the button).
Which *records* a partner sees is the scoping selectors' job (`selectors.py`, ADR 10 and 14); these
say what a user may *do*. The older names (`may_release`, `may_keep_profile`, …) are imports of
these, kept where callers use them."""

import datetime as dt

from mispers.accounts.roles import (
    ORGANISATION_MANAGE_ROLES,
    ORGANISATION_READ_ROLES,
    POLICE_RESPONSIBILITY_ROLES,
    PROFILE_ROLES,
    RELEASE_ROLES,
    SHARING_LOG_ROLES,
    Role,
)

from .models import OrganisationForceLink, Responsibility
from .selectors import is_partner, partner_access, responsibilities_of, works_for_force

# The organisations that keep a child's Philomena profile: the home and the placing authority.
PROFILE_KINDS = frozenset({Responsibility.Kind.HOME, Responsibility.Kind.PLACING_AUTHORITY})


def _police(user) -> bool:
    return bool(user.is_authenticated and user.force_id and not user.organisation_id)


# --- organisations and their users ------------------------------------------------------------

def can_read_organisations(user) -> bool:
    return _police(user) and bool(user.role_codes & ORGANISATION_READ_ROLES)


def can_manage_organisations(user) -> bool:
    return _police(user) and bool(user.role_codes & ORGANISATION_MANAGE_ROLES)


def can_manage_team(user) -> bool:
    """A partner administrator of an active organisation (their own organisation's users)."""
    return is_partner(user) and Role.PARTNER_ADMIN in user.role_codes


def can_manage_organisation(actor, organisation) -> bool:
    """A force administrator of a force the organisation works with, or the organisation's own
    partner administrator."""
    if can_manage_organisations(actor):
        return organisation.works_with(actor.force_id)
    return can_manage_team(actor) and actor.organisation_id == organisation.pk


def can_decide_link(actor, link: OrganisationForceLink) -> bool:
    """An administrator of another force actively linked to the organisation, or one of its
    partner administrators who works for another force (a member of a link to another force)."""
    if link.status != OrganisationForceLink.Status.REQUESTED:
        return False
    if can_manage_organisations(actor):
        return (actor.force_id != link.force_id
                and link.organisation.works_with(actor.force_id))
    if can_manage_team(actor) and actor.organisation_id == link.organisation_id:
        return OrganisationForceLink.objects.filter(
            organisation_id=link.organisation_id, members=actor).exclude(
            force_id=link.force_id).exists()
    return False


def can_set_responsibility(actor, child, kind: str, on: dt.date) -> bool:
    """Police coordinators and administrators of the child's force; or a placing authority's
    partner administrator, for the child they place, for anything but the placing authority
    itself (ADR 0014)."""
    if actor.force_id and actor.role_codes & POLICE_RESPONSIBILITY_ROLES:
        return actor.force_id == child.force_id
    if (actor.organisation_id and Role.PARTNER_ADMIN in actor.role_codes
            and kind != Responsibility.Kind.PLACING_AUTHORITY
            and works_for_force(user=actor, force_id=child.force_id)):
        return (Responsibility.objects.filter(child=child, starts_on__lte=on)
                .exclude(ends_on__lte=on)
                .filter(kind=Responsibility.Kind.PLACING_AUTHORITY,
                        organisation_id=actor.organisation_id).exists())
    return False


# --- what partners see and keep -----------------------------------------------------------------

def can_release(user, episode) -> bool:
    """Operational police of the child's force release a police field to partners."""
    return bool(user.is_authenticated and user.force_id
                and not getattr(user, "organisation_id", None)
                and user.force_id == episode.force_id and user.role_codes & RELEASE_ROLES)


def can_keep_profile(user, child, on: dt.date) -> bool:
    return bool(user.role_codes & PROFILE_ROLES) and partner_access(
        user=user, child=child, on=on, kinds=PROFILE_KINDS) == "current"


def can_read_findings(user, interview) -> bool:
    """The provider and the child's placing authority read the findings; the home does not."""
    if not is_partner(user):
        return False
    # Only for a force the user works for (ADR 0014), whoever provides the interview.
    if not works_for_force(user=user, force_id=interview.episode.force_id):
        return False
    if interview.provider_id == user.organisation_id:
        return True
    return responsibilities_of(user=user).filter(
        child_id=interview.episode.child_id,
        kind=Responsibility.Kind.PLACING_AUTHORITY).exists()


def can_read_sharing_log(user) -> bool:
    if is_partner(user):
        return user.has_role(Role.PARTNER_ADMIN)
    return bool(user.is_authenticated and user.force_id and user.role_codes & SHARING_LOG_ROLES)
