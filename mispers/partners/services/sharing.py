"""The information-sharing log: one row each time information about a child crosses between
police and a partner organisation (an alert, a referral, findings shared back). Append-only:
the application writes rows and never edits or deletes them (SharingRecord is an
AppendOnlyModel)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mispers.core.errors import DomainError, PermissionDenied
from mispers.episodes.models import TimelineEvent
from mispers.episodes.services import timeline_record

from ..disclosure import RELEASABLE, releasable_value
from ..models import FieldRelease, PartnerOrganisation, SharingRecord
from ..permissions import can_release as may_release  # noqa: F401 (old name)
from ..selectors import organisations_responsible


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


# --- police release a police-only field to partners (ADR 0015) ----------------------------------

class ReleaseRefused(DomainError):
    """The field cannot be released (not releasable, nothing to release, no reason, nobody to
    release it to)."""


class ReleaseNotAllowed(PermissionDenied):
    """The user may not release police information to partners."""


# Operational police of the child's force who take decisions on the case; not call handlers,
# analysts or administrators.
REASON_MIN = 10


def release_recipients(*, episode) -> list[PartnerOrganisation]:
    """The organisations that see the episode: responsible for the child on the day it was
    reported (the partner scoping rule, ADR 0010), and active."""
    day = timezone.localdate(episode.reported_at)
    return list(organisations_responsible(child=episode.child, on=day).order_by("name"))


@transaction.atomic
def field_release(*, actor, now: dt.datetime, episode, field: str, reason: str,
                  basis: str) -> FieldRelease:
    """Police release one declared-releasable field of `episode` (its text as it stands now) to
    the organisations that see the episode, with `reason`. Writes the release, one sharing-log
    row per organisation and the episode's timeline event; only then do partners see it."""
    if not may_release(user=actor, episode=episode):
        raise ReleaseNotAllowed("Only officers, supervisors, inspectors, superintendents and the "
                                "missing persons coordinator of the child's force release "
                                "police information to partners")
    if episode.state == "withdrawn":
        raise ReleaseRefused("This report was withdrawn: partners never see it")
    spec = RELEASABLE.get(field)
    if spec is None:
        raise ReleaseRefused("Choose a field that may be released to partners", field="field")
    if basis not in Basis.values:
        raise ReleaseRefused("Choose the basis for sharing", field="basis")
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ReleaseRefused("Say why partners need this (at least 10 characters)",
                             field="reason")
    value = releasable_value(episode=episode, field=field).strip()
    if not value:
        raise ReleaseRefused(f"There is nothing recorded for '{spec.label.lower()}' yet",
                             field="field")
    organisations = release_recipients(episode=episode)
    if not organisations:
        raise ReleaseRefused("No partner organisation sees this episode: nobody to release it to")
    release = FieldRelease.objects.create(at=now, released_by=actor, episode=episode,
                                          field=field, value=value, reason=reason, basis=basis)
    release.organisations.set(organisations)
    what = f"{spec.label} for {episode.reference}, released by police"
    release.sharing_records.set([
        sharing_record(actor=actor, now=now, child=episode.child, episode=episode,
                       organisation=organisation, what=what, basis=basis, channel="system")
        for organisation in organisations])
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.PARTNERS_ALERTED,
                    summary=f"{spec.label} released to "
                            f"{', '.join(o.name for o in organisations)}: {reason}",
                    data={"kind": "field_release", "field": field, "release": release.pk,
                          "organisations": [str(o.pk) for o in organisations]})
    return release
