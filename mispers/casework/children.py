"""Record a child, and correct the record.

- Recording: the child's record (`people.services.child_save`) and, in the same transaction,
  the identity keys intake matching searches by (`matching.services.identity_keys_refresh`), so
  a child just recorded is found by the next call handler's search.
- Correcting (issue 11, ADR 38): the record with a reason (`people.services.child_update`), a
  new placement place if one was named, the identity keys again (a corrected name or date of
  birth must be searchable at once), and the partner records kept in step: the placing
  authority and the home are one truth shared with the partner responsibilities, so a
  correction that would contradict them is refused, and a disagreement already there is shown
  on the child's page and resolved here, one way or the other.
"""

import dataclasses
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mispers.accounts.roles import CHILD_EDIT_ROLES
from mispers.matching.services import identity_keys_refresh
from mispers.partners.selectors import record_conflicts
from mispers.partners.services.organisations import responsibility_end
from mispers.people.details import ChildDetails, ChildInvalid, details_of
from mispers.people.models import Child
from mispers.people.services import PLACEMENT_KINDS, child_save
from mispers.people.services import child_update as record_update
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create


@transaction.atomic
def child_create(*, actor, now: dt.datetime, force, details: ChildDetails) -> Child:
    child = child_save(actor=actor, now=now, force=force, details=details)
    identity_keys_refresh(child=child)
    return child


@transaction.atomic
def child_update(*, actor, now: dt.datetime, child: Child, details: ChildDetails,
                 reason: str) -> tuple[Child, list[str]]:
    """Correct the child's record; returns it and the labels of what changed."""
    if not actor.has_role(*CHILD_EDIT_ROLES) or actor.force_id != child.force_id:
        raise PermissionDenied("You cannot change this child's record")
    if isinstance(details.placement, PlaceDetails):
        if details.placement.kind not in PLACEMENT_KINDS:
            raise ChildInvalid("A placement is a children's home or a foster placement: "
                               "choose one of those kinds", field="placement")
        details = dataclasses.replace(details, placement=place_create(
            actor=actor, now=now, details=details.placement))
    today = now.date()
    before = {c.field for c in record_conflicts(child=child, on=today)}
    child, changed = record_update(actor=actor, now=now, child=child, details=details,
                                   reason=reason)
    for conflict in record_conflicts(child=child, on=today):
        if conflict.field not in before:
            since = f"{conflict.responsibility.starts_on:%-d %B %Y}"
            raise ChildInvalid(
                f"The partner record names {conflict.partner} for the child's "
                f"{conflict.label.lower()} since {since}. Record that, or ask the missing "
                "persons coordinator to end that responsibility first",
                field=conflict.field)
    identity_keys_refresh(child=child)
    return child, changed


@transaction.atomic
def child_conflict_resolve(*, actor, now: dt.datetime, child: Child, field: str,
                           partner_is_right: bool, reason: str) -> Child:
    """The police record and a partner responsibility disagree (shown on the child's page):
    either the police record takes the partner's value, or the partner's responsibility ends
    today (only those who may end responsibilities can do that)."""
    if not reason.strip():
        raise ChildInvalid("Say how you know which record is right", field="reason")
    conflict = next((c for c in record_conflicts(child=child, on=now.date())
                     if c.field == field), None)
    if conflict is None:
        raise ChildInvalid("The records no longer disagree: nothing to resolve", field="reason")
    if not partner_is_right:
        responsibility_end(actor=actor, now=now, responsibility=conflict.responsibility,
                           ends_on=now.date())
        return child
    if field == "local_authority":
        corrected = dataclasses.replace(details_of(child), looked_after=True,
                                        local_authority=conflict.responsibility.organisation.name)
    else:
        # The recorded placement is the old one: it is cleared, and the page asks for the new.
        old = child.placement
        corrected = dataclasses.replace(
            details_of(child), placement=None,
            placement_address="" if child.placement_address.strip() == old.address.strip()
            else child.placement_address)
    child, _ = child_update(actor=actor, now=now, child=child, details=corrected,
                            reason=f"Partner record: {reason.strip()}"[:100])
    return child
