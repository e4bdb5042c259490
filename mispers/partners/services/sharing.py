"""The information-sharing log: one row each time information about a child crosses between
police and a partner organisation (an alert, a referral, findings shared back). Append-only:
the application writes rows and never edits or deletes them (SharingRecord is an
AppendOnlyModel)."""

import datetime as dt

from django.db import transaction

from mispers.core.errors import DomainError

from ..models import SharingRecord


class SharingInvalid(DomainError):
    """A sharing record without a recipient, a basis or a description."""


Basis = SharingRecord.Basis
CHANNELS = ("system", "email", "api")


@transaction.atomic
def sharing_record(*, actor, now: dt.datetime, child, what: str, basis: str,
                   organisation=None, force=None, episode=None,
                   channel: str = "system") -> SharingRecord:
    """Log that `what` about `child` was shared with `organisation` (police to a partner) or with
    `force` (a partner to police), on `basis`, through `channel`. `actor` is who shared it, or
    None when the system did (an automatic alert)."""
    if (organisation is None) == (force is None):
        raise SharingInvalid("Name one recipient: a partner organisation or a police force")
    if basis not in Basis.values:
        raise SharingInvalid("Choose the basis for sharing", field="basis")
    if channel not in CHANNELS:
        raise SharingInvalid(f"Unknown channel: {channel}", field="channel")
    if not what.strip():
        raise SharingInvalid("Say what was shared", field="what")
    return SharingRecord.objects.create(
        at=now, shared_by=actor, organisation=organisation, force=force, child=child,
        episode=episode, what=what.strip()[:300], basis=basis, channel=channel)
