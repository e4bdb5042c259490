"""Writes for places: record one, correct one (with a reason kept in its history)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from mispers.core.errors import PermissionDenied

from .details import PlaceDetails, PlaceInvalid, place_details_check
from .models import Place
from .permissions import can_edit_place, can_use_places


def _provider_check(*, force, provider_id) -> None:
    if provider_id is None:
        return
    # Through the relation, not an import: places sit below partners (a provider is data here).
    organisations = Place._meta.get_field("provider").related_model.objects
    linked = organisations.filter(pk=provider_id, force_links__force=force,
                                  force_links__status="active")
    if not linked.exists():
        raise PlaceInvalid("Choose a provider that works with this force", field="provider")


@transaction.atomic
def place_create(*, actor, now: dt.datetime, details: PlaceDetails) -> Place:
    """A new place of the actor's force."""
    if not can_use_places(actor):
        raise PermissionDenied("You cannot record places")
    values = place_details_check(details)
    _provider_check(force=actor.force, provider_id=values["provider_id"])
    place = Place(force_id=actor.force_id, **values)
    place.stamp(actor=actor, now=now)
    place.save()
    return place


@transaction.atomic
def place_update(*, actor, now: dt.datetime, place: Place, details: PlaceDetails,
                 reason: str) -> Place:
    """Correct a place; the reason is kept with the change in its history."""
    if not can_edit_place(actor, place):
        raise PermissionDenied("Only supervisors and the coordinator can correct a place")
    if not (reason or "").strip():
        raise PlaceInvalid("Say why the place is being corrected", field="reason")
    values = place_details_check(details)
    _provider_check(force=place.force, provider_id=values["provider_id"])
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.merged_into_id is not None:
        raise PlaceInvalid("This place was merged into another: correct that one",
                           field="name")
    for name, value in values.items():
        setattr(place, name, value)
    place.stamp(actor=actor, now=now)
    place._change_reason = reason.strip()[:100]
    place.save()
    return place
