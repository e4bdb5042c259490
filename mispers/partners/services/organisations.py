"""Partner organisations, their users, and which children each is responsible for (ADR 0010).

Who may set a responsibility: the missing persons coordinator or a force administrator of the
child's force (police own the child's record and the liaison with partners), and the partner
administrator of the organisation that is the child's placing authority on that day, for the
home and the return-interview provider only (the local authority places the child and
commissions the interview). Nobody else: a home cannot attach itself to a child."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from django.db import transaction

from mispers.accounts.models import Force, User
from mispers.accounts.roles import (
    PARTNER_ROLES,
)
from mispers.accounts.services import user_create
from mispers.core.errors import DomainError, NotFound
from mispers.people.details import details_of
from mispers.people.models import Child
from mispers.people.services import child_update

from ..models import PartnerOrganisation, Responsibility
from ..permissions import can_set_responsibility as may_set_responsibility  # noqa: F401
from ..selectors import partner_access

# Which kinds of organisation may hold which kind of responsibility.
KINDS_FOR_ORGANISATION = {
    PartnerOrganisation.Kind.CHILDRENS_SERVICES: {Responsibility.Kind.PLACING_AUTHORITY,
                                                  Responsibility.Kind.HOME},
    PartnerOrganisation.Kind.CARE_PROVIDER: {Responsibility.Kind.HOME},
    PartnerOrganisation.Kind.RHI_PROVIDER: {Responsibility.Kind.RHI_PROVIDER},
}


class OrganisationError(DomainError):
    """The organisation or partner user's details are not acceptable."""


class ResponsibilityError(DomainError):
    """The responsibility cannot be recorded (wrong kind, dates, or not allowed)."""


def _covering(child: Child, day: dt.date):
    return Responsibility.objects.filter(child=child, starts_on__lte=day).exclude(
        ends_on__lte=day)


def _sees_child(actor, child: Child, day: dt.date) -> bool:
    if actor.force_id:
        return actor.force_id == child.force_id
    return partner_access(user=actor, child=child, on=day) is not None


@transaction.atomic
def organisation_create(*, actor, now: dt.datetime, name: str, kind: str,
                        forces: Iterable[Force], email: str = "") -> PartnerOrganisation:
    """A new organisation with an active link to each of `forces` (the creator's force on the
    admin pages; the demo and tests may pass several). Linking an existing organisation to
    another force goes through `links.link_request` and needs consent (ADR 0014)."""
    from .links import link_create_active

    name = name.strip()
    forces = list(forces)
    if not name:
        raise OrganisationError("Enter the organisation's name", field="name")
    if kind not in PartnerOrganisation.Kind.values:
        raise OrganisationError("Choose the kind of organisation", field="kind")
    if not forces:
        raise OrganisationError("Choose at least one force area the organisation works with",
                                field="forces")
    organisation = PartnerOrganisation(name=name, kind=kind, email=email.strip())
    organisation.stamp(actor=actor, now=now)
    organisation.save()
    for force in dict.fromkeys(forces):
        link_create_active(actor=actor, now=now, organisation=organisation, force=force,
                           summary=f"{organisation} added, working with {force}")
    return organisation


@transaction.atomic
def partner_user_create(*, actor, now: dt.datetime, organisation: PartnerOrganisation,
                        username: str, roles: Iterable[str], password: str | None = None,
                        first_name: str = "", last_name: str = "", email: str = "",
                        forces: Iterable[Force] | None = None) -> User:
    """A user of a partner organisation: partner roles only, no force, no rank. They work for
    `forces` (each must be an active link of the organisation). `None` means every force the
    organisation works with: for set-up only (the demo, tests); the admin pages and API always
    pass the forces (services.admin.partner_user_add)."""
    from .links import active_link, member_add

    roles = set(roles)
    if not roles or roles - PARTNER_ROLES:
        raise OrganisationError("A partner user needs partner roles only (social worker, care "
                                "worker, return-interview worker, partner administrator)",
                                field="roles")
    if User.objects.filter(username=username).exists():
        raise OrganisationError("That username is taken", field="username")
    if forces is None:
        links = list(organisation.force_links.filter(status="active").select_related(
            "organisation", "force"))
    else:
        links = [active_link(organisation=organisation, force_id=getattr(f, "pk", f))
                 for f in forces]
        if None in links:
            raise OrganisationError(f"{organisation} does not work with that force",
                                    field="forces")
    user = user_create(username=username, password=password, force=None, roles=roles,
                       first_name=first_name, last_name=last_name, email=email,
                       organisation=organisation, actor=actor)
    for link in links:
        member_add(actor=actor, now=now, link=link, user=user,
                   summary=f"{user.get_full_name() or user.username} added, working for "
                           f"{link.force}")
    return user


@transaction.atomic
def responsibility_start(*, actor, now: dt.datetime, child: Child,
                         organisation: PartnerOrganisation, kind: str, starts_on: dt.date,
                         note: str = "") -> Responsibility:
    """`organisation` is responsible for `child` from `starts_on`. A new home ends the current
    home's responsibility on that day (the child moved placement): from then the old home sees
    nothing new. A new placing authority likewise replaces the old one."""
    if not may_set_responsibility(actor=actor, child=child, kind=kind, on=starts_on):
        # Police of another force, or a partner with no standing: as if the child did not exist.
        if not _sees_child(actor, child, now.date()):
            raise NotFound("Child not found")
        raise ResponsibilityError("Only the missing persons coordinator or a force administrator "
                                  "may record who is responsible for a child (the placing "
                                  "authority's administrator may set the home and the "
                                  "return-interview provider)", field="kind")
    if kind not in Responsibility.Kind.values:
        raise ResponsibilityError("Choose the kind of responsibility", field="kind")
    if kind not in KINDS_FOR_ORGANISATION.get(organisation.kind, set()):
        raise ResponsibilityError(
            f"{organisation.get_kind_display()} cannot be the child's "
            f"{Responsibility.Kind(kind).label.lower()}", field="organisation")
    if not organisation.active:
        raise ResponsibilityError("That organisation is no longer active", field="organisation")
    if not organisation.works_with(child.force_id):
        raise ResponsibilityError("That organisation does not work with this force area",
                                  field="organisation")
    if child.date_of_birth and starts_on < child.date_of_birth:
        raise ResponsibilityError(
            f"The start date is before {child.full_name} was born "
            f"({child.date_of_birth:%d %B %Y}): check both dates", field="starts_on")
    if starts_on > now.date() + dt.timedelta(days=366):
        raise ResponsibilityError("The start date is more than a year ahead", field="starts_on")
    existing = list(_covering(child, starts_on).select_for_update().filter(kind=kind))
    if any(r.organisation_id == organisation.pk for r in existing):
        raise ResponsibilityError(f"{organisation} is already the child's "
                                  f"{Responsibility.Kind(kind).label.lower()} on that date",
                                  field="organisation")
    if kind in (Responsibility.Kind.HOME, Responsibility.Kind.PLACING_AUTHORITY):
        # One home and one placing authority at a time: the previous one ends the day the new
        # one starts (end dates are exclusive, so that day belongs to the new one).
        for previous in existing:
            if previous.starts_on == starts_on:
                raise ResponsibilityError(
                    f"{previous.organisation} starts on the same day: end it first",
                    field="starts_on")
            previous.ends_on = starts_on
            previous.stamp(actor=actor, now=now)
            previous.save(update_fields=["ends_on", "modified_at", "modified_by"])
    responsibility = Responsibility(child=child, organisation=organisation, kind=kind,
                                    starts_on=starts_on, note=note.strip()[:300])
    responsibility.stamp(actor=actor, now=now)
    responsibility.save()
    if (kind == Responsibility.Kind.PLACING_AUTHORITY and starts_on <= now.date()
            and (not child.looked_after or child.local_authority != organisation.name)):
        # One truth (ADR 38): the police record names the authority the partner record does.
        child_update(actor=actor, now=now, child=child,
                     details=replace(details_of(child), looked_after=True,
                                     local_authority=organisation.name),
                     reason=f"Placing authority recorded: {organisation}"[:100])
    return responsibility


@transaction.atomic
def responsibility_end(*, actor, now: dt.datetime, responsibility: Responsibility,
                       ends_on: dt.date) -> Responsibility:
    """The organisation stops being responsible from `ends_on` (it sees nothing new from then)."""
    responsibility = Responsibility.objects.select_for_update().select_related("child").get(
        pk=responsibility.pk)
    if not may_set_responsibility(actor=actor, child=responsibility.child,
                                  kind=responsibility.kind, on=ends_on):
        if not _sees_child(actor, responsibility.child, now.date()):
            raise NotFound("Responsibility not found")
        raise ResponsibilityError("Only the missing persons coordinator or a force administrator "
                                  "may end a responsibility", field="ends_on")
    if ends_on <= responsibility.starts_on:
        raise ResponsibilityError("The end date must be after the start date", field="ends_on")
    if responsibility.ends_on is not None and responsibility.ends_on <= ends_on:
        raise ResponsibilityError("This responsibility has already ended", field="ends_on")
    responsibility.ends_on = ends_on
    responsibility.stamp(actor=actor, now=now)
    responsibility.save(update_fields=["ends_on", "modified_at", "modified_by"])
    return responsibility
