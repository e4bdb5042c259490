"""Which forces a partner organisation works with, and which of its users work for which force
(ADR 0014). Closes the hole where any force administrator could attach another force's
organisation to their own force and read that force's children through a user they added.

- A force administrator *requests* a link between an organisation and their force. It becomes
  active when *accepted* by someone already trusted by the organisation: an administrator of a
  force it is already actively linked to, or the organisation's partner administrator who works
  for another force. The requesting force can never accept its own request. When nobody could
  decide (no other active link, no such partner administrator), the request is accepted at
  once and the record says why: no other force's data and no organisation's say are at stake.
- A link is *ended* per force: by that force's administrator (or a request withdrawn), or by the
  organisation's partner administrator who works for that force. Other forces' links are never
  touched.
- A partner user sees a force's children only while they are a *member* of the organisation's
  active link to that force. A user a force's administrator adds works for that force only; a
  force shares its children with an existing user by adding them to its own link.
- Every change writes an OrganisationLinkEvent (append-only) in the same transaction, and the
  administrators of the other linked forces and the organisation's partner administrators get a
  notification (`reviews.Notification`, kind `partner_link`)."""

import datetime as dt

from django.db import transaction

from mispers.accounts.models import Force, User
from mispers.accounts.roles import Role
from mispers.core.errors import DomainError, NotFound, PermissionDenied
from mispers.reviews.models import Notification

from ..admin_selectors import can_manage_organisations, can_manage_team
from ..models import OrganisationForceLink, OrganisationLinkEvent, PartnerOrganisation
from ..permissions import can_decide_link as may_decide  # noqa: F401 (old name)

Status = OrganisationForceLink.Status
Code = OrganisationLinkEvent.Code
NOTICE_KIND = "partner_link"


class LinkError(DomainError):
    """A link change is refused (the message says why)."""


# --- the record and the notices ----------------------------------------------------------------

def link_event(*, actor, now: dt.datetime, organisation: PartnerOrganisation, code: str,
               summary: str, force: Force | None = None, user=None) -> OrganisationLinkEvent:
    return OrganisationLinkEvent.objects.create(
        at=now, actor=actor if getattr(actor, "pk", None) else None, organisation=organisation,
        force=force, user=user, code=code, summary=summary[:500])


def _notify(*, now: dt.datetime, organisation: PartnerOrganisation, subject: str, body: str,
            forces=(), partner_admins: bool = True, exclude=None) -> int:
    """A notice to the force administrators of `forces` and (optionally) the organisation's
    active partner administrators, never to `exclude` (who did it)."""
    force_ids = [getattr(f, "pk", f) for f in forces]
    recipients = set(User.objects.filter(force_id__in=force_ids, is_active=True,
                                         roles__role=Role.FORCE_ADMIN,
                                         organisation__isnull=True)
                     .values_list("pk", flat=True)) if force_ids else set()
    if partner_admins:
        recipients |= set(User.objects.filter(organisation=organisation, is_active=True,
                                              roles__role=Role.PARTNER_ADMIN)
                          .values_list("pk", flat=True))
    recipients.discard(getattr(exclude, "pk", None))
    Notification.objects.bulk_create([
        Notification(recipient_id=pk, kind=NOTICE_KIND, subject=subject[:300], body=body,
                     created_at=now) for pk in sorted(recipients, key=str)])
    return len(recipients)


def _active_forces(organisation: PartnerOrganisation, *, but=None) -> list:
    links = OrganisationForceLink.objects.filter(organisation=organisation,
                                                 status=Status.ACTIVE)
    if but is not None:
        links = links.exclude(force_id=getattr(but, "pk", but))
    return list(links.values_list("force_id", flat=True))


# --- who may decide ----------------------------------------------------------------------------

def _nobody_to_ask(link: OrganisationForceLink) -> bool:
    if _active_forces(link.organisation, but=link.force_id):
        return False
    return not User.objects.filter(
        organisation_id=link.organisation_id, is_active=True, roles__role=Role.PARTNER_ADMIN,
        partner_links__organisation_id=link.organisation_id,
    ).exclude(partner_links__force_id=link.force_id).exists()


def _link_for(*, link_id) -> OrganisationForceLink:
    try:
        return (OrganisationForceLink.objects.select_for_update(of=("self",))
                .select_related("organisation", "force").get(pk=link_id))
    except (OrganisationForceLink.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Link not found") from exc


def _may_see_link(actor, link: OrganisationForceLink) -> bool:
    if can_manage_organisations(actor):
        return actor.force_id == link.force_id or link.organisation.works_with(actor.force_id)
    return can_manage_team(actor) and actor.organisation_id == link.organisation_id


# --- the services ------------------------------------------------------------------------------

def link_create_active(*, actor, now: dt.datetime, organisation: PartnerOrganisation,
                       force: Force, summary: str) -> OrganisationForceLink:
    """For a new organisation (its creator's force) and the demo: active at once."""
    link = OrganisationForceLink(organisation=organisation, force=force, status=Status.ACTIVE,
                                 requested_by=actor, requested_at=now, decided_by=actor,
                                 decided_at=now, reason="Added the organisation")
    link.stamp(actor=actor, now=now)
    link.save()
    link_event(actor=actor, now=now, organisation=organisation, force=force, code=Code.CREATED,
               summary=summary)
    return link


@transaction.atomic
def link_request(*, actor, now: dt.datetime, organisation: PartnerOrganisation,
                 reason: str = "") -> OrganisationForceLink:
    """The force administrator asks for the organisation to work with their force. Nothing is
    shared until someone trusted by the organisation accepts (see the module docstring)."""
    if not can_manage_organisations(actor):
        raise PermissionDenied("Only a force administrator links partner organisations")
    force = actor.force
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.active:
        raise LinkError(f"{organisation} is no longer active", field="organisation")
    link = (OrganisationForceLink.objects.select_for_update()
            .filter(organisation=organisation, force=force).first())
    if link is not None and link.status == Status.ACTIVE:
        raise LinkError(f"{organisation} already works with {force}", field="organisation")
    if link is not None and link.status == Status.REQUESTED:
        raise LinkError(f"{force} has already asked to link {organisation}: it is waiting for "
                        "acceptance", field="organisation")
    if link is None:
        link = OrganisationForceLink(organisation=organisation, force=force)
    link.status = Status.REQUESTED
    link.requested_by, link.requested_at = actor, now
    link.decided_by = link.decided_at = link.ended_by = link.ended_at = None
    link.reason = (reason or "").strip()[:300]
    link.stamp(actor=actor, now=now)
    link.save()
    link_event(actor=actor, now=now, organisation=organisation, force=force,
               code=Code.REQUESTED,
               summary=f"{actor.get_full_name() or actor.username} of {force} asked to link "
                       f"{organisation} to {force}" + (f": {link.reason}" if link.reason else ""))
    if _nobody_to_ask(link):
        return _decide(actor=None, now=now, link=link, accept=True,
                       reason="Accepted automatically: the organisation works with no other "
                              "force and has no partner administrator working for another "
                              "force to ask")
    _notify(now=now, organisation=organisation, forces=_active_forces(organisation),
            subject=f"{force} asks to work with {organisation}",
            body=(f"{force}'s administrator asked to link {organisation} to {force}. Nothing "
                  f"is shared until you or another administrator accepts. Decide on the "
                  f"organisation's page.{' Reason given: ' + link.reason if link.reason else ''}"),
            exclude=actor)
    return link


def _decide(*, actor, now: dt.datetime, link: OrganisationForceLink, accept: bool,
            reason: str) -> OrganisationForceLink:
    link.status = Status.ACTIVE if accept else Status.DECLINED
    link.decided_by, link.decided_at = actor, now
    link.reason = (reason or link.reason or "").strip()[:300]
    link.stamp(actor=actor, now=now)
    link.save()
    who = (f"{actor.get_full_name() or actor.username}"
           f" ({actor.force or actor.organisation})") if actor else "Mispers"
    verb = "accepted" if accept else "declined"
    link_event(actor=actor, now=now, organisation=link.organisation, force=link.force,
               code=Code.ACCEPTED if accept else Code.DECLINED,
               summary=f"{who} {verb} the link of {link.organisation} to {link.force}"
                       + (f": {reason}" if reason else ""))
    _notify(now=now, organisation=link.organisation,
            forces=set(_active_forces(link.organisation)) | {link.force_id},
            subject=f"Link of {link.organisation} to {link.force} {verb}",
            body=(f"{who} {verb} the request for {link.organisation} to work with "
                  f"{link.force}." + (" Its users see that force's children only once that "
                                      "force adds them." if accept else "")),
            exclude=actor)
    return link


@transaction.atomic
def link_decide(*, actor, now: dt.datetime, link_id, accept: bool,
                reason: str = "") -> OrganisationForceLink:
    """Accept or decline a waiting request (see may_decide)."""
    link = _link_for(link_id=link_id)
    if not _may_see_link(actor, link):
        raise NotFound("Link not found")
    if link.status != Status.REQUESTED:
        raise LinkError(f"This request has already been {link.get_status_display().lower()}")
    if not may_decide(actor=actor, link=link):
        if actor.force_id and actor.force_id == link.force_id:
            raise PermissionDenied("Your own force's request must be accepted by the "
                                   "organisation's partner administrator or another force it "
                                   "works with")
        raise PermissionDenied("Only an administrator of a force the organisation already "
                               "works with, or its partner administrator, decides this")
    return _decide(actor=actor, now=now, link=link, accept=accept, reason=reason)


@transaction.atomic
def link_end(*, actor, now: dt.datetime, link_id, reason: str = "") -> OrganisationForceLink:
    """The organisation stops working with one force (its users see nothing more of that
    force's children, it gets no alerts and no new responsibilities there). Only that force's
    administrator (also withdrawing a request) or the organisation's partner administrator
    who works for that force may do it; other forces' links are untouched."""
    link = _link_for(link_id=link_id)
    if not _may_see_link(actor, link):
        raise NotFound("Link not found")
    own_force = can_manage_organisations(actor) and actor.force_id == link.force_id
    own_admin = (can_manage_team(actor) and actor.organisation_id == link.organisation_id
                 and link.members.filter(pk=actor.pk).exists())
    if not (own_force or own_admin):
        raise PermissionDenied(f"Only {link.force}'s administrator, or the organisation's "
                               f"partner administrator working for {link.force}, ends this link")
    if link.status not in (Status.ACTIVE, Status.REQUESTED):
        raise LinkError(f"The link is already {link.get_status_display().lower()}")
    was = link.status
    link.status = Status.ENDED
    link.ended_by, link.ended_at = actor, now
    link.reason = (reason or "").strip()[:300]
    link.stamp(actor=actor, now=now)
    link.save()
    what = "withdrew the request to link" if was == Status.REQUESTED else "ended the link of"
    who = f"{actor.get_full_name() or actor.username} ({actor.force or actor.organisation})"
    link_event(actor=actor, now=now, organisation=link.organisation, force=link.force,
               code=Code.ENDED, summary=f"{who} {what} {link.organisation} to {link.force}"
                                        + (f": {link.reason}" if link.reason else ""))
    _notify(now=now, organisation=link.organisation,
            forces=set(_active_forces(link.organisation)) | {link.force_id},
            subject=f"{link.organisation} no longer works with {link.force}",
            body=f"{who} {what} {link.organisation} to {link.force}.", exclude=actor)
    return link


def member_add(*, actor, now: dt.datetime, link: OrganisationForceLink, user: User,
               summary: str = "") -> None:
    """`user` works for the link's force from now (no checks: callers check)."""
    if link.members.filter(pk=user.pk).exists():
        return
    link.members.add(user)
    link_event(actor=actor, now=now, organisation=link.organisation, force=link.force,
               user=user, code=Code.MEMBER_ADDED,
               summary=summary or f"{user.get_full_name() or user.username} works for "
                                  f"{link.force}")


def member_remove(*, actor, now: dt.datetime, link: OrganisationForceLink, user: User) -> None:
    link.members.remove(user)
    link_event(actor=actor, now=now, organisation=link.organisation, force=link.force,
               user=user, code=Code.MEMBER_REMOVED,
               summary=f"{user.get_full_name() or user.username} no longer works for "
                       f"{link.force}")


def active_link(*, organisation: PartnerOrganisation, force_id) -> OrganisationForceLink | None:
    return (OrganisationForceLink.objects.select_related("organisation", "force")
            .filter(organisation=organisation, force_id=force_id, status=Status.ACTIVE).first())
