"""Merging two records of one place (issue 11): every episode and return that named the
duplicate names the place that stays, and the duplicate is never offered again. Spans places,
episodes and returns, so it is a casework workflow (ADR 28)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from mispers.core.errors import PermissionDenied
from mispers.episodes.models import Episode
from mispers.places.details import PlaceInvalid
from mispers.places.models import Place
from mispers.places.permissions import can_edit_place
from mispers.returns.models import FoundRecord


@transaction.atomic
def place_merge(*, actor, now: dt.datetime, keep: Place, duplicate: Place,
                reason: str) -> dict:
    """Merge `duplicate` into `keep`; returns how many records were moved, by kind."""
    if not (can_edit_place(actor, keep) and can_edit_place(actor, duplicate)):
        raise PermissionDenied("Only supervisors and the coordinator can merge places")
    if not (reason or "").strip():
        raise PlaceInvalid("Say why these are the same place", field="reason")
    if keep.pk == duplicate.pk:
        raise PlaceInvalid("Choose two different places", field="duplicate")
    locked = {p.pk: p for p in Place.objects.select_for_update().filter(
        pk__in=[keep.pk, duplicate.pk])}
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.merged_into_id or duplicate.merged_into_id:
        raise PlaceInvalid("One of these places was merged already", field="duplicate")
    moved = {
        "missing_from": Episode.objects.filter(missing_from_place=duplicate)
        .update(missing_from_place=keep),
        "last_seen": Episode.objects.filter(last_seen_place=duplicate)
        .update(last_seen_place=keep),
        "found": FoundRecord.objects.filter(found_place=duplicate).update(found_place=keep),
    }
    duplicate.merged_into = keep
    duplicate.stamp(actor=actor, now=now)
    duplicate._change_reason = f"Merged into {keep.name}: {reason.strip()}"[:100]
    duplicate.save()
    return moved
