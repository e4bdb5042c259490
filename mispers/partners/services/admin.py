"""Managing partner organisations and their users (ADR 0013).

Who: a force administrator for the organisations working with their force (create one, link an
existing one to their force, add users, deactivate and reactivate users and the organisation);
a partner administrator for their own organisation's users. Everything else about an
organisation that is not linked to the actor's force answers NotFound.

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

from ..admin_selectors import can_manage_organisations, can_manage_team, can_read_organisations
from ..models import PartnerOrganisation
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


def may_manage(*, actor, organisation: PartnerOrganisation) -> bool:
    """A force administrator of a force the organisation works with, or the organisation's own
    partner administrator."""
    if can_manage_organisations(actor):
        return organisation.forces.filter(pk=actor.force_id).exists()
    return can_manage_team(actor) and actor.organisation_id == organisation.pk


def _require_force_admin(actor) -> Force:
    if not can_manage_organisations(actor):
        raise PermissionDenied("Only a force administrator manages partner organisations")
    return actor.force


def _require_manager(actor, organisation: PartnerOrganisation) -> None:
    if may_manage(actor=actor, organisation=organisation):
        return
    if can_read_organisations(actor) and organisation.forces.filter(pk=actor.force_id).exists():
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
        if existing.forces.filter(pk=force.pk).exists():
            raise OrganisationAdminError(f"{existing.name} already works with {force}",
                                         field="name")
        raise OrganisationAdminError(f"{existing.name} is already in Mispers: link it to your "
                                     "force instead of adding it again", field="name")
    return organisation_create(actor=actor, now=now, name=name, kind=kind, forces=[force],
                               email=email)


@transaction.atomic
def organisation_link(*, actor, now: dt.datetime,
                      organisation: PartnerOrganisation) -> PartnerOrganisation:
    """The organisation also works with the force administrator's force (its reports go to the
    force's queue and the force may make it responsible for its children). Other forces' links
    are never touched."""
    force = _require_force_admin(actor)
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.forces.filter(pk=force.pk).exists():
        raise OrganisationAdminError(f"{organisation} already works with {force}",
                                     field="organisation")
    if not organisation.active:
        raise OrganisationAdminError(f"{organisation} is no longer active", field="organisation")
    organisation.forces.add(force)
    organisation.stamp(actor=actor, now=now)
    organisation.save(update_fields=["modified_at", "modified_by"])
    return organisation


@transaction.atomic
def organisation_set_active(*, actor, now: dt.datetime, organisation: PartnerOrganisation,
                            active: bool) -> PartnerOrganisation:
    """Deactivate (its users see nothing from their next request, it gets no alerts and cannot
    be made responsible for a child) or reactivate an organisation. The flag is the
    organisation's, so it applies to every force it works with: cutting off a compromised or
    closed organisation must not wait for each force."""
    _require_force_admin(actor)
    _require_manager(actor, organisation)
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.active == active:
        raise OrganisationAdminError(
            f"{organisation} is already {'active' if active else 'deactivated'}", field="active")
    organisation.active = active
    organisation.stamp(actor=actor, now=now)
    organisation.save(update_fields=["active", "modified_at", "modified_by"])
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
    user = partner_user_create(actor=actor, now=now, organisation=organisation,
                               username=username, roles=[role], password=password,
                               first_name=first_name, last_name=last_name, email=email)
    # The administrator chose this password: the user changes it at first sign-in (ADR 16).
    return password_change_required(user=user, actor=actor)


@transaction.atomic
def partner_user_set_active(*, actor, now: dt.datetime, user: User, active: bool) -> User:
    """Deactivate a partner user (signed out of pages and refused by the API from their next
    request; Django refuses inactive users' sessions and tokens) or reactivate them."""
    # Lock the user row only: the organisation is a nullable join PostgreSQL cannot lock.
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(
        pk=user.pk)
    if user.organisation is None:
        raise NotFound("User not found")  # police users are not managed here
    _require_manager(actor, user.organisation)
    if user.pk == actor.pk:
        raise OrganisationAdminError("You cannot deactivate your own account: ask another "
                                     "administrator", field="active")
    if user.is_active == active:
        raise OrganisationAdminError(
            f"{user} is already {'active' if active else 'deactivated'}", field="active")
    user.is_active = active
    user._history_user = actor  # the account's history names who did it
    user.save(update_fields=["is_active"])
    return user
