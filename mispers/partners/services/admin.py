"""Managing partner organisations and their users (ADR 0013).

Who: a force administrator for the organisations working with their force (create one, link an
existing one to their force, add users, deactivate and reactivate users and the organisation);
a partner administrator for their own organisation's users. Everything else about an
organisation that is not linked to the actor's force answers NotFound.

Since ADR 0014 an organisation's forces are consented links (services.links) and everything a
force administrator does is for their own force only: a user they add works for their force;
"deactivating" a user or the organisation for one force never reaches another force's work.

A partner user gets one partner role that fits the kind of organisation (ROLES_FOR_KIND) and an
initial password the administrator sets and passes on by another channel: Mispers has no
password-reset email, so a user created without a password could never sign in."""

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from mispers.accounts.models import Force, User
from mispers.accounts.passwords import password_change_required
from mispers.accounts.roles import PARTNER_ROLES, Role
from mispers.core.errors import NotFound, PermissionDenied

from ..admin_selectors import can_manage_organisations, can_read_organisations
from ..models import OrganisationForceLink, PartnerOrganisation
from ..permissions import can_manage_organisation as may_manage  # noqa: F401
from .links import active_link, link_event, link_request, member_add, member_remove
from .organisations import OrganisationError, organisation_create, partner_user_create

Kind = PartnerOrganisation.Kind

# Which partner role fits which kind of organisation. Children's services employ social
# workers and may carry out return-home interviews in-house (ADR 0011); a care provider's staff
# are care workers; a return-interview provider's are interviewers. Every organisation may
# have partner administrators.
ROLES_FOR_KIND = {
    Kind.CHILDRENS_SERVICES: (Role.SOCIAL_WORKER, Role.RHI_WORKER, Role.PARTNER_ADMIN),
    Kind.CARE_PROVIDER: (Role.CARE_WORKER, Role.PARTNER_ADMIN),
    Kind.RHI_PROVIDER: (Role.RHI_WORKER, Role.PARTNER_ADMIN),
}
KIND_NOUNS = {Kind.CHILDRENS_SERVICES: "children's services",
              Kind.CARE_PROVIDER: "a care provider",
              Kind.RHI_PROVIDER: "a return-interview provider"}
MIN_PASSWORD_LENGTH = 12


class OrganisationAdminError(OrganisationError):
    """A change to an organisation or its users is refused (the message says why)."""


def _require_force_admin(actor) -> Force:
    if not can_manage_organisations(actor):
        raise PermissionDenied("Only a force administrator manages partner organisations")
    return actor.force


def _require_manager(actor, organisation: PartnerOrganisation) -> None:
    if may_manage(actor=actor, organisation=organisation):
        return
    if can_read_organisations(actor) and organisation.works_with(actor.force_id):
        # The coordinator sees the organisation: a refusal, not a pretence it does not exist.
        raise PermissionDenied("Only a force administrator manages partner organisations")
    raise NotFound("Organisation not found")


def _clean_email(email: str, *, field: str, required: bool) -> str:
    email = (email or "").strip()
    if not email:
        if required:
            raise OrganisationAdminError("Enter an email address", field=field)
        return ""
    try:
        validate_email(email)
    except ValidationError as exc:
        raise OrganisationAdminError("Enter an email address like name@example.org",
                                     field=field) from exc
    return email


@transaction.atomic
def organisation_add(*, actor, now: dt.datetime, name: str, kind: str,
                     email: str = "") -> PartnerOrganisation:
    """A new organisation working with the force administrator's force. The same name as an
    existing organisation is refused: link that one instead of creating a second record."""
    force = _require_force_admin(actor)
    name = (name or "").strip()
    if not name:
        raise OrganisationAdminError("Enter the organisation's name", field="name")
    if len(name) > 200:
        raise OrganisationAdminError("The name must be 200 characters or fewer", field="name")
    if kind not in Kind.values:
        raise OrganisationAdminError("Choose the kind of organisation", field="kind")
    email = _clean_email(email, field="email", required=False)
    existing = PartnerOrganisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        if existing.works_with(force):
            raise OrganisationAdminError(f"{existing.name} already works with {force}",
                                         field="name")
        raise OrganisationAdminError(f"{existing.name} is already in Mispers: ask to link it "
                                     "to your force instead of adding it again", field="name")
    return organisation_create(actor=actor, now=now, name=name, kind=kind, forces=[force],
                               email=email)


def organisation_link(*, actor, now: dt.datetime, organisation: PartnerOrganisation,
                      reason: str = "") -> OrganisationForceLink:
    """Ask for the organisation to work with the force administrator's force: a request that
    someone the organisation already trusts must accept (services.links.link_request). Other
    forces' links are never touched."""
    return link_request(actor=actor, now=now, organisation=organisation, reason=reason)


@transaction.atomic
def organisation_set_active(*, actor, now: dt.datetime, organisation: PartnerOrganisation,
                            active: bool) -> PartnerOrganisation:
    """Deactivate (its users see nothing from their next request, it gets no alerts and cannot
    be made responsible for a child) or reactivate an organisation. The flag is the
    organisation's and reaches every force, so a force administrator may change it only while
    their force is the only one the organisation works with (ADR 0014); otherwise they end
    their own force's link, which cuts it off from their force at once."""
    force = _require_force_admin(actor)
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    others = (OrganisationForceLink.objects.filter(organisation=organisation,
                                                   status=OrganisationForceLink.Status.ACTIVE)
              .exclude(force=force))
    if not organisation.works_with(force):
        _require_manager(actor, organisation)  # 404 (or 403 for the coordinator)
    if others.exists():
        raise PermissionDenied(f"{organisation} also works with other forces: you cannot "
                               "deactivate it for them. End your force's link instead, which "
                               f"cuts it off from {force} at once.")
    if organisation.active == active:
        raise OrganisationAdminError(
            f"{organisation} is already {'active' if active else 'deactivated'}", field="active")
    organisation.active = active
    organisation.stamp(actor=actor, now=now)
    organisation.save(update_fields=["active", "modified_at", "modified_by"])
    link_event(actor=actor, now=now, organisation=organisation, force=force,
               code="reactivated" if active else "deactivated",
               summary=f"{actor.get_full_name() or actor.username} ({force}) "
                       f"{'reactivated' if active else 'deactivated'} {organisation}")
    return organisation


@transaction.atomic
def partner_user_add(*, actor, now: dt.datetime, organisation: PartnerOrganisation,
                     username: str, first_name: str, last_name: str, email: str, role: str,
                     password: str) -> User:
    """A user of the organisation with one partner role fitting its kind and an initial
    password (at least 12 characters, checked by Django's password validators)."""
    _require_manager(actor, organisation)
    # Fresh and locked: a deactivation committed meanwhile must stop the new user.
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.active:
        raise OrganisationAdminError(f"{organisation} is deactivated: reactivate it before "
                                     "adding users", field="organisation")
    username = (username or "").strip()
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not username:
        raise OrganisationAdminError("Enter a username", field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise OrganisationAdminError("A username may contain only letters, numbers and "
                                     "@ . + - _", field="username") from exc
    if len(username) > 150:
        raise OrganisationAdminError("The username must be 150 characters or fewer",
                                     field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise OrganisationAdminError("That username is taken: choose another", field="username")
    if not first_name:
        raise OrganisationAdminError("Enter the person's first name", field="first_name")
    if not last_name:
        raise OrganisationAdminError("Enter the person's last name", field="last_name")
    if len(first_name) > 150 or len(last_name) > 150:
        raise OrganisationAdminError("Names must be 150 characters or fewer", field="last_name")
    email = _clean_email(email, field="email", required=True)
    if role not in PARTNER_ROLES:
        raise OrganisationAdminError("Choose a partner role (police roles are for police "
                                     "users)", field="role")
    if role not in ROLES_FOR_KIND[organisation.kind]:
        allowed = " or ".join(Role(r).label.lower() for r in ROLES_FOR_KIND[organisation.kind])
        raise OrganisationAdminError(f"{Role(role).label} is not a role in "
                                     f"{KIND_NOUNS[organisation.kind]}: choose {allowed}",
                                     field="role")
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise OrganisationAdminError(f"The password must be at least {MIN_PASSWORD_LENGTH} "
                                     "characters", field="password")
    try:
        validate_password(password, user=User(username=username, first_name=first_name,
                                               last_name=last_name, email=email))
    except ValidationError as exc:
        raise OrganisationAdminError(" ".join(exc.messages), field="password") from exc
    if can_manage_organisations(actor):
        forces = [actor.force_id]  # a force administrator's user works for their force only
    else:
        # A partner administrator's user works for the forces the administrator works for.
        forces = list(OrganisationForceLink.objects.filter(
            organisation=organisation, status=OrganisationForceLink.Status.ACTIVE,
            members=actor).values_list("force_id", flat=True))
        if not forces:
            raise OrganisationAdminError("You work for no force yet, so a user you add could "
                                         "see nothing: ask a force administrator to add you")
    user = partner_user_create(actor=actor, now=now, organisation=organisation,
                               username=username, roles=[role], password=password,
                               first_name=first_name, last_name=last_name, email=email,
                               forces=forces)
    # The administrator chose this password: the user changes it at first sign-in (ADR 16).
    return password_change_required(user=user, actor=actor)


def _forces_of(user) -> set:
    """Every force the user is (or was made) a member of a link to, whatever its status."""
    return set(OrganisationForceLink.objects.filter(members=user).values_list("force_id",
                                                                              flat=True))


@transaction.atomic
def partner_user_set_active(*, actor, now: dt.datetime, user: User, active: bool) -> User:
    """Deactivate a partner user or reactivate them, within what the actor answers for:

    - a force administrator switches the account off (or on) when the user works for their
      force alone; otherwise they take the user off their force's link, or add an existing user
      to it (sharing the force's children with them), so another force's partner keeps working
      (ADR 0014);
    - the organisation's partner administrator switches the account off or on (signed out of
      pages and refused by the API from the next request), for users who work only for forces
      the administrator works for too."""
    # Lock the user row only: the organisation is a nullable join PostgreSQL cannot lock.
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(
        pk=user.pk)
    if user.organisation is None:
        raise NotFound("User not found")  # police users are not managed here
    _require_manager(actor, user.organisation)
    if user.pk == actor.pk:
        raise OrganisationAdminError("You cannot deactivate your own account: ask another "
                                     "administrator", field="active")
    name = user.get_full_name() or user.username
    if can_manage_organisations(actor):
        link = active_link(organisation=user.organisation, force_id=actor.force_id)
        if link is None:
            raise NotFound("User not found")
        member = link.members.filter(pk=user.pk).exists()
        # Works for this force alone: the account is this force's to switch off and on.
        alone = _forces_of(user) <= {actor.force_id}
        if alone and member:
            if user.is_active == active:
                raise OrganisationAdminError(
                    f"{name} is already {'active' if active else 'deactivated'}",
                    field="active")
            user.is_active = active
            user._history_user = actor  # the account's history names who did it
            user.save(update_fields=["is_active"])
            link_event(actor=actor, now=now, organisation=user.organisation,
                       force=actor.force, user=user,
                       code="reactivated" if active else "deactivated",
                       summary=f"{name}'s account {'reactivated' if active else 'deactivated'} "
                               f"by {actor.force} (they work for no other force)")
            return user
        if not active:
            if not member:
                raise OrganisationAdminError(f"{name} does not work for {actor.force}",
                                             field="active")
            # Works for other forces too: only this force's part ends.
            member_remove(actor=actor, now=now, link=link, user=user)
            return user
        if member:
            raise OrganisationAdminError(f"{name} already works for {actor.force}",
                                         field="active")
        if not user.is_active:
            raise OrganisationAdminError(f"{name}'s account was switched off by "
                                         f"{user.organisation}: ask its partner administrator",
                                         field="active")
        # Sharing this force's children with an existing user of the organisation.
        member_add(actor=actor, now=now, link=link, user=user)
        return user
    if not _forces_of(user) <= _forces_of(actor):
        raise PermissionDenied(f"{name} also works for a force you do not work for: ask that "
                               "force's administrator")
    if user.is_active == active:
        raise OrganisationAdminError(
            f"{user} is already {'active' if active else 'deactivated'}", field="active")
    user.is_active = active
    user._history_user = actor  # the account's history names who did it
    user.save(update_fields=["is_active"])
    return user
