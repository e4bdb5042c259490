"""Merging two records of one place (issue 11): every episode and return that named the
duplicate names the place that stays, and the duplicate is never offered again. The
intelligence follows (issue 14): the duplicate's place entity is merged into the kept place's
(or names the kept place when that has none), and the hub check runs for the children of the
place kept, since two records of one flat may together make a hub. Spans places, episodes,
returns and intelligence, so it is a casework workflow (ADR 28)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from mispers.core.errors import PermissionDenied
from mispers.episodes.models import Episode
from mispers.intelligence.hubs import HubRule, hub_children_of
from mispers.intelligence.models import Entity, EntityKind
from mispers.intelligence.services import place_entity_moved
from mispers.people.models import Child
from mispers.places.details import PlaceInvalid
from mispers.places.models import Place
from mispers.places.permissions import can_edit_place
from mispers.returns.models import FoundRecord
from mispers.risk.selectors import policy_for_force

from .intelligence import entity_merge_workflow, hub_check


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
    moved["intelligence"] = _place_entities_merged(actor=actor, now=now, keep=keep,
                                                   duplicate=duplicate, reason=reason)
    _hub_check_place(actor=actor, now=now, place=keep)
    return moved


def _place_entities_merged(*, actor, now: dt.datetime, keep: Place, duplicate: Place,
                           reason: str) -> int:
    """The duplicate's place entity merged into the kept place's, or moved to the kept place;
    how many links now name the kept place through it."""
    entities = {entity.place_id: entity for entity in Entity.objects.filter(
        force_id=keep.force_id, kind=EntityKind.PLACE, place_id__in=[keep.pk, duplicate.pk],
        merged_into__isnull=True)}
    theirs, ours = entities.get(duplicate.pk), entities.get(keep.pk)
    if theirs is None:
        return 0
    links = theirs.links.count()
    if ours is None:
        place_entity_moved(actor=actor, now=now, entity=theirs, place=keep)
    else:
        entity_merge_workflow(actor=actor, now=now, keep=ours, duplicate=theirs,
                              reason=f"The same place: {reason.strip()}")
    return links


def _hub_check_place(*, actor, now: dt.datetime, place: Place) -> None:
    """When the place kept is now a hub, each of its children not yet told of it is."""
    key = ("place", place.pk)
    children = hub_children_of(force_id=place.force_id, key=key, on=now.date(),
                               rule=HubRule.of(policy_for_force(place.force)))
    for child in Child.objects.filter(pk__in=children).order_by("family_name", "given_name"):
        hub_check(actor=actor, now=now, child=child, key=key)
